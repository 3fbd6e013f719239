// SPDX-License-Identifier: GPL-3.0-or-later
#include "FeedCodec.h"
#include "TestSnapshots.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>

using namespace tidewatch;

class TestFeedCodec final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void strings_data();
    void strings();
    void numbers_data();
    void numbers();
    void frameHeader_data();
    void frameHeader();
    void commands_data();
    void commands();
    void subscribeCommand();
    void historyCommand();
    void historyMessage();
    void metricsFrame();
    void selectMetrics();
    void hello();
    void encodeTiming();
};

void TestFeedCodec::strings_data()
{
    QTest::addColumn<QString>("input");
    QTest::newRow("plain") << QStringLiteral("cpu.total");
    QTest::newRow("quotes and backslash") << QStringLiteral("a\"b\\c");
    QTest::newRow("controls") << QString::fromUtf8("tab\tnl\ncr\r\x01\x1f\x7f");
    QTest::newRow("unicode") << QStringLiteral("°C – 温度 🌊");
    QTest::newRow("lone surrogate") << QString(QChar(0xd800));
    QTest::newRow("empty") << QString();
}

void TestFeedCodec::strings()
{
    QFETCH(QString, input);
    QByteArray out("[");
    json::appendString(out, input);
    out.append(']');
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(out, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    if (input == QString(QChar(0xd800))) // Qt 6.4 encodes it as '?', newer Qt as U+FFFD
        QVERIFY(doc.array().at(0).toString().size() == 1);
    else
        QCOMPARE(doc.array().at(0).toString(), input);
}

void TestFeedCodec::numbers_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("integer") << 42.0 << QByteArray("42");
    QTest::newRow("fraction") << 12.5 << QByteArray("12.5");
    QTest::newRow("shortest") << 0.1 << QByteArray("0.1");
    QTest::newRow("negative") << -3.25 << QByteArray("-3.25");
    QTest::newRow("big") << 1e21 << QByteArray("1e+21");
    QTest::newRow("bytes") << 16777216000.0 << QByteArray("16777216000");
    QTest::newRow("nan") << qQNaN() << QByteArray("null");
    QTest::newRow("inf") << qInf() << QByteArray("null");
}

void TestFeedCodec::numbers()
{
    QFETCH(double, value);
    QFETCH(QByteArray, text);
    QByteArray out;
    json::appendNumber(out, value);
    QCOMPARE(out, text);
    if (std::isfinite(value))
        QCOMPARE(QJsonDocument::fromJson("[" + out + "]").array().at(0).toDouble(), value);
}

void TestFeedCodec::frameHeader_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("small") << 5 << QByteArray("\x81\x05");
    QTest::newRow("125") << 125 << QByteArray("\x81\x7d");
    QTest::newRow("126") << 126 << QByteArray("\x81\x7e\x00\x7e", 4);
    QTest::newRow("65535") << 65535 << QByteArray("\x81\x7e\xff\xff");
    QTest::newRow("65536") << 65536 << QByteArray("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
}

void TestFeedCodec::frameHeader()
{
    QFETCH(int, size);
    QFETCH(QByteArray, header);
    const QByteArray payload(size, 'x');
    const QByteArray frame = webSocketFrame(payload);
    QCOMPARE(frame.left(header.size()), header);
    QCOMPARE(frame.size(), header.size() + size);
    QCOMPARE(frame.mid(header.size()), payload);
}

