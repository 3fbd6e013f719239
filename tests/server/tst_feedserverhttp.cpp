// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP side of FeedServer: QNetworkAccessManager for well-formed
// requests, raw QTcpSockets for malformed ones.
#include "FeedServer.h"
#include "Hub.h"
#include "RawHttp.h"
#include "TestSnapshots.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace tidewatch;
using namespace Qt::StringLiterals;
using tidewatch::test::RawResponse;
using tidewatch::test::takeResponse;

class TestFeedServerHttp final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void healthz();
    void metrics();
    void metricsPassesPromtool();
    void metricsScrapeSpeed();
    void snapshot();
    void historyFromMemory();
    void historyBadParameters_data();
    void historyBadParameters();
    void pageAndScript();
    void pageFirstData();
    void assets_data();
    void assets();
    void etagRevalidation();
    void notFound();
    void methodNotAllowed();
    void badRequest_data();
    void badRequest();
    void headTooLarge();
    void headTimeout();
    void headRequestAndKeepAlive();
    void upgradeRefusals();
    void listenOnOccupiedPort();

private:
    void startServer(FeedServerOptions options = {});
    QUrl url(const QString &path) const { return QUrl(m_server->url()).resolved(QUrl(path)); }
    /// GET through QNetworkAccessManager; waits for the reply.
    QNetworkReply *get(const QString &path);
    /// Sends raw bytes, returns the first response (or status 0).
    RawResponse raw(const QByteArray &request, bool *closed = nullptr);

    std::unique_ptr<Hub> m_hub;
    std::unique_ptr<FeedServer> m_server;
    QNetworkAccessManager m_nam;
    CatalogPtr m_catalog;
};

void TestFeedServerHttp::init()
{
    m_hub = std::make_unique<Hub>();
    m_catalog = test::makeCatalog();
}

void TestFeedServerHttp::cleanup()
{
    m_server.reset();
    m_hub.reset();
}

void TestFeedServerHttp::startServer(FeedServerOptions options)
{
    m_server = std::make_unique<FeedServer>(m_hub.get(), options);
    QString error;
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QCOMPARE(m_server->url(), QStringLiteral("http://127.0.0.1:%1/").arg(m_server->serverPort()));
}

QNetworkReply *TestFeedServerHttp::get(const QString &path)
{
    QNetworkReply *reply = m_nam.get(QNetworkRequest(url(path)));
    reply->setParent(this);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        qWarning("no reply to GET %s", qPrintable(path));
    return reply;
}

RawResponse TestFeedServerHttp::raw(const QByteArray &request, bool *closed)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    if (!QTest::qWaitFor([&] { return s.state() == QAbstractSocket::ConnectedState; }, 5000))
        return {};
    s.write(request);
    QByteArray buffer;
    RawResponse r;
    if (!QTest::qWaitFor(
            [&] {
                buffer += s.readAll();
                return takeResponse(buffer, &r);
            },
            5000))
        return {}; // status 0 fails the caller's check
    if (closed) {
        *closed = QTest::qWaitFor(
            [&] {
                s.readAll();
                return s.state() == QAbstractSocket::UnconnectedState;
            },
            5000);
    }
    return r;
}

void TestFeedServerHttp::healthz()
{
    startServer();
    QNetworkReply *reply = get(QStringLiteral("/healthz"));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(),
             QStringLiteral("application/json"));
    QCOMPARE(reply->rawHeader("Cache-Control"), QByteArray("no-store"));
    QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(o.value(u"status").toString(), QStringLiteral("starting"));
    QVERIFY(o.value(u"last_sample_age_ms").isNull());
    QCOMPARE(o.value(u"version").toString(), QStringLiteral(TIDEWATCH_VERSION));
    QCOMPARE(o.value(u"clients").toInt(), 0);
    QVERIFY(o.value(u"uptime_s").isDouble());
    QCOMPARE(o.value(u"frames_sent").toInt(), 0);
    QCOMPARE(o.value(u"frames_dropped").toInt(), 0);

    m_hub->publish(test::makeSnapshot(m_catalog, 1, QDateTime::currentMSecsSinceEpoch() - 200));
    o = QJsonDocument::fromJson(get(QStringLiteral("/healthz"))->readAll()).object();
    QCOMPARE(o.value(u"status").toString(), QStringLiteral("ok"));
    QVERIFY(o.value(u"last_sample_age_ms").toInt() >= 200);
    QVERIFY(o.value(u"last_sample_age_ms").toInt() < 60000);
}

