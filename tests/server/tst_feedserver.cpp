// SPDX-License-Identifier: GPL-3.0-or-later
// The WebSocket side of FeedServer, driven by real QWebSocket clients and,
// where a client must misbehave, by raw QTcpSockets speaking the protocol
// by hand.
#include "FeedServer.h"
#include "Hub.h"
#include "TestSnapshots.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <memory>

using namespace tidewatch;

namespace {

/// A real WebSocket client that records every message it receives.
class WsClient final
{
public:
    explicit WsClient(const QUrl &url)
    {
        QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws, [this](const QString &m) {
            messages.append(QJsonDocument::fromJson(m.toUtf8()).object());
        });
        ws.open(url);
    }
    QList<QJsonObject> ofType(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &o : messages) {
            if (o.value(QLatin1StringView("type")).toString() == type)
                out.append(o);
        }
        return out;
    }
    qsizetype count(const char *type) const { return ofType(QString::fromLatin1(type)).size(); }
    QJsonObject last(const char *type) const
    {
        const QList<QJsonObject> list = ofType(QString::fromLatin1(type));
        return list.isEmpty() ? QJsonObject() : list.last();
    }
    bool connected() const { return ws.state() == QAbstractSocket::ConnectedState; }

    QWebSocket ws;
    QList<QJsonObject> messages;
};

const QByteArray
    UpgradeRequest("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n");

/// Does the upgrade by hand on a raw socket; true once the 101 head is in.
bool rawUpgrade(QTcpSocket &s, quint16 port)
{
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&] { return s.state() == QAbstractSocket::ConnectedState; }, 5000))
        return false;
    s.write(UpgradeRequest);
    if (!QTest::qWaitFor([&] { return s.peek(4096).contains("\r\n\r\n"); }, 5000))
        return false;
    return s.peek(64).startsWith("HTTP/1.1 101");
}

/// A masked client frame header for a payload of `size` bytes.
QByteArray clientFrameHeader(quint64 size, quint8 opcode = 0x1)
{
    QByteArray h;
    h.append(char(0x80 | opcode));
    h.append(char(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8)
        h.append(char((size >> shift) & 0xff));
    h.append("\x00\x00\x00\x00", 4); // zero mask: payload goes as is
    return h;
}

} // namespace

class TestFeedServer final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase_data();
    void init();
    void cleanup();

    void connectionHelloAndMetrics();
    void helloResentOnCatalogChange();
    void clientCountFollowsClients();
    void pingAndRequestMetrics();
    void errors_data();
    void errors();
    void binaryRefused();
    void oversizedMessageRefused();
    void hugeRawFrameDoesNotStallOthers();
    void partialFrameDoesNotStallOthers();
    void slowClientDropped();
    void maxClientsRefused();
    void subscribeFiltersAndThrottles();
    void historyMeetsLiveStream();
    void historySelectsAndDownsamples();
    void historyBeforeFirstSnapshot();
    void rateLimited();
    void floodClosed();
    void shutdownClosesClients();
    void writerThreadsOption();
    void shardsDeliverEveryFrameInOrder();
    void slowClientOnOneShardDoesNotStallOthers();
    void shutdownClosesClientsOnAllShards();
    void destroyClosesClientsOnAllShards();
    void manyClientsCloseAtOnce();

private:
    void startServer(FeedServerOptions options = {});
    QUrl wsUrl() const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server->serverPort()));
    }
    void publish(quint64 seq, qint64 ts = 0)
    {
        m_hub->publish(
            test::makeSnapshot(m_catalog, seq, ts ? ts : 1714564800000 + qint64(seq) * 1000));
    }

    std::unique_ptr<Hub> m_hub;
    std::unique_ptr<FeedServer> m_server;
    CatalogPtr m_catalog;
};

void TestFeedServer::initTestCase_data()
{
    // Every test runs with the sockets in the server's thread (the
    // default), with one writer thread per core, and with three.
    QTest::addColumn<int>("writerThreads");
    QTest::newRow("no writer thread") << 0;
    QTest::newRow("one per core") << -1;
    QTest::newRow("3 writer threads") << 3;
}

void TestFeedServer::init()
{
    m_hub = std::make_unique<Hub>();
    m_catalog = test::makeCatalog();
}

void TestFeedServer::cleanup()
{
    m_server.reset();
    m_hub.reset();
}

void TestFeedServer::startServer(FeedServerOptions options)
{
    QFETCH_GLOBAL(int, writerThreads);
    options.writerThreads = writerThreads;
    m_server = std::make_unique<FeedServer>(m_hub.get(), options);
    QString error;
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY(m_server->serverPort() != 0);
}

