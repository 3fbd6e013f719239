// SPDX-License-Identifier: GPL-3.0-or-later
// bench_metrics_scrape: round trip of GET /metrics (and /healthz) against a
// real tidewatchd over loopback, on one keep-alive connection.
//
// By default it starts the tidewatchd built beside it with --port 0, reads
// the URL it prints, scrapes it and stops it with SIGTERM. `--url` scrapes a
// daemon that is already running instead.
//
// Target (issue): median round trip of GET /metrics <= 1 ms.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QTcpSocket>
#include <QThread>
#include <QUrl>

#include <algorithm>
#include <cstdio>
#include <vector>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

constexpr int IoTimeoutMs = 5000;

struct Options
{
    QString daemon = QStringLiteral(TIDEWATCHD_PATH);
    QString url; ///< empty: start the daemon
    int requests = 2000;
    int warmup = 100;
    int intervalMs = 1000;
    bool quickAck = false; ///< ACK at once: takes the client's delayed ACK out of the figure
};

bool parseOptions(const QStringList &args, Options *o)
{
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &a = args.at(i);
        const bool hasValue = i + 1 < args.size();
        bool ok = true;
        if (a == u"--daemon" && hasValue)
            o->daemon = args.at(++i);
        else if (a == u"--url" && hasValue)
            o->url = args.at(++i);
        else if (a == u"--requests" && hasValue)
            o->requests = args.at(++i).toInt(&ok);
        else if (a == u"--warmup" && hasValue)
            o->warmup = args.at(++i).toInt(&ok);
        else if (a == u"--interval" && hasValue)
            o->intervalMs = args.at(++i).toInt(&ok);
        else if (a == u"--quickack")
            o->quickAck = true;
        else
            ok = false;
        if (!ok) {
            std::fprintf(stderr, "usage: bench_metrics_scrape [--daemon PATH | --url "
                                 "http://HOST:PORT/] [--requests N] [--warmup N] "
                                 "[--interval MS] [--quickack]\n");
            return false;
        }
    }
    o->requests = std::clamp(o->requests, 1, 1000000);
    o->warmup = std::clamp(o->warmup, 0, 100000);
    return true;
}

/// One keep-alive HTTP/1.1 connection that reads Content-Length bodies.
/// Reconnects when the server closes, and counts how often it had to.
class HttpClient final
{
public:
    HttpClient(QString host, quint16 port, bool quickAck)
        : m_host(std::move(host))
        , m_port(port)
        , m_quickAck(quickAck)
    {}

    int connections() const { return m_connections; }

    /// Sends GET `path`, waits for the whole response. Returns the status
    /// (0 on failure) and the body size.
    int get(const QByteArray &path, qsizetype *bodySize, QString *error)
    {
        if (m_socket.state() != QAbstractSocket::ConnectedState && !connectSocket(error))
            return 0;
        const QByteArray request = "GET " + path + " HTTP/1.1\r\nHost: " + m_host.toLatin1() +
                                   "\r\nConnection: keep-alive\r\n\r\n";
        m_socket.write(request);
        if (!m_socket.waitForBytesWritten(IoTimeoutMs)) {
            *error = u"write: "_s + m_socket.errorString();
            return 0;
        }
        armQuickAck();
        // Headers.
        qsizetype headerEnd = -1;
        while ((headerEnd = m_buffer.indexOf("\r\n\r\n")) < 0) {
            if (!readMore(error))
                return 0;
        }
        const QByteArray head = m_buffer.left(headerEnd);
        m_buffer.remove(0, headerEnd + 4);
        const QList<QByteArray> lines = head.split('\n');
        const QList<QByteArray> statusLine = lines.value(0).split(' ');
        const int status = statusLine.value(1).toInt();
        qsizetype length = -1;
        bool close = false;
        for (const QByteArray &line : lines) {
            const QByteArray l = line.trimmed().toLower();
            if (l.startsWith("content-length:"))
                length = l.mid(15).trimmed().toLongLong();
            else if (l.startsWith("connection:") && l.contains("close"))
                close = true;
        }
        if (length < 0) {
            // No length: the body runs to the end of the connection.
            while (m_socket.state() == QAbstractSocket::ConnectedState &&
                   m_socket.waitForReadyRead(IoTimeoutMs))
                m_buffer += m_socket.readAll();
            length = m_buffer.size();
            close = true;
        }
        while (m_buffer.size() < length) {
            if (!readMore(error))
                return 0;
        }
        *bodySize = length;
        m_buffer.remove(0, length);
        if (close) {
            m_socket.abort();
            m_buffer.clear();
        }
        return status;
    }

private:
    bool connectSocket(QString *error)
    {
        m_buffer.clear();
        m_socket.connectToHost(m_host, m_port);
        if (!m_socket.waitForConnected(IoTimeoutMs)) {
            *error = u"connect: "_s + m_socket.errorString();
            return false;
        }
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        ++m_connections;
        return true;
    }

