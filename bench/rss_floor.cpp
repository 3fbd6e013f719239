// SPDX-License-Identifier: GPL-3.0-or-later
// bench_rss_floor: the resident memory of a program that does nothing but
// what tidewatchd's libraries make every process pay: it links QtCore,
// QtNetwork, QtWebSockets and QtSql as tidewatchd does, listens on a
// loopback port, runs a 1 s timer, and with --sqlite also opens a SQLite
// database in WAL mode through Qt's driver and writes one row. With
// --tls CERT KEY it also loads that pair through Qt's TLS backend (OpenSSL)
// and accepts one TLS handshake from itself, as a TLS-configured tidewatchd
// does. After --seconds (default 10) it prints its VmRSS, RssAnon and RssFile.
//
// It is the floor under bench/daemon-idle's RSS figure: the part of it that
// Debian's Qt and SQLite libraries cost before Tidewatch does anything.
#include <QCoreApplication>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebSocketServer>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

qint64 statusKb(const QByteArray &key)
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(QByteArray(key + ':')))
            return line.mid(key.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool sqlite = args.contains(u"--sqlite"_s);
    int seconds = 10;
    if (const qsizetype i = args.indexOf(u"--seconds"_s); i > 0 && i + 1 < args.size())
        seconds = qMax(1, args.at(i + 1).toInt());

    QTcpServer tcp;
    QWebSocketServer ws(u"floor"_s, QWebSocketServer::NonSecureMode);
    if (!tcp.listen(QHostAddress::LocalHost, 0)) {
        std::fprintf(stderr, "bench_rss_floor: cannot listen: %s\n", qPrintable(tcp.errorString()));
        return 1;
    }
    QTemporaryDir dir;
    if (sqlite) {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s);
        db.setDatabaseName(dir.filePath(u"floor.sqlite"_s));
        QSqlQuery q(db);
        if (!db.open() || !q.exec(u"PRAGMA journal_mode = WAL"_s) ||
            !q.exec(u"CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)"_s) ||
            !q.exec(u"INSERT INTO t (v) VALUES (x'00')"_s)) {
            std::fprintf(stderr, "bench_rss_floor: SQLite failed\n");
            return 1;
        }
    }
    // The TLS floor: the backend loaded, a pair parsed, one handshake done.
    const qsizetype tlsAt = args.indexOf(u"--tls"_s);
    const bool tls = tlsAt > 0 && tlsAt + 2 < args.size();
    // Created only with --tls: constructing either loads the TLS backend.
    std::unique_ptr<QSslServer> tlsServer;
    std::unique_ptr<QSslSocket> client;
    if (tls) {
        tlsServer = std::make_unique<QSslServer>();
        client = std::make_unique<QSslSocket>();
        QFile keyFile(args.at(tlsAt + 2));
        const QList<QSslCertificate> chain = QSslCertificate::fromPath(args.at(tlsAt + 1));
        if (chain.isEmpty() || !keyFile.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "bench_rss_floor: cannot read the TLS pair\n");
            return 1;
        }
        QSslConfiguration c = QSslConfiguration::defaultConfiguration();
        c.setLocalCertificateChain(chain);
        c.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        tlsServer->setSslConfiguration(c);
        if (!tlsServer->listen(QHostAddress::LocalHost, 0)) {
            std::fprintf(stderr, "bench_rss_floor: cannot listen for TLS\n");
            return 1;
        }
        QObject::connect(client.get(), &QSslSocket::sslErrors, client.get(),
                         [c = client.get()] { c->ignoreSslErrors(); });
        client->connectToHostEncrypted(u"127.0.0.1"_s, tlsServer->serverPort());
    }
    QTimer tick;
    tick.start(1000);
    QObject::connect(&tick, &QTimer::timeout, &app, [] {});
    QTimer::singleShot(seconds * 1000, &app, [&] {
        const double rss = statusKb("VmRSS") / 1024.0;
        const double anon = statusKb("RssAnon") / 1024.0;
        const double file = statusKb("RssFile") / 1024.0;
        std::printf("floor%s%s: RSS %.1f MB (anon %.1f, file %.1f) after %d s%s\n",
                    sqlite ? " with SQLite" : "", tls ? " with TLS" : "", rss, anon, file, seconds,
                    tls && !client->isEncrypted() ? " (TLS HANDSHAKE FAILED)" : "");
        std::printf("BENCH {\"bench\":\"rss_floor\",\"sqlite\":%s,\"tls\":%s,\"rss_mb\":%.1f}\n",
                    sqlite ? "true" : "false", tls ? "true" : "false", rss);
        app.quit();
    });
    return app.exec();
}
