// SPDX-License-Identifier: GPL-3.0-or-later
// TLS on the feed server's one port: HTTPS and WSS with real, verifying
// clients, plain HTTP and silence and garbage on the TLS port, bad
// credentials, and a certificate reload under live clients. The
// certificates are made by the openssl binary for each run.
#include "Authenticator.h"
#include "FeedServer.h"
#include "Hub.h"
#include "TestSnapshots.h"
#include "TlsCredentials.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

#include <memory>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

/// A client configuration that trusts exactly the certificate in `certFile`
/// and verifies the server against it (name included).
QSslConfiguration trusting(const QString &certFile)
{
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setCaCertificates(QSslCertificate::fromPath(certFile));
    c.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return c;
}

QByteArray sha256(const QSslCertificate &c)
{
    return c.digest(QCryptographicHash::Sha256);
}

QByteArray fileSha256(const QString &certFile)
{
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(certFile);
    return certs.isEmpty() ? QByteArray() : sha256(certs.first());
}

/// A WSS client that records every message and every TLS complaint.
class WssClient final
{
public:
    WssClient(quint16 port, const QString &caFile)
    {
        ws.setSslConfiguration(trusting(caFile));
        QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws, [this](const QString &m) {
            messages.append(QJsonDocument::fromJson(m.toUtf8()).object());
        });
        QObject::connect(&ws, &QWebSocket::sslErrors, &ws,
                         [this](const QList<QSslError> &errors) { sslErrors += errors; });
        ws.open(QUrl(QStringLiteral("wss://127.0.0.1:%1/ws").arg(port)));
    }
    qsizetype count(const char *type) const
    {
        qsizetype n = 0;
        for (const QJsonObject &o : messages)
            n += o.value(u"type").toString() == QLatin1StringView(type) ? 1 : 0;
        return n;
    }

    QWebSocket ws;
    QList<QJsonObject> messages;
    QList<QSslError> sslErrors;
};

/// Waits in the event loop (the server runs in this thread: no blocking
/// waitForEncrypted()) until `s` is encrypted or has given up.
bool waitEncrypted(QSslSocket &s)
{
    return QTest::qWaitFor(
               [&] { return s.isEncrypted() || s.state() == QAbstractSocket::UnconnectedState; },
               10000) &&
           s.isEncrypted();
}

/// One HTTPS request over a verifying QSslSocket; the answer up to the
/// server's close.
struct HttpsResult
{
    bool encrypted = false;
    QList<QSslError> sslErrors;
    QSslCertificate peer;
    QByteArray response;
};

HttpsResult httpsGet(quint16 port, const QString &caFile, const QByteArray &target)
{
    HttpsResult r;
    QSslSocket s;
    s.setSslConfiguration(trusting(caFile));
    QObject::connect(&s, &QSslSocket::sslErrors, &s,
                     [&r](const QList<QSslError> &errors) { r.sslErrors += errors; });
    QObject::connect(&s, &QSslSocket::readyRead, &s, [&] { r.response += s.readAll(); });
    s.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    if (!waitEncrypted(s))
        return r;
    r.encrypted = true;
    r.peer = s.peerCertificate();
    s.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    [[maybe_unused]] const bool closed =
        QTest::qWaitFor([&] { return s.state() == QAbstractSocket::UnconnectedState; }, 10000);
    r.response += s.readAll();
    return r;
}

/// Does the WebSocket upgrade by hand over TLS; true once the 101 is in.
bool rawTlsUpgrade(QSslSocket &s, quint16 port, const QString &caFile)
{
    s.setSslConfiguration(trusting(caFile));
    s.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    if (!waitEncrypted(s))
        return false;
    s.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n");
    if (!QTest::qWaitFor([&] { return s.peek(4096).contains("\r\n\r\n"); }, 5000))
        return false;
    return s.peek(64).startsWith("HTTP/1.1 101");
}

} // namespace

