// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hub.h"

#include <QSignalSpy>
#include <QTest>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

MetricInfo gauge(const QString &id)
{
    return {id, id, u"%"_s, 0, 100, MetricKind::Gauge, {}};
}

SnapshotPtr make(const CatalogPtr &catalog, qint64 ts, quint64 seq, QList<double> values)
{
    auto s = std::make_shared<Snapshot>();
    s->host = u"test"_s;
    s->ts = ts;
    s->seq = seq;
    s->catalog = catalog;
    s->values = std::move(values);
    return s;
}

} // namespace

class TestHub final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        qRegisterMetaType<SnapshotPtr>();
        qRegisterMetaType<CatalogPtr>();
    }

    void keepsWindowByAge()
    {
        Hub hub(10'000); // 10 s
        auto catalog = std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"a"_s)});
        for (int i = 0; i < 100; ++i)
            hub.publish(make(catalog, 1'000'000 + i * 1000, quint64(i + 1), {double(i)}));
        const auto points = hub.history(u"a"_s);
        // 100 s published; the last 10 s (plus the boundary point) remain.
        QCOMPARE(points.size(), 11);
        QCOMPARE(points.first().value, 89.0);
        QCOMPARE(points.last().value, 99.0);
        QCOMPARE(points.last().ts, 1'000'000 + 99 * 1000);
        QCOMPARE(hub.latest()->seq, 100u);
    }

    void rangeQuery()
    {
        Hub hub(60'000);
        auto catalog = std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"a"_s)});
        for (int i = 0; i < 30; ++i)
            hub.publish(make(catalog, i * 1000, quint64(i + 1), {double(i)}));
        const auto mid = hub.history(u"a"_s, 10'000, 12'000);
        QCOMPARE(mid.size(), 3);
        QCOMPARE(mid.at(0).value, 10.0);
        QCOMPARE(mid.at(2).value, 12.0);
        QVERIFY(hub.history(u"a"_s, 40'000).isEmpty());
        QVERIFY(hub.history(u"unknown"_s).isEmpty());
    }

    void countersAreNotKept()
    {
        Hub hub;
        MetricInfo counter = gauge(u"net.rx.total"_s);
        counter.kind = MetricKind::Counter;
        auto catalog = std::make_shared<const MetricCatalog>(
            QList<MetricInfo>{gauge(u"cpu.total"_s), counter});
        hub.publish(make(catalog, 1000, 1, {5.0, 123456.0}));
        QCOMPARE(hub.history(u"cpu.total"_s).size(), 1);
        QVERIFY(hub.history(u"net.rx.total"_s).isEmpty());
        QCOMPARE(hub.historyIds(), QStringList{u"cpu.total"_s});
    }

    void catalogChangeKeepsSeries()
    {
        Hub hub;
        QSignalSpy catalogSpy(&hub, &Hub::catalogChanged);
        QSignalSpy snapshotSpy(&hub, &Hub::snapshotPublished);
        auto one = std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"a"_s)});
        auto two =
            std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"b"_s), gauge(u"a"_s)});
        hub.publish(make(one, 1000, 1, {1.0}));
        hub.publish(make(one, 2000, 2, {2.0}));
        hub.publish(make(two, 3000, 3, {30.0, 3.0})); // a moved to index 1
        QCOMPARE(catalogSpy.size(), 2);
        QCOMPARE(snapshotSpy.size(), 3);
        const auto a = hub.history(u"a"_s);
        QCOMPARE(a.size(), 3);
        QCOMPARE(a.at(2).value, 3.0);
        QCOMPARE(hub.history(u"b"_s).size(), 1);
        QCOMPARE(hub.history(u"b"_s).at(0).value, 30.0);
    }

    void nanIsKeptAsGap()
    {
        Hub hub;
        auto catalog = std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"a"_s)});
        hub.publish(make(catalog, 1000, 1, {qQNaN()}));
        hub.publish(make(catalog, 2000, 2, {7.0}));
        const auto a = hub.history(u"a"_s);
        QCOMPARE(a.size(), 2);
        QVERIFY(qIsNaN(a.at(0).value));
    }

    void absentRowsAreNotStale()
    {
        // a leaves the catalog for longer than the ring and comes back: the
        // slots it did not write must not show its old values.
        Hub hub(10'000); // 11 rows at 1 s
        auto withA =
            std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"a"_s), gauge(u"b"_s)});
        auto withoutA = std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"b"_s)});
        qint64 ts = 0;
        quint64 seq = 0;
        for (int i = 0; i < 11; ++i, ts += 1000)
            hub.publish(make(withA, ts, ++seq, {100.0 + i, 0.0}));
        for (int i = 0; i < 4; ++i, ts += 1000)
            hub.publish(make(withoutA, ts, ++seq, {1.0}));
        hub.publish(make(withA, ts, ++seq, {7.0, 2.0}));
        auto a = hub.history(u"a"_s);
        QCOMPARE(a.size(), 7); // 104..110, then 7 after the gap of four rows
        QCOMPARE(a.at(5).value, 110.0);
        QCOMPARE(a.at(6).value, 7.0);
        QCOMPARE(a.at(6).ts, ts);
        QCOMPARE(hub.history(u"b"_s).size(), 11);
        ts += 1000;
        for (int i = 0; i < 12; ++i, ts += 1000)
            hub.publish(make(withoutA, ts, ++seq, {1.0}));
        QVERIFY(hub.history(u"a"_s).isEmpty());
        hub.publish(make(withA, ts, ++seq, {9.0, 2.0}));
        a = hub.history(u"a"_s);
        QCOMPARE(a.size(), 1);
        QCOMPARE(a.at(0).value, 9.0);
        QCOMPARE(hub.oldestTs(), ts - 10'000);
        QCOMPARE(hub.historyPointCount(), 11 + 1);
    }

    void memoryIsBounded()
    {
        // A 10 Hz feed for an hour into a 1-minute window holds one minute.
        Hub hub(60'000);
        hub.setSampleIntervalMs(100);
        QCOMPARE(hub.capacityPerSeries(), 601);
        QList<MetricInfo> infos;
        for (int m = 0; m < 50; ++m)
            infos.append(gauge(u"m%1"_s.arg(m)));
        auto catalog = std::make_shared<const MetricCatalog>(infos);
        const QList<double> values(50, 1.0);
        for (int i = 0; i < 36'000; ++i)
            hub.publish(make(catalog, qint64(i) * 100, quint64(i + 1), values));
        QCOMPARE(hub.historyPointCount(), 50 * 601);
    }

    void fastIntervalIsCappedNotGrown()
    {
        // An hour at 100 ms would be 36,000 points a series: the cap wins and
        // the window shortens instead.
        Hub hub(60 * 60'000);
        hub.setSampleIntervalMs(100);
        QCOMPARE(hub.capacityPerSeries(), Hub::MaxPointsPerSeries);
        auto catalog = std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"a"_s)});
        for (int i = 0; i < 20'000; ++i)
            hub.publish(make(catalog, qint64(i) * 100, quint64(i + 1), {double(i)}));
        const auto a = hub.history(u"a"_s);
        QCOMPARE(a.size(), Hub::MaxPointsPerSeries);
        QCOMPARE(a.last().value, 19'999.0);
        QCOMPARE(a.first().value, double(20'000 - Hub::MaxPointsPerSeries));
    }

    void intervalChangeKeepsNewest()
    {
        Hub hub(10'000); // 10 s: 11 points at 1 s
        auto catalog = std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"a"_s)});
        for (int i = 0; i < 11; ++i)
            hub.publish(make(catalog, i * 1000, quint64(i + 1), {double(i)}));
        hub.setSampleIntervalMs(5000); // now 3 points
        QCOMPARE(hub.capacityPerSeries(), 3);
        auto a = hub.history(u"a"_s);
        QCOMPARE(a.size(), 3);
        QCOMPARE(a.first().value, 8.0);
        QCOMPARE(a.last().value, 10.0);
        hub.setSampleIntervalMs(100); // grows again, loses nothing it kept
        a = hub.history(u"a"_s);
        QCOMPARE(a.size(), 3);
        hub.publish(make(catalog, 11'000, 12, {11.0}));
        QCOMPARE(hub.history(u"a"_s).size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestHub)
#include "tst_hub.moc"
