// SPDX-License-Identifier: GPL-3.0-or-later
// What a long window costs the desktop app (issue 5): the real MainWindow
// on the offscreen platform over a real HistoryStore on a temporary SQLite
// file holding a day of 1 Hz samples of a typical metric set.
//
//   bench_storewindow [--hours H] [--runs N]
//
// For the 24 h and 6 h windows and a 10-minute zoom it prints, median of N:
//   query  – from the request to the answer arriving on the GUI thread (the
//            store's reader thread does the work; the GUI thread is free);
//   apply  – the answer handed to every chart, on the GUI thread;
//   paint  – the posted events that follow, then one full repaint of the
//            window (QWidget::repaint);
// and, for comparison, the repaint of the live 5-minute window.
#include "ChartPanel.h"
#include "HistoryStore.h"
#include "Hub.h"
#include "MainWindow.h"
#include "OverviewPage.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineSeries>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

void print(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

QString option(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : fallback;
}

QString loadAverage()
{
    QFile f(u"/proc/loadavg"_s);
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).section(u' ', 0, 2)
                                       : QString();
}

MetricInfo metric(const QString &id, const QString &unit, MetricKind kind = MetricKind::Gauge)
{
    MetricInfo info;
    info.id = id;
    info.label = id;
    info.unit = unit;
    info.kind = kind;
    return info;
}

// The series the overview draws, plus the per-core ones a 4-core machine has.
CatalogPtr catalog()
{
    const QString pct = u"%"_s, rate = u"B/s"_s, none = u""_s;
    return std::make_shared<const MetricCatalog>(
        QList<MetricInfo>{metric(u"cpu.total"_s, pct),
                          metric(u"cpu.iowait"_s, pct),
                          metric(u"cpu.core.0"_s, pct),
                          metric(u"cpu.core.1"_s, pct),
                          metric(u"cpu.core.2"_s, pct),
                          metric(u"cpu.core.3"_s, pct),
                          metric(u"cpu.count"_s, none),
                          metric(u"mem.percent"_s, pct),
                          metric(u"swap.percent"_s, pct),
                          metric(u"load.1"_s, none),
                          metric(u"load.5"_s, none),
                          metric(u"load.15"_s, none),
                          metric(u"net.eth0.rx"_s, rate, MetricKind::Rate),
                          metric(u"net.eth0.tx"_s, rate, MetricKind::Rate),
                          metric(u"net.rx"_s, rate, MetricKind::Rate),
                          metric(u"net.tx"_s, rate, MetricKind::Rate),
                          metric(u"disk.sda.read"_s, rate, MetricKind::Rate),
                          metric(u"disk.sda.write"_s, rate, MetricKind::Rate),
                          metric(u"disk.read"_s, rate, MetricKind::Rate),
                          metric(u"disk.write"_s, rate, MetricKind::Rate),
                          metric(u"temp.coretemp.package"_s, u"°C"_s)});
}

// A random walk per metric, clamped to a plausible range.
SnapshotPtr snapshot(const CatalogPtr &c, qint64 ts, quint64 seq, QList<double> &walk)
{
    auto s = std::make_shared<Snapshot>();
    s->host = u"benchhost"_s;
    s->ts = ts;
    s->seq = seq;
    s->catalog = c;
    auto *rng = QRandomGenerator::global();
    for (qsizetype i = 0; i < walk.size(); ++i)
        walk[i] = std::clamp(walk[i] + (rng->generateDouble() - 0.5) * 4.0, 0.0, 100.0);
    s->values = walk;
    return s;
}

// Forwards to the store and times the two halves: query and apply.
class TimedSource final : public HistorySource
{
public:
    explicit TimedSource(HistoryStore *store)
        : m_store(store)
    {}
    void query(const HistoryRequest &request, QObject *context,
               std::function<void(const HistoryResult &)> done) override
    {
        m_clock.start();
        m_lastPoints = request.maxPoints;
        const int id = ++m_asked;
        m_store->query(request, context, [this, done, id](const HistoryResult &r) {
            if (id != m_asked) { // superseded: the window drops it unseen
                done(r);
                return;
            }
            queryMs = double(m_clock.nsecsElapsed()) / 1e6;
            QElapsedTimer apply;
            apply.start();
            done(r);
            applyMs = double(apply.nsecsElapsed()) / 1e6;
            points = r.ts.size();
            series = r.series.size();
            stepMs = r.stepMs;
            tier = int(r.tier);
            empty = 0;
            for (const HistorySeries &hs : r.series)
                empty += std::count_if(hs.avg.cbegin(), hs.avg.cend(),
                                       [](double v) { return qIsNaN(v); });
            answered = true;
        });
    }
    StoreStatus status() const override { return m_store->status(); }