void TestFeedServerHttp::metrics()
{
    startServer();
    m_hub->publish(test::makeSnapshot(m_catalog, 4, 1714564800000));
    QNetworkReply *reply = get(QStringLiteral("/metrics"));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->rawHeader("Content-Type"),
             QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    QCOMPARE(reply->rawHeader("Cache-Control"), QByteArray("no-store"));
    const QByteArray body = reply->readAll();
    QCOMPARE(reply->rawHeader("Content-Length").toInt(), body.size());
    QVERIFY(body.contains("# TYPE node_cpu_seconds_total counter\n"));
    QVERIFY(body.contains("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} "));
    QVERIFY(body.contains("# TYPE node_memory_MemAvailable_bytes gauge\n"));
    QVERIFY(body.contains("node_filesystem_avail_bytes{device=\"/dev/"
                          "sdb1\",fstype=\"xfs\",mountpoint=\"/mnt/we\\\"ird\\\\dir\"} "));
    QVERIFY(body.contains("node_network_receive_bytes_total{device=\"eth0\"} "));
    QVERIFY(body.contains("node_hwmon_temp_celsius{chip=\"coretemp\",sensor=\"temp1\"} "));
    QVERIFY(body.contains("tidewatch_snapshot_seq 4\n"));
    QVERIFY(body.contains("tidewatch_clients 0\n"));
    QVERIFY(body.endsWith('\n'));
}

void TestFeedServerHttp::metricsPassesPromtool()
{
    const QString promtool = QStringLiteral("/usr/bin/promtool");
    if (!QFileInfo::exists(promtool))
        QSKIP("promtool not installed (Debian package prometheus)");
    startServer();
    m_hub->publish(test::makeSnapshot(m_catalog, 1, 1714564800000));
    const QByteArray body = get(QStringLiteral("/metrics"))->readAll();
    QVERIFY(body.size() > 1000);
    QProcess p;
    p.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    QVERIFY(p.waitForStarted());
    p.write(body);
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(30000));
    const QByteArray output = p.readAllStandardOutput() + p.readAllStandardError();
    // Exit 1 is a parse error, 3 lint findings. node_exporter's meminfo names
    // (node_memory_MemTotal_bytes, ...) are camelCase by design and draw a
    // lint finding from node_exporter's own output too: that one, and only
    // that one, is accepted, because those names are what dashboards query.
    QVERIFY2(p.exitCode() == 0 || p.exitCode() == 3, output.constData());
    for (const QByteArray &line : output.trimmed().split('\n')) {
        if (line.isEmpty())
            continue;
        QVERIFY2(
            line.startsWith("node_memory_") &&
                line.endsWith("metric names should be written in 'snake_case' not 'camelCase'"),
            line.constData());
    }

    // And the check can fail: a broken exposition is caught.
    QProcess bad;
    bad.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    QVERIFY(bad.waitForStarted());
    bad.write("# TYPE x counter\nx{a=\"b} 1\n");
    bad.closeWriteChannel();
    QVERIFY(bad.waitForFinished(30000));
    QVERIFY(bad.exitCode() != 0);
}

