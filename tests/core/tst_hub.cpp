// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hub.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

MetricInfo gauge(const QString &id)
{
    return {id, id, u"%"_s, 0, 100, MetricKind::Gauge, {}};
}

MetricInfo withUnit(const QString &id, const QString &unit)
{
    return {id, id, unit, 0, qQNaN(), MetricKind::Gauge, {}};
}

bool sameDouble(double a, double b)
{
    return std::bit_cast<quint64>(a) == std::bit_cast<quint64>(b) || (qIsNaN(a) && qIsNaN(b));
}

// The rounding the Hub documents, written out independently: q = v * 10^d
// rounded half away from zero, read back as q / 10^d; kept as is past 4e15.
double rounded(double v, int d)
{
    if (!std::isfinite(v))
        return v;
    const double p = std::pow(10.0, d);
    if (!(std::fabs(v * p) < 4.0e15))
        return v;
    const double r = double(std::llround(v * p)) / p;
    return r == 0.0 ? 0.0 : r;
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
    void historyDecimalsByUnit()
    {
        QCOMPARE(historyDecimals(u"%"_s), 2);
        QCOMPARE(historyDecimals(u"/s"_s), 2);
        QCOMPARE(historyDecimals(u"°C"_s), 2);
        QCOMPARE(historyDecimals(u"B"_s), 0);
        QCOMPARE(historyDecimals(u"B/s"_s), 0);
        QCOMPARE(historyDecimals(u"Hz"_s), 0);
        QCOMPARE(historyDecimals(u"s"_s), 3);
        QCOMPARE(historyDecimals(QString()), 3);
    }

    void valuesAtTheirDecimalsComeBackExactly()
    {
        // Every value that already has its unit's decimals is the same double
        // after the round trip: q / 10^d is one correctly rounded division.
        Hub hub(7'200'000);
        auto catalog = std::make_shared<const MetricCatalog>(QList<MetricInfo>{
            withUnit(u"p"_s, u"%"_s), withUnit(u"s"_s, u"s"_s), withUnit(u"b"_s, u"B"_s)});
        QList<QList<double>> written;
        for (int i = 0; i < 7200; ++i) {
            const qint64 k = qint64(i) * 7919 - 20'000'000; // negative and positive
            const QList<double> values{double(k) / 100.0, double(k) / 1000.0, double(k) * 4096.0};
            hub.publish(make(catalog, qint64(i) * 1000, quint64(i + 1), values));
            written.append(values);
        }
        const QStringList ids{u"p"_s, u"s"_s, u"b"_s};
        for (int m = 0; m < ids.size(); ++m) {
            const auto points = hub.history(ids.at(m));
            QCOMPARE(points.size(), written.size());
            for (qsizetype i = 0; i < points.size(); ++i) {
                if (!sameDouble(points.at(i).value, written.at(i).at(m)))
                    QFAIL(qPrintable(u"%1 row %2: %3 came back as %4"_s.arg(ids.at(m))
                                         .arg(i)
                                         .arg(written.at(i).at(m), 0, 'g', 17)
                                         .arg(points.at(i).value, 0, 'g', 17)));
            }
        }
        QVERIFY(sameDouble(hub.history(u"p"_s).first().value, -200'000.0));
    }

    void valuesAreRoundedByUnit()
    {
        Hub hub;
        auto catalog = std::make_shared<const MetricCatalog>(QList<MetricInfo>{
            withUnit(u"pct"_s, u"%"_s), withUnit(u"rate"_s, u"/s"_s), withUnit(u"temp"_s, u"°C"_s),
            withUnit(u"bytes"_s, u"B"_s), withUnit(u"bps"_s, u"B/s"_s), withUnit(u"hz"_s, u"Hz"_s),
            withUnit(u"secs"_s, u"s"_s), withUnit(u"count"_s, QString())});
        hub.publish(make(catalog, 1000, 1,
                         {12.3456, 0.126, 47.999, 1234.6, 99.5, 2400.4, 0.12345, 3.0004}));
        const auto value = [&](const QString &id) { return hub.history(id).at(0).value; };
        QVERIFY(sameDouble(value(u"pct"_s), 12.35));
        QVERIFY(sameDouble(value(u"rate"_s), 0.13));
        QVERIFY(sameDouble(value(u"temp"_s), 48.0));
        QVERIFY(sameDouble(value(u"bytes"_s), 1235.0));
        QVERIFY(sameDouble(value(u"bps"_s), 100.0));
        QVERIFY(sameDouble(value(u"hz"_s), 2400.0));
        QVERIFY(sameDouble(value(u"secs"_s), 0.123));
        QVERIFY(sameDouble(value(u"count"_s), 3.0));
    }

    void specialValuesRoundTrip()
    {
        // NaN, the infinities and values too large to round are kept exactly;
        // a non-zero value below half the last decimal reads 0 (+0: no -0).
        Hub hub;
        auto catalog = std::make_shared<const MetricCatalog>(
            QList<MetricInfo>{withUnit(u"pct"_s, u"%"_s), withUnit(u"bytes"_s, u"B"_s)});
        const QList<double> pct{qQNaN(),
                                qInf(),
                                -qInf(),
                                1e300,
                                -1e300,
                                std::ldexp(1.0, 60),
                                40'000'000'000'000.123, // x 100 is past 4e15: kept raw
                                1'234'567'890'123.45,   // x 100 below it: rounded, exact
                                1e-9,
                                -0.001,
                                -0.0,
                                std::numeric_limits<double>::denorm_min(),
                                -12.34};
        const QList<double> bytes{4e15,    5e15 + 1, std::ldexp(1.0, 60) + 4096.0,
                                  -1e300,  0.4,      -0.4,
                                  1.5,     2.5,      -2.5,
                                  qQNaN(), 1e18,     123456789012.0,
                                  -7.0};
        for (qsizetype i = 0; i < pct.size(); ++i)
            hub.publish(make(catalog, 1000 * (i + 1), quint64(i + 1), {pct.at(i), bytes.at(i)}));
        const auto p = hub.history(u"pct"_s);
        const auto b = hub.history(u"bytes"_s);
        QCOMPARE(p.size(), pct.size());
        QCOMPARE(b.size(), bytes.size());
        const QList<double> expectPct{qQNaN(),
                                      qInf(),
                                      -qInf(),
                                      1e300,
                                      -1e300,
                                      std::ldexp(1.0, 60),
                                      40'000'000'000'000.123,
                                      1'234'567'890'123.45,
                                      0.0,
                                      0.0,
                                      0.0,
                                      0.0,
                                      -12.34};
        const QList<double> expectBytes{4e15,    5e15 + 1, std::ldexp(1.0, 60) + 4096.0,
                                        -1e300,  0.0,      0.0,
                                        2.0,     3.0,
                                        -3.0, // half away from zero, as llround
                                        qQNaN(), 1e18,     123456789012.0,
                                        -7.0};
        for (qsizetype i = 0; i < p.size(); ++i) {
            QVERIFY2(sameDouble(p.at(i).value, expectPct.at(i)), qPrintable(QString::number(i)));
            QVERIFY2(sameDouble(b.at(i).value, expectBytes.at(i)), qPrintable(QString::number(i)));
            QVERIFY2(sameDouble(p.at(i).value, rounded(pct.at(i), 2)),
                     qPrintable(QString::number(i)));
            QVERIFY2(sameDouble(b.at(i).value, rounded(bytes.at(i), 0)),
                     qPrintable(QString::number(i)));
        }
    }

    void absentRowsInsideAChunk()
    {
        // a misses rows 3..5 and 9 of one chunk; NaN is a value, absence is not.
        Hub hub;
        auto both =
            std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"a"_s), gauge(u"b"_s)});
        auto onlyB = std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"b"_s)});
        for (int i = 0; i < 12; ++i) {
            const bool missing = (i >= 3 && i <= 5) || i == 9;
            hub.publish(missing ? make(onlyB, i * 1000, quint64(i + 1), {double(i)})
                                : make(both, i * 1000, quint64(i + 1),
                                       {i == 7 ? qQNaN() : i + 0.25, double(i)}));
        }
        const auto a = hub.history(u"a"_s);
        QList<qint64> ts;
        for (const HistoryPoint &p : a)
            ts.append(p.ts);
        QCOMPARE(ts, (QList<qint64>{0, 1000, 2000, 6000, 7000, 8000, 10'000, 11'000}));
        QVERIFY(qIsNaN(a.at(4).value));
        QCOMPARE(a.at(3).value, 6.25);
        QCOMPARE(hub.history(u"a"_s, 3000, 5000).size(), 0);
        QCOMPARE(hub.history(u"a"_s, 3000, 6000).size(), 1);
        QCOMPARE(hub.historyPointCount(), 8 + 12);
    }

    void gapsOverWholeChunks()
    {
        // a is away for 200 rows (whole chunks skipped, still in the window),
        // then for 1000 (longer than the ring): old chunks never show through.
        Hub hub(600'000); // 601 rows
        auto both =
            std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"a"_s), gauge(u"b"_s)});
        auto onlyB = std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"b"_s)});
        qint64 row = 0;
        const auto publish = [&](bool withA, int rows) {
            for (int i = 0; i < rows; ++i, ++row)
                hub.publish(withA ? make(both, row * 1000, quint64(row + 1), {double(row), 1.0})
                                  : make(onlyB, row * 1000, quint64(row + 1), {1.0}));
        };
        publish(true, 300);
        publish(false, 200);
        publish(true, 30);
        auto a = hub.history(u"a"_s);
        QCOMPARE(a.size(), 300 + 30); // rows 0..299 and 500..529
        QCOMPARE(a.first().value, 0.0);
        QCOMPARE(a.at(299).value, 299.0);
        QCOMPARE(a.at(300).value, 500.0);
        publish(false, 100); // the window now starts at row 29
        a = hub.history(u"a"_s);
        QCOMPARE(a.size(), 300 - 29 + 30);
        QCOMPARE(a.first().value, 29.0);
        QCOMPARE(hub.history(u"a"_s, 300'000, 499'000).size(), 0);
        publish(false, 1000);
        QVERIFY(hub.history(u"a"_s).isEmpty());
        publish(true, 5);
        a = hub.history(u"a"_s);
        QCOMPARE(a.size(), 5);
        QCOMPARE(a.first().value, double(row - 5));
        QCOMPARE(hub.historyPointCount(), 601 + 5);
    }

    void runsOfOneValue()
    {
        // Runs of equal values (idle series) are coded as runs; every way a
        // run can end or cross a chunk must read back as written.
        Hub hub(600'000);
        auto catalog = std::make_shared<const MetricCatalog>(
            QList<MetricInfo>{gauge(u"a"_s), withUnit(u"flat"_s, u"B"_s)});
        auto onlyFlat =
            std::make_shared<const MetricCatalog>(QList<MetricInfo>{withUnit(u"flat"_s, u"B"_s)});
        QList<double> written; // a's values by row
        QList<bool> present;
        const auto at = [](int i) -> double {
            if (i % 150 == 149)
                return qQNaN(); // ends a run; the run after it continues the same q
            if (i % 211 == 0)
                return 1e300; // raw
            if (i % 300 < 100)
                return 5.25; // a run across chunk boundaries
            if (i % 300 < 170)
                return i % 2 ? 5.25 : 5.26; // no zero deltas
            return double((i / 3) % 7);     // runs of three
        };
        for (int i = 0; i < 601; ++i) {
            const bool absent = i % 97 == 50 || (i >= 400 && i < 410);
            hub.publish(absent ? make(onlyFlat, i * 1000, quint64(i + 1), {4096.0})
                               : make(catalog, i * 1000, quint64(i + 1), {at(i), 4096.0}));
            written.append(at(i));
            present.append(!absent);
        }
        const auto a = hub.history(u"a"_s);
        qsizetype k = 0;
        for (int i = 0; i < 601; ++i) {
            if (!present.at(i))
                continue;
            QVERIFY2(k < a.size(), qPrintable(QString::number(i)));
            QCOMPARE(a.at(k).ts, qint64(i) * 1000);
            QVERIFY2(sameDouble(a.at(k).value, written.at(i)), qPrintable(QString::number(i)));
            ++k;
        }
        QCOMPARE(a.size(), k);
        const auto flat = hub.history(u"flat"_s);
        QCOMPARE(flat.size(), 601);
        for (const HistoryPoint &p : flat)
            QCOMPARE(p.value, 4096.0);
        // Ranges that start inside a run.
        const auto mid = hub.history(u"a"_s, 30'000, 33'000);
        QCOMPARE(mid.size(), 4);
        QCOMPARE(mid.at(0).value, 5.25);
        QCOMPARE(hub.history(u"flat"_s, 130'500, 140'000).size(), 10);
        // A constant series takes a few bytes a chunk, not a byte a row.
        Hub idle(600'000);
        Hub busy(600'000);
        auto one = std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"x"_s)});
        for (int i = 0; i < 2 * 601; ++i) {
            idle.publish(make(one, i * 1000, quint64(i + 1), {42.0}));
            busy.publish(make(one, i * 1000, quint64(i + 1), {42.0 + (i % 2)}));
        }
        const qsizetype timestamps = 601 * 8;
        QVERIFY2(idle.historyBytes() - timestamps < (busy.historyBytes() - timestamps) / 2,
                 qPrintable(u"%1 %2"_s.arg(idle.historyBytes()).arg(busy.historyBytes())));
        QCOMPARE(idle.history(u"x"_s).size(), 601);
        QCOMPARE(idle.history(u"x"_s).last().value, 42.0);
    }

    void wrapsAcrossManyChunks()
    {
        // 10 windows of 601 rows through 64-row chunks: exactly the newest
        // window remains, in order, for every range.
        Hub hub(600'000);
        QCOMPARE(hub.capacityPerSeries(), 601);
        auto catalog = std::make_shared<const MetricCatalog>(
            QList<MetricInfo>{gauge(u"a"_s), withUnit(u"b"_s, u"B"_s)});
        const int rows = 10 * 601 + 37;
        for (int i = 0; i < rows; ++i) {
            const double a = i % 97 == 0 ? qQNaN() : (i % 1000) * 0.01 - 3.0;
            hub.publish(make(catalog, qint64(i) * 1000, quint64(i + 1), {a, i * 1024.0}));
        }
        const auto a = hub.history(u"a"_s);
        const auto b = hub.history(u"b"_s);
        QCOMPARE(a.size(), 601);
        QCOMPARE(b.size(), 601);
        for (int k = 0; k < 601; ++k) {
            const int i = rows - 601 + k;
            QCOMPARE(a.at(k).ts, qint64(i) * 1000);
            const double expect = i % 97 == 0 ? qQNaN() : rounded((i % 1000) * 0.01 - 3.0, 2);
            QVERIFY2(sameDouble(a.at(k).value, expect), qPrintable(QString::number(i)));
            QCOMPARE(b.at(k).value, i * 1024.0);
        }
        // A range that starts mid-chunk.
        const qint64 from = qint64(rows - 300) * 1000 + 1;
        const auto mid = hub.history(u"b"_s, from, from + 9999);
        QCOMPARE(mid.size(), 10);
        QCOMPARE(mid.first().value, (rows - 299) * 1024.0);
        QCOMPARE(hub.oldestTs(), qint64(rows - 601) * 1000);
        QCOMPARE(hub.historyPointCount(), 2 * 601);
    }

    void intervalChangeAcrossChunksKeepsNewest()
    {
        Hub hub(600'000); // 601 rows at 1 s
        auto catalog = std::make_shared<const MetricCatalog>(
            QList<MetricInfo>{gauge(u"a"_s), withUnit(u"big"_s, u"B"_s)});
        const auto valueA = [](int i) { return i % 50 == 0 ? qInf() : i * 0.37; };
        const auto valueBig = [](int i) { return i % 7 == 0 ? 1e300 * i : i * 4096.0; };
        int i = 0;
        for (; i < 1500; ++i)
            hub.publish(make(catalog, qint64(i) * 1000, quint64(i + 1), {valueA(i), valueBig(i)}));
        const auto check = [&](qsizetype expectCount) {
            const auto a = hub.history(u"a"_s);
            const auto big = hub.history(u"big"_s);
            QCOMPARE(a.size(), expectCount);
            QCOMPARE(big.size(), expectCount);
            for (qsizetype k = 0; k < a.size(); ++k) {
                const int row = i - int(expectCount) + int(k);
                QCOMPARE(a.at(k).ts, qint64(row) * 1000);
                QVERIFY(sameDouble(a.at(k).value, rounded(valueA(row), 2)));
                QVERIFY(sameDouble(big.at(k).value, valueBig(row)));
            }
        };
        hub.setSampleIntervalMs(5000); // shrink: 121 rows
        QCOMPARE(hub.capacityPerSeries(), 121);
        check(121);
        hub.setSampleIntervalMs(100); // grow: 6001 rows, keeps the 121
        QCOMPARE(hub.capacityPerSeries(), 6001);
        check(121);
        for (; i < 1500 + 8000; ++i) // 100 ms rows now
            hub.publish(make(catalog, 1'500'000 + qint64(i - 1500) * 100, quint64(i + 1),
                             {valueA(i), valueBig(i)}));
        const auto a = hub.history(u"a"_s);
        QCOMPARE(a.size(), 6001);
        QVERIFY(sameDouble(a.last().value, rounded(valueA(i - 1), 2)));
        QVERIFY(sameDouble(a.first().value, rounded(valueA(i - 6001), 2)));
        hub.setSampleIntervalMs(1000); // shrink: the newest 601 rows (60 s) only
        QCOMPARE(hub.history(u"a"_s).size(), 601);
        QVERIFY(sameDouble(hub.history(u"big"_s).last().value, valueBig(i - 1)));
    }

    void unitChangeRoundsAgain()
    {
        Hub hub;
        auto seconds =
            std::make_shared<const MetricCatalog>(QList<MetricInfo>{withUnit(u"x"_s, u"s"_s)});
        auto percent =
            std::make_shared<const MetricCatalog>(QList<MetricInfo>{withUnit(u"x"_s, u"%"_s)});
        hub.publish(make(seconds, 1000, 1, {1.2371}));
        QVERIFY(sameDouble(hub.history(u"x"_s).at(0).value, 1.237));
        hub.publish(make(percent, 2000, 2, {1.2371}));
        const auto x = hub.history(u"x"_s);
        QCOMPARE(x.size(), 2);
        QVERIFY(sameDouble(x.at(0).value, 1.24));
        QVERIFY(sameDouble(x.at(1).value, 1.24));
    }

    void matchesAReferenceModel()
    {
        // Random writes, gaps, unit mixes, interval changes and odd values
        // against a plain ring of rounded doubles that follows the hub's
        // documented window rules.
        for (quint32 seed : {1u, 2u, 3u, 4u, 5u}) {
            QRandomGenerator rng(seed);
            const qint64 historyMs = 60'000;
            Hub hub(historyMs);
            QList<MetricInfo> all{withUnit(u"p"_s, u"%"_s), withUnit(u"b"_s, u"B"_s),
                                  withUnit(u"s"_s, u"s"_s), withUnit(u"r"_s, u"B/s"_s),
                                  withUnit(u"t"_s, u"°C"_s)};
            const int m = int(all.size());
            std::vector<CatalogPtr> catalogs; // subsets by bit mask (all non-empty ones)
            for (int mask = 0; mask < (1 << m); ++mask) {
                QList<MetricInfo> infos;
                for (int k = 0; k < m; ++k)
                    if (mask & (1 << k))
                        infos.append(all.at(k));
                catalogs.push_back(std::make_shared<const MetricCatalog>(infos));
            }
            // The model: every row's ts and each metric's rounded value.
            std::vector<qint64> rowTs;
            auto values = std::vector<std::vector<std::optional<double>>>(static_cast<size_t>(m));
            qint64 firstRow = 0;
            int intervalMs = 1000;
            qint64 capacity = historyMs / intervalMs + 1;
            int mask = (1 << m) - 1;
            qint64 ts = 1'700'000'000'000;
            std::vector<double> previous(size_t(m), 0.0);
            const auto randomValue = [&](int k) -> double {
                if (rng.bounded(100) < 40) // runs of one value, as idle series have
                    return previous[size_t(k)];
                const int kind = int(rng.bounded(100));
                if (kind < 3)
                    return qQNaN();
                if (kind < 4)
                    return rng.bounded(2) ? qInf() : -qInf();
                if (kind < 6)
                    return (rng.bounded(2) ? 1 : -1) * std::ldexp(1.0, 50 + int(rng.bounded(14)));
                if (kind < 8)
                    return rng.generateDouble() * 1e-6;
                if (kind < 40) // values with the unit's decimals
                    return double(qint64(rng.bounded(2'000'000)) - 1'000'000) /
                           std::pow(10.0, historyDecimals(all.at(k).unit));
                return (rng.generateDouble() - 0.3) * std::pow(10.0, int(rng.bounded(12)));
            };
            for (int step = 0; step < 3000; ++step) {
                if (rng.bounded(100) < 3)
                    mask = int(rng.bounded(quint32(1 << m))); // metrics leave and come back
                if (rng.bounded(1000) < 4) {
                    const int ms = QList<int>{100, 250, 1000, 5000}.at(int(rng.bounded(4)));
                    hub.setSampleIntervalMs(ms);
                    if (ms != intervalMs) {
                        intervalMs = ms;
                        const qint64 cap =
                            std::clamp<qint64>(historyMs / ms + 1, 1, Hub::MaxPointsPerSeries);
                        if (cap != capacity) {
                            firstRow = std::max(firstRow, qint64(rowTs.size()) - cap);
                            capacity = cap;
                        }
                    }
                }
                ts += rng.bounded(100) < 2 ? qint64(rng.bounded(100'000)) : intervalMs;
                QList<double> snapshotValues;
                for (int k = 0; k < m; ++k) {
                    if (mask & (1 << k)) {
                        const double v = randomValue(k);
                        previous[size_t(k)] = v;
                        snapshotValues.append(v);
                        values[size_t(k)].push_back(rounded(v, historyDecimals(all.at(k).unit)));
                    } else {
                        values[size_t(k)].push_back(std::nullopt);
                    }
                }
                hub.publish(make(catalogs.at(size_t(mask)), ts, quint64(step + 1), snapshotValues));
                const qint64 row = qint64(rowTs.size());
                rowTs.push_back(ts);
                firstRow = std::max(firstRow, row - capacity + 1);
                while (firstRow < row && rowTs[size_t(firstRow)] < ts - historyMs)
                    ++firstRow;

                if (step % 7 != 0 && step < 2990)
                    continue;
                qsizetype count = 0;
                qint64 oldestRow = std::numeric_limits<qint64>::max();
                for (int k = 0; k < m; ++k) {
                    const QString id = all.at(k).id;
                    // A random range, and the whole window.
                    qint64 from = rowTs[size_t(firstRow)] - 500 +
                                  qint64(rng.bounded(quint32(ts - rowTs[size_t(firstRow)] + 1000)));
                    qint64 to = from + qint64(rng.bounded(30'000));
                    for (const auto &[f, t] :
                         {std::pair<qint64, qint64>{0, std::numeric_limits<qint64>::max()},
                          std::pair<qint64, qint64>{from, to}}) {
                        QList<HistoryPoint> expect;
                        for (qint64 r = firstRow; r <= row; ++r) {
                            const auto &v = values[size_t(k)][size_t(r)];
                            if (v && rowTs[size_t(r)] >= f && rowTs[size_t(r)] <= t)
                                expect.append({rowTs[size_t(r)], *v});
                        }
                        const auto got = hub.history(id, f, t);
                        QCOMPARE(got.size(), expect.size());
                        for (qsizetype i = 0; i < got.size(); ++i) {
                            QCOMPARE(got.at(i).ts, expect.at(i).ts);
                            if (!sameDouble(got.at(i).value, expect.at(i).value))
                                QFAIL(qPrintable(u"seed %1 step %2 %3: %4 != %5"_s.arg(seed)
                                                     .arg(step)
                                                     .arg(id)
                                                     .arg(got.at(i).value, 0, 'g', 17)
                                                     .arg(expect.at(i).value, 0, 'g', 17)));
                        }
                        if (f == 0) {
                            count += expect.size();
                            if (!expect.isEmpty())
                                oldestRow = std::min(
                                    oldestRow, qint64(std::lower_bound(rowTs.begin(), rowTs.end(),
                                                                       expect.first().ts) -
                                                      rowTs.begin()));
                        }
                    }
                }
                QCOMPARE(hub.historyPointCount(), count);
                QCOMPARE(hub.oldestTs(), oldestRow == std::numeric_limits<qint64>::max()
                                             ? 0
                                             : rowTs[size_t(oldestRow)]);
            }
        }
    }

    void historyBytesStayBounded()
    {
        // 20 windows of 61 series at 1 Hz: the chunk buffers are reused, so
        // the bytes held stop growing once every chunk slot has been used.
        Hub hub(600'000);
        QList<MetricInfo> infos;
        for (int m = 0; m < 61; ++m)
            infos.append(withUnit(u"m%1"_s.arg(m), m % 2 ? u"%"_s : u"B"_s));
        auto catalog = std::make_shared<const MetricCatalog>(infos);
        QRandomGenerator rng(7);
        QList<double> values(61);
        qsizetype afterTwoWindows = 0;
        qsizetype peak = 0;
        for (int i = 0; i < 20 * 601; ++i) {
            // Every chunk codes to the same size: % deltas of at most 0.6 (one
            // byte), byte deltas of 4 MiB +- 60 kB (four bytes).
            for (int m = 0; m < 61; ++m)
                values[m] =
                    m % 2 ? 50.0 + double(int(rng.bounded(61)) - 30) / 100.0
                          : 8e9 + (i % 2) * 4194304.0 + double(int(rng.bounded(61)) - 30) * 1024.0;
            hub.publish(make(catalog, qint64(i) * 1000, quint64(i + 1), values));
            if (i == 2 * 601)
                afterTwoWindows = hub.historyBytes();
            peak = std::max(peak, hub.historyBytes());
        }
        QVERIFY(afterTwoWindows > 0);
        QCOMPARE(peak, afterTwoWindows);
        QCOMPARE(hub.historyBytes(), afterTwoWindows);
        // And under the 8 bytes a point of raw doubles, even for this shape.
        QVERIFY2(hub.historyBytes() < 61 * 601 * 8,
                 qPrintable(QString::number(hub.historyBytes())));
    }
};

QTEST_GUILESS_MAIN(TestHub)
#include "tst_hub.moc"