void TestFeedServer::connectionHelloAndMetrics()
{
    startServer();
    publish(1);
    WsClient c(wsUrl());
    QTRY_COMPARE(c.count("hello"), 1);
    const QJsonObject connection = c.messages.at(0);
    QCOMPARE(connection.value(u"type").toString(), QStringLiteral("connection"));
    QCOMPARE(connection.value(u"message").toString(),
             QStringLiteral("Connected to Tidewatch on testhost"));
    QCOMPARE(connection.value(u"client_count").toInt(), 1);

    const QJsonObject hello = c.last("hello");
    QCOMPARE(hello.value(u"version").toString(), QStringLiteral(TIDEWATCH_VERSION));
    QCOMPARE(hello.value(u"host").toString(), QStringLiteral("testhost"));
    QCOMPARE(hello.value(u"interval_ms").toInt(), 1000);
    const QJsonArray metrics = hello.value(u"metrics").toArray();
    QCOMPARE(metrics.size(), m_catalog->size());
    const QJsonObject read =
        metrics.at(m_catalog->indexOf(QStringLiteral("disk.sda.read"))).toObject();
    QCOMPARE(read.value(u"label").toString(), QStringLiteral("label of disk.sda.read"));
    QCOMPARE(read.value(u"unit").toString(), QStringLiteral("B/s"));
    QCOMPARE(read.value(u"kind").toString(), QStringLiteral("rate"));
    QCOMPARE(read.value(u"min").toDouble(), 0.0);
    QVERIFY(read.value(u"max").isNull());
    QCOMPARE(read.value(u"attributes").toObject().value(u"device").toString(),
             QStringLiteral("sda"));

    publish(2, 1714564800250);
    QTRY_COMPARE(c.count("metrics"), 1);
    const QJsonObject m = c.last("metrics");
    const SnapshotPtr snap = m_hub->latest();
    QCOMPARE(m.value(u"cpu").toDouble(), snap->value(QStringLiteral("cpu.total")));
    QCOMPARE(m.value(u"memory").toDouble(), snap->value(QStringLiteral("mem.percent")));
    QCOMPARE(m.value(u"disk").toDouble(), snap->value(QStringLiteral("fs./.percent")));
    QCOMPARE(m.value(u"network_sent").toDouble(), snap->value(QStringLiteral("net.tx.total")));
    QCOMPARE(m.value(u"network_recv").toDouble(), snap->value(QStringLiteral("net.rx.total")));
    QCOMPARE(m.value(u"timestamp").toString(), QStringLiteral("2024-05-01T12:00:00.250Z"));
    QCOMPARE(m.value(u"ts").toInteger(), 1714564800250);
    QCOMPARE(m.value(u"seq").toInt(), 2);
    QCOMPARE(m.value(u"host").toString(), QStringLiteral("testhost"));
    const QJsonObject values = m.value(u"values").toObject();
    QCOMPARE(values.value(u"cpu.core.1").toDouble(), snap->value(QStringLiteral("cpu.core.1")));
    QVERIFY(values.contains(u"cpu.ctxt"));
    QVERIFY(values.value(u"cpu.ctxt").isNull());
    QVERIFY(!values.contains(u"net.eth0.rx.total")); // counters only on subscribe
    QCOMPARE(m.value(u"processes").toObject().value(u"count").toInt(), 123);
    QCOMPARE(m.value(u"processes")
                 .toObject()
                 .value(u"top_cpu")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(u"name")
                 .toString(),
             QStringLiteral("busy \"proc\""));
    QCOMPARE(m_server->stats().framesSent, quint64(1));
}

void TestFeedServer::helloResentOnCatalogChange()
{
    startServer();
    publish(1);
    WsClient c(wsUrl());
    QTRY_COMPARE(c.count("hello"), 1);
    m_catalog = test::makeCatalog(0, QStringLiteral("disk.sdb.busy"));
    publish(2);
    QTRY_COMPARE(c.count("hello"), 2);
    QCOMPARE(c.last("hello").value(u"metrics").toArray().size(), m_catalog->size());
    QTRY_COMPARE(c.count("metrics"), 1);
    QVERIFY(c.last("metrics").value(u"values").toObject().contains(u"disk.sdb.busy"));
    // hello comes before the first frame of the new catalogue
    QCOMPARE(c.messages.at(c.messages.size() - 2).value(u"type").toString(),
             QStringLiteral("hello"));
}

void TestFeedServer::clientCountFollowsClients()
{
    startServer();
    QSignalSpy changed(m_server.get(), &FeedServer::clientCountChanged);
    WsClient a(wsUrl());
    QTRY_COMPARE(m_server->clientCount(), 1);
    {
        WsClient b(wsUrl());
        QTRY_COMPARE(m_server->clientCount(), 2);
        QTRY_COMPARE(a.last("client_count").value(u"count").toInt(), 2);
        QTRY_COMPARE(b.count("connection"), 1);
        QCOMPARE(b.last("connection").value(u"client_count").toInt(), 2);
        b.ws.close();
        QTRY_COMPARE(m_server->clientCount(), 1);
    }
    QTRY_COMPARE(a.last("client_count").value(u"count").toInt(), 1);
    QCOMPARE(changed.size(), 3);
    QCOMPARE(changed.at(2).at(0).toInt(), 1);
    QCOMPARE(m_server->stats().clients, 1);
}

