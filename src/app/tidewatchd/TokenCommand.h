// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

/// `tidewatchd token issue --ttl 1h [--sub NAME] [--aud A] [--iss I]
/// [--scope S]`: prints an HS256 JWT signed with JWT_SECRET or
/// --jwt-secret-file. Returns the process exit code.
int runTokenCommand(const QStringList &arguments);