void TestFeedServerHttp::metricsScrapeSpeed()
{
    startServer();
    m_hub->publish(test::makeSnapshot(test::makeCatalog(600), 1, 1714564800000));
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QTRY_COMPARE(s.state(), QAbstractSocket::ConnectedState);
    QList<qint64> us;
    QByteArray buffer;
    for (int i = 0; i < 200; ++i) {
        // Driven by readyRead in a local event loop: QTest::qWaitFor sleeps
        // 10 ms between polls, which would measure the poll, not the server.
        QElapsedTimer t;
        t.start();
        RawResponse r;
        QEventLoop loop;
        connect(&s, &QTcpSocket::readyRead, &loop, [&] {
            buffer += s.readAll();
            if (takeResponse(buffer, &r))
                loop.quit();
        });
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        s.write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        loop.exec();
        us.append(t.nsecsElapsed() / 1000);
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.size() > 5000);
    }
    std::sort(us.begin(), us.end());
    qInfo("GET /metrics round trip over loopback (client and server on one thread): "
          "median %lld us, p90 %lld us",
          qlonglong(us.at(us.size() / 2)), qlonglong(us.at(us.size() * 9 / 10)));
    QVERIFY(us.at(us.size() / 2) <= 1000);
}

void TestFeedServerHttp::snapshot()
{
    startServer();
    QNetworkReply *before = get(QStringLiteral("/api/v1/snapshot"));
    QCOMPARE(before->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
    QVERIFY(QJsonDocument::fromJson(before->readAll()).object().contains(u"error"));

    m_hub->publish(test::makeSnapshot(m_catalog, 9, 1714564800000));
    QNetworkReply *reply = get(QStringLiteral("/api/v1/snapshot"));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->rawHeader("Cache-Control"), QByteArray("no-store"));
    const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(o.value(u"host").toString(), QStringLiteral("testhost"));
    QCOMPARE(o.value(u"ts").toInteger(), 1714564800000);
    QCOMPARE(o.value(u"seq").toInt(), 9);
    const QJsonObject values = o.value(u"values").toObject();
    QCOMPARE(values.size(), m_catalog->size()); // counters included
    QVERIFY(values.value(u"cpu.ctxt").isNull());
    QCOMPARE(values.value(u"mem.total").toDouble(),
             m_hub->latest()->value(QStringLiteral("mem.total")));
    QCOMPARE(o.value(u"processes").toObject().value(u"top_rss").toArray().size(), 1);
}

void TestFeedServerHttp::historyFromMemory()
{
    startServer();
    // No store: the Hub's memory answers, for any range.
    const qint64 t0 = 1714564800000;
    for (int i = 0; i < 120; ++i)
        m_hub->publish(test::makeSnapshot(m_catalog, quint64(i + 1), t0 + i * 1000));

    QNetworkReply *reply = get(QStringLiteral("/api/v1/history?metric=cpu.total&metric=mem.*"
                                              "&from=%1&to=%2&points=10")
                                   .arg(t0)
                                   .arg(t0 + 119000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->rawHeader("Cache-Control"), QByteArray("no-store"));
    const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
    QVERIFY(!o.contains(u"type"));
    QCOMPARE(o.value(u"tier").toString(), QStringLiteral("memory"));
    QCOMPARE(o.value(u"step").toInt(), 12);
    QCOMPARE(o.value(u"ts").toArray().size(), 10);
    QCOMPARE(o.value(u"ts").toArray().last().toInteger(), t0 + 119000); // ends at "to"
    const QJsonObject values = o.value(u"values").toObject();
    QVERIFY(values.contains(u"cpu.total"));
    QVERIFY(values.contains(u"mem.percent"));
    QVERIFY(!values.contains(u"load.1"));
    // Envelopes: each bucket's min <= average <= max.
    const QJsonArray avg = values.value(u"cpu.total").toArray();
    const QJsonArray lo = o.value(u"min").toObject().value(u"cpu.total").toArray();
    const QJsonArray hi = o.value(u"max").toObject().value(u"cpu.total").toArray();
    QCOMPARE(lo.size(), 10);
    for (int i = 0; i < 10; ++i) {
        QVERIFY(lo.at(i).toDouble() <= avg.at(i).toDouble());
        QVERIFY(avg.at(i).toDouble() <= hi.at(i).toDouble());
    }

    // Relative times and ISO-8601 are accepted too.
    reply = get(QStringLiteral("/api/v1/history?metric=cpu.total&from=-30s"));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(u"ts").toArray().size(), 31);
    reply = get(QStringLiteral("/api/v1/history?metric=cpu.total&from=2024-05-01T12:01:50Z"));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(u"ts").toArray().size(), 10);

    // The store is off, and /healthz says so.
    const QJsonObject health =
        QJsonDocument::fromJson(get(QStringLiteral("/healthz"))->readAll()).object();
    QCOMPARE(health.value(u"store").toObject().value(u"state").toString(), QStringLiteral("off"));
}

