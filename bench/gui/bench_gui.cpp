// SPDX-License-Identifier: GPL-3.0-or-later
// Figures of the desktop app (issue 3), measured on the real `tidewatch`
// binary in a child process on the offscreen platform, which paints every
// frame into a raster backing store just as a visible window does:
//
//   bench_gui cold   [--runs N]                       cold start to first paint
//   bench_gui steady [--interval MS] [--seconds S] [--warmup S]   CPU % of one core and RSS
//   bench_gui memory [--interval MS] [--seconds S] [--warmup S]   RSS over time
//
// CPU and RSS come from /proc/<pid>/stat and /proc/<pid>/status. The load
// average at the start and end is printed too: the figures mean little on a
// busy machine without it.
//
// steady waits 320 s by default before measuring: a new window starts with
// empty charts (the Hub has no history yet), and a chart drawing a few dozen
// points costs a fraction of one drawing its full 5-minute window.
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

struct Usage
{
    double cpuSeconds = 0.0;
    double rssMiB = 0.0;
};

Usage usageOf(qint64 pid)
{
    Usage u;
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        // Fields after the command name (which may hold spaces) start at ") ".
        const QList<QByteArray> f = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (f.size() > 13)
            u.cpuSeconds = double(f.at(11).toLongLong() + f.at(12).toLongLong()) /
                           double(sysconf(_SC_CLK_TCK));
    }
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                u.rssMiB = line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
        }
    }
    return u;
}

QString option(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : fallback;
}

QProcessEnvironment environment(const QTemporaryDir &dir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!env.contains(u"QT_QPA_PLATFORM"_s))
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s)); // default settings: 5 min window
    return env;
}

QString loadAverage()
{
    QFile file(u"/proc/loadavg"_s);
    if (!file.open(QIODevice::ReadOnly))
        return u"?"_s;
    const QList<QByteArray> f = file.readAll().split(' ');
    return f.size() >= 3 ? QString::fromLatin1(f.at(0) + ' ' + f.at(1) + ' ' + f.at(2)) : u"?"_s;
}

// The binary to measure: --binary PATH, or the one this bench was built with.
QString binary(const QStringList &args)
{
    return option(args, u"--binary"_s, QStringLiteral(TIDEWATCH_PATH));
}

void print(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

int cold(const QStringList &args)
{
    const int runs = option(args, u"--runs"_s, u"10"_s).toInt();
    QList<double> ms;
    for (int i = 0; i < runs; ++i) {
        QTemporaryDir dir;
        const QString png = dir.filePath(u"first.png"_s);
        QProcess app;
        app.setProcessEnvironment(environment(dir));
        QElapsedTimer clock;
        clock.start();
        // --after 0: the PNG is written right after the window's first paint.
        app.start(binary(args), {u"--no-feed"_s, u"--screenshot"_s, png, u"--after"_s, u"0"_s});
        while (!QFileInfo::exists(png) && clock.elapsed() < 20000)
            QThread::usleep(500);
        ms.append(double(clock.nsecsElapsed()) / 1e6);
        app.waitForFinished(20000);
    }
    std::sort(ms.begin(), ms.end());
    print(u"cold start to first painted window (to the PNG written after it), %1 runs: "
          "median %2 ms, min %3 ms, max %4 ms"_s.arg(runs)
              .arg(ms.at(ms.size() / 2), 0, 'f', 0)
              .arg(ms.first(), 0, 'f', 0)
              .arg(ms.last(), 0, 'f', 0));
    return 0;
}

int run(const QStringList &args, bool memory)
{
    const int interval = option(args, u"--interval"_s, u"1000"_s).toInt();
    const int seconds = option(args, u"--seconds"_s, memory ? u"600"_s : u"60"_s).toInt();
    const int warmup = option(args, u"--warmup"_s, memory ? u"60"_s : u"320"_s).toInt();
    QTemporaryDir dir;
    QProcess app;
    app.setProcessEnvironment(environment(dir));
    app.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    app.start(binary(args), {u"--port"_s, u"0"_s, u"--interval"_s, QString::number(interval)});
    if (!app.waitForStarted()) {
        print(u"cannot start %1"_s.arg(binary(args)));
        return 1;
    }
    const qint64 pid = app.processId();
    QThread::sleep(warmup);
    const QString loadBefore = loadAverage();
    const Usage start = usageOf(pid);
    QElapsedTimer clock;
    clock.start();
    double peak = start.rssMiB;
    double last = start.rssMiB;
    for (int s = 0; s < seconds; ++s) {
        QThread::sleep(1);
        const Usage u = usageOf(pid);
        peak = std::max(peak, u.rssMiB);
        last = u.rssMiB;
        if (memory && (s + 1) % 60 == 0)
            print(u"  %1 s: RSS %2 MiB"_s.arg(warmup + s + 1).arg(u.rssMiB, 0, 'f', 1));
    }
    const Usage end = usageOf(pid);
    const double wall = double(clock.elapsed()) / 1000.0;
    const double cpu = 100.0 * (end.cpuSeconds - start.cpuSeconds) / wall;
    const QString loadAfter = loadAverage();
    app.terminate();
    app.waitForFinished(10000);
    if (memory) {
        print(u"tidewatch at %1 ms, 5-min window: RSS %2 MiB after %3 s warm-up, %4 MiB after "
              "%5 s more (growth %6 MiB, peak %7 MiB); CPU %8 % of one core"_s.arg(interval)
                  .arg(start.rssMiB, 0, 'f', 1)
                  .arg(warmup)
                  .arg(last, 0, 'f', 1)
                  .arg(seconds)
                  .arg(last - start.rssMiB, 0, 'f', 1)
                  .arg(peak, 0, 'f', 1)
                  .arg(cpu, 0, 'f', 2));
    } else {
        print(u"  measured after %1 s warm-up"_s.arg(warmup));
        print(u"tidewatch visible (offscreen), overview, 5-min window, every %1 ms: CPU %2 % of "
              "one core over %3 s, RSS %4 MiB (peak %5 MiB)"_s.arg(interval)
                  .arg(cpu, 0, 'f', 2)
                  .arg(wall, 0, 'f', 0)
                  .arg(last, 0, 'f', 1)
                  .arg(peak, 0, 'f', 1));
    }
    print(u"  load average at start: %1; at end: %2"_s.arg(loadBefore, loadAfter));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString mode = args.value(1);
    if (mode == "cold"_L1)
        return cold(args);
    if (mode == "steady"_L1)
        return run(args, false);
    if (mode == "memory"_L1)
        return run(args, true);
    print(u"usage: bench_gui cold [--runs N] | steady [--interval MS] [--seconds S] [--warmup S] | "
          "memory [--interval MS] [--seconds S] [--warmup S]"_s);
    return 1;
}
