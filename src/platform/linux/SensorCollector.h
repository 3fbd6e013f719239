// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Collector.h"
#include "ProcFile.h"

#include <vector>

namespace tidewatch {

/// Temperatures from /sys/class/hwmon. Machines without hwmon (most VMs and
/// containers) simply have no temp.* metrics. The sensor list is looked up
/// again every little while, since drivers can load after start.
class SensorCollector final : public Collector
{
public:
    explicit SensorCollector(const QString &rootPath);

    QString name() const override { return QStringLiteral("sensors"); }
    void collect(const SampleContext &context, SnapshotBuilder &out) override;

private:
    struct Sensor
    {
        ProcFile input;
        MetricInfo info;
    };
    void rescan();

    QString m_root;
    std::vector<Sensor> m_sensors;
    QByteArray m_scratch;   ///< every sensor's input file is read into this one buffer
    QByteArray m_signature; ///< what the last scan found, to keep fds when nothing changed
    qint64 m_lastScanUs = 0;
    bool m_scanned = false;
};

} // namespace tidewatch
