// SPDX-License-Identifier: GPL-3.0-or-later
// What one frame to one client costs the sending thread, by write path:
// the floor under the wss fan-out figure (issue #13).
//
//   bench_tls_write --cert C --key K [--clients 500] [--rounds 40] [--bytes 2832]
//
// For each path it opens --clients loopback connections (the receivers run
// in a second thread and read everything), then --rounds times writes one
// --bytes frame to every connection from this thread, timing the loop in
// thread CPU and wall clock (and the thread's CPU until the receivers are
// done, which adds what Qt defers to its event loop), and waits until the receivers have it all
// before the next round, so every round starts with empty buffers as a
// tick at 1 Hz does. The paths:
//   send       ::send() on the descriptor (the feed's ws path, sendDirect())
//   qt-tcp     QTcpSocket::write() + flush()
//   qt-tls     QSslSocket::write() + flush(), Qt's OpenSSL backend (wss)
// A QSslSocket's session is not reachable through Qt 6's public API (no
// native handle), so there is no "SSL_write() + send()" path to measure
// here; `openssl speed -evp aes-256-gcm` gives the cipher's share.
#include "BenchClock.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace {

enum class Path { Send, QtTcp, QtTls };

using tidewatch::bench::threadCpuNs;
const auto wallNs = tidewatch::bench::monotonicNs;

/// The receiving ends, in their own thread: connect, then read and count.
class Receivers final : public QObject
{
public:
    Receivers(quint16 port, int n, bool tls)
        : m_port(port)
        , m_n(n)
        , m_tls(tls)
    {}
    std::atomic<qint64> bytes{0};
    std::atomic<int> ready{0};

    void start()
    {
        for (int i = 0; i < m_n; ++i) {
            QTcpSocket *s = m_tls ? new QSslSocket(this) : new QTcpSocket(this);
            connect(s, &QTcpSocket::readyRead, this, [this, s] { bytes += s->readAll().size(); });
            if (auto *ssl = qobject_cast<QSslSocket *>(s)) {
                ssl->setPeerVerifyMode(QSslSocket::VerifyNone);
                connect(ssl, &QSslSocket::encrypted, this, [this] { ++ready; });
                ssl->connectToHostEncrypted(u"127.0.0.1"_s, m_port);
            } else {
                connect(s, &QTcpSocket::connected, this, [this] { ++ready; });
                s->connectToHost(u"127.0.0.1"_s, m_port);
            }
        }
    }

private:
    quint16 m_port;
    int m_n;
    bool m_tls;
};

struct Figures
{
    double cpuUsPerFrame = 0; ///< median over rounds
    double wallUsPerFrame = 0;
    double totalCpuUsPerFrame = 0; ///< with what Qt does after the loop (queued flushes, signals)
};