class TestFeedServerTls final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();

    void httpsHealthz_data();
    void httpsHealthz();
    void wssHelloMetricsAndCommands();
    void plainHttpAnsweredAtOnce_data();
    void plainHttpAnsweredAtOnce();
    void silentClientClosedAfterTimeout();
    void garbageAfterHandshakeByteClosed();
    void badCredentials_data();
    void badCredentials();
    void reloadUnderLiveClients();
    void slowTlsClientDropped();
    void withoutTlsNothingChanges();
    void authUnderTls();

private:
    /// Makes `name`.crt and `name`.key in the temporary directory.
    bool makePair(const QString &name, bool ec);
    QString path(const QString &name) const { return m_dir.filePath(name); }
    void startServer(const QString &cert, const QString &key, FeedServerOptions options = {});
    void publish(quint64 seq)
    {
        m_hub->publish(test::makeSnapshot(m_catalog, seq, 1714564800000 + qint64(seq) * 1000));
    }
    quint16 port() const { return m_server->serverPort(); }

    QTemporaryDir m_dir;
    std::unique_ptr<Hub> m_hub;
    std::unique_ptr<FeedServer> m_server;
    CatalogPtr m_catalog;
};

void TestFeedServerTls::initTestCase_data()
{
    // The sockets in the server's thread, and moved to writer threads
    // after the handshake: the second is where a TLS socket could break.
    QTest::addColumn<int>("writerThreads");
    QTest::newRow("no writer thread") << 0;
    QTest::newRow("2 writer threads") << 2;
}

bool TestFeedServerTls::makePair(const QString &name, bool ec)
{
    QStringList args{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey")};
    if (ec)
        args << QStringLiteral("ec") << QStringLiteral("-pkeyopt")
             << QStringLiteral("ec_paramgen_curve:prime256v1");
    else
        args << QStringLiteral("rsa:2048");
    args << QStringLiteral("-nodes") << QStringLiteral("-keyout") << path(name + u".key")
         << QStringLiteral("-out") << path(name + u".crt") << QStringLiteral("-days")
         << QStringLiteral("1") << QStringLiteral("-subj") << u"/CN=localhost"_s
         << QStringLiteral("-addext")
         << QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost");
    QProcess p;
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning("openssl: %s", p.readAllStandardError().constData());
        return false;
    }
    return true;
}

void TestFeedServerTls::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
        QSKIP("the openssl binary is not installed: it makes this test's certificates");
    QVERIFY2(QSslSocket::supportsSsl(), qPrintable(u"no TLS backend in Qt; available: "_s +
                                                   QSslSocket::availableBackends().join(u", ")));
    QVERIFY(m_dir.isValid());
    QVERIFY(makePair(QStringLiteral("a"), false));
    QVERIFY(makePair(QStringLiteral("b"), false));
    QVERIFY(makePair(QStringLiteral("ec"), true));
    QVERIFY(fileSha256(path(u"a.crt"_s)) != fileSha256(path(u"b.crt"_s)));
}

void TestFeedServerTls::init()
{
    m_hub = std::make_unique<Hub>();
    m_catalog = test::makeCatalog();
}

void TestFeedServerTls::cleanup()
{
    m_server.reset();
    m_hub.reset();
}

void TestFeedServerTls::startServer(const QString &cert, const QString &key,
                                    FeedServerOptions options)
{
    QFETCH_GLOBAL(int, writerThreads);
    options.writerThreads = writerThreads;
    m_server = std::make_unique<FeedServer>(m_hub.get(), options);
    QString error;
    QVERIFY2(m_server->setTls(cert, key, &error), qPrintable(error));
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY(m_server->tlsEnabled());
    QCOMPARE(m_server->url(), QStringLiteral("https://127.0.0.1:%1/").arg(port()));
}

// ------------------------------------------------------------------ HTTPS

void TestFeedServerTls::httpsHealthz_data()
{
    QTest::addColumn<QString>("pair");
    QTest::newRow("RSA 2048") << QStringLiteral("a");
    QTest::newRow("EC P-256") << QStringLiteral("ec");
}