void TestFeedCodec::commands_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("errorCode");
    const int invalid = int(FeedCommand::Type::Invalid);
    QTest::newRow("ping") << QByteArray(R"({"type":"ping"})") << int(FeedCommand::Type::Ping)
                          << QString();
    QTest::newRow("request_metrics") << QByteArray(R"({"type":"request_metrics","x":1})")
                                     << int(FeedCommand::Type::RequestMetrics) << QString();
    QTest::newRow("broken") << QByteArray("{\"type\":") << invalid << QStringLiteral("bad_json");
    QTest::newRow("not json") << QByteArray("hello") << invalid << QStringLiteral("bad_json");
    QTest::newRow("empty") << QByteArray() << invalid << QStringLiteral("bad_json");
    QTest::newRow("null") << QByteArray("null") << invalid << QStringLiteral("not_an_object");
    QTest::newRow("array") << QByteArray("[]") << invalid << QStringLiteral("not_an_object");
    QTest::newRow("number") << QByteArray("42") << invalid << QStringLiteral("not_an_object");
    QTest::newRow("string") << QByteArray("\"ping\"") << invalid << QStringLiteral("not_an_object");
    QTest::newRow("deep array") << QByteArray(2000, '[') + QByteArray(2000, ']') << invalid
                                << QStringLiteral("bad_json");
    QTest::newRow("deep object") << QByteArray("{\"a\":").repeated(2000) + "1" +
                                        QByteArray(2000, '}')
                                 << invalid << QStringLiteral("bad_json");
    QTest::newRow("brackets inside strings are fine")
        << QByteArray(R"({"type":"ping","pad":")") + QByteArray(100, '[') + "\"}"
        << int(FeedCommand::Type::Ping) << QString();
    QTest::newRow("unknown type") << QByteArray(R"({"type":"launch"})") << invalid
                                  << QStringLiteral("unknown_type");
    QTest::newRow("history") << QByteArray(R"({"type":"history"})")
                             << int(FeedCommand::Type::History) << QString();
    QTest::newRow("history from string") << QByteArray(R"({"type":"history","from":"yesterday"})")
                                         << invalid << QStringLiteral("bad_request");
    QTest::newRow("history negative window") << QByteArray(R"({"type":"history","window_ms":-1})")
                                             << invalid << QStringLiteral("bad_request");
    QTest::newRow("history zero points") << QByteArray(R"({"type":"history","max_points":0})")
                                         << invalid << QStringLiteral("bad_request");
    QTest::newRow("history huge to") << QByteArray(R"({"type":"history","to":1e300})") << invalid
                                     << QStringLiteral("bad_request");
    QTest::newRow("history metrics not array")
        << QByteArray(R"({"type":"history","metrics":"cpu.*"})") << invalid
        << QStringLiteral("bad_request");
    QTest::newRow("type not a string")
        << QByteArray(R"({"type":1})") << invalid << QStringLiteral("bad_request");
    QTest::newRow("no type") << QByteArray("{}") << invalid << QStringLiteral("bad_request");
    QTest::newRow("metrics not array") << QByteArray(R"({"type":"subscribe","metrics":"cpu.*"})")
                                       << invalid << QStringLiteral("bad_request");
    QTest::newRow("metrics with number") << QByteArray(R"({"type":"subscribe","metrics":[1]})")
                                         << invalid << QStringLiteral("bad_request");
    QTest::newRow("pattern too long")
        << QByteArray(R"({"type":"subscribe","metrics":[")") + QByteArray(257, 'a') + "\"]}"
        << invalid << QStringLiteral("bad_request");
    QByteArray many(R"({"type":"subscribe","metrics":[)");
    for (int i = 0; i < 65; ++i)
        many += (i ? ",\"a" : "\"a") + QByteArray::number(i) + '"';
    QTest::newRow("too many patterns") << many + "]}" << invalid << QStringLiteral("bad_request");
    QTest::newRow("bad interval") << QByteArray(R"({"type":"subscribe","interval_ms":"fast"})")
                                  << invalid << QStringLiteral("bad_request");
    QTest::newRow("negative interval") << QByteArray(R"({"type":"subscribe","interval_ms":-5})")
                                       << invalid << QStringLiteral("bad_request");
}

void TestFeedCodec::commands()
{
    QFETCH(QByteArray, message);
    QFETCH(int, type);
    QFETCH(QString, errorCode);
    const FeedCommand cmd = FeedCodec::parseCommand(message);
    QCOMPARE(int(cmd.type), type);
    QCOMPARE(cmd.errorCode, errorCode);
    if (!errorCode.isEmpty())
        QVERIFY(!cmd.errorMessage.isEmpty());
}

void TestFeedCodec::subscribeCommand()
{
    FeedCommand cmd = FeedCodec::parseCommand(
        R"({"type":"subscribe","metrics":["cpu.*","mem.*"],"interval_ms":250.5})");
    QCOMPARE(cmd.type, FeedCommand::Type::Subscribe);
    QVERIFY(cmd.hasMetrics);
    QCOMPARE(cmd.metrics, QStringList({QStringLiteral("cpu.*"), QStringLiteral("mem.*")}));
    QCOMPARE(cmd.intervalMs, 251);
    cmd = FeedCodec::parseCommand(R"({"type":"subscribe"})");
    QCOMPARE(cmd.type, FeedCommand::Type::Subscribe);
    QVERIFY(!cmd.hasMetrics);
    QCOMPARE(cmd.intervalMs, -1);
}

