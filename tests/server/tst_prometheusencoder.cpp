// SPDX-License-Identifier: GPL-3.0-or-later
#include "PrometheusEncoder.h"
#include "TestSnapshots.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QTest>

#include <algorithm>

using namespace tidewatch;

class TestPrometheusEncoder final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nodeExporterNames();
    void familiesAreGrouped();
    void nanOmitted();
    void labelEscaping();
    void cachedPerSnapshot();
    void deliveryLagHistogram();
};

namespace {
QByteArray sample(const QByteArray &body, const QByteArray &seriesPrefix)
{
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith(QByteArray(seriesPrefix + ' ')))
            return line.mid(seriesPrefix.size() + 1);
    }
    return {};
}
} // namespace

void TestPrometheusEncoder::nodeExporterNames()
{
    const CatalogPtr catalog = test::makeCatalog();
    const SnapshotPtr snap = test::makeSnapshot(catalog, 3, 1714564800123);
    PrometheusEncoder enc;
    const QByteArray body = enc.encode(snap, {4, 10, 2, 1});
    auto expectValue = [&](const QByteArray &series, const QString &id) {
        const QByteArray v = sample(body, series);
        if (v.isEmpty())
            qWarning("missing series %s", series.constData());
        return !v.isEmpty() && v.toDouble() == snap->value(id);
    };
    QVERIFY(expectValue(R"(node_cpu_seconds_total{cpu="0",mode="user"})",
                        QStringLiteral("cpu.core.0.seconds.user")));
    QVERIFY(expectValue(R"(node_cpu_scaling_frequency_hertz{cpu="0"})",
                        QStringLiteral("cpu.core.0.freq")));
    QVERIFY(expectValue("node_memory_MemTotal_bytes", QStringLiteral("mem.total")));
    QVERIFY(expectValue("node_memory_MemAvailable_bytes", QStringLiteral("mem.available")));
    QVERIFY(expectValue("node_memory_SwapFree_bytes", QStringLiteral("swap.free")));
    QVERIFY(expectValue("node_load15", QStringLiteral("load.15")));
    QVERIFY(expectValue("node_boot_time_seconds", QStringLiteral("host.boot_time")));
    QVERIFY(expectValue("node_context_switches_total", QStringLiteral("cpu.ctxt.total")));
    QVERIFY(expectValue("node_forks_total", QStringLiteral("cpu.forks.total")));
    QVERIFY(expectValue("node_procs_running", QStringLiteral("proc.running")));
    QVERIFY(expectValue(R"(node_network_receive_bytes_total{device="eth0"})",
                        QStringLiteral("net.eth0.rx.total")));
    QVERIFY(expectValue(R"(node_network_transmit_drop_total{device="eth0"})",
                        QStringLiteral("net.eth0.tx_drop.total")));
    QVERIFY(expectValue(R"(node_disk_written_bytes_total{device="sda"})",
                        QStringLiteral("disk.sda.write.total")));
    QVERIFY(expectValue(R"(node_disk_io_time_seconds_total{device="sda"})",
                        QStringLiteral("disk.sda.io_time.total")));
    QVERIFY(expectValue(
        R"(node_filesystem_size_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"})",
        QStringLiteral("fs./.size")));
    QVERIFY(expectValue(
        R"(node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"})",
        QStringLiteral("fs./.free")));
    QCOMPARE(
        sample(body,
               R"(node_filesystem_free_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"})")
            .toDouble(),
        snap->value(QStringLiteral("fs./.size")) - snap->value(QStringLiteral("fs./.used")));
    QVERIFY(expectValue(R"(node_hwmon_temp_celsius{chip="coretemp",sensor="temp1"})",
                        QStringLiteral("temp.coretemp.package_id_0")));
    QVERIFY(expectValue("tidewatch_cpu_usage_percent", QStringLiteral("cpu.total")));
    QVERIFY(
        expectValue(R"(tidewatch_cpu_core_usage_percent{cpu="1"})", QStringLiteral("cpu.core.1")));
    QVERIFY(expectValue("tidewatch_memory_used_percent", QStringLiteral("mem.percent")));
    QCOMPARE(sample(body, "node_time_seconds"), QByteArray("1714564800.123"));
    QCOMPARE(sample(body, "tidewatch_snapshot_seq"), QByteArray("3"));
    QCOMPARE(sample(body, "tidewatch_sample_duration_seconds"), QByteArray("0.0015"));
    QCOMPARE(sample(body, "tidewatch_clients"), QByteArray("4"));
    QCOMPARE(sample(body, "tidewatch_frames_sent_total"), QByteArray("10"));
    QCOMPARE(sample(body, "tidewatch_frames_dropped_total"), QByteArray("2"));
    QCOMPARE(sample(body, "tidewatch_clients_dropped_total"), QByteArray("1"));
    // The all-interface totals have no node_exporter series of their own.
    QVERIFY(!body.contains("device=\"\""));
}

void TestPrometheusEncoder::familiesAreGrouped()
{
    PrometheusEncoder enc;
    const QByteArray body = enc.encode(test::makeSnapshot(test::makeCatalog(), 1, 1000), {});
    QHash<QByteArray, int> helps, types;
    QSet<QByteArray> closed;
    QByteArray current;
    for (const QByteArray &line : body.split('\n')) {
        if (line.isEmpty())
            continue;
        if (line.startsWith("# HELP ")) {
            ++helps[line.split(' ').at(2)];
            continue;
        }
        if (line.startsWith("# TYPE ")) {
            const QByteArray name = line.split(' ').at(2);
            ++types[name];
            QVERIFY2(helps.value(name) == 1, name.constData()); // HELP first
            continue;
        }
        qsizetype end = line.indexOf('{');
        if (end < 0)
            end = line.indexOf(' ');
        const QByteArray name = line.left(end);
        QVERIFY2(types.value(name) == 1, name.constData());
        if (name != current) {
            QVERIFY2(!closed.contains(name), "samples of one family must be contiguous");
            if (!current.isEmpty())
                closed.insert(current);
            current = name;
        }
    }
    for (auto it = helps.cbegin(); it != helps.cend(); ++it)
        QCOMPARE(it.value(), 1);
    QVERIFY(helps.size() > 40);
}