void TestFeedServerTls::httpsHealthz()
{
    QFETCH(QString, pair);
    startServer(path(pair + u".crt"), path(pair + u".key"));
    publish(1);
    const HttpsResult r = httpsGet(port(), path(pair + u".crt"), "/healthz");
    QVERIFY(r.encrypted);
    QVERIFY2(r.sslErrors.isEmpty(), qPrintable(r.sslErrors.value(0).errorString()));
    QCOMPARE(sha256(r.peer), fileSha256(path(pair + u".crt")));
    QVERIFY2(r.response.startsWith("HTTP/1.1 200 OK\r\n"), r.response.constData());
    const QByteArray body = r.response.mid(r.response.indexOf("\r\n\r\n") + 4);
    QCOMPARE(QJsonDocument::fromJson(body).object().value(u"status").toString(),
             QStringLiteral("ok"));
    QCOMPARE(m_server->tlsStats().tlsAccepted, quint64(1));
}

// -------------------------------------------------------------------- WSS

void TestFeedServerTls::wssHelloMetricsAndCommands()
{
    startServer(path(u"a.crt"_s), path(u"a.key"_s));
    publish(1);
    WssClient c(port(), path(u"a.crt"_s));
    QTRY_COMPARE(c.count("hello"), 1);
    QVERIFY(c.sslErrors.isEmpty());
    QCOMPARE(c.messages.first().value(u"type").toString(), QStringLiteral("connection"));
    QCOMPARE(sha256(c.ws.sslConfiguration().peerCertificate()), fileSha256(path(u"a.crt"_s)));

    // Ticks go through the shard's own writes, commands through QWebSocket's.
    for (quint64 seq = 2; seq <= 6; ++seq)
        publish(seq);
    QTRY_COMPARE(c.count("metrics"), 5);
    QCOMPARE(c.messages.last().value(u"seq").toInt(), 6);
    c.ws.sendTextMessage(QStringLiteral("{\"type\":\"ping\"}"));
    QTRY_COMPARE(c.count("pong"), 1);
    c.ws.sendTextMessage(QStringLiteral("{\"type\":\"request_metrics\"}"));
    QTRY_COMPARE(c.count("metrics"), 6);
    publish(7);
    QTRY_COMPARE(c.count("metrics"), 7);
    QCOMPARE(m_server->clientCount(), 1);

    // A clean close from the client side, through TLS.
    c.ws.close();
    QTRY_COMPARE(m_server->clientCount(), 0);
}

// ------------------------------------------------- plain HTTP on TLS port