void TestFeedServer::pingAndRequestMetrics()
{
    startServer();
    WsClient c(wsUrl());
    QTRY_VERIFY(c.connected());
    c.ws.sendTextMessage(QStringLiteral(R"({"type":"request_metrics"})"));
    QTRY_COMPARE(c.count("error"), 1); // nothing sampled yet
    QCOMPARE(c.last("error").value(u"code").toString(), QStringLiteral("no_data"));

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    c.ws.sendTextMessage(QStringLiteral(R"({"type":"ping"})"));
    QTRY_COMPARE(c.count("pong"), 1);
    QVERIFY(c.last("pong").value(u"ts").toInteger() >= before);

    publish(5);
    QTRY_COMPARE(c.count("metrics"), 1);
    c.ws.sendTextMessage(QStringLiteral(R"({"type":"request_metrics"})"));
    QTRY_COMPARE(c.count("metrics"), 2);
    QCOMPARE(c.last("metrics").value(u"seq").toInt(), 5);
    QVERIFY(c.last("metrics").value(u"values").toObject().contains(u"cpu.total"));
}

void TestFeedServer::errors_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("code");
    QTest::newRow("bad json") << QStringLiteral("{\"type\":") << QStringLiteral("bad_json");
    QTest::newRow("null") << QStringLiteral("null") << QStringLiteral("not_an_object");
    QTest::newRow("array") << QStringLiteral("[]") << QStringLiteral("not_an_object");
    QTest::newRow("number") << QStringLiteral("42") << QStringLiteral("not_an_object");
    QTest::newRow("2000 deep") << QString(2000, u'[') + QString(2000, u']')
                               << QStringLiteral("bad_json");
    QTest::newRow("unknown type") << QStringLiteral(R"({"type":"launch_missiles"})")
                                  << QStringLiteral("unknown_type");
    QTest::newRow("bad subscribe")
        << QStringLiteral(R"({"type":"subscribe","metrics":{}})") << QStringLiteral("bad_request");
}

void TestFeedServer::errors()
{
    QFETCH(QString, message);
    QFETCH(QString, code);
    startServer();
    WsClient c(wsUrl());
    QTRY_VERIFY(c.connected());
    c.ws.sendTextMessage(message);
    QTRY_COMPARE(c.count("error"), 1);
    QCOMPARE(c.last("error").value(u"code").toString(), code);
    QVERIFY(!c.last("error").value(u"message").toString().isEmpty());
    // The connection stays up and still works.
    c.ws.sendTextMessage(QStringLiteral(R"({"type":"ping"})"));
    QTRY_COMPARE(c.count("pong"), 1);
    QVERIFY(c.connected());
}

void TestFeedServer::binaryRefused()
{
    startServer();
    WsClient c(wsUrl());
    QTRY_VERIFY(c.connected());
    c.ws.sendBinaryMessage(QByteArray("\x01\x02", 2));
    QTRY_COMPARE(c.count("error"), 1);
    QCOMPARE(c.last("error").value(u"code").toString(), QStringLiteral("binary_not_supported"));
    QVERIFY(c.connected());
}

