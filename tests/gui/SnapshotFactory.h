// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Hand-built snapshots for the GUI tests: the charts are the point, not the
// sampling, so the values are chosen by the test.
#include "Snapshot.h"

#include <QHash>

#include <memory>

namespace tidewatch::testing {

inline MetricInfo metric(const QString &id, const QString &unit,
                         MetricKind kind = MetricKind::Gauge,
                         QList<MetricAttribute> attributes = {})
{
    MetricInfo info;
    info.id = id;
    info.label = id;
    info.unit = unit;
    info.kind = kind;
    info.attributes = std::move(attributes);
    return info;
}

/// A small machine: two cores, one NIC, one disk, one filesystem, one sensor.
inline CatalogPtr machineCatalog()
{
    using namespace Qt::StringLiterals;
    const QString pct = u"%"_s, bytes = u"B"_s, rate = u"B/s"_s;
    return std::make_shared<const MetricCatalog>(QList<MetricInfo>{
        metric(u"cpu.total"_s, pct),
        metric(u"cpu.iowait"_s, pct),
        metric(u"cpu.core.0"_s, pct),
        metric(u"cpu.core.1"_s, pct),
        metric(u"cpu.count"_s, QString()),
        metric(u"mem.total"_s, bytes),
        metric(u"mem.used"_s, bytes),
        metric(u"mem.percent"_s, pct),
        metric(u"swap.percent"_s, pct),
        metric(u"load.1"_s, QString()),
        metric(u"load.5"_s, QString()),
        metric(u"load.15"_s, QString()),
        metric(u"net.eth0.rx"_s, rate, MetricKind::Rate),
        metric(u"net.eth0.tx"_s, rate, MetricKind::Rate),
        metric(u"net.rx"_s, rate, MetricKind::Rate),
        metric(u"net.tx"_s, rate, MetricKind::Rate),
        metric(u"disk.sda.read"_s, rate, MetricKind::Rate),
        metric(u"disk.sda.write"_s, rate, MetricKind::Rate),
        metric(u"disk.read"_s, rate, MetricKind::Rate),
        metric(u"disk.write"_s, rate, MetricKind::Rate),
        metric(u"fs./.size"_s, bytes, MetricKind::Gauge, {{u"mountpoint"_s, u"/"_s}}),
        metric(u"fs./.used"_s, bytes, MetricKind::Gauge, {{u"mountpoint"_s, u"/"_s}}),
        metric(u"fs./.percent"_s, pct, MetricKind::Gauge, {{u"mountpoint"_s, u"/"_s}}),
        metric(u"temp.coretemp.package"_s, u"°C"_s),
    });
}

/// A snapshot of `catalog` at `ts`: every metric 0 except those in `values`.
inline SnapshotPtr snapshotAt(const CatalogPtr &catalog, qint64 ts, quint64 seq,
                              const QHash<QString, double> &values, ProcessSummary processes = {})
{
    auto s = std::make_shared<Snapshot>();
    s->host = QStringLiteral("testhost");
    s->ts = ts;
    s->seq = seq;
    s->catalog = catalog;
    s->values.resize(catalog->size(), 0.0);
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        const qsizetype i = catalog->indexOf(it.key());
        if (i >= 0)
            s->values[i] = it.value();
    }
    s->processes = std::move(processes);
    return s;
}

} // namespace tidewatch::testing