void TestFeedCodec::historyCommand()
{
    FeedCommand cmd = FeedCodec::parseCommand(
        R"({"type":"history","metrics":["cpu.total"],"from":1714564800000,"to":1714564900000.7,)"
        R"("window_ms":60000,"max_points":300})");
    QCOMPARE(cmd.type, FeedCommand::Type::History);
    QVERIFY(cmd.hasMetrics);
    QCOMPARE(cmd.metrics, QStringList{QStringLiteral("cpu.total")});
    QCOMPARE(cmd.fromTs, 1714564800000);
    QCOMPARE(cmd.toTs, 1714564900000);
    QCOMPARE(cmd.windowMs, 60000);
    QCOMPARE(cmd.maxPoints, 300);
    cmd = FeedCodec::parseCommand(R"({"type":"history","from":null})");
    QCOMPARE(cmd.type, FeedCommand::Type::History);
    QVERIFY(!cmd.hasMetrics);
    QCOMPARE(cmd.fromTs, -1);
    QCOMPARE(cmd.toTs, -1);
    QCOMPARE(cmd.windowMs, -1);
    QCOMPARE(cmd.maxPoints, -1);
}

void TestFeedCodec::historyMessage()
{
    HistoryTable table;
    table.fromTs = 1000;
    table.toTs = 3000;
    table.step = 1;
    table.ts = {2000, 3000};
    table.ids = {QStringLiteral("cpu.total"), QStringLiteral("fs./mnt/\"q\".percent")};
    table.values = {{1.5, qQNaN()}, {2, 3}};
    QCOMPARE(FeedCodec::historyMessage(table),
             QByteArray(R"({"type":"history","from":1000,"to":3000,"step":1,"step_ms":0,)"
                        R"("tier":"memory","ts":[2000,3000],)"
                        R"("values":{"cpu.total":[1.5,null],"fs./mnt/\"q\".percent":[2,3]}})"));

    // A store answer: the tier named, envelopes beside the averages, and
    // the HTTP form without "type".
    HistoryResult result;
    result.ok = true;
    result.tier = StoreTier::Minute;
    result.fromTs = 0;
    result.toTs = 120000;
    result.stepMs = 60000;
    result.ts = {0, 60000};
    result.series = {{QStringLiteral("cpu.total"), {10, qQNaN()}, {1, qQNaN()}, {99, qQNaN()}}};
    QCOMPARE(FeedCodec::historyJson(FeedCodec::historyTable(result)),
             QByteArray(R"({"from":0,"to":120000,"step":1,"step_ms":60000,"tier":"minute",)"
                        R"("ts":[0,60000],"values":{"cpu.total":[10,null]},)"
                        R"("min":{"cpu.total":[1,null]},"max":{"cpu.total":[99,null]}})"));
    const QJsonDocument doc = QJsonDocument::fromJson(FeedCodec::historyMessage(table));
    QVERIFY(doc.isObject());
}

