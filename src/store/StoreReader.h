// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HistoryStore.h"
#include "StoreBuffer.h"
#include "StoreDatabase.h"

#include <QObject>
#include <QSqlDatabase>

#include <memory>

namespace tidewatch::store {

/// The store's reader: lives on its own thread with its own connection and
/// answers range queries from the database merged with the writer's
/// unwritten blocks, downsampled to min/avg/max buckets.
class StoreReader final : public QObject
{
public:
    StoreReader(StoreLocation location, StoreOptions options, std::shared_ptr<StoreBuffer> buffer);
    ~StoreReader() override;

    // On the reader thread.
    HistoryResult run(const HistoryRequest &request);
    QStringList hosts();
    void shutdown();

    /// The tier a request reads: the coarsest whose resolution still gives
    /// maxPoints over the range and whose retention reaches back to fromTs
    /// (measured from `newestTs`, the newest data time).
    static StoreTier chooseTier(const HistoryRequest &request, const StoreOptions &options,
                                qint64 newestTs);

private:
    bool ensureConnected(QString *error);

    StoreLocation m_location;
    StoreOptions m_options;
    std::shared_ptr<StoreBuffer> m_buffer;
    QString m_connectionName;
    QSqlDatabase m_db;
    bool m_connected = false;
};

} // namespace tidewatch::store
