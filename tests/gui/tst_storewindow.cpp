// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app's long windows over a real HistoryStore on a temporary
// SQLite file: the same wiring the app makes, the same queries.
#include "ChartPanel.h"
#include "HistoryStore.h"
#include "Hub.h"
#include "MainWindow.h"
#include "OverviewPage.h"
#include "SnapshotFactory.h"

#include <QAreaSeries>
#include <QDateTimeAxis>
#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QTemporaryDir>
#include <QtTest>

using namespace tidewatch;
using namespace tidewatch::testing;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 T0 = 1'700'000'000'000; // 2023-11-14T22:13:20Z
constexpr qint64 Minute = 60'000;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Spacing = 10'000; // one sample every 10 s keeps the fill fast

// A triangle wave from 10 to 82 % and back each hour, with every other
// sample 10 points higher and the rest 10 lower: any bucket of two samples
// or more spans 20 points, which only a min/max envelope keeps. Raw samples
// are known exactly.
double wave(qint64 ts)
{
    const double phase = double(ts % Hour) / double(Hour);
    const double tri = phase < 0.5 ? 2.0 * phase : 2.0 * (1.0 - phase);
    return 10.0 + 72.0 * tri + ((ts / Spacing) % 2 ? 10.0 : -10.0);
}

// With TIDEWATCH_SCREENSHOT_DIR set, keeps a picture of the window for the
// docs and for a look by eye.
void keepScreenshot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("TIDEWATCH_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(window->grab().save(QDir(dir).filePath(name), "PNG"));
}

} // namespace

class TestStoreWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(m_dir.isValid());
        StoreOptions options;
        options.url = m_dir.filePath(u"history.sqlite"_s);
        options.host = u"testhost"_s;
        options.flushIntervalMs = 3'600'000; // the test flushes
        m_store = std::make_unique<HistoryStore>(options);
        QString error;
        QVERIFY2(m_store->open(&error), qPrintable(error));
        // 26 hours up to T0, so a 24-hour window is full.
        const CatalogPtr catalog = machineCatalog(); // load.* and cpu.count have no unit
        quint64 seq = 0;
        for (qint64 t = T0 - 26 * Hour; t <= T0; t += Spacing)
            m_store->append(snapshotAt(catalog, t, ++seq,
                                       {{u"cpu.total"_s, wave(t)}, {u"mem.percent"_s, 40.0}}));
        m_store->flushSync();
        QVERIFY2(m_store->status().state == StoreStatus::State::Ok,
                 qPrintable(m_store->status().message));
    }

    void cleanupTestCase() { m_store.reset(); }

    void dayWindowComesFromTheStore()
    {
        Hub hub;
        hub.publish(snapshotAt(machineCatalog(), T0, 1, {{u"cpu.total"_s, wave(T0)}}));
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setHistorySource(m_store.get());
        QCOMPARE(window.storeStatusLabel()->text(), u"History: SQLite"_s);
        QVERIFY2(window.storeStatusLabel()->toolTip().contains(m_dir.path()),
                 qPrintable(window.storeStatusLabel()->toolTip()));

        OverviewPage *page = window.overview();
        ChartPanel *cpu = page->cpuPanel();
        QVERIFY(window.setTimeWindowSeconds(24 * 3600));
        QTRY_COMPARE(page->historyState(), OverviewPage::HistoryState::Ready);
        const HistoryResult &result = page->storedResult();
        QVERIFY2(result.ok, qPrintable(result.error));
        QVERIFY(result.stepMs > 0);
        QCOMPARE(cpu->timeAxis()->min().toMSecsSinceEpoch(), T0 - 24 * Hour);
        keepScreenshot(&window, u"store-24h.png"_s);

        QLineSeries *avg = cpu->lineSeries(0);
        QVERIFY2(avg->count() >= 200, QByteArray::number(avg->count()));
        QVERIFY(cpu->envelope(0)->isVisible());
        QCOMPARE(cpu->minSeries(0)->count(), avg->count());
        double lowest = 100.0;
        double highest = 0.0;
        for (int i = 0; i < avg->count(); ++i) {
            const double lo = cpu->minSeries(0)->at(i).y();
            const double mid = avg->at(i).y();
            const double hi = cpu->maxSeries(0)->at(i).y();
            QVERIFY2(lo <= mid && mid <= hi, qPrintable(u"%1 %2 %3"_s.arg(lo).arg(mid).arg(hi)));
            QVERIFY2(hi - lo >= 19.9, qPrintable(u"%1 %2"_s.arg(lo).arg(hi)));
            lowest = std::min(lowest, lo);
            highest = std::max(highest, hi);
        }
        // The envelope keeps the wave's extremes however coarse the buckets.
        QVERIFY2(lowest <= 1.0 && highest >= 91.0, qPrintable(u"%1 %2"_s.arg(lowest).arg(highest)));
        QLineSeries *mem = page->memoryPanel()->lineSeries(0);
        QVERIFY(mem->count() > 0);
        for (int i = 0; i < mem->count(); ++i)
            QCOMPARE(mem->at(i).y(), 40.0);

        // Zoomed into 10 minutes: the raw samples themselves.
        const qint64 from = T0 - 2 * Hour;
        const qint64 to = from + 10 * Minute;
        page->zoomTo(from, to);
        QCOMPARE(page->historyState(), OverviewPage::HistoryState::Loading);
        QTRY_COMPARE(page->historyState(), OverviewPage::HistoryState::Ready);
        QCOMPARE(page->storedResult().stepMs, 0);
        QCOMPARE(avg->count(), int(10 * Minute / Spacing) + 1);
        for (int i = 0; i < avg->count(); ++i) {
            const QPointF p = avg->at(i);
            QCOMPARE(p.y(), wave(qint64(p.x())));
        }
        QVERIFY(!cpu->envelope(0)->isVisible());
        keepScreenshot(&window, u"store-zoom.png"_s);

        // The export writes what is shown: the raw samples of the zoom.
        const QString path = m_dir.filePath(u"zoom.csv"_s);
        QString error;
        QVERIFY2(window.exportCsv(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QVERIFY2(lines.first().startsWith("time,cpu.total,cpu.iowait,"), lines.first());
        QVERIFY(!lines.first().contains(".min"));
        QCOMPARE(lines.size(), 1 + avg->count() + 1);
        QVERIFY2(lines.at(1).startsWith("2023-11-14T20:13:20.000Z,"), lines.at(1));

        // Back to the whole day.
        window.resetZoomAction()->trigger();
        QTRY_COMPARE(page->historyState(), OverviewPage::HistoryState::Ready);
        QVERIFY(page->storedResult().stepMs > 0);
        QCOMPARE(cpu->timeAxis()->min().toMSecsSinceEpoch(), T0 - 24 * Hour);
    }

    void monthWindowBeyondTheDataSaysSo()
    {
        Hub hub;
        // "Now" is a week after the last stored sample: 7 d holds some, a
        // range before the data holds none.
        hub.publish(snapshotAt(machineCatalog(), T0 + 7 * 24 * Hour, 1, {}));
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        window.setHistorySource(m_store.get());
        OverviewPage *page = window.overview();
        QVERIFY(window.setTimeWindowSeconds(30 * 86400));
        QTRY_COMPARE(page->historyState(), OverviewPage::HistoryState::Ready);
        page->zoomTo(T0 - 20 * 24 * Hour, T0 - 10 * 24 * Hour);
        QTRY_COMPARE(page->historyState(), OverviewPage::HistoryState::Empty);
        QCOMPARE(page->cpuPanel()->message(), u"No data in this range"_s);
        QCOMPARE(page->cpuPanel()->lineSeries(0)->count(), 0);
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<HistoryStore> m_store;
};

QTEST_MAIN(TestStoreWindow)
#include "tst_storewindow.moc"
