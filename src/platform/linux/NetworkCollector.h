// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Collector.h"
#include "LinuxMetrics.h"
#include "ProcFile.h"
#include "ProcParsers.h"

#include <memory>
#include <unordered_map>
#include <vector>

namespace tidewatch {

/// Traffic per network interface from /proc/net/dev, and totals without the
/// loopback. A counter that goes backwards (interface reset) gives NaN for
/// that tick, never a negative or huge rate.
class NetworkCollector final : public Collector
{
public:
    explicit NetworkCollector(const QString &rootPath);
    ~NetworkCollector() override;

    QString name() const override { return QStringLiteral("network"); }
    void collect(const SampleContext &context, SnapshotBuilder &out) override;

private:
    struct Interface;
    Interface &interface(QByteArrayView name);

    ProcFile m_netdev;
    std::vector<procfs::NetDevStat> m_parsed;
    procfs::PassInterval m_interval;
    std::unordered_map<QByteArray, std::unique_ptr<Interface>, procfs::ByteKeyHash,
                       procfs::ByteKeyEqual>
        m_interfaces;
    quint64 m_pass = 0;
    MetricInfo m_rx, m_tx, m_rxTotal, m_txTotal;
};

} // namespace tidewatch