void TestFeedCodec::metricsFrame()
{
    const CatalogPtr catalog = test::makeCatalog();
    const SnapshotPtr snap = test::makeSnapshot(catalog, 7, 1714564800123);
    MetricsFrameEncoder encoder;
    encoder.setSnapshot(snap);
    const QByteArray json = encoder.encode(FeedCodec::selectMetrics(*catalog, {}, false));
    QJsonParseError error{};
    const QJsonObject o = QJsonDocument::fromJson(json, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(o.value(u"type").toString(), QStringLiteral("metrics"));
    QCOMPARE(o.value(u"cpu").toDouble(), snap->value(QStringLiteral("cpu.total")));
    QCOMPARE(o.value(u"memory").toDouble(), snap->value(QStringLiteral("mem.percent")));
    QCOMPARE(o.value(u"disk").toDouble(), snap->value(QStringLiteral("fs./.percent")));
    QCOMPARE(o.value(u"network_sent").toDouble(), snap->value(QStringLiteral("net.tx.total")));
    QCOMPARE(o.value(u"network_recv").toDouble(), snap->value(QStringLiteral("net.rx.total")));
    QCOMPARE(o.value(u"timestamp").toString(), QStringLiteral("2024-05-01T12:00:00.123Z"));
    QCOMPARE(o.value(u"ts").toInteger(), 1714564800123);
    QCOMPARE(o.value(u"seq").toInteger(), 7);
    QCOMPARE(o.value(u"host").toString(), QStringLiteral("testhost"));
    const QJsonObject values = o.value(u"values").toObject();
    QVERIFY(values.contains(u"cpu.total"));
    QVERIFY(values.value(u"cpu.ctxt").isNull()); // NaN
    QVERIFY(!values.contains(u"net.rx.total"));  // counters not by default
    QVERIFY(values.contains(u"fs./mnt/we\"ird\\dir.percent"));
    const QJsonObject procs = o.value(u"processes").toObject();
    QCOMPARE(procs.value(u"count").toInt(), 123);
    const QJsonObject top = procs.value(u"top_cpu").toArray().at(0).toObject();
    QCOMPARE(top.value(u"pid").toInt(), 42);
    QCOMPARE(top.value(u"name").toString(), QStringLiteral("busy \"proc\""));
    QCOMPARE(top.value(u"cpu").toDouble(), 99.5);
    QCOMPARE(top.value(u"rss").toInt(), 1000);
    QCOMPARE(procs.value(u"top_rss").toArray().size(), 1);

    // The timestamp agrees with QDateTime for dates around the epoch too.
    for (qint64 ts :
         {qint64(0), qint64(951782400000) /* 2000-02-29 */, qint64(-1), qint64(4102444799999)}) {
        auto s = std::make_shared<Snapshot>(*snap);
        s->ts = ts;
        encoder.setSnapshot(s);
        const QJsonObject p = QJsonDocument::fromJson(encoder.encode({})).object();
        QCOMPARE(p.value(u"timestamp").toString(),
                 QDateTime::fromMSecsSinceEpoch(ts).toUTC().toString(Qt::ISODateWithMs));
    }
}

void TestFeedCodec::selectMetrics()
{
    const CatalogPtr catalog = test::makeCatalog();
    const auto ids = [&](const QList<qsizetype> &indices) {
        QStringList out;
        for (qsizetype i : indices)
            out << catalog->at(i).id;
        return out;
    };
    const QStringList net =
        ids(FeedCodec::selectMetrics(*catalog, {QStringLiteral("net.eth0.*")}, true));
    QVERIFY(
        net.contains(QStringLiteral("net.eth0.rx.total"))); // counters when a pattern names them
    QVERIFY(net.contains(QStringLiteral("net.eth0.rx")));
    QVERIFY(!net.contains(QStringLiteral("net.rx")));
    QVERIFY(ids(FeedCodec::selectMetrics(*catalog, {QStringLiteral("nothing.*")}, true)).isEmpty());
    const QStringList defaults = ids(FeedCodec::selectMetrics(*catalog, {}, false));
    QVERIFY(defaults.contains(QStringLiteral("cpu.total")));
    QVERIFY(!defaults.contains(QStringLiteral("cpu.ctxt.total")));
}

void TestFeedCodec::hello()
{
    const CatalogPtr catalog = test::makeCatalog();
    const QJsonObject o =
        QJsonDocument::fromJson(FeedCodec::helloMessage(QStringLiteral("1.2.3"),
                                                        QStringLiteral("h"), 500, catalog.get()))
            .object();
    QCOMPARE(o.value(u"type").toString(), QStringLiteral("hello"));
    QCOMPARE(o.value(u"interval_ms").toInt(), 500);
    const QJsonArray metrics = o.value(u"metrics").toArray();
    QCOMPARE(metrics.size(), catalog->size());
    const QJsonObject cpu = metrics.at(0).toObject();
    QCOMPARE(cpu.value(u"id").toString(), QStringLiteral("cpu.total"));
    QCOMPARE(cpu.value(u"max").toDouble(), 100.0);
    QCOMPARE(cpu.value(u"kind").toString(), QStringLiteral("gauge"));
    const QJsonObject freq =
        metrics.at(catalog->indexOf(QStringLiteral("cpu.core.0.freq"))).toObject();
    QVERIFY(freq.value(u"max").isNull());
    QCOMPARE(freq.value(u"attributes").toObject().value(u"cpu").toString(), QStringLiteral("0"));
}

void TestFeedCodec::encodeTiming()
{
    // Measured, not assumed: a realistic 64-core machine has ~700 metrics.
    const CatalogPtr catalog = test::makeCatalog(600);
    const SnapshotPtr snap = test::makeSnapshot(catalog, 1, 1714564800123);
    const QList<qsizetype> indices = FeedCodec::selectMetrics(*catalog, {}, false);
    MetricsFrameEncoder encoder;
    QList<qint64> ns;
    qsizetype bytes = 0;
    for (int i = 0; i < 200; ++i) {
        QElapsedTimer t;
        t.start();
        encoder.setSnapshot(snap);
        const QByteArray frame = webSocketFrame(encoder.encode(indices));
        ns.append(t.nsecsElapsed());
        bytes = frame.size();
    }
    std::sort(ns.begin(), ns.end());
    qInfo("metrics frame: %lld metrics, %lld bytes, median encode %.1f us",
          qlonglong(indices.size()), qlonglong(bytes), double(ns.at(ns.size() / 2)) / 1000.0);
    QVERIFY(ns.at(ns.size() / 2) < 5'000'000); // far below one tick even in Debug
}

QTEST_GUILESS_MAIN(TestFeedCodec)
#include "tst_feedcodec.moc"
