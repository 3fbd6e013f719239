// SPDX-License-Identifier: GPL-3.0-or-later
// The feed with a real HistoryStore behind it: history older than the Hub
// holds comes from the store, over HTTP and over the WebSocket, and a
// client's back-fill from the store still meets the live stream without a
// gap or a duplicate.
#include "FeedServer.h"
#include "HistoryStore.h"
#include "Hub.h"
#include "TestSnapshots.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

// 2024-05-01T12:00:00.060Z: off the store's 100 ms grid, as a sampler
// that runs late is, so stored times differ from the exact ones.
constexpr qint64 T0 = 1714564800060;
constexpr int StoredSeconds = 2 * 3600;
constexpr int MemorySeconds = 60;
constexpr qint64 SpikeTs = T0 + 1800 * 1000;

} // namespace

class TestFeedServerStore final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void httpAnswersFromStore();
    void httpMemoryWhenRecent();
    void webSocketBackfillFromStore();
    void healthReportsStore();

private:
    SnapshotPtr snapshot(quint64 seq, qint64 ts) const;
    QJsonObject httpGet(const QString &path);

    QTemporaryDir m_dir;
    CatalogPtr m_catalog;
    std::unique_ptr<HistoryStore> m_store;
    std::unique_ptr<Hub> m_hub;
    std::unique_ptr<FeedServer> m_server;
    QNetworkAccessManager m_nam;
    quint64 m_seq = 0;
};

SnapshotPtr TestFeedServerStore::snapshot(quint64 seq, qint64 ts) const
{
    auto s = std::const_pointer_cast<Snapshot>(test::makeSnapshot(m_catalog, seq, ts));
    const qsizetype cpu = m_catalog->indexOf(u"cpu.total"_s);
    s->values[cpu] = ts == SpikeTs ? 100.0 : 10.0 + double(seq % 7);
    return s;
}

void TestFeedServerStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_catalog = test::makeCatalog();
}

void TestFeedServerStore::init()
{
    StoreOptions options;
    QString error;
    QVERIFY2(StoreOptions::fromUrl(m_dir.filePath(u"h%1.sqlite"_s.arg(m_seq)), &options, &error),
             qPrintable(error));
    options.host = u"testhost"_s;
    m_store = std::make_unique<HistoryStore>(options);
    QVERIFY2(m_store->open(&error), qPrintable(error));
    // Two hours at 1 Hz go to the store; the Hub holds only the last minute.
    m_hub = std::make_unique<Hub>(qint64(MemorySeconds) * 1000);
    m_seq = 0;
    for (int i = 0; i < StoredSeconds; ++i) {
        const SnapshotPtr s = snapshot(++m_seq, T0 + qint64(i) * 1000);
        m_store->append(s);
        if (i >= StoredSeconds - MemorySeconds)
            m_hub->publish(s);
    }
    m_store->flushSync();
    m_server = std::make_unique<FeedServer>(m_hub.get());
    m_server->setHistorySource(m_store.get());
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
}

void TestFeedServerStore::cleanup()
{
    m_server.reset();
    m_hub.reset();
    m_store.reset();
}

QJsonObject TestFeedServerStore::httpGet(const QString &path)
{
    QNetworkReply *reply = m_nam.get(QNetworkRequest(QUrl(m_server->url()).resolved(QUrl(path))));
    reply->setParent(this);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        return {};
    return QJsonDocument::fromJson(reply->readAll()).object();
}

void TestFeedServerStore::httpAnswersFromStore()
{
    const QJsonObject o =
        httpGet(u"/api/v1/history?metric=cpu.total&from=%1&to=%2&points=100"_s.arg(T0).arg(
            T0 + qint64(StoredSeconds) * 1000));
    QVERIFY2(o.value(u"tier"_s) != u"memory"_s, QJsonDocument(o).toJson().constData());
    const QJsonArray ts = o.value(u"ts"_s).toArray();
    QVERIFY(ts.size() > 10 && ts.size() <= 100);
    QVERIFY(ts.first().toInteger() <= T0 + 120 * 1000); // reaches back to the start
    QVERIFY(o.value(u"step_ms"_s).toInteger() >= 60 * 1000);
    // The one-second spike survives as a bucket's max, not in the averages.
    const QJsonArray max = o.value(u"max"_s).toObject().value(u"cpu.total"_s).toArray();
    const QJsonArray avg = o.value(u"values"_s).toObject().value(u"cpu.total"_s).toArray();
    QCOMPARE(max.size(), ts.size());
    double highest = 0;
    double highestAvg = 0;
    for (qsizetype i = 0; i < max.size(); ++i) {
        highest = qMax(highest, max.at(i).toDouble());
        highestAvg = qMax(highestAvg, avg.at(i).toDouble());
    }
    QCOMPARE(highest, 100.0);
    QVERIFY(highestAvg < 50);
}