void TestFeedServerTls::plainHttpAnsweredAtOnce_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("statusLine");
    QTest::addColumn<QByteArray>("location"); // "%1" is the port
    QTest::addColumn<bool>("hasBody");

    QTest::newRow("GET with Host: redirect")
        << QByteArray("GET /healthz?x=1 HTTP/1.1\r\nHost: 127.0.0.1:%1\r\n\r\n")
        << QByteArray("HTTP/1.1 301 Moved Permanently")
        << QByteArray("https://127.0.0.1:%1/healthz?x=1") << true;
    QTest::newRow("HEAD: redirect, no body")
        << QByteArray("HEAD / HTTP/1.1\r\nHost: localhost:%1\r\n\r\n")
        << QByteArray("HTTP/1.1 301 Moved Permanently") << QByteArray("https://localhost:%1/")
        << false;
    QTest::newRow("ws:// upgrade: redirect")
        << QByteArray("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%1\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n")
        << QByteArray("HTTP/1.1 301 Moved Permanently") << QByteArray("https://127.0.0.1:%1/ws")
        << true;
    QTest::newRow("POST: 400") << QByteArray("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                               << QByteArray("HTTP/1.1 400 Bad Request") << QByteArray() << true;
    QTest::newRow("no Host: 400") << QByteArray("GET / HTTP/1.0\r\n\r\n")
                                  << QByteArray("HTTP/1.1 400 Bad Request") << QByteArray() << true;
    QTest::newRow("Host with userinfo: 400")
        << QByteArray("GET / HTTP/1.1\r\nHost: evil.example@127.0.0.1\r\n\r\n")
        << QByteArray("HTTP/1.1 400 Bad Request") << QByteArray() << true;
    QTest::newRow("scheme-relative target: 400")
        << QByteArray("GET //evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        << QByteArray("HTTP/1.1 400 Bad Request") << QByteArray() << true;
    QTest::newRow("not HTTP: 400")
        << QByteArray("hello\r\n\r\n") << QByteArray("HTTP/1.1 400 Bad Request") << QByteArray()
        << true;
}

void TestFeedServerTls::plainHttpAnsweredAtOnce()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, statusLine);
    QFETCH(QByteArray, location);
    QFETCH(bool, hasBody);
    FeedServerOptions options;
    options.requestHeadTimeoutMs = 30000; // an answer must not wait for it
    startServer(path(u"a.crt"_s), path(u"a.key"_s), options);
    const QByteArray portText = QByteArray::number(port());

    QTcpSocket s;
    QByteArray response;
    connect(&s, &QTcpSocket::readyRead, this, [&] { response += s.readAll(); });
    QElapsedTimer timer;
    timer.start();
    s.connectToHost(QHostAddress::LocalHost, port());
    QVERIFY(s.waitForConnected(5000));
    s.write(request.replace("%1", portText));
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), QAbstractSocket::UnconnectedState, 5000);
    QVERIFY2(timer.elapsed() < 5000, "the answer waited for a timeout");

    QVERIFY2(response.startsWith(QByteArray(statusLine + "\r\n")), response.constData());
    const qsizetype headEnd = response.indexOf("\r\n\r\n");
    QVERIFY(headEnd > 0);
    const QByteArray head = response.left(headEnd + 2);
    const QByteArray body = response.mid(headEnd + 4);
    QVERIFY(head.contains("\r\nConnection: close\r\n"));
    if (location.isEmpty()) {
        QVERIFY(!head.contains("\r\nLocation:"));
    } else {
        QVERIFY2(
            head.contains(QByteArray("\r\nLocation: " + location.replace("%1", portText) + "\r\n")),
            head.constData());
    }
    if (hasBody) {
        const QString error = QJsonDocument::fromJson(body).object().value(u"error").toString();
        QVERIFY2(error.startsWith(u"this port speaks HTTPS: use https://"), body.constData());
    } else {
        QVERIFY(body.isEmpty());
    }
    QCOMPARE(m_server->tlsStats().plainOnTls, quint64(1));
    // Nothing of this reached the HTTP side or a WebSocket.
    QCOMPARE(m_server->clientCount(), 0);
}

void TestFeedServerTls::silentClientClosedAfterTimeout()
{
    FeedServerOptions options;
    options.requestHeadTimeoutMs = 300;
    startServer(path(u"a.crt"_s), path(u"a.key"_s), options);
    QTcpSocket s;
    QElapsedTimer timer;
    timer.start();
    s.connectToHost(QHostAddress::LocalHost, port());
    QVERIFY(s.waitForConnected(5000));
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), QAbstractSocket::UnconnectedState, 5000);
    QVERIFY2(timer.elapsed() >= 250, "closed before the timeout");
    QCOMPARE(m_server->tlsStats().timedOut, quint64(1));

    // A client that starts a handshake and then stalls is bounded as well.
    QTcpSocket stalled;
    stalled.connectToHost(QHostAddress::LocalHost, port());
    QVERIFY(stalled.waitForConnected(5000));
    stalled.write("\x16\x03\x01", 3); // the start of a TLS record header, no more
    QTRY_COMPARE_WITH_TIMEOUT(stalled.state(), QAbstractSocket::UnconnectedState, 5000);
    QCOMPARE(m_server->tlsStats().timedOut, quint64(2));
    QCOMPARE(m_server->tlsStats().tlsAccepted, quint64(0));

    // And the port still serves.
    const HttpsResult r = httpsGet(port(), path(u"a.crt"_s), "/healthz");
    QVERIFY(r.response.startsWith("HTTP/1.1 "));
}