void TestFeedServer::oversizedMessageRefused()
{
    startServer();
    WsClient big(wsUrl());
    WsClient other(wsUrl());
    QTRY_VERIFY(big.connected() && other.connected());
    QTRY_COMPARE(m_server->clientCount(), 2);
    big.ws.sendTextMessage(QString(70 * 1024, u'x'));
    // Qt closes the connection itself, with 1009 "message too big".
    QTRY_COMPARE(big.ws.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(int(big.ws.closeCode()), 1009);
    QTRY_COMPARE(m_server->clientCount(), 1);
    publish(1);
    QTRY_COMPARE(other.count("metrics"), 1);
    QVERIFY(other.connected());
}

void TestFeedServer::hugeRawFrameDoesNotStallOthers()
{
    startServer();
    WsClient other(wsUrl());
    QTRY_VERIFY(other.connected());
    QTcpSocket raw;
    QVERIFY(rawUpgrade(raw, m_server->serverPort()));
    QTRY_COMPARE(m_server->clientCount(), 2);
    const quint64 size = 4 * 1024 * 1024;
    raw.write(clientFrameHeader(size));
    raw.write(QByteArray(qsizetype(size), 'a'));
    QElapsedTimer t;
    t.start();
    publish(1);
    QTRY_COMPARE(other.count("metrics"), 1);
    QVERIFY2(t.elapsed() < 1000, "a 4 MiB frame delayed another client's frame");
    QTRY_COMPARE(raw.state(), QAbstractSocket::UnconnectedState);
    QTRY_COMPARE(m_server->clientCount(), 1);
    publish(2);
    QTRY_COMPARE(other.count("metrics"), 2);
}

void TestFeedServer::partialFrameDoesNotStallOthers()
{
    startServer();
    WsClient other(wsUrl());
    QTRY_VERIFY(other.connected());
    QTcpSocket raw;
    QVERIFY(rawUpgrade(raw, m_server->serverPort()));
    QTRY_COMPARE(m_server->clientCount(), 2);
    // Two bytes of a frame header, then silence: a reader that blocked for
    // the rest would freeze the whole server.
    raw.write(QByteArray("\x81\xfe", 2));
    QTRY_VERIFY(raw.bytesToWrite() == 0);
    for (quint64 seq = 1; seq <= 3; ++seq) {
        QElapsedTimer t;
        t.start();
        publish(seq);
        QTRY_COMPARE(other.count("metrics"), qsizetype(seq));
        QVERIFY2(t.elapsed() < 500, "a half-sent frame delayed another client's frame");
    }
}

void TestFeedServer::slowClientDropped()
{
    FeedServerOptions options;
    options.sendBufferCapBytes = 256 * 1024;
    options.slowClientGraceMs = 300;
    options.closeTimeoutMs = 300;
    startServer(options);
    // ~200 KB frames fill the kernel's buffers quickly.
    m_catalog = test::makeCatalog(8000);
    publish(1);

    WsClient good(wsUrl());
    QTRY_COMPARE(good.count("hello"), 1);
    QTcpSocket slow;
    slow.setReadBufferSize(4096); // Qt stops reading from the kernel once this is full
    QVERIFY(rawUpgrade(slow, m_server->serverPort()));
    QTRY_COMPARE(m_server->clientCount(), 2);

    quint64 seq = 1;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] { publish(++seq); });
    ticker.start();
    QTRY_VERIFY_WITH_TIMEOUT(m_server->clientCount() == 1, 30000);
    const quint64 lastWhileSlow = seq;
    // The good client keeps getting frames after the slow one is gone.
    QTRY_VERIFY_WITH_TIMEOUT(seq >= lastWhileSlow + 5, 5000);
    ticker.stop();
    const FeedServerStats stats = m_server->stats();
    QVERIFY(stats.framesDropped > 0);
    QCOMPARE(stats.clientsDropped, quint64(1));
    // The server closed the slow socket (aborted it after closeTimeoutMs).
    // The test's socket notices only once it reads again.
    slow.setReadBufferSize(0);
    QTRY_VERIFY_WITH_TIMEOUT((slow.readAll(), slow.state() == QAbstractSocket::UnconnectedState),
                             10000);

    // ...and the good client received every single frame, in order.
    QTRY_COMPARE_WITH_TIMEOUT(good.count("metrics"), qsizetype(seq - 1), 20000);
    const QList<QJsonObject> frames = good.ofType(QStringLiteral("metrics"));
    for (qsizetype i = 0; i < frames.size(); ++i)
        QCOMPARE(frames.at(i).value(u"seq").toInteger(), qint64(i + 2));
    qInfo("slow client dropped after %llu ticks; %llu frames skipped for it",
          static_cast<unsigned long long>(lastWhileSlow),
          static_cast<unsigned long long>(stats.framesDropped));
}

void TestFeedServer::maxClientsRefused()
{
    FeedServerOptions options;
    options.maxClients = 2;
    startServer(options);
    WsClient a(wsUrl());
    WsClient b(wsUrl());
    QTRY_COMPARE(m_server->clientCount(), 2);
    // Read the refusal raw: QWebSocket clients of Qt 6.4 treat close codes
    // 1012..2999 as invalid and report 1002 instead (browsers show 1013).
    QTcpSocket c;
    QVERIFY(rawUpgrade(c, m_server->serverPort()));
    c.skip(c.peek(4096).indexOf("\r\n\r\n") + 4);
    QByteArray frame;
    QTRY_VERIFY(
        (frame += c.readAll(), frame.size() >= 2 && frame.size() >= 2 + (frame.at(1) & 0x7f)));
    QCOMPARE(quint8(frame.at(0)), quint8(0x88)); // FIN + close: no connection or hello first
    const QByteArray payload = frame.mid(2, frame.at(1) & 0x7f);
    QCOMPARE((quint8(payload.at(0)) << 8) | quint8(payload.at(1)), 1013);
    QCOMPARE(payload.mid(2), QByteArray("server full (2 clients)"));
    QTRY_VERIFY((c.readAll(), c.state() == QAbstractSocket::UnconnectedState));
    QCOMPARE(m_server->clientCount(), 2);
    QVERIFY(a.connected() && b.connected());
    // A place frees up: the next client gets in.
    a.ws.close();
    QTRY_COMPARE(m_server->clientCount(), 1);
    WsClient d(wsUrl());
    QTRY_COMPARE(d.count("connection"), 1);
    QCOMPARE(m_server->clientCount(), 2);
}