void TestFeedServerStore::httpMemoryWhenRecent()
{
    const qint64 newest = T0 + qint64(StoredSeconds - 1) * 1000;
    const QJsonObject o =
        httpGet(u"/api/v1/history?metric=cpu.total&from=%1"_s.arg(newest - 30 * 1000));
    QCOMPARE(o.value(u"tier"_s).toString(), u"memory"_s);
    QCOMPARE(o.value(u"ts"_s).toArray().size(), 31);
}

void TestFeedServerStore::webSocketBackfillFromStore()
{
    QWebSocket ws;
    QList<QJsonObject> messages;
    connect(&ws, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
        messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
    QUrl url(m_server->url());
    url.setScheme(u"ws"_s);
    ws.open(url);
    auto ofType = [&](const QString &type) {
        QList<QJsonObject> out;
        for (const QJsonObject &m : std::as_const(messages)) {
            if (m.value(u"type"_s) == type)
                out.append(m);
        }
        return out;
    };
    QTRY_COMPARE(ofType(u"hello"_s).size(), 1);

    // The last 10 minutes at full resolution: older than the Hub's minute,
    // so the store answers; live ticks race the query.
    const qint64 newest = T0 + qint64(StoredSeconds - 1) * 1000;
    ws.sendTextMessage(u"{\"type\":\"history\",\"metrics\":[\"cpu.total\"],\"window_ms\":600000,"
                       "\"max_points\":10000}"_s);
    ws.flush();
    for (int i = 1; i <= 3; ++i) {
        const SnapshotPtr s = snapshot(++m_seq, newest + qint64(i) * 1000);
        m_store->append(s);
        m_hub->publish(s);
    }
    QTRY_COMPARE(ofType(u"history"_s).size(), 1);
    const QJsonObject h = ofType(u"history"_s).first();
    QCOMPARE(h.value(u"tier"_s).toString(), u"raw"_s);
    const qint64 to = h.value(u"to"_s).toInteger();
    for (int i = 4; i <= 5; ++i) {
        const SnapshotPtr s = snapshot(++m_seq, newest + qint64(i) * 1000);
        m_store->append(s);
        m_hub->publish(s);
    }
    QTRY_VERIFY(ofType(u"metrics"_s).size() >= 5);

    // What a client does: the answer, then every live frame newer than "to".
    QList<qint64> series;
    const QJsonArray ts = h.value(u"ts"_s).toArray();
    for (const QJsonValue &t : ts)
        series.append(t.toInteger());
    for (const QJsonObject &m : ofType(u"metrics"_s)) {
        if (m.value(u"ts"_s).toInteger() > to)
            series.append(m.value(u"ts"_s).toInteger());
    }
    // The window counts back from the newest tick when the server read the
    // request (the ticks above may have come first), "from" included. The
    // store keeps times to 100 ms; the part the Hub holds is exact.
    QVERIFY(qAbs(series.first() - (to - 600 * 1000)) <= 50);
    const qsizetype exactFrom = series.indexOf(m_hub->oldestTs());
    QVERIFY2(exactFrom > 0, "the newest part comes from the Hub, with exact times");
    for (qsizetype i = exactFrom; i < series.size(); ++i)
        QCOMPARE((series.at(i) - T0) % 1000, 0);
    for (qsizetype i = 1; i < series.size(); ++i) { // no gap, no duplicate
        const qint64 step = series.at(i) - series.at(i - 1);
        QVERIFY2(step >= 950 && step <= 1050, qPrintable(QString::number(step)));
    }
    QCOMPARE(series.last(), newest + 5000);
}

void TestFeedServerStore::healthReportsStore()
{
    const QJsonObject o = httpGet(u"/healthz"_s);
    const QJsonObject store = o.value(u"store"_s).toObject();
    QCOMPARE(store.value(u"state"_s).toString(), u"ok"_s);
    QCOMPARE(store.value(u"backend"_s).toString(), u"sqlite"_s);
    QVERIFY(store.value(u"location"_s).toString().endsWith(u".sqlite"_s));
    QVERIFY(store.value(u"written_points"_s).toInteger() > 0);
    QCOMPARE(o.value(u"status"_s).toString(), u"ok"_s);
}

QTEST_GUILESS_MAIN(TestFeedServerStore)
#include "tst_feedserverstore.moc"
