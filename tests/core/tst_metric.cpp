// SPDX-License-Identifier: GPL-3.0-or-later
#include "Metric.h"
#include "Snapshot.h"

#include <QTest>

using namespace tidewatch;
using namespace Qt::StringLiterals;

class TestMetric final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void glob_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("matches");
        QTest::newRow("exact") << u"cpu.total"_s << u"cpu.total"_s << true;
        QTest::newRow("exact differs") << u"cpu.total"_s << u"cpu.totals"_s << false;
        QTest::newRow("prefix star") << u"cpu.*"_s << u"cpu.core.3"_s << true;
        QTest::newRow("star crosses dots") << u"net.*.rx"_s << u"net.eth0.100.rx"_s << true;
        QTest::newRow("star needs suffix") << u"net.*.rx"_s << u"net.eth0.tx"_s << false;
        QTest::newRow("lone star") << u"*"_s << u"anything.at.all"_s << true;
        QTest::newRow("empty pattern") << QString() << u"cpu.total"_s << false;
        QTest::newRow("empty both") << QString() << QString() << true;
        QTest::newRow("double star") << u"**.total"_s << u"cpu.total"_s << true;
        QTest::newRow("backtracking") << u"*a*b"_s << u"xaxxbxb"_s << true;
        QTest::newRow("no dot magic") << u"cpu.total"_s << u"cpuxtotal"_s << false;
        QTest::newRow("hostile") << u"*a*a*a*a*a*a*a*b"_s << QString(4000, u'a') << false;
    }
    void glob()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, id);
        QFETCH(bool, matches);
        QCOMPARE(metricIdMatches(pattern, id), matches);
    }

    void infoEquality()
    {
        MetricInfo a{u"x"_s, u"X"_s, u"%"_s, 0, 100, MetricKind::Gauge, {}};
        MetricInfo b = a;
        QVERIFY(a == b);
        b.max = qQNaN();
        QVERIFY(!(a == b));
        a.max = qQNaN();
        QVERIFY(a == b); // NaN bounds compare equal: "unbounded" is one state
        b.attributes.append({u"device"_s, u"sda"_s});
        QVERIFY(!(a == b));
        QCOMPARE(b.attribute(u"device"_s), u"sda"_s);
        QVERIFY(b.attribute(u"missing"_s).isNull());
    }

    void builderReusesCatalog()
    {
        SnapshotBuilder builder;
        const MetricInfo cpu{u"cpu.total"_s, u"CPU"_s, u"%"_s, 0, 100, MetricKind::Gauge, {}};
        builder.add(cpu, 1.0);
        const Snapshot first = builder.build(nullptr);
        QVERIFY(first.catalog);
        QCOMPARE(first.values, QList<double>{1.0});
        QCOMPARE(builder.size(), 0);

        builder.add(cpu, 2.0);
        const Snapshot second = builder.build(first.catalog);
        QCOMPARE(second.catalog.get(), first.catalog.get());
        QCOMPARE(second.value(u"cpu.total"_s), 2.0);

        const MetricInfo mem{u"mem.percent"_s, u"Memory"_s, u"%"_s, 0, 100, MetricKind::Gauge, {}};
        builder.add(cpu, 3.0);
        builder.add(mem, 4.0);
        const Snapshot third = builder.build(second.catalog);
        QVERIFY(third.catalog != second.catalog);
        QCOMPARE(third.catalog->indexOf(u"mem.percent"_s), 1);
        QCOMPARE(third.value(u"mem.percent"_s), 4.0);
        QVERIFY(qIsNaN(third.value(u"nope"_s)));
    }
};

QTEST_APPLESS_MAIN(TestMetric)
#include "tst_metric.moc"
