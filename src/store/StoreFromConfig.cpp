// SPDX-License-Identifier: GPL-3.0-or-later
#include "StoreFromConfig.h"

#include "Config.h"

namespace tidewatch {

std::unique_ptr<HistoryStore> openHistoryStore(const Config &config, const QString &host,
                                               QString *error)
{
    error->clear();
    if (!config.historyEnabled)
        return nullptr;
    StoreOptions options;
    if (!StoreOptions::fromUrl(config.databaseUrl, &options, error))
        return nullptr;
    options.host = host;
    options.rawRetentionMs = config.rawRetentionMs;
    options.minuteRetentionMs = config.minuteRetentionMs;
    options.hourRetentionMs = config.hourRetentionMs;
    auto store = std::make_unique<HistoryStore>(options);
    if (!store->open(error))
        return nullptr;
    return store;
}

} // namespace tidewatch