void TestFeedServerHttp::historyBadParameters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("from text") << QStringLiteral("from=yesterday") << QStringLiteral("from");
    QTest::newRow("points zero") << QStringLiteral("points=0") << QStringLiteral("points");
    QTest::newRow("points huge") << QStringLiteral("points=100001") << QStringLiteral("points");
    QTest::newRow("reversed") << QStringLiteral("from=2000&to=1000")
                              << QStringLiteral("from is after to");
    QTest::newRow("unknown") << QStringLiteral("metrics=cpu.total") << QStringLiteral("metrics");
    QTest::newRow("empty metric") << QStringLiteral("metric=") << QStringLiteral("metric");
    QTest::newRow("long metric") << u"metric="_s + QString(300, u'x') << QStringLiteral("metric");
}

void TestFeedServerHttp::historyBadParameters()
{
    QFETCH(QString, query);
    QFETCH(QString, mentions);
    startServer();
    m_hub->publish(test::makeSnapshot(m_catalog, 1, 1714564800000));
    QNetworkReply *reply = get(u"/api/v1/history?"_s + query);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
    const QString error =
        QJsonDocument::fromJson(reply->readAll()).object().value(u"error").toString();
    QVERIFY2(error.contains(mentions), qPrintable(error));
    // The server is still there for the next request.
    QCOMPARE(get(QStringLiteral("/healthz"))->error(), QNetworkReply::NoError);
}

// The text of each `<tag>…</tag>` (with no attributes) in `html`.
static QList<QByteArray> inlineElements(const QByteArray &html, const QByteArray &tag)
{
    QList<QByteArray> found;
    const QByteArray open = '<' + tag + '>';
    const QByteArray close = "</" + tag + '>';
    for (qsizetype from = html.indexOf(open); from >= 0; from = html.indexOf(open, from)) {
        from += open.size();
        const qsizetype end = html.indexOf(close, from);
        if (end < 0)
            break;
        found.append(html.mid(from, end - from));
    }
    return found;
}