void TestFeedServerTls::garbageAfterHandshakeByteClosed()
{
    FeedServerOptions options;
    options.requestHeadTimeoutMs = 30000; // closed for the garbage, not for a timeout
    startServer(path(u"a.crt"_s), path(u"a.key"_s), options);
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port());
    QVERIFY(s.waitForConnected(5000));
    QByteArray garbage("\x16\x03\x01\x00\x20", 5);
    garbage.append(QByteArray(32, 'x')); // a record of 32 bytes that is no ClientHello
    garbage.append(QByteArray(2048, '\xff'));
    s.write(garbage);
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), QAbstractSocket::UnconnectedState, 5000);
    QTRY_COMPARE(m_server->tlsStats().tlsFailed, quint64(1));
    QCOMPARE(m_server->tlsStats().tlsAccepted, quint64(0));
    QCOMPARE(m_server->tlsStats().plainOnTls, quint64(0));
}

// ------------------------------------------------------------ credentials

void TestFeedServerTls::badCredentials_data()
{
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected"); // %1 is the temporary directory

    QTest::newRow("no cert file")
        << u"missing.crt"_s << u"a.key"_s
        << u"cannot read TLS certificate %1/missing.crt: No such file or directory"_s;
    QTest::newRow("cert file not PEM")
        << u"text.txt"_s << u"a.key"_s
        << u"cannot read TLS certificate %1/text.txt: no PEM certificate in it"_s;
    QTest::newRow("key in the cert's place")
        << u"a.key"_s << u"a.key"_s
        << u"cannot read TLS certificate %1/a.key: no PEM certificate in it"_s;
    QTest::newRow("no key file")
        << u"a.crt"_s << u"missing.key"_s
        << u"cannot read TLS key %1/missing.key: No such file or directory"_s;
    QTest::newRow("cert in the key's place")
        << u"a.crt"_s << u"a.crt"_s
        << u"cannot read TLS key %1/a.crt: no unencrypted PEM RSA or EC private key in it"_s;
    QTest::newRow("key with a passphrase")
        << u"a.crt"_s << u"encrypted.key"_s
        << u"cannot read TLS key %1/encrypted.key: no unencrypted PEM RSA or EC private key "
           "in it"_s;
    QTest::newRow("RSA key of another cert")
        << u"a.crt"_s << u"b.key"_s
        << u"TLS key %1/b.key does not match the certificate %1/a.crt"_s;
    QTest::newRow("EC key for an RSA cert")
        << u"a.crt"_s << u"ec.key"_s
        << u"TLS key %1/ec.key does not match the certificate %1/a.crt"_s;
    QTest::newRow("RSA key for an EC cert")
        << u"ec.crt"_s << u"a.key"_s
        << u"TLS key %1/a.key does not match the certificate %1/ec.crt"_s;
}

void TestFeedServerTls::badCredentials()
{
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(QString, expected);
    {
        QFile text(path(u"text.txt"_s));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("not a certificate\n");
    }
    if (!QFile::exists(path(u"encrypted.key"_s))) {
        QProcess p;
        p.start(QStringLiteral("openssl"),
                {QStringLiteral("pkey"), QStringLiteral("-in"), path(u"a.key"_s),
                 QStringLiteral("-aes256"), QStringLiteral("-passout"), QStringLiteral("pass:x"),
                 QStringLiteral("-out"), path(u"encrypted.key"_s)});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
    }

    FeedServer server(m_hub.get());
    QString error;
    QVERIFY(!server.setTls(path(cert), path(key), &error));
    QCOMPARE(error, expected.arg(m_dir.path()));
    QVERIFY(!server.tlsEnabled());
    QVERIFY(!server.reloadTls(&error));
    QCOMPARE(error, QStringLiteral("TLS is not configured"));
}