void TestFeedServer::historyMeetsLiveStream()
{
    startServer();
    for (quint64 seq = 1; seq <= 20; ++seq)
        publish(seq);
    WsClient c(wsUrl());
    QTRY_COMPARE(c.count("hello"), 1);
    c.ws.sendTextMessage(QStringLiteral(R"({"type":"history","metrics":["cpu.total"]})"));
    c.ws.flush();
    // A tick races the request: its frame reaches the client before the
    // answer, which then covers it too.
    publish(21);
    QTRY_COMPARE(c.count("history"), 1);
    publish(22);
    publish(23);
    QTRY_COMPARE(c.count("metrics"), 3);

    const QJsonObject h = c.last("history");
    const qint64 to = qint64(h.value(u"to").toDouble());
    QCOMPARE(to, 1714564800000 + 21 * 1000);
    QCOMPARE(h.value(u"step").toInt(), 1);
    const QJsonArray ts = h.value(u"ts").toArray();
    const QJsonArray cpu = h.value(u"values").toObject().value(u"cpu.total").toArray();
    QCOMPARE(h.value(u"values").toObject().size(), 1);
    QCOMPARE(ts.size(), 21);
    QCOMPARE(cpu.size(), 21);
    // What a client does: history first, then live frames newer than "to".
    QList<qint64> series;
    for (qsizetype i = 0; i < ts.size(); ++i) {
        series.append(qint64(ts.at(i).toDouble()));
        QCOMPARE(cpu.at(i).toDouble(), double(i + 1) + 0.5); // cpu.total of seq i + 1
    }
    int live = 0;
    for (const QJsonObject &m : c.ofType(QStringLiteral("metrics"))) {
        const auto t = qint64(m.value(u"ts").toDouble());
        if (t > to) {
            series.append(t);
            ++live;
        }
    }
    QCOMPARE(live, 2);
    QCOMPARE(series.size(), 23);
    for (qsizetype i = 0; i < series.size(); ++i) // every sample once, none missing
        QCOMPARE(series.at(i), 1714564800000 + qint64(i + 1) * 1000);
}

void TestFeedServer::historySelectsAndDownsamples()
{
    FeedServerOptions options;
    options.maxHistoryValues = 40;
    startServer(options);
    for (quint64 seq = 1; seq <= 20; ++seq)
        publish(seq);
    WsClient c(wsUrl());
    QTRY_COMPARE(c.count("hello"), 1);
    const qint64 last = 1714564800000 + 20 * 1000;

    // A window relative to the newest sample; counters have no history.
    c.ws.sendTextMessage(
        QStringLiteral(R"({"type":"history","metrics":["cpu.*"],"window_ms":4500})"));
    QTRY_COMPARE(c.count("history"), 1);
    QJsonObject h = c.last("history");
    QCOMPARE(qint64(h.value(u"from").toDouble()), last - 4500);
    QCOMPARE(h.value(u"ts").toArray().size(), 5);
    QCOMPARE(qint64(h.value(u"ts").toArray().last().toDouble()), last);
    QStringList ids = h.value(u"values").toObject().keys();
    ids.sort();
    QCOMPARE(ids, QStringList({QStringLiteral("cpu.core.0"), QStringLiteral("cpu.core.0.freq"),
                               QStringLiteral("cpu.core.1"), QStringLiteral("cpu.ctxt"),
                               QStringLiteral("cpu.total"), QStringLiteral("cpu.user")}));
    // cpu.ctxt is NaN in every sample: null, not a number.
    QVERIFY(h.value(u"values").toObject().value(u"cpu.ctxt").toArray().at(0).isNull());

    // Averaged into buckets counted from the newest sample: 20 samples in
    // at most 6 points -> steps of 4, the last bucket ends at the newest.
    c.ws.sendTextMessage(
        QStringLiteral(R"({"type":"history","metrics":["cpu.total","load.1"],"max_points":6})"));
    QTRY_COMPARE(c.count("history"), 2);
    h = c.last("history");
    QCOMPARE(h.value(u"step").toInt(), 4);
    const QJsonArray ts = h.value(u"ts").toArray();
    QCOMPARE(ts.size(), 5);
    QCOMPARE(qint64(ts.last().toDouble()), last);
    QCOMPARE(qint64(ts.first().toDouble()), last - 16 * 1000);
    const QJsonArray cpu = h.value(u"values").toObject().value(u"cpu.total").toArray();
    QCOMPARE(cpu.first().toDouble(), (1.5 + 2.5 + 3.5 + 4.5) / 4);
    QCOMPARE(cpu.last().toDouble(), (17.5 + 18.5 + 19.5 + 20.5) / 4);

    // maxHistoryValues (40) over 4 series leaves 10 points each, whatever
    // the client asks; "from" after a reconnect returns only what is new.
    c.ws.sendTextMessage(
        QStringLiteral(R"({"type":"history","metrics":["cpu.total","load.*"],"max_points":100})"));
    QTRY_COMPARE(c.count("history"), 3);
    QCOMPARE(c.last("history").value(u"values").toObject().size(), 4);
    QCOMPARE(c.last("history").value(u"ts").toArray().size(), 10);
    QCOMPARE(c.last("history").value(u"step").toInt(), 2);
    c.ws.sendTextMessage(
        QStringLiteral(R"({"type":"history","metrics":["cpu.total"],"from":%1})").arg(last - 2500));
    QTRY_COMPARE(c.count("history"), 4);
    QCOMPARE(c.last("history").value(u"ts").toArray().size(), 3);

    // A range past the newest sample is cut at the newest sample.
    c.ws.sendTextMessage(
        QStringLiteral(R"({"type":"history","metrics":["nope.*"],"to":%1})").arg(last + 100000));
    QTRY_COMPARE(c.count("history"), 5);
    QCOMPARE(qint64(c.last("history").value(u"to").toDouble()), last);
    QVERIFY(c.last("history").value(u"values").toObject().isEmpty());
    QVERIFY(c.last("history").value(u"ts").toArray().isEmpty());
    QCOMPARE(c.count("error"), 0);
}

