// SPDX-License-Identifier: GPL-3.0-or-later
// Long windows from a HistorySource, zoom, CSV export and the store's state
// in the status bar.
#include "Appearance.h"
#include "ChartPanel.h"
#include "ChartView.h"
#include "Hub.h"
#include "MainWindow.h"
#include "OverviewPage.h"
#include "ScriptedHistorySource.h"
#include "SnapshotFactory.h"
#include "TimeTable.h"

#include <QAreaSeries>
#include <QChart>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace tidewatch;
using namespace tidewatch::testing;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 T0 = 1'700'000'000'000; // 2023-11-14T22:13:20Z
constexpr qint64 Minute = 60'000;
constexpr qint64 Hour = 60 * Minute;

qint64 axisMin(const ChartPanel *panel)
{
    return panel->timeAxis()->min().toMSecsSinceEpoch();
}

qint64 axisMax(const ChartPanel *panel)
{
    return panel->timeAxis()->max().toMSecsSinceEpoch();
}

// `seconds` of 1 Hz samples ending at T0, cpu.total = i % 100.
void fillHub(Hub &hub, int seconds)
{
    const CatalogPtr catalog = machineCatalog();
    for (int i = seconds; i >= 0; --i)
        hub.publish(snapshotAt(catalog, T0 - i * 1000, quint64(seconds - i + 1),
                               {{u"cpu.total"_s, double(i % 100)}, {u"mem.percent"_s, 40.0}}));
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The centre of the plot area of `panel`, and a point `fraction` across it, in viewport pixels.
QPoint plotPoint(ChartPanel *panel, qreal fraction)
{
    ChartView *view = panel->chartView();
    const QRectF plot = panel->chart()->plotArea();
    const QPointF scene = panel->chart()->mapToScene(
        QPointF(plot.left() + plot.width() * fraction, plot.center().y()));
    return view->mapFromScene(scene);
}

bool itemEnabled(QComboBox *combo, int seconds)
{
    auto *model = qobject_cast<QStandardItemModel *>(combo->model());
    return model->item(combo->findData(seconds))->isEnabled();
}

} // namespace

class TestHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QCOMPARE(Appearance::installTranslations(u"en"_s), u"en"_s);
        QVERIFY(m_dir.isValid());
    }

    void longChoicesNeedASource()
    {
        Hub hub;
        fillHub(hub, 10);
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        QComboBox *combo = window.timeWindowCombo();
        for (int s : {6 * 3600, 24 * 3600, 7 * 86400, 30 * 86400}) {
            QVERIFY2(combo->findData(s) >= 0, QByteArray::number(s));
            QVERIFY(!itemEnabled(combo, s));
            QVERIFY2(combo->itemData(combo->findData(s), Qt::ToolTipRole)
                         .toString()
                         .contains(u"History is off"_s),
                     qPrintable(combo->itemData(combo->findData(s), Qt::ToolTipRole).toString()));
        }
        QVERIFY(itemEnabled(combo, 3600));
        QVERIFY(!window.setTimeWindowSeconds(24 * 3600));
        QCOMPARE(window.timeWindowSeconds(), 300);
        QCOMPARE(combo->currentData().toInt(), 300);
        QCOMPARE(window.overview()->isStoredWindow(), false);

        ScriptedHistorySource source;
        window.setHistorySource(&source);
        QVERIFY(itemEnabled(combo, 24 * 3600));
        QVERIFY(window.setTimeWindowSeconds(24 * 3600));
        QCOMPARE(combo->currentData().toInt(), 24 * 3600);
        QCOMPARE(source.requestCount(), 1);

        // A failed store takes the long choices away again, and says why.
        StoreStatus failed;
        failed.state = StoreStatus::State::Failed;
        failed.message = u"/data/history.sqlite is not a Tidewatch database"_s;
        window.setStoreStatus(failed);
        QVERIFY(!itemEnabled(combo, 24 * 3600));
        QVERIFY(combo->itemData(combo->findData(6 * 3600), Qt::ToolTipRole)
                    .toString()
                    .contains(failed.message));
        QCOMPARE(window.timeWindowSeconds(), 3600);
        QVERIFY(!window.overview()->isStoredWindow());
        QVERIFY(!window.overview()->refreshTimer()->isActive());

        // Choosing a long window in the combo without a store changes nothing.
        window.setHistorySource(nullptr);
        combo->setCurrentIndex(combo->findData(7 * 86400));
        QCOMPARE(window.timeWindowSeconds(), 3600);
        QCOMPARE(combo->currentData().toInt(), 3600);
    }

    void rememberedLongWindowWaitsForTheSource()
    {
        Hub hub;
        fillHub(hub, 10);
        QSettings store(m_dir.filePath(u"remember.conf"_s), QSettings::IniFormat);
        AppSettings settings;
        settings.timeWindowSeconds = 7 * 86400;
        MainWindow window(&hub, nullptr, nullptr, &store, settings);
        QCOMPARE(window.timeWindowSeconds(), 300);
        QVERIFY(!store.contains(u"gui/time_window_s"_s)); // the choice is not forgotten
        ScriptedHistorySource source;
        window.setHistorySource(&source);
        QCOMPARE(window.timeWindowSeconds(), 7 * 86400);
        QCOMPARE(source.requestCount(), 1);
        QCOMPARE(source.lastRequest().toTs - source.lastRequest().fromTs, 7 * 24 * Hour);
    }

    void longWindowFillsChartsFromTheSource()
    {
        Hub hub;
        fillHub(hub, 10);
        ScriptedHistorySource source;
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setHistorySource(&source);
        OverviewPage *page = window.overview();
        ChartPanel *cpu = page->cpuPanel();

        QVERIFY(window.setTimeWindowSeconds(24 * 3600));
        QCOMPARE(source.requestCount(), 1);
        const HistoryRequest request = source.lastRequest();
        QCOMPARE(request.toTs, T0);
        QCOMPARE(request.fromTs, T0 - 24 * Hour);
        QVERIFY(request.patterns.contains(u"cpu.total"_s));
        QVERIFY(request.patterns.contains(u"net.rx"_s));
        QVERIFY(!request.patterns.contains(u"*"_s));
        // About the chart's width in pixels, not a fixed number.
        const int plotWidth = int(cpu->chart()->plotArea().width() * cpu->devicePixelRatioF());
        QVERIFY2(request.maxPoints >= std::max(200, plotWidth - 1) &&
                     request.maxPoints <= std::max(200, plotWidth * 3),
                 qPrintable(u"%1 for %2 px"_s.arg(request.maxPoints).arg(plotWidth)));

        // Asked, not answered: the range is on the axis and the charts say so.
        QCOMPARE(page->historyState(), OverviewPage::HistoryState::Loading);
        QCOMPARE(cpu->message(), u"Loading…"_s);
        QCOMPARE(axisMin(cpu), T0 - 24 * Hour);
        QCOMPARE(axisMax(cpu), T0);
        QCOMPARE(cpu->lineSeries(0)->count(), 0);

        // 24 h in 2-minute buckets; one bucket with nothing in it.
        const qint64 step = 2 * Minute;
        const qint64 gap = T0 - 12 * Hour - (T0 - 12 * Hour) % step;
        HistoryResult result = bucketedResult(request, step, [gap](const QString &id, qint64 ts) {
            if (ts == gap)
                return qQNaN();
            return id == u"cpu.total"_s ? double((ts / step) % 90) : 1.0;
        });
        source.answer(0, result);
        QCOMPARE(page->historyState(), OverviewPage::HistoryState::Ready);
        QCOMPARE(cpu->message(), QString());
        const int buckets = int(result.ts.size());
        QCOMPARE(cpu->lineSeries(0)->count(), buckets - 1); // the empty bucket is left out
        QCOMPARE(cpu->lineSeries(0)->at(0),
                 QPointF(double(result.ts.at(0)), double((result.ts.at(0) / step) % 90)));
        QVERIFY(cpu->envelope(0));
        QVERIFY(cpu->envelope(0)->isVisible());
        QCOMPARE(cpu->maxSeries(0)->count(), buckets - 1);
        QCOMPARE(cpu->maxSeries(0)->at(0).y(), cpu->lineSeries(0)->at(0).y() + 5.0);
        QCOMPARE(cpu->minSeries(0)->at(0).y(), cpu->lineSeries(0)->at(0).y() - 5.0);
        QVERIFY(cpu->describeAt(result.ts.at(3)).contains(u" – "_s)); // the hover shows min–max
        QCOMPARE(page->memoryPanel()->lineSeries(0)->at(5).y(), 1.0);

        // The one empty bucket is bridged; nothing is marked as a gap.
        QVERIFY(cpu->chartView()->gaps().isEmpty());

        // Live snapshots do not draw into a store window.
        hub.publish(snapshotAt(machineCatalog(), T0 + 1000, 99, {{u"cpu.total"_s, 42.0}}));
        QCOMPARE(cpu->lineSeries(0)->count(), buckets - 1);
        QCOMPARE(axisMax(cpu), T0);

        // It refreshes while shown: every bucket, within the bounds.
        QTimer *refresh = page->refreshTimer();
        QVERIFY(refresh->isActive());
        QCOMPARE(refresh->interval(),
                 int(step) > OverviewPage::MaxRefreshMs ? OverviewPage::MaxRefreshMs : int(step));
        page->refreshStored();
        QCOMPARE(source.requestCount(), 2);
        QCOMPARE(source.lastRequest().toTs, T0 + 1000);
        // A refresh keeps the picture until its answer comes: no "Loading…" flicker.
        QCOMPARE(cpu->message(), QString());
        QCOMPARE(cpu->lineSeries(0)->count(), buckets - 1);
        source.answer(1, bucketedResult(source.lastRequest(), step,
                                        [](const QString &, qint64) { return 7.0; }));
        QCOMPARE(axisMax(cpu), T0 + 1000);
        QCOMPARE(cpu->lineSeries(0)->at(0).y(), 7.0);

        // Paused: the window stays as it is.
        window.setPaused(true);
        QVERIFY(!refresh->isActive());
        window.setPaused(false);
        QCOMPARE(source.requestCount(), 3); // resuming brings it up to date

        // Back to a live window: Hub data, no band, no timer.
        QVERIFY(window.setTimeWindowSeconds(300));
        QVERIFY(!refresh->isActive());
        QVERIFY(!cpu->envelope(0)->isVisible());
        QCOMPARE(cpu->lineSeries(0)->count(), 12);
        QCOMPARE(cpu->lineSeries(0)->at(11).y(), 42.0);
        QCOMPARE(page->historyState(), OverviewPage::HistoryState::None);
        // The answer to the request made before the switch is stale now.
        source.answer(2, bucketedResult(source.request(2), step,
                                        [](const QString &, qint64) { return 3.0; }));
        QCOMPARE(cpu->lineSeries(0)->count(), 12);
        QCOMPARE(axisMax(cpu), T0 + 1000);
    }

    void hoursWithoutDataAreAGapNotALine()
    {
        Hub hub;
        fillHub(hub, 10);
        ScriptedHistorySource source;
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setHistorySource(&source);
        ChartPanel *cpu = window.overview()->cpuPanel();
        QVERIFY(window.setTimeWindowSeconds(24 * 3600));
        // Off from 6 h to 14 h ago: 10-minute buckets with no values.
        const qint64 offFrom = T0 - 14 * Hour;
        const qint64 offTo = T0 - 6 * Hour;
        source.answer(
            0, bucketedResult(source.lastRequest(), 10 * Minute, [=](const QString &, qint64 ts) {
                return ts >= offFrom && ts < offTo ? qQNaN() : 80.0;
            }));
        const QList<std::pair<qint64, qint64>> gaps = cpu->chartView()->gaps();
        QCOMPARE(gaps.size(), 1);
        QVERIFY(gaps.first().first < offFrom && gaps.first().first >= offFrom - 10 * Minute);
        QVERIFY(gaps.first().second >= offTo && gaps.first().second < offTo + 10 * Minute);
        // Drawn: no trace of the line, its band or its fill in the middle of
        // the gap (the blue of the CPU chart), and all three beside it.
        QCoreApplication::processEvents(); // the chart lays its items out in posted events
        const QImage image = cpu->chartView()->grab().toImage();
        if (qEnvironmentVariableIsSet("TIDEWATCH_SCREENSHOT_DIR"))
            image.save(qEnvironmentVariable("TIDEWATCH_SCREENSHOT_DIR") + u"/gap.png"_s);
        const QRectF plot = cpu->chart()->plotArea();
        const auto bluish = [&image, &plot](double fraction) {
            const int x = int(plot.left() + plot.width() * fraction);
            int n = 0;
            for (int y = int(plot.top()) + 1; y < int(plot.bottom()); ++y) {
                const QColor c = image.pixelColor(x, y);
                n += c.blue() - c.red() > 20 ? 1 : 0; // the light blue fill counts too
            }
            return n;
        };
        const double middle = double((offFrom + offTo) / 2 - (T0 - 24 * Hour)) / double(24 * Hour);
        QCOMPARE(bluish(middle), 0);
        QVERIFY2(bluish(0.9) > 10, QByteArray::number(bluish(0.9)));

        // Raw samples have no empty buckets: a long pause between two is the gap.
        window.overview()->zoomTo(T0 - 7 * Hour, T0 - 5 * Hour);
        HistoryResult raw;
        raw.ok = true;
        HistorySeries s;
        s.id = u"cpu.total"_s;
        for (qint64 ts = T0 - 7 * Hour; ts <= T0 - 5 * Hour; ts += 1000) {
            if (ts >= T0 - 6 * Hour - 30 * Minute && ts < T0 - 6 * Hour)
                continue; // half an hour without samples
            raw.ts.append(ts);
            s.avg.append(50.0);
            s.min.append(50.0);
            s.max.append(50.0);
        }
        raw.series.append(s);
        source.answer(1, raw);
        QCOMPARE(cpu->chartView()->gaps().size(), 1);
        QCOMPARE(cpu->chartView()->gaps().first().second, T0 - 6 * Hour);

        // Live again: no gaps.
        QVERIFY(window.setTimeWindowSeconds(300));
        QVERIFY(cpu->chartView()->gaps().isEmpty());
    }

    void staleAnswersAreIgnored()
    {
        Hub hub;
        fillHub(hub, 10);
        ScriptedHistorySource source;
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        window.setHistorySource(&source);
        ChartPanel *cpu = window.overview()->cpuPanel();
        QVERIFY(window.setTimeWindowSeconds(6 * 3600));
        QVERIFY(window.setTimeWindowSeconds(30 * 86400));
        QCOMPARE(source.requestCount(), 2);
        const auto constant = [](double v) { return [v](const QString &, qint64) { return v; }; };
        source.answer(1, bucketedResult(source.request(1), Hour, constant(20.0)));
        QCOMPARE(cpu->lineSeries(0)->at(0).y(), 20.0);
        QCOMPARE(axisMin(cpu), T0 - 30 * 24 * Hour);
        // The 6 h answer arrives late: the user has moved on.
        source.answer(0, bucketedResult(source.request(0), Minute, constant(99.0)));
        QCOMPARE(cpu->lineSeries(0)->at(0).y(), 20.0);
        QCOMPARE(axisMin(cpu), T0 - 30 * 24 * Hour);
        QCOMPARE(window.overview()->storedResult().stepMs, Hour);
    }

    void noCatalogueYetAsksOnceThereIsOne()
    {
        Hub hub; // the first sample has not arrived
        ScriptedHistorySource source;
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        window.setHistorySource(&source);
        QVERIFY(window.setTimeWindowSeconds(24 * 3600));
        // No series to ask for, and an empty pattern list would mean all of them.
        QCOMPARE(source.requestCount(), 0);
        QCOMPARE(window.overview()->historyState(), OverviewPage::HistoryState::Loading);
        hub.publish(snapshotAt(machineCatalog(), T0, 1, {}));
        QCOMPARE(source.requestCount(), 1);
        QVERIFY(source.lastRequest().patterns.contains(u"cpu.total"_s));
        QCOMPARE(source.lastRequest().toTs - source.lastRequest().fromTs, 24 * Hour);
    }

    void interfaceChoiceAsksTheStoreAgain()
    {
        Hub hub;
        fillHub(hub, 10);
        ScriptedHistorySource source;
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        window.setHistorySource(&source);
        OverviewPage *page = window.overview();
        QVERIFY(window.setTimeWindowSeconds(6 * 3600));
        QCOMPARE(source.requestCount(), 1);
        QVERIFY(source.lastRequest().patterns.contains(u"net.rx"_s));
        QComboBox *select = page->networkSelector();
        select->setCurrentIndex(select->findData(u"eth0"_s));
        QCOMPARE(source.requestCount(), 2);
        QVERIFY(source.lastRequest().patterns.contains(u"net.eth0.rx"_s));
        QVERIFY(!source.lastRequest().patterns.contains(u"net.rx"_s));
        QCOMPARE(source.lastRequest().fromTs, source.request(0).fromTs);
        // A catalogue that changes nothing on the page asks nothing.
        hub.publish(snapshotAt(machineCatalog(), T0 + 1000, 50, {}));
        QCOMPARE(source.requestCount(), 2);
        source.answer(1, bucketedResult(source.lastRequest(), Minute,
                                        [](const QString &, qint64) { return 2048.0; }));
        QCOMPARE(page->networkPanel()->lineSeries(0)->at(0).y(), 2048.0);
        source.answer(0, bucketedResult(source.request(0), Minute,
                                        [](const QString &, qint64) { return 1.0; }));
        QCOMPARE(page->networkPanel()->lineSeries(0)->at(0).y(), 2048.0); // stale
    }

    void emptyAndFailedAnswersAreShown()
    {
        Hub hub;
        fillHub(hub, 10);
        ScriptedHistorySource source;
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        window.setHistorySource(&source);
        OverviewPage *page = window.overview();
        QVERIFY(window.setTimeWindowSeconds(7 * 86400));
        HistoryResult empty;
        empty.ok = true;
        source.answer(0, empty);
        QCOMPARE(page->historyState(), OverviewPage::HistoryState::Empty);
        QCOMPARE(page->cpuPanel()->message(), u"No data in this range"_s);
        QCOMPARE(page->networkPanel()->message(), u"No data in this range"_s);
        QCOMPARE(page->cpuPanel()->lineSeries(0)->count(), 0);

        // Buckets that are all empty are no data either.
        page->refreshStored();
        source.answer(1, bucketedResult(source.lastRequest(), Hour,
                                        [](const QString &, qint64) { return qQNaN(); }));
        QCOMPARE(page->historyState(), OverviewPage::HistoryState::Empty);

        page->refreshStored();
        HistoryResult failed;
        failed.error = u"database disk image is malformed"_s;
        source.answer(2, failed);
        QCOMPARE(page->historyState(), OverviewPage::HistoryState::Failed);
        QVERIFY2(page->cpuPanel()->message().contains(failed.error),
                 qPrintable(page->cpuPanel()->message()));
    }

    void dragZoomsEveryChartAndEscapeResets()
    {
        Hub hub(Hour);
        fillHub(hub, 300);
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        OverviewPage *page = window.overview();
        ChartPanel *cpu = page->cpuPanel();
        QCOMPARE(axisMin(cpu), T0 - 300'000);
        QVERIFY(!window.resetZoomAction()->isEnabled());

        QWidget *viewport = cpu->chartView()->viewport();
        const QPoint from = plotPoint(cpu, 0.25);
        const QPoint to = plotPoint(cpu, 0.75);
        QSignalSpy zoomed(page, &OverviewPage::zoomChanged);
        QTest::mousePress(viewport, Qt::LeftButton, {}, from);
        QTest::mouseMove(viewport, to);
        QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
        QCOMPARE(zoomed.count(), 1);
        QVERIFY(page->isZoomed());
        QVERIFY(window.resetZoomAction()->isEnabled());
        const qint64 zFrom = axisMin(cpu);
        const qint64 zTo = axisMax(cpu);
        // A quarter to three quarters of the 5 minutes, give or take a pixel.
        QVERIFY2(std::abs(zFrom - (T0 - 225'000)) < 2000, qPrintable(QString::number(zFrom - T0)));
        QVERIFY2(std::abs(zTo - (T0 - 75'000)) < 2000, qPrintable(QString::number(zTo - T0)));
        // Every chart of the page follows, like a shared axis.
        for (ChartPanel *panel : page->panels()) {
            QCOMPARE(axisMin(panel), zFrom);
            QCOMPARE(axisMax(panel), zTo);
        }
        // The value axis fits the zoomed data; the live view is frozen.
        hub.publish(snapshotAt(machineCatalog(), T0 + 1000, 1000, {{u"cpu.total"_s, 50.0}}));
        QCOMPARE(axisMax(cpu), zTo);
        QCOMPARE(axisMax(page->networkPanel()), zTo);

        // A click that does not drag is not a zoom.
        QTest::mouseClick(viewport, Qt::LeftButton, {}, plotPoint(cpu, 0.5));
        QCOMPARE(axisMin(cpu), zFrom);

        QTest::keyClick(&window, Qt::Key_Escape);
        QVERIFY(!page->isZoomed());
        QVERIFY(!window.resetZoomAction()->isEnabled());
        QCOMPARE(axisMax(cpu), T0 + 1000);
        QCOMPARE(axisMin(cpu), T0 + 1000 - 300'000);
        QCOMPARE(cpu->lineSeries(0)->at(cpu->lineSeries(0)->count() - 1).y(), 50.0);

        // Zoom on another chart, reset with a double click.
        ChartPanel *mem = page->memoryPanel();
        QWidget *memViewport = mem->chartView()->viewport();
        QTest::mousePress(memViewport, Qt::LeftButton, {}, plotPoint(mem, 0.6));
        QTest::mouseMove(memViewport, plotPoint(mem, 0.1));
        QTest::mouseRelease(memViewport, Qt::LeftButton, {}, plotPoint(mem, 0.1));
        QVERIFY(page->isZoomed());
        QCOMPARE(axisMin(cpu), axisMin(mem));
        QVERIFY(axisMin(cpu) < axisMax(cpu));
        QTest::mouseDClick(memViewport, Qt::LeftButton, {}, plotPoint(mem, 0.5));
        QVERIFY(!page->isZoomed());
        QCOMPARE(axisMax(cpu), T0 + 1000);
    }

    void zoomIntoAStoreWindowAsksAgain()
    {
        Hub hub;
        fillHub(hub, 10);
        ScriptedHistorySource source;
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        window.setHistorySource(&source);
        OverviewPage *page = window.overview();
        ChartPanel *cpu = page->cpuPanel();
        QVERIFY(window.setTimeWindowSeconds(7 * 86400));
        source.answer(0, bucketedResult(source.lastRequest(), Hour,
                                        [](const QString &, qint64 ts) { return double(ts % 7); }));
        const int coarse = cpu->lineSeries(0)->count();

        const qint64 from = T0 - 30 * Hour;
        const qint64 to = T0 - 28 * Hour;
        page->zoomTo(from, to);
        QCOMPARE(source.requestCount(), 2);
        QCOMPARE(source.lastRequest().fromTs, from);
        QCOMPARE(source.lastRequest().toTs, to);
        QCOMPARE(source.lastRequest().patterns, source.request(0).patterns);
        QCOMPARE(axisMin(cpu), from);
        QCOMPARE(axisMax(cpu), to);
        QCOMPARE(cpu->message(), u"Loading…"_s);
        QCOMPARE(cpu->lineSeries(0)->count(), coarse); // the coarse picture meanwhile

        // Raw samples at full resolution: no band, and no refresh of a fixed range.
        HistoryResult raw;
        raw.ok = true;
        HistorySeries s;
        s.id = u"cpu.total"_s;
        for (qint64 ts = from; ts <= to; ts += 1000) {
            raw.ts.append(ts);
            s.avg.append(12.5);
            s.min.append(12.5);
            s.max.append(12.5);
        }
        raw.series.append(s);
        source.answer(1, raw);
        QCOMPARE(cpu->lineSeries(0)->count(), int(raw.ts.size()));
        QVERIFY(!cpu->envelope(0)->isVisible());
        QVERIFY(!page->refreshTimer()->isActive());
        QCOMPARE(cpu->message(), QString());

        window.resetZoomAction()->trigger();
        QVERIFY(!page->isZoomed());
        // The whole week at once, from the answer kept, while it is asked again.
        QCOMPARE(cpu->lineSeries(0)->count(), coarse);
        QCOMPARE(cpu->message(), QString());
        QCOMPARE(source.requestCount(), 3);
        QCOMPARE(source.lastRequest().toTs - source.lastRequest().fromTs, 7 * 24 * Hour);
        QCOMPARE(axisMin(cpu), T0 - 7 * 24 * Hour);
    }

    void csvFieldsAreEscaped()
    {
        QCOMPARE(csvField(u"cpu.total"_s), u"cpu.total"_s);
        QCOMPARE(csvField(u"fs./a,b.used"_s), u"\"fs./a,b.used\""_s);
        QCOMPARE(csvField(u"say \"hi\""_s), u"\"say \"\"hi\"\"\""_s);
        QCOMPARE(csvField(u"two\nlines"_s), u"\"two\nlines\""_s);

        TimeTable table;
        table.ts = {T0, T0 + 1500};
        table.columns = {{u"cpu.total"_s, {12.5, qQNaN()}, {}, {}},
                         {u"fs./a,b.used"_s, {1e12, 0.1}, {}, {}}};
        QCOMPARE(timeTableToCsv(table), QByteArray("time,cpu.total,\"fs./a,b.used\"\r\n"
                                                   "2023-11-14T22:13:20.000Z,12.5,1e+12\r\n"
                                                   "2023-11-14T22:13:21.500Z,,0.1\r\n"));

        table.downsampled = true;
        table.columns = {{u"x\"y"_s, {1.0, 2.0}, {0.5, 1.5}, {1.5, -0.25}}};
        QCOMPARE(timeTableToCsv(table),
                 QByteArray("time,\"x\"\"y\",\"x\"\"y.min\",\"x\"\"y.max\"\r\n"
                            "2023-11-14T22:13:20.000Z,1,0.5,1.5\r\n"
                            "2023-11-14T22:13:21.500Z,2,1.5,-0.25\r\n"));
        // Every double comes back exactly.
        table.downsampled = false;
        table.ts = {T0};
        const double third = 1.0 / 3.0;
        table.columns = {{u"v"_s, {third}, {}, {}}};
        const QByteArray csv = timeTableToCsv(table);
        const QByteArray cell = csv.split('\n').at(1).split(',').at(1).trimmed();
        QCOMPARE(cell.toDouble(), third);
    }

    void csvWriteFailureSaysWhyAndKeepsTheOldFile()
    {
        TimeTable table;
        table.ts = {T0};
        table.columns = {{u"cpu.total"_s, {1.0}, {}, {}}};
        QString error;
        const QString missing = m_dir.filePath(u"no/such/dir/out.csv"_s);
        QVERIFY(!writeTimeTableCsv(table, missing, &error));
        QVERIFY2(error.contains(missing), qPrintable(error));

        // A directory where the file should go: refused, and it is still a directory.
        const QString dirPath = m_dir.filePath(u"adir.csv"_s);
        QVERIFY(QDir().mkpath(dirPath));
        error.clear();
        QVERIFY(!writeTimeTableCsv(table, dirPath, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(QFileInfo(dirPath).isDir());

        const QString good = m_dir.filePath(u"good.csv"_s);
        QVERIFY2(writeTimeTableCsv(table, good, &error), qPrintable(error));
        QCOMPARE(readAll(good), QByteArray("time,cpu.total\r\n2023-11-14T22:13:20.000Z,1\r\n"));
    }

    void exportsTheVisibleLiveRange()
    {
        Hub hub(Hour);
        fillHub(hub, 120);
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        QVERIFY(window.setTimeWindowSeconds(60));
        const QString path = m_dir.filePath(u"live.csv"_s);
        QString error;
        QVERIFY2(window.exportCsv(path, &error), qPrintable(error));
        const QList<QByteArray> lines = readAll(path).split('\n');
        QVERIFY(lines.first().startsWith("time,cpu.total,cpu.iowait,mem.percent,swap.percent,"));
        QVERIFY(lines.first().contains(",net.rx,net.tx,disk.read,disk.write"));
        QVERIFY(!lines.first().contains(".min"));
        // 60 s at 1 Hz, both ends inclusive, and the trailing empty line.
        QCOMPARE(lines.size(), 1 + 61 + 1);
        QVERIFY2(lines.at(1).startsWith("2023-11-14T22:12:20.000Z,60,0,40,0,"), lines.at(1));
        QVERIFY2(lines.at(61).startsWith("2023-11-14T22:13:20.000Z,0,0,40,0,"), lines.at(61));

        // Zoomed: only the zoomed range.
        window.overview()->zoomTo(T0 - 10'000, T0 - 5'000);
        QVERIFY(window.exportCsv(path, &error));
        const QList<QByteArray> zoomed = readAll(path).split('\n');
        QCOMPARE(zoomed.size(), 1 + 6 + 1);
        QVERIFY2(zoomed.at(1).startsWith("2023-11-14T22:13:10.000Z,10,"), zoomed.at(1));

        const QString name = window.proposedCsvName();
        QVERIFY2(name.startsWith(u"tidewatch-"_s) && name.endsWith(u".csv"_s), qPrintable(name));
        QVERIFY2(name.contains(u"20231114T2213Z"_s), qPrintable(name));
        QCOMPARE(proposedCsvFileName(u"web/01:a b"_s, T0, T0 + Hour),
                 u"tidewatch-web_01_a_b-20231114T2213Z-20231114T2313Z.csv"_s);
    }

    void exportsTheStoreAnswerWithEnvelopes()
    {
        Hub hub;
        fillHub(hub, 10);
        ScriptedHistorySource source;
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        window.setHistorySource(&source);
        QVERIFY(window.setTimeWindowSeconds(6 * 3600));
        source.answer(
            0, bucketedResult(source.lastRequest(), 10 * Minute, [](const QString &id, qint64) {
                return id == u"cpu.total"_s ? 30.0 : 1.0;
            }));
        const QString path = m_dir.filePath(u"stored.csv"_s);
        QString error;
        QVERIFY2(window.exportCsv(path, &error), qPrintable(error));
        const QList<QByteArray> lines = readAll(path).split('\n');
        QVERIFY2(lines.first().startsWith("time,cpu.total,cpu.total.min,cpu.total.max,cpu.iowait,"),
                 lines.first());
        // The buckets inside the 6 h on the axis: T0 - 6 h is not on a 10-minute boundary.
        const HistoryResult &r = window.overview()->storedResult();
        const qsizetype inside = std::count_if(
            r.ts.cbegin(), r.ts.cend(), [](qint64 ts) { return ts >= T0 - 6 * Hour && ts <= T0; });
        QCOMPARE(inside, r.ts.size() - 1);
        QCOMPARE(lines.size(), 1 + inside + 1);
        QVERIFY2(lines.at(1).contains(",30,25,35,"), lines.at(1));
    }

    void statusBarShowsTheStoreState_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("tooltip");
        QTest::newRow("off") << int(StoreStatus::State::Off) << QString() << u"History off"_s
                             << u"No history is kept"_s;
        QTest::newRow("ok") << int(StoreStatus::State::Ok) << QString() << u"History: SQLite"_s
                            << u"/var/lib/tidewatch/history.sqlite"_s;
        QTest::newRow("degraded") << int(StoreStatus::State::Degraded)
                                  << u"PostgreSQL unreachable: connection refused"_s
                                  << u"History degraded"_s << u"connection refused"_s;
        QTest::newRow("failed") << int(StoreStatus::State::Failed) << u"disk full: /var"_s
                                << u"History failed"_s << u"disk full: /var"_s;
    }

    void statusBarShowsTheStoreState()
    {
        QFETCH(int, state);
        QFETCH(QString, message);
        QFETCH(QString, text);
        QFETCH(QString, tooltip);
        Hub hub;
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        QLabel *label = window.storeStatusLabel();
        QCOMPARE(label, window.findChild<QLabel *>(u"storeStatusLabel"_s));
        QCOMPARE(label->text(), u"History off"_s); // before the app says anything
        StoreStatus status;
        status.state = StoreStatus::State(state);
        status.backend = u"sqlite"_s;
        status.location = u"/var/lib/tidewatch/history.sqlite"_s;
        status.message = message;
        status.writtenPoints = 1234;
        window.setStoreStatus(status);
        QCOMPARE(label->text(), text);
        QVERIFY2(label->toolTip().contains(tooltip), qPrintable(label->toolTip()));
        QCOMPARE(label->property("state").toInt(), state);
    }

    // Last: it installs the German catalogue for the rest of the process.
    void germanCoversTheNewStrings()
    {
        QCOMPARE(Appearance::installTranslations(u"de"_s), u"de"_s);
        Hub hub;
        fillHub(hub, 10);
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        QComboBox *combo = window.timeWindowCombo();
        QCOMPARE(combo->itemText(combo->findData(6 * 3600)), u"6 Stunden"_s);
        QCOMPARE(combo->itemText(combo->findData(30 * 86400)), u"30 Tage"_s);
        QCOMPARE(window.storeStatusLabel()->text(), u"Verlauf aus"_s);
        QVERIFY(!window.exportCsvAction()->text().contains(u"Export"_s));
        ScriptedHistorySource source;
        window.setHistorySource(&source);
        QVERIFY(window.setTimeWindowSeconds(24 * 3600));
        QCOMPARE(window.overview()->cpuPanel()->message(), u"Wird geladen…"_s);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestHistory)
#include "tst_history.moc"