// ----------------------------------------------------------------- reload

void TestFeedServerTls::reloadUnderLiveClients()
{
    const QString liveCert = path(u"live.crt"_s);
    const QString liveKey = path(u"live.key"_s);
    QFile::remove(liveCert);
    QFile::remove(liveKey);
    QVERIFY(QFile::copy(path(u"a.crt"_s), liveCert));
    QVERIFY(QFile::copy(path(u"a.key"_s), liveKey));
    startServer(liveCert, liveKey);
    publish(1);

    WssClient old(port(), path(u"a.crt"_s));
    QTRY_COMPARE(old.count("hello"), 1);
    publish(2);
    QTRY_COMPARE(old.count("metrics"), 1);

    // Swap the files as a certificate renewal would, and reload.
    QVERIFY(QFile::remove(liveCert) && QFile::remove(liveKey));
    QVERIFY(QFile::copy(path(u"b.crt"_s), liveCert));
    QVERIFY(QFile::copy(path(u"b.key"_s), liveKey));
    QString error;
    QVERIFY2(m_server->reloadTls(&error), qPrintable(error));
    QVERIFY(m_server->tlsDescription().contains(u"CN=localhost"));

    // The connected client stays and keeps receiving.
    for (quint64 seq = 3; seq <= 5; ++seq)
        publish(seq);
    QTRY_COMPARE(old.count("metrics"), 4);
    QCOMPARE(old.ws.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(sha256(old.ws.sslConfiguration().peerCertificate()), fileSha256(path(u"a.crt"_s)));

    // A new client sees the new certificate, over HTTPS and over WSS.
    const HttpsResult r = httpsGet(port(), path(u"b.crt"_s), "/healthz");
    QVERIFY(r.encrypted);
    QVERIFY(r.sslErrors.isEmpty());
    QCOMPARE(sha256(r.peer), fileSha256(path(u"b.crt"_s)));
    WssClient fresh(port(), path(u"b.crt"_s));
    QTRY_COMPARE(fresh.count("hello"), 1);
    QCOMPARE(sha256(fresh.ws.sslConfiguration().peerCertificate()), fileSha256(path(u"b.crt"_s)));
    // One that trusts only the old certificate is refused by its own check.
    const HttpsResult stale = httpsGet(port(), path(u"a.crt"_s), "/healthz");
    QVERIFY(!stale.encrypted);
    QVERIFY(!stale.sslErrors.isEmpty());

    // A reload that fails (a half-written file) keeps the pair in use.
    {
        QFile broken(liveCert);
        QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
        broken.write("-----BEGIN CERTIFICATE-----\nMIIB\n");
    }
    QVERIFY(!m_server->reloadTls(&error));
    QCOMPARE(
        error,
        QStringLiteral("cannot read TLS certificate %1: no PEM certificate in it").arg(liveCert));
    QVERIFY(m_server->tlsEnabled());
    QCOMPARE(sha256(httpsGet(port(), path(u"b.crt"_s), "/healthz").peer),
             fileSha256(path(u"b.crt"_s)));

    publish(6);
    QTRY_COMPARE(old.count("metrics"), 5);
    QTRY_COMPARE(fresh.count("metrics"), 1); // it joined after seq 5
    QCOMPARE(m_server->clientCount(), 2);
}

// --------------------------------------------------------- slow over TLS

void TestFeedServerTls::slowTlsClientDropped()
{
    // What a TLS client leaves unread waits in Qt as ciphertext, out of
    // bytesToWrite()'s sight: the cap must see it all the same.
    FeedServerOptions options;
    options.sendBufferCapBytes = 256 * 1024;
    options.slowClientGraceMs = 300;
    options.closeTimeoutMs = 300;
    startServer(path(u"a.crt"_s), path(u"a.key"_s), options);
    m_catalog = test::makeCatalog(8000); // ~200 KB frames
    publish(1);

    WssClient good(port(), path(u"a.crt"_s));
    QTRY_COMPARE(good.count("hello"), 1);
    QSslSocket slow;
    slow.setReadBufferSize(4096);
    QVERIFY(rawTlsUpgrade(slow, port(), path(u"a.crt"_s)));
    QTRY_COMPARE(m_server->clientCount(), 2);

    quint64 seq = 1;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] { publish(++seq); });
    ticker.start();
    QTRY_VERIFY_WITH_TIMEOUT(m_server->clientCount() == 1, 30000);
    ticker.stop();
    const FeedServerStats stats = m_server->stats();
    QVERIFY(stats.framesDropped > 0);
    QCOMPARE(stats.clientsDropped, quint64(1));
    // The good client got every frame.
    QTRY_COMPARE_WITH_TIMEOUT(good.count("metrics"), qsizetype(seq - 1), 20000);
}

