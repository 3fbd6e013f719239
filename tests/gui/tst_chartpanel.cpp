// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChartPanel.h"
#include "CoreGrid.h"
#include "Hub.h"
#include "OverviewPage.h"
#include "SnapshotFactory.h"

#include <QCategoryAxis>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QtTest>

using namespace tidewatch;
using namespace tidewatch::testing;
using namespace Qt::StringLiterals;

namespace {
constexpr qint64 T0 = 1'700'000'000'000; // a fixed epoch, so tests do not depend on the clock
}

class TestChartPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void chartsReceivePoints()
    {
        Hub hub;
        OverviewPage page(&hub);
        page.resize(1200, 700);
        page.show();
        const CatalogPtr catalog = machineCatalog();
        for (int i = 0; i < 5; ++i)
            hub.publish(snapshotAt(catalog, T0 + i * 1000, quint64(i + 1),
                                   {{u"cpu.total"_s, 10.0 * i},
                                    {u"net.rx"_s, 1000.0 * i},
                                    {u"mem.percent"_s, 40.0},
                                    {u"cpu.core.0"_s, 33.0},
                                    {u"temp.coretemp.package"_s, 50.0 + i}}));

        QLineSeries *cpu = page.cpuPanel()->lineSeries(0);
        QVERIFY(cpu);
        QCOMPARE(cpu->count(), 5);
        QCOMPARE(cpu->at(4), QPointF(double(T0 + 4000), 40.0));
        QCOMPARE(page.networkPanel()->lineSeries(0)->count(), 5);
        QCOMPARE(page.networkPanel()->lineSeries(0)->at(4).y(), 4000.0);
        QCOMPARE(page.memoryPanel()->lineSeries(0)->count(), 5);
        QCOMPARE(page.temperaturePanel()->lineSeries(0)->count(), 5);
        QVERIFY(page.temperaturePanel()->isVisible());
        QCOMPARE(page.coreGrid()->percents().value(0), 33.0);
        QVERIFY2(page.cpuPanel()->legendText().contains(u"40"_s),
                 qPrintable(page.cpuPanel()->legendText()));

        // One more snapshot adds one more point, to the same series objects.
        hub.publish(snapshotAt(catalog, T0 + 5000, 6, {{u"cpu.total"_s, 77.0}}));
        QCOMPARE(page.cpuPanel()->lineSeries(0), cpu);
        QCOMPARE(cpu->count(), 6);
        QCOMPARE(cpu->at(5).y(), 77.0);
        QCOMPARE(page.cpuPanel()->timeAxis()->max().toMSecsSinceEpoch(), T0 + 5000);
    }

    void timeWindowChangesAxisRange()
    {
        Hub hub(60 * 60 * 1000);
        const CatalogPtr catalog = machineCatalog();
        // 10 minutes of history at 1 Hz, before the page exists.
        for (int i = 0; i <= 600; ++i)
            hub.publish(snapshotAt(catalog, T0 + i * 1000, quint64(i + 1),
                                   {{u"cpu.total"_s, double(i % 100)}}));
        OverviewPage page(&hub);
        ChartPanel *cpu = page.cpuPanel();
        const qint64 now = T0 + 600'000;

        // A new page is back-filled from the Hub: 5 minutes, not empty.
        QCOMPARE(cpu->timeAxis()->max().toMSecsSinceEpoch(), now);
        QCOMPARE(cpu->timeAxis()->min().toMSecsSinceEpoch(), now - 300'000);
        QVERIFY2(cpu->lineSeries(0)->count() >= 300,
                 QByteArray::number(cpu->lineSeries(0)->count()));

        page.setTimeWindow(60'000);
        QCOMPARE(cpu->timeAxis()->min().toMSecsSinceEpoch(), now - 60'000);
        QCOMPARE(cpu->timeAxis()->max().toMSecsSinceEpoch(), now);
        QVERIFY(cpu->lineSeries(0)->count() >= 60 && cpu->lineSeries(0)->count() <= 62);

        page.setTimeWindow(3'600'000);
        QCOMPARE(cpu->timeAxis()->min().toMSecsSinceEpoch(), now - 3'600'000);
        // Everything the Hub has (10 min), averaged into 6 s buckets.
        QVERIFY(cpu->lineSeries(0)->count() >= 100 && cpu->lineSeries(0)->count() <= 102);
        QCOMPARE(page.networkPanel()->timeAxis()->min().toMSecsSinceEpoch(), now - 3'600'000);
    }

    void fastSamplingIsBucketed()
    {
        Hub hub(60 * 60 * 1000);
        OverviewPage page(&hub);
        page.setTimeWindow(300'000);
        const CatalogPtr catalog = machineCatalog();
        for (int i = 0; i < 5000; ++i) // 500 s at 10 Hz
            hub.publish(
                snapshotAt(catalog, T0 + i * 100, quint64(i + 1), {{u"cpu.total"_s, 50.0}}));
        const int count = page.cpuPanel()->lineSeries(0)->count();
        QVERIFY2(count <= ChartPanel::MaxPoints + 2, QByteArray::number(count));
        QVERIFY2(count >= ChartPanel::MaxPoints - 2, QByteArray::number(count));
        QCOMPARE(page.cpuPanel()->lineSeries(0)->at(count - 1).y(), 50.0);
    }

    void pauseFreezesTheChart()
    {
        Hub hub;
        OverviewPage page(&hub);
        const CatalogPtr catalog = machineCatalog();
        hub.publish(snapshotAt(catalog, T0, 1, {{u"cpu.total"_s, 1.0}}));
        page.setPaused(true);
        hub.publish(snapshotAt(catalog, T0 + 1000, 2, {{u"cpu.total"_s, 2.0}}));
        hub.publish(snapshotAt(catalog, T0 + 2000, 3, {{u"cpu.total"_s, 3.0}}));
        QCOMPARE(page.cpuPanel()->lineSeries(0)->count(), 1);
        page.setPaused(false);
        QCOMPARE(page.cpuPanel()->lineSeries(0)->count(), 3);
    }

    void rateAxisScalesToUnits()
    {
        Hub hub;
        OverviewPage page(&hub);
        const CatalogPtr catalog = machineCatalog();
        hub.publish(snapshotAt(catalog, T0, 1, {{u"net.rx"_s, 5.0 * 1024 * 1024}}));
        ChartPanel *net = page.networkPanel();
        QVERIFY(net->valueAxisMax() >= 5.0 * 1024 * 1024);
        const QStringList labels = net->valueAxis()->categoriesLabels();
        QVERIFY2(labels.last().endsWith(u"MiB/s"_s), qPrintable(labels.join(u", "_s)));
        QCOMPARE(page.cpuPanel()->valueAxis()->categoriesLabels().last(), u"100 %"_s);
        QVERIFY(page.temperaturePanel()->valueAxis()->categoriesLabels().last().endsWith(u"°C"_s));
    }

    void interfaceSelectorSwitchesSeries()
    {
        Hub hub;
        OverviewPage page(&hub);
        const CatalogPtr catalog = machineCatalog();
        hub.publish(snapshotAt(catalog, T0, 1, {{u"net.eth0.rx"_s, 100.0}, {u"net.rx"_s, 300.0}}));
        QComboBox *select = page.networkSelector();
        QCOMPARE(select->count(), 2); // all interfaces, eth0
        QCOMPARE(page.networkPanel()->seriesSpecs().first().id, u"net.rx"_s);
        select->setCurrentIndex(select->findData(u"eth0"_s));
        QCOMPARE(page.networkPanel()->seriesSpecs().first().id, u"net.eth0.rx"_s);
        // Back-filled from the Hub at once.
        QCOMPARE(page.networkPanel()->lineSeries(0)->count(), 1);
        QCOMPARE(page.networkPanel()->lineSeries(0)->at(0).y(), 100.0);
    }

    void hoverDescribesValues()
    {
        Hub hub;
        OverviewPage page(&hub);
        const CatalogPtr catalog = machineCatalog();
        hub.publish(snapshotAt(catalog, T0, 1, {{u"cpu.total"_s, 12.0}}));
        hub.publish(snapshotAt(catalog, T0 + 1000, 2, {{u"cpu.total"_s, 64.0}}));
        const QString text = page.cpuPanel()->describeAt(T0 + 900);
        QVERIFY2(text.contains(u"64 %"_s), qPrintable(text));
        QVERIFY2(!text.contains(u"12 %"_s), qPrintable(text));
    }
};

QTEST_MAIN(TestChartPanel)
#include "tst_chartpanel.moc"