void TestFeedServer::historyBeforeFirstSnapshot()
{
    startServer();
    WsClient c(wsUrl());
    QTRY_COMPARE(c.count("hello"), 1);
    c.ws.sendTextMessage(QStringLiteral(R"({"type":"history"})"));
    QTRY_COMPARE(c.count("error"), 1);
    QCOMPARE(c.last("error").value(u"code").toString(), QStringLiteral("no_data"));
    QCOMPARE(c.count("history"), 0);
}

void TestFeedServer::subscribeFiltersAndThrottles()
{
    startServer();
    m_server->setSampleIntervalMs(100);
    WsClient all(wsUrl());
    WsClient sub(wsUrl());
    QTRY_COMPARE(m_server->clientCount(), 2);
    QTRY_VERIFY(sub.connected());
    sub.ws.sendTextMessage(QStringLiteral(
        R"({"type":"subscribe","metrics":["cpu.*","net.eth0.rx.total"],"interval_ms":250})"));
    QTRY_COMPARE(sub.count("subscribed"), 1);
    QCOMPARE(sub.last("subscribed").value(u"interval_ms").toInt(), 300); // whole ticks
    QCOMPARE(sub.last("subscribed").value(u"metrics").toArray().size(), 2);

    const qint64 t0 = 1714564800000;
    for (quint64 k = 0; k < 12; ++k)
        publish(k + 1, t0 + qint64(k) * 100);
    QTRY_COMPARE(all.count("metrics"), 12);
    // A round trip after the last tick: every frame sent before it is in.
    sub.ws.sendTextMessage(QStringLiteral(R"({"type":"ping"})"));
    QTRY_COMPARE(sub.count("pong"), 1);
    const QList<QJsonObject> frames = sub.ofType(QStringLiteral("metrics"));
    QCOMPARE(frames.size(), 4);
    for (qsizetype i = 0; i < frames.size(); ++i) {
        const QJsonObject f = frames.at(i);
        QCOMPARE(f.value(u"seq").toInt(), int(i * 3 + 1));
        QVERIFY(f.contains(u"memory")); // simple fields stay
        const QJsonObject values = f.value(u"values").toObject();
        QVERIFY(values.contains(u"cpu.core.0.seconds.user")); // counter named by a pattern
        QVERIFY(values.contains(u"net.eth0.rx.total"));
        QVERIFY(!values.contains(u"mem.percent"));
        for (auto it = values.begin(); it != values.end(); ++it)
            QVERIFY2(it.key().startsWith(u"cpu.") || it.key() == u"net.eth0.rx.total",
                     qPrintable(it.key()));
    }

    // Intervals are clamped to [one tick, 60 s]; no metrics means the default set.
    sub.ws.sendTextMessage(QStringLiteral(R"({"type":"subscribe","interval_ms":5})"));
    QTRY_COMPARE(sub.count("subscribed"), 2);
    QCOMPARE(sub.last("subscribed").value(u"interval_ms").toInt(), 100);
    QVERIFY(sub.last("subscribed").value(u"metrics").isNull());
    sub.ws.sendTextMessage(QStringLiteral(R"({"type":"subscribe","interval_ms":1e9})"));
    QTRY_COMPARE(sub.count("subscribed"), 3);
    QCOMPARE(sub.last("subscribed").value(u"interval_ms").toInt(), 60000);
}