void TestPrometheusEncoder::nanOmitted()
{
    // cpu.ctxt is NaN but has no Prometheus family; make a NaN that has one.
    const CatalogPtr catalog = test::makeCatalog();
    auto snap = std::make_shared<Snapshot>(*test::makeSnapshot(catalog, 1, 1000));
    snap->values[catalog->indexOf(QStringLiteral("load.1"))] = qQNaN();
    snap->values[catalog->indexOf(QStringLiteral("cpu.core.1"))] = qQNaN();
    PrometheusEncoder enc;
    const QByteArray body = enc.encode(snap, {});
    QVERIFY(!body.contains("node_load1 "));
    QVERIFY(!body.contains("# TYPE node_load1 ")); // no empty family either
    QVERIFY(!body.contains("cpu=\"1\"}"));
    QVERIFY(body.contains("tidewatch_cpu_core_usage_percent{cpu=\"0\"}"));
    QVERIFY(!body.toLower().contains("nan"));
}

void TestPrometheusEncoder::labelEscaping()
{
    PrometheusEncoder enc;
    const QByteArray body = enc.encode(test::makeSnapshot(test::makeCatalog(), 1, 1000), {});
    QVERIFY(body.contains(R"(mountpoint="/mnt/we\"ird\\dir")"));
    QByteArray out;
    PrometheusEncoder::appendLabelValue(out, QStringLiteral("a\nb\"c\\d°"));
    QCOMPARE(out, QByteArray("a\\nb\\\"c\\\\d\xc2\xb0"));
}

void TestPrometheusEncoder::cachedPerSnapshot()
{
    const CatalogPtr catalog = test::makeCatalog(600);
    const SnapshotPtr snap = test::makeSnapshot(catalog, 1, 1000);
    PrometheusEncoder enc;
    QElapsedTimer t;
    t.start();
    const QByteArray first = enc.encode(snap, {});
    const qint64 coldNs = t.nsecsElapsed();
    QList<qint64> warm;
    for (int i = 0; i < 100; ++i) {
        t.start();
        const QByteArray again = enc.encode(snap, {1, 2, 3, 4});
        warm.append(t.nsecsElapsed());
        QVERIFY(again.startsWith(first.left(first.indexOf("# HELP tidewatch_build_info"))));
        QVERIFY(again.contains("tidewatch_clients 1\n"));
    }
    std::sort(warm.begin(), warm.end());
    qInfo("/metrics body %lld bytes: first encode %.1f us, cached %.1f us (median)",
          qlonglong(first.size()), double(coldNs) / 1000.0, double(warm.at(50)) / 1000.0);
    QVERIFY(warm.at(50) < 1'000'000);
    // A new snapshot is encoded anew.
    const QByteArray next = enc.encode(test::makeSnapshot(catalog, 2, 2000), {});
    QVERIFY(next.contains("tidewatch_snapshot_seq 2\n"));
}

void TestPrometheusEncoder::deliveryLagHistogram()
{
    LatencyHistogram lag;
    lag.observe(0.0005); // <= 1 ms
    lag.observe(0.004);  // <= 5 ms
    lag.observe(0.004);
    lag.observe(30.0);    // only +Inf
    lag.observe(qQNaN()); // counted as 0, never lost
    QCOMPARE(lag.count(), 5u);

    FeedSelfMetrics self;
    self.deliveryLag = &lag;
    PrometheusEncoder enc;
    const QByteArray body = enc.encode(test::makeSnapshot(test::makeCatalog(3), 1, 1000), self);
    QVERIFY(body.contains("# TYPE tidewatch_delivery_lag_seconds histogram\n"));
    // Buckets are cumulative, as the exposition format requires.
    QCOMPARE(sample(body, "tidewatch_delivery_lag_seconds_bucket{le=\"0.001\"}"), QByteArray("2"));
    QCOMPARE(sample(body, "tidewatch_delivery_lag_seconds_bucket{le=\"0.002\"}"), QByteArray("2"));
    QCOMPARE(sample(body, "tidewatch_delivery_lag_seconds_bucket{le=\"0.005\"}"), QByteArray("4"));
    QCOMPARE(sample(body, "tidewatch_delivery_lag_seconds_bucket{le=\"2.5\"}"), QByteArray("4"));
    QCOMPARE(sample(body, "tidewatch_delivery_lag_seconds_bucket{le=\"+Inf\"}"), QByteArray("5"));
    QCOMPARE(sample(body, "tidewatch_delivery_lag_seconds_count"), QByteArray("5"));
    QCOMPARE(sample(body, "tidewatch_delivery_lag_seconds_sum").toDouble(), 30.0085);

    // Without a histogram (no feed yet), the family is absent.
    PrometheusEncoder plain;
    QVERIFY(!plain.encode(test::makeSnapshot(test::makeCatalog(3), 1, 1000), {})
                 .contains("tidewatch_delivery_lag_seconds"));
}

QTEST_GUILESS_MAIN(TestPrometheusEncoder)
#include "tst_prometheusencoder.moc"