template<typename Pred> bool spinUntil(Pred done, int timeoutMs)
{
    const qint64 end = wallNs() + qint64(timeoutMs) * 1000000;
    while (!done()) {
        if (wallNs() > end)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

bool run(Path path, const QSslConfiguration &tlsConfig, int clients, int rounds, int bytes,
         Figures *out)
{
    const bool tls = path == Path::QtTls;
    std::unique_ptr<QTcpServer> server;
    if (tls) {
        auto s = std::make_unique<QSslServer>();
        s->setSslConfiguration(tlsConfig);
        server = std::move(s);
    } else {
        server = std::make_unique<QTcpServer>();
    }
    server->setMaxPendingConnections(clients + 1);
    if (!server->listen(QHostAddress::LocalHost, 0)) {
        std::fprintf(stderr, "listen: %s\n", qPrintable(server->errorString()));
        return false;
    }
    std::vector<QTcpSocket *> sockets;
    QObject::connect(server.get(), &QTcpServer::pendingConnectionAvailable, server.get(), [&] {
        while (QTcpSocket *s = server->nextPendingConnection())
            sockets.push_back(s);
    });

    QThread thread;
    Receivers receivers(server->serverPort(), clients, tls);
    receivers.moveToThread(&thread);
    thread.start();
    QMetaObject::invokeMethod(&receivers, [&receivers] { receivers.start(); });
    const bool connected = spinUntil(
        [&] { return int(sockets.size()) == clients && receivers.ready.load() == clients; },
        120000);

    const QByteArray frame(bytes, 'x');
    std::vector<double> cpu, wall, total;
    for (int r = 0; connected && r < rounds; ++r) {
        const qint64 c0 = threadCpuNs();
        const qint64 w0 = wallNs();
        for (QTcpSocket *s : sockets) {
            if (path == Path::Send) {
                if (::send(int(s->socketDescriptor()), frame.constData(), size_t(bytes),
                           MSG_DONTWAIT | MSG_NOSIGNAL) != bytes)
                    s->write(frame); // never seen: the buffers are empty
            } else {
                s->write(frame);
                s->flush();
            }
        }
        cpu.push_back(double(threadCpuNs() - c0) / 1000.0 / clients);
        wall.push_back(double(wallNs() - w0) / 1000.0 / clients);
        const qint64 expected = qint64(bytes) * clients * (r + 1);
        if (!spinUntil([&] { return receivers.bytes.load() >= expected; }, 60000)) {
            std::fprintf(stderr, "round %d: the receivers got %lld of %lld bytes\n", r,
                         static_cast<long long>(receivers.bytes.load()),
                         static_cast<long long>(expected));
            break;
        }
        // Let Qt finish what it queued (the flushes a QSslSocket posts).
        QCoreApplication::processEvents();
        total.push_back(double(threadCpuNs() - c0) / 1000.0 / clients);
    }
    QMetaObject::invokeMethod(&receivers, [&thread] { thread.quit(); });
    thread.wait();
    for (QTcpSocket *s : sockets)
        s->abort();
    qDeleteAll(sockets);
    if (!connected || int(cpu.size()) != rounds) {
        std::fprintf(stderr, "only %zu of %d connections, %zu of %d rounds\n", sockets.size(),
                     clients, cpu.size(), rounds);
        return false;
    }
    std::sort(cpu.begin(), cpu.end());
    std::sort(wall.begin(), wall.end());
    std::sort(total.begin(), total.end());
    out->totalCpuUsPerFrame = total[total.size() / 2];
    out->cpuUsPerFrame = cpu[cpu.size() / 2];
    out->wallUsPerFrame = wall[wall.size() / 2];
    return true;
}

QString option(const QStringList &args, const QString &name, const QString &fallback = {})
{
    const qsizetype at = args.indexOf(name);
    return at > 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString certPath = option(args, u"--cert"_s);
    const QString keyPath = option(args, u"--key"_s);
    const int clients = option(args, u"--clients"_s, u"500"_s).toInt();
    const int rounds = option(args, u"--rounds"_s, u"40"_s).toInt();
    const int bytes = option(args, u"--bytes"_s, u"2832"_s).toInt();
    QFile keyFile(keyPath);
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certPath);
    if (chain.isEmpty() || !keyFile.open(QIODevice::ReadOnly) || clients < 1 || rounds < 1 ||
        bytes < 1) {
        std::fprintf(stderr, "usage: bench_tls_write --cert C --key K [--clients N] "
                             "[--rounds N] [--bytes N]\n");
        return 2;
    }
    QSslConfiguration tlsConfig = QSslConfiguration::defaultConfiguration();
    tlsConfig.setLocalCertificateChain(chain);
    tlsConfig.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa));

    struct Named
    {
        Path path;
        const char *name;
    };
    const Named paths[] = {{Path::Send, "send"}, {Path::QtTcp, "qt-tcp"}, {Path::QtTls, "qt-tls"}};
    std::printf("%d connections, %d rounds, %d-byte frames; per frame, median over rounds\n",
                clients, rounds, bytes);
    for (const Named &p : paths) {
        Figures f;
        if (!run(p.path, tlsConfig, clients, rounds, bytes, &f))
            return 1;
        std::printf(
            "%-8s loop: cpu %5.1f us, wall %5.1f us; with Qt's deferred work: cpu %5.1f us\n",
            p.name, f.cpuUsPerFrame, f.wallUsPerFrame, f.totalCpuUsPerFrame);
        std::fflush(stdout);
    }
    return 0;
}