void TestFeedServerHttp::pageAndScript()
{
    startServer();
    QNetworkReply *page = get(QStringLiteral("/"));
    QCOMPARE(page->error(), QNetworkReply::NoError);
    QCOMPARE(page->rawHeader("Content-Type"), QByteArray("text/html; charset=utf-8"));
    QCOMPARE(page->rawHeader("X-Content-Type-Options"), QByteArray("nosniff"));
    // It carries this moment's data: never cached, so no validator either.
    QCOMPARE(page->rawHeader("Cache-Control"), QByteArray("no-store"));
    QVERIFY(!page->hasRawHeader("ETag"));
    const QByteArray html = page->readAll();
    QVERIFY(html.startsWith("<!DOCTYPE html>"));
    QVERIFY(html.contains("SPDX-License-Identifier: GPL-3.0-or-later"));

    // boot.js, first-chart.js and both style sheets are inline, each allowed
    // by the hash of exactly its text and by nothing looser.
    const QByteArray csp = page->rawHeader("Content-Security-Policy");
    QVERIFY2(csp.startsWith("default-src 'self'; script-src 'self' 'sha256-"), csp.constData());
    QVERIFY(csp.contains("; style-src 'self' 'sha256-"));
    QVERIFY(csp.contains("connect-src 'self' ws: wss:"));
    QVERIFY(csp.contains("frame-ancestors 'none'"));
    QVERIFY(!csp.contains("unsafe"));
    const auto sources = [&csp](QByteArrayView directive) {
        for (QByteArrayView part : QByteArray(csp).split(';')) {
            part = part.trimmed();
            if (part.startsWith(directive))
                return part.toByteArray();
        }
        return QByteArray();
    };
    const auto allowed = [](const QByteArray &directive, const QByteArray &text) {
        const QByteArray source =
            " 'sha256-" + QCryptographicHash::hash(text, QCryptographicHash::Sha256).toBase64() +
            '\'';
        return directive.contains(source);
    };
    const QList<QByteArray> scripts = inlineElements(html, "script");
    const QList<QByteArray> styles = inlineElements(html, "style");
    QCOMPARE(scripts.size(), 2);
    QCOMPARE(styles.size(), 2);
    const QByteArray scriptSrc = sources("script-src");
    const QByteArray styleSrc = sources("style-src");
    QCOMPARE(scriptSrc.count("'sha256-"), 2);
    QCOMPARE(styleSrc.count("'sha256-"), 2);
    for (const QByteArray &text : scripts)
        QVERIFY(allowed(scriptSrc, text));
    for (const QByteArray &text : styles)
        QVERIFY(allowed(styleSrc, text));
    QVERIFY(!allowed(scriptSrc, scripts.first() + ' ')); // one byte more is refused
    // The inline texts are the files the server also serves.
    QCOMPARE(scripts.at(0), get(QStringLiteral("/boot.js"))->readAll());
    QCOMPARE(scripts.at(1), get(QStringLiteral("/first-chart.js"))->readAll());
    QVERIFY(styles.contains(get(QStringLiteral("/style.css"))->readAll()));
    QVERIFY(!html.contains("<script src=\"/boot.js\""));
    QVERIFY(!html.contains("data-inline"));
    // No frame before the first picture is drawn (or known not to be);
    // uPlot and app.js load only afterwards.
    QVERIFY(html.contains("<link rel=\"expect\" href=\"#first-chart-end\" blocking=\"render\">"));
    QVERIFY(html.indexOf("id=\"first-chart-end\"") > html.indexOf(scripts.at(1)));
    QVERIFY(!html.contains("rel=\"preload\""));
    QVERIFY(!html.contains("style="));
    QVERIFY(!html.contains("onclick") && !html.contains("onerror") && !html.contains("onload"));
    // No sample yet: no data for a first picture, and no marker left over.
    QVERIFY(!html.contains("type=\"application/json\""));
    QVERIFY(!html.contains("<!--first-data-->"));
    QVERIFY(html.contains("id=\"chart-cpu\""));

    QNetworkReply *js = get(QStringLiteral("/app.js"));
    QCOMPARE(js->error(), QNetworkReply::NoError);
    QCOMPARE(js->rawHeader("Content-Type"), QByteArray("text/javascript; charset=utf-8"));
    QCOMPARE(js->rawHeader("Cache-Control"), QByteArray("no-cache"));
    QVERIFY(js->rawHeader("ETag").startsWith('"'));
    const QByteArray script = js->readAll();
    QVERIFY(script.contains("new WebSocket"));
    QVERIFY(script.contains("textContent"));
    QVERIFY(!script.contains("innerHTML"));
    QVERIFY(!script.contains("insertAdjacentHTML"));
    QVERIFY(!script.contains("eval("));
}