    bool readMore(QString *error)
    {
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(IoTimeoutMs)) {
            *error = u"read: "_s + m_socket.errorString();
            return false;
        }
        m_buffer += m_socket.readAll();
        armQuickAck();
        return true;
    }

    // Linux clears TCP_QUICKACK on its own, so it is set again before every
    // segment we expect. With it, a server that sends a response in two
    // writes without TCP_NODELAY is no longer held by our delayed ACK, and
    // the figure shows the server's own time.
    void armQuickAck()
    {
        if (!m_quickAck)
            return;
        const int on = 1;
        ::setsockopt(int(m_socket.socketDescriptor()), IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
    }

    QString m_host;
    quint16 m_port;
    bool m_quickAck;
    QTcpSocket m_socket;
    QByteArray m_buffer;
    int m_connections = 0;
};

struct Summary
{
    double median = 0, p90 = 0, p99 = 0, max = 0, min = 0;
};

Summary summarize(std::vector<double> v)
{
    Summary s;
    if (v.empty())
        return s;
    std::sort(v.begin(), v.end());
    const auto rank = [&](double p) {
        auto i = std::size_t(p / 100.0 * double(v.size()) + 0.999999);
        return v[std::clamp<std::size_t>(i, 1, v.size()) - 1];
    };
    s.min = v.front();
    s.median = rank(50);
    s.p90 = rank(90);
    s.p99 = rank(99);
    s.max = v.back();
    return s;
}