void TestFeedServerTls::withoutTlsNothingChanges()
{
    QFETCH_GLOBAL(int, writerThreads);
    FeedServerOptions options;
    options.writerThreads = writerThreads;
    options.requestHeadTimeoutMs = 500; // a ClientHello is a head that never ends
    m_server = std::make_unique<FeedServer>(m_hub.get(), options);
    QString error;
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY(!m_server->tlsEnabled());
    QCOMPARE(m_server->url(), QStringLiteral("http://127.0.0.1:%1/").arg(port()));
    // A TLS client gets no handshake from a plain port.
    const HttpsResult r = httpsGet(port(), path(u"a.crt"_s), "/healthz");
    QVERIFY(!r.encrypted);
    QCOMPARE(m_server->tlsStats().plainOnTls, quint64(0));
}

// Under TLS: HSTS on every answer, the session cookie is Secure, the
// https origin is the server's own, and a credential works over wss.
void TestFeedServerTls::authUnderTls()
{
    m_server = std::make_unique<FeedServer>(m_hub.get());
    AuthOptions auth;
    auth.tokens = {"tls-token-0123456789abcdef"};
    m_server->setAuthOptions(auth);
    QString error;
    QVERIFY2(m_server->setTls(path(u"a.crt"_s), path(u"a.key"_s), &error), qPrintable(error));
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    publish(1);

    HttpsResult r = httpsGet(port(), path(u"a.crt"_s), "/healthz");
    QVERIFY2(r.response.contains("\r\nStrict-Transport-Security: max-age=31536000\r\n"),
             r.response.constData());
    QVERIFY(httpsGet(port(), path(u"a.crt"_s), "/metrics").response.startsWith("HTTP/1.1 401"));

    const QString link = m_server->issueLoginLink();
    QVERIFY2(link.startsWith(u"https://127.0.0.1:%1/login?code="_s.arg(port())), qPrintable(link));
    r = httpsGet(port(), path(u"a.crt"_s),
                 QUrl(link)
                     .toString(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::FullyEncoded)
                     .toLatin1());
    QVERIFY2(r.response.startsWith("HTTP/1.1 200"), r.response.constData());
    const qsizetype at = r.response.indexOf("Set-Cookie: ");
    QVERIFY(at > 0);
    const QByteArray cookie = r.response.mid(at, r.response.indexOf("\r\n", at) - at);
    QVERIFY2(cookie.contains("; Secure") && cookie.contains("HttpOnly"), cookie.constData());

    QSslSocket s;
    s.setSslConfiguration(trusting(path(u"a.crt"_s)));
    s.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port());
    QVERIFY(waitEncrypted(s));
    s.write("GET /ws?token=tls-token-0123456789abcdef HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Origin: https://127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QVERIFY(QTest::qWaitFor([&] { return s.peek(4096).contains("\r\n\r\n"); }, 5000));
    QVERIFY2(s.peek(64).startsWith("HTTP/1.1 101"), s.peek(200).constData());
}

QTEST_GUILESS_MAIN(TestFeedServerTls)
#include "tst_feedservertls.moc"