    double queryMs = 0, applyMs = 0;
    qsizetype points = 0, series = 0, empty = 0;
    qint64 stepMs = 0;
    int tier = 0;
    bool answered = false;
    int m_lastPoints = 0;

private:
    HistoryStore *m_store;
    QElapsedTimer m_clock;
    int m_asked = 0;
};

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0.0 : v.at(v.size() / 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int hours = option(args, u"--hours"_s, u"24"_s).toInt();
    const int runs = option(args, u"--runs"_s, u"9"_s).toInt();

    QTemporaryDir dir;
    StoreOptions options;
    options.url = dir.filePath(u"history.sqlite"_s);
    options.host = u"benchhost"_s;
    HistoryStore store(options);
    QString error;
    if (!store.open(&error)) {
        print(error);
        return 1;
    }
    const CatalogPtr c = catalog();
    QList<double> walk(c->size(), 30.0);
    const qint64 now = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
    QElapsedTimer fill;
    fill.start();
    quint64 seq = 0;
    for (qint64 t = now - qint64(hours) * 3'600'000; t <= now; t += 1000) {
        store.append(snapshot(c, t, ++seq, walk));
        // Faster than real time: write as we go, or the store's bounded
        // buffer drops the oldest blocks (as it must when the disk is away).
        if (seq % 3600 == 0)
            store.flushSync();
    }
    store.flushSync();
    print(
        u"store: %1 h at 1 Hz, %2 metrics, filled in %3 s; state %4, %5 points dropped"_s.arg(hours)
            .arg(c->size())
            .arg(double(fill.elapsed()) / 1000.0, 0, 'f', 1)
            .arg(store.status().state == StoreStatus::State::Ok ? u"ok"_s : store.status().message)
            .arg(store.status().droppedPoints));

    // The live comparison: a full 5-minute window at 1 Hz.
    Hub hub(3'600'000);
    for (qint64 t = now - 300'000; t <= now; t += 1000)
        hub.publish(snapshot(c, t, ++seq, walk));
    MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
    window.resize(1280, 800);
    window.show();
    QApplication::processEvents();
    TimedSource source(&store);
    window.setHistorySource(&source);
    OverviewPage *page = window.overview();

    const auto paintMs = [&window] {
        // The chart items settle their geometry in posted events; then one
        // full repaint of the window: all the drawing the answer causes.
        QElapsedTimer t;
        t.start();
        QApplication::processEvents();
        window.repaint();
        return double(t.nsecsElapsed()) / 1e6;
    };
    QList<double> live;
    for (int i = 0; i < runs; ++i)
        live.append(paintMs());
    print(u"live 5-min window (301 points): repaint median %1 ms"_s.arg(median(live), 0, 'f', 2));

    const auto measure = [&](const QString &what, const std::function<void()> &ask) {
        QList<double> query, apply, paint;
        for (int i = 0; i < runs; ++i) {
            source.answered = false;
            ask();
            while (!source.answered)
                QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
            query.append(source.queryMs);
            apply.append(source.applyMs);
            paint.append(paintMs());
        }
        print(u"%1: %2 series x %3 points (asked for %4): query median %5 ms, apply %6 ms, "
              "repaint %7 ms (cpu chart: %8 points; tier %9, step %10 ms, %11 empty buckets)"_s
                  .arg(what)
                  .arg(source.series)
                  .arg(source.points)
                  .arg(source.m_lastPoints)
                  .arg(median(query), 0, 'f', 1)
                  .arg(median(apply), 0, 'f', 1)
                  .arg(median(paint), 0, 'f', 1)
                  .arg(page->cpuPanel()->lineSeries(0)->count())
                  .arg(source.tier)
                  .arg(source.stepMs)
                  .arg(source.empty));
    };
    if (hours >= 24)
        measure(u"24 h window"_s, [&] {
            window.setTimeWindowSeconds(300);
            window.setTimeWindowSeconds(24 * 3600);
        });
    measure(u"6 h window"_s, [&] {
        window.setTimeWindowSeconds(300);
        window.setTimeWindowSeconds(6 * 3600);
    });
    qint64 shift = 0;
    measure(u"10-minute zoom into it"_s, [&] {
        shift += 1000; // a new range each time, as a user's drags are
        page->zoomTo(now - 3'600'000 + shift, now - 3'000'000 + shift);
    });
    print(u"load average at the end: %1"_s.arg(loadAverage()));
    return 0;
}