void TestFeedServerHttp::pageFirstData()
{
    startServer();
    // 40 s at 1 Hz: the page holds the last 20 s of the total and the cores.
    const qint64 t0 = 1714564800000;
    for (int i = 0; i < 40; ++i)
        m_hub->publish(test::makeSnapshot(m_catalog, quint64(i + 1), t0 + i * 1000));
    QNetworkReply *page = get(QStringLiteral("/index.html"));
    QCOMPARE(page->error(), QNetworkReply::NoError);
    const QByteArray html = page->readAll();
    const QByteArray open("<script type=\"application/json\" id=\"first-data\">");
    const qsizetype from = html.indexOf(open);
    QVERIFY(from > html.indexOf("id=\"chart-cpu\""));
    QVERIFY(from <
            html.indexOf("<script>", html.indexOf("id=\"chart-cpu\""))); // before first-chart.js
    const qsizetype end = html.indexOf("</script>", from);
    QJsonParseError error;
    const QJsonObject data =
        QJsonDocument::fromJson(html.mid(from + open.size(), end - from - open.size()), &error)
            .object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(data.value(u"t0").toInteger(), t0 + 19000);
    const QJsonArray t = data.value(u"t").toArray();
    QCOMPARE(t.size(), 21);
    QCOMPARE(t.first().toInteger(), 0);
    QCOMPARE(t.last().toInteger(), 20000);
    const QJsonObject v = data.value(u"v").toObject();
    QCOMPARE(v.keys(), (QStringList{QStringLiteral("cpu.core.0"), QStringLiteral("cpu.core.1"),
                                    QStringLiteral("cpu.total")}));
    // Values to one decimal: testValue() is i * 10 + seq + 0.5.
    const qsizetype total = m_catalog->indexOf(QStringLiteral("cpu.total"));
    const QJsonArray totals = v.value(u"cpu.total").toArray();
    QCOMPARE(totals.size(), 21);
    QCOMPARE(totals.last().toDouble(), double(total) * 10 + 40 + 0.5);
    // Each request has the moment's data.
    m_hub->publish(test::makeSnapshot(m_catalog, 41, t0 + 40000));
    const QByteArray newer = "{\"t0\":" + QByteArray::number(t0 + 20000) + ',';
    QVERIFY(get(QStringLiteral("/"))->readAll().contains(newer));
}

void TestFeedServerHttp::assets_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("contains");
    QTest::newRow("boot") << QStringLiteral("/boot.js")
                          << QByteArray("text/javascript; charset=utf-8")
                          << QByteArray("new WebSocket");
    QTest::newRow("first chart") << QStringLiteral("/first-chart.js")
                                 << QByteArray("text/javascript; charset=utf-8")
                                 << QByteArray("first-data");
    QTest::newRow("style") << QStringLiteral("/style.css") << QByteArray("text/css; charset=utf-8")
                           << QByteArray("--bg");
    QTest::newRow("icon") << QStringLiteral("/favicon.svg") << QByteArray("image/svg+xml")
                          << QByteArray("<svg");
    // uPlot from npm, compiled into the resources by the build.
    QTest::newRow("uPlot") << QStringLiteral("/vendor/uPlot.iife.min.js")
                           << QByteArray("text/javascript; charset=utf-8")
                           << QByteArray("var uPlot=");
    QTest::newRow("uPlot css") << QStringLiteral("/vendor/uPlot.min.css")
                               << QByteArray("text/css; charset=utf-8") << QByteArray(".uplot");
}

void TestFeedServerHttp::assets()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, contains);
    startServer();
    QNetworkReply *reply = get(path);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->rawHeader("Content-Type"), contentType);
    QVERIFY(reply->rawHeader("Content-Security-Policy").startsWith("default-src 'self'"));
    QCOMPARE(reply->rawHeader("X-Content-Type-Options"), QByteArray("nosniff"));
    QVERIFY(reply->readAll().contains(contains));
}