/// utime + stime of `pid` in clock ticks, or -1.
qint64 processCpuTicks(qint64 pid)
{
    QFile f(u"/proc/%1/stat"_s.arg(pid));
    if (pid <= 0 || !f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    const QList<QByteArray> rest = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (rest.size() < 13)
        return -1;
    return rest.at(11).toLongLong() + rest.at(12).toLongLong();
}

struct Run
{
    Summary us;
    qsizetype bodyBytes = 0;
    int failures = 0;
    double serverCpuUsPerRequest = -1;
};

Run scrape(HttpClient &client, const QByteArray &path, int warmup, int requests, qint64 serverPid)
{
    Run run;
    QString error;
    qsizetype body = 0;
    for (int i = 0; i < warmup; ++i)
        client.get(path, &body, &error);
    std::vector<double> us;
    us.reserve(std::size_t(requests));
    const qint64 ticks0 = processCpuTicks(serverPid);
    QElapsedTimer timer;
    for (int i = 0; i < requests; ++i) {
        timer.start();
        const int status = client.get(path, &body, &error);
        const qint64 ns = timer.nsecsElapsed();
        if (status != 200) {
            ++run.failures;
            if (run.failures == 1)
                std::fprintf(stderr, "%s: status %d %s\n", path.constData(), status,
                             qPrintable(error));
            if (run.failures > 10)
                break;
            continue;
        }
        us.push_back(double(ns) / 1000.0);
        run.bodyBytes = body;
    }
    const qint64 ticks1 = processCpuTicks(serverPid);
    if (ticks0 >= 0 && ticks1 >= 0 && !us.empty())
        run.serverCpuUsPerRequest =
            double(ticks1 - ticks0) * 1e6 / double(sysconf(_SC_CLK_TCK)) / double(us.size());
    run.us = summarize(std::move(us));
    return run;
}

void printRun(const char *path, const Run &r, int requests)
{
    std::printf("  GET %-9s %d requests, body %lld B, %d failed\n", path, requests,
                static_cast<long long>(r.bodyBytes), r.failures);
    std::printf("    round trip  min %.1f  median %.1f  p90 %.1f  p99 %.1f  max %.1f us\n",
                r.us.min, r.us.median, r.us.p90, r.us.p99, r.us.max);
    if (r.serverCpuUsPerRequest >= 0)
        std::printf("    server CPU  %.1f us per request (from /proc, 10 ms ticks: rough)\n",
                    r.serverCpuUsPerRequest);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Options options;
    if (!parseOptions(QCoreApplication::arguments(), &options))
        return 1;

    QProcess daemon;
    QUrl url(options.url);
    if (options.url.isEmpty()) {
        daemon.setProgram(options.daemon);
        daemon.setArguments({u"--port"_s, u"0"_s, u"--bind"_s, u"127.0.0.1"_s, u"--interval"_s,
                             QString::number(options.intervalMs)});
        daemon.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        daemon.start();
        if (!daemon.waitForStarted(IoTimeoutMs)) {
            std::fprintf(stderr, "bench_metrics_scrape: cannot start %s: %s\n",
                         qPrintable(options.daemon), qPrintable(daemon.errorString()));
            return 1;
        }
        static const QRegularExpression served(u"serving (http://\\S+)"_s);
        QByteArray out;
        QElapsedTimer waited;
        waited.start();
        while (!url.isValid() || url.isEmpty()) {
            if (waited.elapsed() > 10000 || daemon.state() != QProcess::Running) {
                std::fprintf(stderr, "bench_metrics_scrape: tidewatchd printed no URL: %s\n",
                             out.constData());
                return 1;
            }
            daemon.waitForReadyRead(500);
            out += daemon.readAllStandardOutput();
            const auto m = served.match(QString::fromUtf8(out));
            if (m.hasMatch())
                url = QUrl(m.captured(1));
        }
        // Let the sampler publish a first snapshot so /metrics has content.
        QThread::msleep(ulong(std::max(1500, 2 * options.intervalMs)));
    }
    if (!url.isValid() || url.port() <= 0) {
        std::fprintf(stderr, "bench_metrics_scrape: bad URL %s\n", qPrintable(url.toString()));
        return 1;
    }
    const qint64 serverPid = daemon.state() == QProcess::Running ? daemon.processId() : 0;

    std::printf("bench_metrics_scrape: %s, one keep-alive connection, %d requests per path "
                "after %d warm-up%s\n",
                qPrintable(url.toString()), options.requests, options.warmup,
                options.quickAck ? ", client ACKs at once (TCP_QUICKACK)" : "");
    HttpClient client(url.host(), quint16(url.port()), options.quickAck);
    const Run metrics = scrape(client, "/metrics", options.warmup, options.requests, serverPid);
    const Run healthz = scrape(client, "/healthz", options.warmup, options.requests, serverPid);
    printRun("/metrics", metrics, options.requests);
    printRun("/healthz", healthz, options.requests);
    std::printf("  TCP connections opened: %d (1 means keep-alive held)\n", client.connections());

    const bool met = metrics.failures == 0 && metrics.us.median <= 1000.0;
    if (options.quickAck)
        std::printf("\ntarget: not judged with --quickack (a real scraper does delay its ACKs); "
                    "the server's own round trip is %.1f us\n",
                    metrics.us.median);
    else
        std::printf("\ntarget: median GET /metrics round trip <= 1000 us: %s (%.1f us)\n",
                    met ? "met" : "MISSED", metrics.us.median);
    std::printf("BENCH {\"bench\":\"metrics_scrape\",\"requests\":%d,\"connections\":%d,"
                "\"metrics\":{\"median_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,"
                "\"max_us\":%.1f,\"body_bytes\":%lld,\"failures\":%d,"
                "\"server_cpu_us_per_req\":%.1f},"
                "\"healthz\":{\"median_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,"
                "\"body_bytes\":%lld,\"failures\":%d},\"quickack\":%s,\"target_met\":%s}\n",
                options.requests, client.connections(), metrics.us.median, metrics.us.p90,
                metrics.us.p99, metrics.us.max, static_cast<long long>(metrics.bodyBytes),
                metrics.failures, metrics.serverCpuUsPerRequest, healthz.us.median, healthz.us.p99,
                healthz.us.max, static_cast<long long>(healthz.bodyBytes), healthz.failures,
                options.quickAck ? "true" : "false",
                options.quickAck ? "null"
                : met            ? "true"
                                 : "false");

    if (daemon.state() == QProcess::Running) {
        daemon.terminate(); // SIGTERM: the daemon closes its clients and exits 0
        if (!daemon.waitForFinished(IoTimeoutMs)) {
            daemon.kill();
            daemon.waitForFinished(IoTimeoutMs);
        }
    }
    // The figures decide met or missed; the exit code only says whether they could be taken.
    return metrics.failures == 0 && healthz.failures == 0 ? 0 : 1;
}