void TestFeedServer::rateLimited()
{
    startServer();
    WsClient c(wsUrl());
    QTRY_VERIFY(c.connected());
    for (int i = 0; i < 150; ++i)
        c.ws.sendTextMessage(QStringLiteral(R"({"type":"ping"})"));
    QTRY_VERIFY(c.count("error") >= 1);
    QCOMPARE(c.last("error").value(u"code").toString(), QStringLiteral("rate_limited"));
    QVERIFY(c.count("pong") <= 110); // the burst of 100, plus what refilled meanwhile
    QVERIFY(c.count("pong") >= 100);
    QVERIFY(c.connected());
    // Tokens come back: a later command is served.
    const qsizetype pongs = c.count("pong");
    QTRY_VERIFY_WITH_TIMEOUT(
        (c.ws.sendTextMessage(QStringLiteral(R"({"type":"ping"})")), c.count("pong") > pongs),
        5000);
}

void TestFeedServer::floodClosed()
{
    startServer();
    WsClient c(wsUrl());
    QTRY_VERIFY(c.connected());
    for (int i = 0; i < 1000; ++i)
        c.ws.sendTextMessage(QStringLiteral(R"({"type":"ping"})"));
    QTRY_COMPARE(c.ws.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(int(c.ws.closeCode()), 1008);
    QCOMPARE(m_server->stats().clientsDropped, quint64(1));
}

void TestFeedServer::shutdownClosesClients()
{
    startServer();
    WsClient a(wsUrl());
    WsClient b(wsUrl());
    QTRY_COMPARE(m_server->clientCount(), 2);
    QSignalSpy finished(m_server.get(), &FeedServer::shutdownFinished);
    const quint16 port = m_server->serverPort();
    m_server->shutdown();
    QTRY_COMPARE(a.ws.state(), QAbstractSocket::UnconnectedState);
    QTRY_COMPARE(b.ws.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(int(a.ws.closeCode()), 1001);
    QCOMPARE(a.ws.closeReason(), QStringLiteral("server shutting down"));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(m_server->clientCount(), 0);
    // Not listening any more.
    QTcpSocket late;
    late.connectToHost(QHostAddress::LocalHost, port);
    QTRY_COMPARE(late.state(), QAbstractSocket::UnconnectedState);
}

void TestFeedServer::writerThreadsOption()
{
    QCOMPARE(FeedServerOptions().writerThreads, -1); // one per core by default
    QFETCH_GLOBAL(int, writerThreads);
    startServer();
    const int cores = QThread::idealThreadCount();
    const int expected = writerThreads >= 0 ? writerThreads : cores < 2 ? 0 : qMin(cores, 4);
    QCOMPARE(m_server->writerThreadCount(), expected);
    QCOMPARE(m_server->options().writerThreads, expected);
    QCOMPARE(m_server->shardClientCounts(), QList<int>(qMax(1, expected), 0));
    // No client yet: no writer thread runs (an idle daemon keeps none).
    QCOMPARE(m_server->runningWriterThreadCount(), 0);
}

void TestFeedServer::shardsDeliverEveryFrameInOrder()
{
    startServer();
    publish(1);
    const int shards = qMax(1, m_server->writerThreadCount());
    constexpr int Clients = 10;
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < Clients; ++i)
        clients.push_back(std::make_unique<WsClient>(wsUrl()));
    QTRY_COMPARE(m_server->clientCount(), Clients);
    for (const auto &c : clients)
        QTRY_COMPARE(c->count("hello"), 1);

    // The least loaded shard takes the next client: an even spread.
    const QList<int> perShard = m_server->shardClientCounts();
    QCOMPARE(perShard.size(), qsizetype(shards));
    int sum = 0;
    for (int n : perShard) {
        QVERIFY2(n == Clients / shards || n == (Clients + shards - 1) / shards,
                 qPrintable(QStringLiteral("%1 clients on one shard").arg(n)));
        sum += n;
    }
    QCOMPARE(sum, Clients);
    QCOMPARE(m_server->runningWriterThreadCount(), m_server->writerThreadCount());

    // Each client was counted once, whatever its shard: the connection
    // messages carry 1..Clients, and everyone hears the final count.
    QList<int> counts;
    for (const auto &c : clients) {
        QCOMPARE(c->messages.first().value(u"type").toString(), QStringLiteral("connection"));
        counts.append(c->messages.first().value(u"client_count").toInt());
        QTRY_COMPARE(c->last("client_count").value(u"count").toInt(), Clients);
    }
    std::sort(counts.begin(), counts.end());
    for (int i = 0; i < Clients; ++i)
        QCOMPARE(counts.at(i), i + 1);

    constexpr int Ticks = 30;
    for (quint64 seq = 2; seq <= Ticks + 1; ++seq)
        publish(seq);
    for (const auto &c : clients) {
        QTRY_COMPARE(c->count("metrics"), qsizetype(Ticks));
        const QList<QJsonObject> frames = c->ofType(QStringLiteral("metrics"));
        for (qsizetype i = 0; i < frames.size(); ++i)
            QCOMPARE(frames.at(i).value(u"seq").toInteger(), qint64(i + 2));
    }
    QCOMPARE(m_server->stats().framesSent, quint64(Ticks * Clients));
}

void TestFeedServer::slowClientOnOneShardDoesNotStallOthers()
{
    FeedServerOptions options;
    options.sendBufferCapBytes = 256 * 1024;
    options.slowClientGraceMs = 600000; // skipped, never dropped, in this test
    startServer(options);
    m_catalog = test::makeCatalog(8000); // ~200 KB frames
    publish(1);

    // Four good clients, then the stalled one: with several shards it
    // shares one with a good client, and the others are on other shards.
    std::vector<std::unique_ptr<WsClient>> good;
    for (int i = 0; i < 4; ++i) {
        good.push_back(std::make_unique<WsClient>(wsUrl()));
        QTRY_COMPARE(good.back()->count("hello"), 1);
    }
    QTcpSocket slow;
    slow.setReadBufferSize(4096);
    QVERIFY(rawUpgrade(slow, m_server->serverPort()));
    QTRY_COMPARE(m_server->clientCount(), 5);

    // Every tick reaches every good client before the next one is
    // published, also while the stalled client's buffer is over its cap.
    quint64 seq = 1;
    int ticksWhileSkipping = 0;
    for (int round = 0; round < 1000 && ticksWhileSkipping < 5; ++round) {
        publish(++seq);
        for (const auto &c : good)
            QTRY_COMPARE_WITH_TIMEOUT(c->count("metrics"), qsizetype(seq - 1), 10000);
        if (m_server->stats().framesDropped > 0)
            ++ticksWhileSkipping;
    }
    QCOMPARE(ticksWhileSkipping, 5);
    QCOMPARE(m_server->clientCount(), 5);
    QCOMPARE(m_server->stats().clientsDropped, quint64(0));
    for (const auto &c : good) {
        const QList<QJsonObject> frames = c->ofType(QStringLiteral("metrics"));
        for (qsizetype i = 0; i < frames.size(); ++i)
            QCOMPARE(frames.at(i).value(u"seq").toInteger(), qint64(i + 2));
    }
}

void TestFeedServer::shutdownClosesClientsOnAllShards()
{
    startServer();
    publish(1);
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < 7; ++i)
        clients.push_back(std::make_unique<WsClient>(wsUrl()));
    QTRY_COMPARE(m_server->clientCount(), 7);
    QSignalSpy finished(m_server.get(), &FeedServer::shutdownFinished);
    m_server->shutdown();
    for (const auto &c : clients) {
        QTRY_COMPARE(c->ws.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(int(c->ws.closeCode()), 1001);
        QCOMPARE(c->ws.closeReason(), QStringLiteral("server shutting down"));
    }
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(m_server->clientCount(), 0);
    for (int n : m_server->shardClientCounts())
        QCOMPARE(n, 0);
    // A tick after the shutdown goes nowhere and breaks nothing.
    publish(2);
    QCoreApplication::processEvents();
    QCOMPARE(finished.size(), 1);
}

void TestFeedServer::destroyClosesClientsOnAllShards()
{
    startServer();
    publish(1);
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < 7; ++i)
        clients.push_back(std::make_unique<WsClient>(wsUrl()));
    QTRY_COMPARE(m_server->clientCount(), 7);
    publish(2); // frames in flight while the server goes
    m_server.reset();
    for (const auto &c : clients) {
        QTRY_COMPARE(c->ws.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(int(c->ws.closeCode()), 1001);
    }
}

void TestFeedServer::manyClientsCloseAtOnce()
{
    // Sockets that close in a writer thread while the server's thread has
    // queued work about them: nothing may reach a socket deleted there.
    startServer();
    publish(1);
    constexpr int Clients = 150;
    for (int round = 0; round < 3; ++round) {
        std::vector<std::unique_ptr<WsClient>> clients;
        for (int i = 0; i < Clients; ++i)
            clients.push_back(std::make_unique<WsClient>(wsUrl()));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->clientCount(), Clients, 20000);
        for (const auto &c : clients)
            QTRY_VERIFY(c->connected());
        publish(2 + round);
        // A close handshake, then sockets that just go (the server's
        // thread learns of those only after the shard has seen them).
        for (const auto &c : clients) {
            if (round == 0)
                c->ws.close();
            else
                c->ws.abort();
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_server->clientCount(), 0, 20000);
        for (const auto &c : clients)
            QTRY_COMPARE(c->ws.state(), QAbstractSocket::UnconnectedState);
    }
    // The server still serves.
    WsClient last(wsUrl());
    QTRY_COMPARE(last.count("hello"), 1);
    publish(10);
    QTRY_COMPARE(last.count("metrics"), 1);
}

QTEST_GUILESS_MAIN(TestFeedServer)
#include "tst_feedserver.moc"