void TestFeedServerHttp::etagRevalidation()
{
    startServer();
    const RawResponse first = raw("GET /app.js HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(first.status, 200);
    const QByteArray etag = first.header("etag");
    QVERIFY(etag.size() > 2 && etag.startsWith('"') && etag.endsWith('"'));
    QCOMPARE(first.header("cache-control"), QByteArray("no-cache"));
    // Same body, same validator; another file, another validator.
    QCOMPARE(raw("GET /app.js HTTP/1.1\r\nHost: x\r\n\r\n").header("etag"), etag);
    QVERIFY(raw("GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n").header("etag") != etag);

    // A matching If-None-Match (also in a list, weak, or "*") gets 304 with
    // the validator and no body; the connection stays usable.
    const QByteArray other = "\"other\", " + etag;
    const QByteArray weak = "W/" + etag;
    for (const QByteArray &value : {etag, other, weak, QByteArray("*")}) {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(s.waitForConnected(5000));
        s.write("GET /app.js HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + value +
                "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QByteArray buffer;
        RawResponse notModified;
        RawResponse health;
        QVERIFY(QTest::qWaitFor(
            [&] {
                buffer += s.readAll();
                if (notModified.status == 0 && buffer.startsWith("HTTP/1.1 304")) {
                    // A 304 has no body and no Content-Length: take the head.
                    const qsizetype end = buffer.indexOf("\r\n\r\n");
                    if (end < 0)
                        return false;
                    notModified.status = 304;
                    notModified.head = buffer.left(end);
                    buffer.remove(0, end + 4);
                }
                return notModified.status == 304 && takeResponse(buffer, &health);
            },
            5000));
        QCOMPARE(notModified.header("etag"), etag);
        QCOMPARE(notModified.header("content-length"), QByteArray());
        QCOMPARE(notModified.header("cache-control"), QByteArray("no-cache"));
        QCOMPARE(health.status, 200);
    }
    const RawResponse stale =
        raw("GET /app.js HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"stale\"\r\n\r\n");
    QCOMPARE(stale.status, 200);
    QVERIFY(!stale.body.isEmpty());
}

void TestFeedServerHttp::notFound()
{
    startServer();
    QNetworkReply *reply = get(QStringLiteral("/nope"));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
    QCOMPARE(reply->rawHeader("Content-Type"), QByteArray("application/json"));
    QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(u"error").toString(),
             QStringLiteral("not found"));
}

void TestFeedServerHttp::methodNotAllowed()
{
    startServer();
    bool closed = false;
    const RawResponse r =
        raw("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", &closed);
    QCOMPARE(r.status, 405);
    QCOMPARE(r.header("allow"), QByteArray("GET, HEAD"));
    QVERIFY(QJsonDocument::fromJson(r.body).object().contains(u"error"));
    QVERIFY(closed);
}

void TestFeedServerHttp::badRequest_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("garbage") << QByteArray("\x16\x03\x01 hello\r\n\r\n");
    QTest::newRow("no host") << QByteArray("GET / HTTP/1.1\r\n\r\n");
    QTest::newRow("http/2") << QByteArray("GET / HTTP/2.0\r\nHost: x\r\n\r\n");
    QTest::newRow("body on get") << QByteArray(
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
    QTest::newRow("upgrade without key")
        << QByteArray("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n");
}

void TestFeedServerHttp::badRequest()
{
    QFETCH(QByteArray, request);
    startServer();
    bool closed = false;
    const RawResponse r = raw(request, &closed);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    QVERIFY(!QJsonDocument::fromJson(r.body).object().value(u"error").toString().isEmpty());
    QVERIFY(closed);
    // The server is unharmed.
    QCOMPARE(get(QStringLiteral("/healthz"))->error(), QNetworkReply::NoError);
}

void TestFeedServerHttp::headTooLarge()
{
    startServer();
    bool closed = false;
    const RawResponse r = raw(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(20 * 1024, 'a') + "\r\n\r\n", &closed);
    QCOMPARE(r.status, 431);
    QVERIFY(closed);
    // A head that never ends is refused the same way.
    const RawResponse endless = raw("GET / HTTP/1.1\r\nX: " + QByteArray(17 * 1024, 'b'), &closed);
    QCOMPARE(endless.status, 431);
}

void TestFeedServerHttp::headTimeout()
{
    FeedServerOptions options;
    options.requestHeadTimeoutMs = 300;
    startServer(options);
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QTRY_COMPARE(s.state(), QAbstractSocket::ConnectedState);
    QElapsedTimer t;
    t.start();
    s.write("GET /healthz HTTP/1.1\r\nHo");
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), QAbstractSocket::UnconnectedState, 5000);
    QVERIFY(t.elapsed() >= 250);
    QVERIFY(s.readAll().isEmpty());
}

