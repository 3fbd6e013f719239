// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HistoryStore.h"

#include <memory>

namespace tidewatch {

struct Config;

/// Opens the history store a Config asks for, for both executables.
/// Returns nullptr with an empty `error` when history is off, nullptr with a
/// one-line `error` when the store cannot be opened (a bad URL, a corrupt or
/// foreign file), else the open store.
std::unique_ptr<HistoryStore> openHistoryStore(const Config &config, const QString &host,
                                               QString *error);

} // namespace tidewatch
