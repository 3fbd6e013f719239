// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Snapshot.h"

#include <QtNumeric>

#include <memory>

namespace tidewatch::test {

/// A catalogue shaped like a small Linux machine, with the awkward cases the
/// feed must handle: a NaN rate, a mount point with quotes and backslashes,
/// counters, attributes. `padding` adds that many gauges to make frames big.
inline CatalogPtr makeCatalog(int padding = 0, const QString &extraId = QString())
{
    QList<MetricInfo> m;
    auto add = [&m](const QString &id, const QString &unit, MetricKind kind,
                    QList<MetricAttribute> attributes = {}, double max = qQNaN()) {
        MetricInfo info;
        info.id = id;
        info.label = u"label of " + id;
        info.unit = unit;
        info.kind = kind;
        info.max = max;
        info.attributes = std::move(attributes);
        m.append(info);
    };
    const auto G = MetricKind::Gauge;
    const auto R = MetricKind::Rate;
    const auto C = MetricKind::Counter;
    const QString pct = QStringLiteral("%");
    const QString bytes = QStringLiteral("B");
    add(QStringLiteral("cpu.total"), pct, G, {}, 100);
    add(QStringLiteral("cpu.user"), pct, G, {}, 100);
    add(QStringLiteral("cpu.core.0"), pct, G, {{QStringLiteral("cpu"), QStringLiteral("0")}}, 100);
    add(QStringLiteral("cpu.core.1"), pct, G, {{QStringLiteral("cpu"), QStringLiteral("1")}}, 100);
    add(QStringLiteral("cpu.core.0.freq"), QStringLiteral("Hz"), G,
        {{QStringLiteral("cpu"), QStringLiteral("0")}});
    add(QStringLiteral("cpu.core.0.seconds.user"), QStringLiteral("s"), C,
        {{QStringLiteral("cpu"), QStringLiteral("0")},
         {QStringLiteral("mode"), QStringLiteral("user")}});
    add(QStringLiteral("cpu.core.0.seconds.idle"), QStringLiteral("s"), C,
        {{QStringLiteral("cpu"), QStringLiteral("0")},
         {QStringLiteral("mode"), QStringLiteral("idle")}});
    add(QStringLiteral("cpu.ctxt"), QStringLiteral("/s"), R);
    add(QStringLiteral("cpu.ctxt.total"), QString(), C);
    add(QStringLiteral("cpu.forks.total"), QString(), C);
    add(QStringLiteral("load.1"), QString(), G);
    add(QStringLiteral("load.5"), QString(), G);
    add(QStringLiteral("load.15"), QString(), G);
    add(QStringLiteral("host.boot_time"), QStringLiteral("s"), G);
    for (const char *id : {"mem.total", "mem.available", "mem.free", "mem.buffers", "mem.cached",
                           "mem.used", "swap.total", "swap.used", "swap.free"})
        add(QString::fromLatin1(id), bytes, G);
    add(QStringLiteral("mem.percent"), pct, G, {}, 100);
    add(QStringLiteral("swap.percent"), pct, G, {}, 100);
    const QList<MetricAttribute> rootFs = {{QStringLiteral("device"), QStringLiteral("/dev/sda1")},
                                           {QStringLiteral("fstype"), QStringLiteral("ext4")},
                                           {QStringLiteral("mountpoint"), QStringLiteral("/")}};
    const QString weirdMount = QStringLiteral("/mnt/we\"ird\\dir");
    const QList<MetricAttribute> weirdFs = {{QStringLiteral("device"), QStringLiteral("/dev/sdb1")},
                                            {QStringLiteral("fstype"), QStringLiteral("xfs")},
                                            {QStringLiteral("mountpoint"), weirdMount}};
    for (const char *part : {"size", "used", "free", "percent"}) {
        add(u"fs./." + QLatin1StringView(part), bytes, G, rootFs);
        add(u"fs." + weirdMount + u'.' + QLatin1StringView(part), bytes, G, weirdFs);
    }
    const QList<MetricAttribute> sda = {{QStringLiteral("device"), QStringLiteral("sda")}};
    add(QStringLiteral("disk.sda.read"), QStringLiteral("B/s"), R, sda);
    add(QStringLiteral("disk.sda.busy"), pct, G, sda, 100);
    for (const char *part :
         {"read.total", "write.total", "read_ops.total", "write_ops.total", "io_time.total"})
        add(u"disk.sda." + QLatin1StringView(part), bytes, C, sda);
    const QList<MetricAttribute> eth0 = {{QStringLiteral("device"), QStringLiteral("eth0")}};
    add(QStringLiteral("net.eth0.rx"), QStringLiteral("B/s"), R, eth0);
    for (const char *part :
         {"rx.total", "tx.total", "rx_packets.total", "tx_packets.total", "rx_errors.total",
          "tx_errors.total", "rx_drop.total", "tx_drop.total"})
        add(u"net.eth0." + QLatin1StringView(part), bytes, C, eth0);
    add(QStringLiteral("net.rx"), QStringLiteral("B/s"), R);
    add(QStringLiteral("net.tx"), QStringLiteral("B/s"), R);
    add(QStringLiteral("net.rx.total"), bytes, C);
    add(QStringLiteral("net.tx.total"), bytes, C);
    add(QStringLiteral("temp.coretemp.package_id_0"), QStringLiteral("°C"), G,
        {{QStringLiteral("chip"), QStringLiteral("coretemp")},
         {QStringLiteral("sensor"), QStringLiteral("temp1")},
         {QStringLiteral("label"), QStringLiteral("Package id 0")}});
    for (const char *id : {"proc.count", "proc.running", "proc.blocked", "proc.threads"})
        add(QString::fromLatin1(id), QString(), G);
    for (int i = 0; i < padding; ++i)
        add(QStringLiteral("pad.metric.%1").arg(i), QString(), G);
    if (!extraId.isEmpty())
        add(extraId, QString(), G);
    return std::make_shared<const MetricCatalog>(m);
}

/// Value of metric i in snapshot seq: distinct and predictable. cpu.ctxt is
/// NaN ("no value yet").
inline double testValue(const MetricInfo &info, qsizetype i, quint64 seq)
{
    if (info.id == u"cpu.ctxt")
        return qQNaN();
    return double(i) * 10.0 + double(seq) + 0.5;
}

inline SnapshotPtr makeSnapshot(const CatalogPtr &catalog, quint64 seq, qint64 ts,
                                const QString &host = QStringLiteral("testhost"))
{
    auto s = std::make_shared<Snapshot>();
    s->host = host;
    s->ts = ts;
    s->seq = seq;
    s->catalog = catalog;
    for (qsizetype i = 0; i < catalog->size(); ++i)
        s->values.append(testValue(catalog->at(i), i, seq));
    s->processes.count = 123;
    s->processes.topCpu = {{42, QStringLiteral("busy \"proc\""), 99.5, 1000},
                           {7, QStringLiteral("b"), 1.0, 2000}};
    s->processes.topRss = {{7, QStringLiteral("b"), 1.0, 2000}};
    s->sampleCpuUs = 1500;
    s->sampleWallUs = 2000;
    return s;
}

} // namespace tidewatch::test