void TestFeedServerHttp::headRequestAndKeepAlive()
{
    startServer();
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QTRY_COMPARE(s.state(), QAbstractSocket::ConnectedState);
    // Pipelined: HEAD, then GET on the same connection.
    s.write("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray buffer;
    RawResponse head, body;
    QVERIFY(QTest::qWaitFor(
        [&] {
            buffer += s.readAll();
            return takeResponse(buffer, &head, true);
        },
        5000));
    QVERIFY(QTest::qWaitFor(
        [&] {
            buffer += s.readAll();
            return takeResponse(buffer, &body);
        },
        5000));
    QCOMPARE(head.status, 200);
    QVERIFY(head.header("content-length").toInt() > 0); // length of the body a GET would get
    QCOMPARE(head.header("connection"), QByteArray("keep-alive"));
    QCOMPARE(body.status, 200);
    QVERIFY(QJsonDocument::fromJson(body.body).isObject());
    QVERIFY(buffer.isEmpty());
    QCOMPARE(s.state(), QAbstractSocket::ConnectedState);
    // Connection: close is honoured.
    s.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QVERIFY(QTest::qWaitFor(
        [&] {
            buffer += s.readAll();
            return takeResponse(buffer, &body);
        },
        5000));
    QCOMPARE(body.header("connection"), QByteArray("close"));
    QTRY_COMPARE(s.state(), QAbstractSocket::UnconnectedState);
}

void TestFeedServerHttp::upgradeRefusals()
{
    startServer();
    const QByteArray upgrade("Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
    QCOMPARE(
        raw("GET /elsewhere HTTP/1.1\r\n" + upgrade + "Sec-WebSocket-Version: 13\r\n\r\n").status,
        404);
    const RawResponse old =
        raw("GET / HTTP/1.1\r\n" + upgrade + "Sec-WebSocket-Version: 8\r\n\r\n");
    QCOMPARE(old.status, 426);
    QCOMPARE(old.header("sec-websocket-version"), QByteArray("13"));
    // Both "/" and "/ws" upgrade.
    for (const char *path : {"/", "/ws"}) {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QTRY_COMPARE(s.state(), QAbstractSocket::ConnectedState);
        s.write("GET " + QByteArray(path) + " HTTP/1.1\r\n" + upgrade +
                "Sec-WebSocket-Version: 13\r\n\r\n");
        QTRY_VERIFY(s.peek(4096).contains("\r\n\r\n"));
        QVERIFY(s.peek(32).startsWith("HTTP/1.1 101"));
    }
}

void TestFeedServerHttp::listenOnOccupiedPort()
{
    startServer();
    FeedServer second(m_hub.get());
    QString error;
    QVERIFY(!second.listen(QHostAddress::LocalHost, m_server->serverPort(), &error));
    QCOMPARE(error, QStringLiteral("cannot listen on 127.0.0.1:%1: address already in use")
                        .arg(m_server->serverPort()));
}

QTEST_GUILESS_MAIN(TestFeedServerHttp)
#include "tst_feedserverhttp.moc"
