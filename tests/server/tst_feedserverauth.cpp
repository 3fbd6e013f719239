// SPDX-License-Identifier: GPL-3.0-or-later
// The FeedServer's gate over real sockets: every route with and without
// credentials, the login link and the session cookie, logout, the failure
// limit, Origin and Host checks, and the security headers.
#include "Authenticator.h"
#include "FeedServer.h"
#include "Hub.h"
#include "Jwt.h"
#include "RawHttp.h"
#include "TestSnapshots.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

const QByteArray Token = "test-token-0123456789abcdef";
const QByteArray Secret = "test-jwt-secret-0123456789abcdef";

using Response = test::RawResponse;

QByteArray jwtFor(qint64 expS, const QByteArray &secret = Secret)
{
    jwt::Claims c;
    c.subject = u"bob"_s;
    c.iat = QDateTime::currentSecsSinceEpoch();
    c.exp = expS;
    return jwt::signHs256(c, secret);
}

/// An upgrade request head without its closing blank line.
QByteArray upgradeHead(const QByteArray &path)
{
    return "GET " + path +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
}

QByteArray upgrade(const QByteArray &path, const QByteArray &extra)
{
    return upgradeHead(path) + extra + "\r\n";
}

} // namespace

class TestFeedServerAuth final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void everyRouteNeedsCredentials_data();
    void everyRouteNeedsCredentials();
    void sameAnswerForEveryFailure();
    void browserIsSentToLogin();
    void healthSaysWhetherLoginIsNeeded();
    void loginLinkSetsSessionOnce();
    void loginWithTokenAndLogout();
    void webSocketWithCredentials();
    void failuresAreRateLimited();
    void originChecked();
    void hostCheckedWhenOpen();
    void securityHeaders();
    void openServerNeedsNothing();

private:
    void startServer(bool withAuth);
    Response raw(const QByteArray &request);
    Response get(const QByteArray &target, const QByteArray &extra = {})
    {
        return raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n");
    }
    QUrl wsUrl(const QString &query = {}) const
    {
        QUrl u(u"ws://127.0.0.1:%1/ws"_s.arg(m_server->serverPort()));
        u.setQuery(query);
        return u;
    }
    /// Opens a QWebSocket; true once connected and hello arrived.
    bool openWs(QWebSocket &ws, const QNetworkRequest &request);

    std::unique_ptr<Hub> m_hub;
    std::unique_ptr<FeedServer> m_server;
};

void TestFeedServerAuth::init()
{
    m_hub = std::make_unique<Hub>();
    m_hub->publish(
        test::makeSnapshot(test::makeCatalog(), 1, QDateTime::currentMSecsSinceEpoch() - 100));
}

void TestFeedServerAuth::cleanup()
{
    m_server.reset();
    m_hub.reset();
}

void TestFeedServerAuth::startServer(bool withAuth)
{
    m_server = std::make_unique<FeedServer>(m_hub.get());
    if (withAuth) {
        AuthOptions o;
        o.tokens = {Token};
        o.jwtSecret = Secret;
        m_server->setAuthOptions(o);
    }
    QString error;
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
}

Response TestFeedServerAuth::raw(const QByteArray &request)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    if (!QTest::qWaitFor([&] { return s.state() == QAbstractSocket::ConnectedState; }, 5000))
        return {};
    s.write(request);
    QByteArray buffer;
    Response r;
    const bool complete = QTest::qWaitFor(
        [&] {
            buffer += s.readAll();
            return test::takeResponse(buffer, &r);
        },
        5000);
    return complete ? r : Response();
}

bool TestFeedServerAuth::openWs(QWebSocket &ws, const QNetworkRequest &request)
{
    bool hello = false;
    connect(&ws, &QWebSocket::textMessageReceived, this,
            [&hello](const QString &m) { hello = hello || m.contains(u"\"hello\""_s); });
    ws.open(request);
    return QTest::qWaitFor([&] { return hello; }, 5000);
}

void TestFeedServerAuth::everyRouteNeedsCredentials_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("without");
    QTest::addColumn<int>("with");
    const auto plain = [](const QByteArray &path) -> QByteArray {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    };
    QTest::newRow("/metrics") << plain("/metrics") << 401 << 200;
    QTest::newRow("/api/v1/snapshot") << plain("/api/v1/snapshot") << 401 << 200;
    QTest::newRow("/api/v1/history")
        << plain("/api/v1/history?metric=cpu.total&from=-1m") << 401 << 200;
    QTest::newRow("/ (script)") << plain("/") << 401 << 200;
    QTest::newRow("/app.js") << plain("/app.js") << 401 << 200;
    QTest::newRow("/style.css") << plain("/style.css") << 401 << 200;
    QTest::newRow("/nope") << plain("/nope") << 401 << 404;
    QTest::newRow("/healthz is open") << plain("/healthz") << 200 << 200;
    QTest::newRow("upgrade /ws") << upgradeHead("/ws") << 401 << 101;
    QTest::newRow("upgrade /") << upgradeHead("/") << 401 << 101;
}

void TestFeedServerAuth::everyRouteNeedsCredentials()
{
    QFETCH(QByteArray, request);
    QFETCH(int, without);
    QFETCH(int, with);
    startServer(true);
    const Response denied = raw(request + "\r\n");
    QCOMPARE(denied.status, without);
    if (without == 401)
        QCOMPARE(denied.header("www-authenticate"), QByteArray("Bearer realm=\"tidewatch\""));
    QCOMPARE(raw(request + "Authorization: Bearer " + Token + "\r\n\r\n").status, with);
    QCOMPARE(raw(request + "Authorization: Bearer " +
                 jwtFor(QDateTime::currentSecsSinceEpoch() + 600) + "\r\n\r\n")
                 .status,
             with);
}

void TestFeedServerAuth::sameAnswerForEveryFailure()
{
    startServer(true);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QByteArray none = jwt::base64UrlEncode(R"({"alg":"none"})") + '.' +
                            jwt::base64UrlEncode(R"({"exp":9999999999})") + '.';
    const QList<QByteArray> bad = {"wrong-token-0123456789", jwtFor(now - 3600),
                                   jwtFor(now + 600, "forged-secret-0123456789abcdef!!"), none};
    Response first;
    for (const QByteArray &b : bad) {
        const Response r = get("/metrics", "Authorization: Bearer " + b + "\r\n");
        QCOMPARE(r.status, 401);
        if (first.status == 0)
            first = r;
        QCOMPARE(r.body, first.body);
        QCOMPARE(r.head, first.head);
    }
}

void TestFeedServerAuth::browserIsSentToLogin()
{
    startServer(true);
    const Response r = get("/", "Accept: text/html,application/xhtml+xml\r\n");
    QCOMPARE(r.status, 303);
    QCOMPARE(r.header("location"), QByteArray("/login"));
    // The login page itself is public, and whole: its script and styles
    // are inline, allowed by hash, and nothing else inline runs.
    const Response login = get("/login", "Accept: text/html\r\n");
    QCOMPARE(login.status, 200);
    QVERIFY(login.header("content-type").startsWith("text/html"));
    QCOMPARE(login.header("cache-control"), QByteArray("no-store"));
    const QByteArray csp = login.header("content-security-policy");
    QVERIFY2(csp.contains("script-src 'self' 'sha256-"), csp.constData());
    QVERIFY2(csp.contains("style-src 'self' 'sha256-"), csp.constData());
    QVERIFY(!csp.contains("unsafe"));
    QVERIFY(login.body.contains("id=\"token\""));
    QVERIFY(!login.body.contains("<script src="));
    QVERIFY(!login.body.contains("<link rel=\"stylesheet\""));
}

void TestFeedServerAuth::healthSaysWhetherLoginIsNeeded()
{
    const auto auth = [this] {
        const Response r = get("/healthz");
        return QJsonDocument::fromJson(r.body).object().value(u"auth"_s).toString();
    };
    startServer(true);
    QCOMPARE(auth(), u"required"_s);
    startServer(false);
    QCOMPARE(auth(), u"off"_s);
}

void TestFeedServerAuth::loginLinkSetsSessionOnce()
{
    startServer(true);
    const QString link = m_server->issueLoginLink();
    QVERIFY2(link.startsWith(m_server->url() + u"login?code="_s), qPrintable(link));
    const QByteArray target =
        QUrl(link)
            .toString(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::FullyEncoded)
            .toLatin1();
    const Response r = get(target);
    QCOMPARE(r.status, 200);
    QVERIFY2(r.body.contains("http-equiv=\"refresh\" content=\"0;url=/\""), r.body.constData());
    const QByteArray cookie = r.header("set-cookie");
    QVERIFY2(cookie.startsWith("tidewatch_session="), cookie.constData());
    QVERIFY(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    QVERIFY(!cookie.contains("Secure")); // plain http
    const QByteArray session = cookie.first(cookie.indexOf(';'));
    QCOMPARE(get("/metrics", "Cookie: " + session + "\r\n").status, 200);
    QCOMPARE(raw(upgrade("/ws", "Cookie: " + session + "\r\n")).status, 101);
    // Once only.
    const Response again = get(target);
    QCOMPARE(again.status, 303);
    QCOMPARE(again.header("location"), QByteArray("/login#expired"));
    QVERIFY(again.header("set-cookie").isEmpty());
}

void TestFeedServerAuth::loginWithTokenAndLogout()
{
    startServer(true);
    const QByteArray post = "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                            "Origin: http://127.0.0.1\r\n";
    QCOMPARE(raw(post + "Authorization: Bearer nope-nope-nope-nope\r\n\r\n").status, 401);
    const Response ok = raw(post + "Authorization: Bearer " + Token + "\r\n\r\n");
    QCOMPARE(ok.status, 204);
    const QByteArray cookie = ok.header("set-cookie");
    const QByteArray session = cookie.first(cookie.indexOf(';'));
    QCOMPARE(get("/api/v1/snapshot", "Cookie: " + session + "\r\n").status, 200);
    // From another site's page: refused.
    QCOMPARE(raw("POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nOrigin: "
                 "http://evil.example\r\nCookie: " +
                 session + "\r\n\r\n")
                 .status,
             403);
    QCOMPARE(get("/api/v1/snapshot", "Cookie: " + session + "\r\n").status, 200);
    const Response out = raw("POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                             "Cookie: " +
                             session + "\r\n\r\n");
    QCOMPARE(out.status, 204);
    QVERIFY(out.header("set-cookie").contains("Max-Age=0"));
    QCOMPARE(get("/api/v1/snapshot", "Cookie: " + session + "\r\n").status, 401);
    // A JWT's session ends with the JWT.
    const qint64 exp = QDateTime::currentSecsSinceEpoch() + 120;
    const Response viaJwt = raw(post + "Authorization: Bearer " + jwtFor(exp) + "\r\n\r\n");
    QCOMPARE(viaJwt.status, 204);
    const QByteArray maxAge = viaJwt.header("set-cookie").split('=').last();
    QVERIFY2(maxAge.toInt() <= 120 && maxAge.toInt() > 60, viaJwt.header("set-cookie").constData());
}

void TestFeedServerAuth::webSocketWithCredentials()
{
    startServer(true);
    {
        QWebSocket ws;
        QVERIFY(!openWs(ws, QNetworkRequest(wsUrl())));
    }
    {
        QWebSocket ws;
        QVERIFY(openWs(ws, QNetworkRequest(wsUrl(u"token="_s + QString::fromLatin1(Token)))));
    }
    {
        QWebSocket ws;
        QNetworkRequest r(wsUrl());
        r.setRawHeader("Authorization", "Bearer " + Token);
        QVERIFY(openWs(ws, r));
    }
    {
        QWebSocket ws;
        QVERIFY(!openWs(ws, QNetworkRequest(wsUrl(u"token=wrong-wrong-wrong-wrong"_s))));
    }
}

void TestFeedServerAuth::failuresAreRateLimited()
{
    startServer(true);
    for (int i = 0; i < 10; ++i)
        QCOMPARE(
            get("/metrics", "Authorization: Bearer wrong-" + QByteArray::number(i) + "\r\n").status,
            401);
    const Response limited = get("/metrics", "Authorization: Bearer " + Token + "\r\n");
    QCOMPARE(limited.status, 429);
    QVERIFY(limited.header("retry-after").toInt() > 0);
    QCOMPARE(raw(upgrade("/ws", "Authorization: Bearer " + Token + "\r\n")).status, 429);
    // /healthz stays open: it is how an orchestrator sees the daemon.
    QCOMPARE(get("/healthz").status, 200);
    QVERIFY(m_server->authenticator().trackedAddressCount() == 1);
}

void TestFeedServerAuth::originChecked()
{
    startServer(false);
    m_server->setAllowedOrigins({u"https://grafana.example"_s});
    QCOMPARE(raw(upgrade("/ws", "Origin: http://127.0.0.1\r\n")).status, 101);
    QCOMPARE(raw(upgrade("/ws", "Origin: https://grafana.example\r\n")).status, 101);
    const Response evil = raw(upgrade("/ws", "Origin: http://evil.example\r\n"));
    QCOMPARE(evil.status, 403);
    QVERIFY(evil.body.contains("--allow-origin"));
    QCOMPARE(raw(upgrade("/ws", "Origin: null\r\n")).status, 403);
    QCOMPARE(raw(upgrade("/ws", "Origin: https://127.0.0.1\r\n")).status, 403); // scheme differs
    QCOMPARE(raw(upgrade("/ws", {})).status, 101);                              // not a browser
    // Credentials do not help a foreign page.
    startServer(true);
    QCOMPARE(raw(upgrade("/ws",
                         "Origin: http://evil.example\r\nAuthorization: Bearer " + Token + "\r\n"))
                 .status,
             403);
}

void TestFeedServerAuth::hostCheckedWhenOpen()
{
    startServer(false);
    const auto withHost = [this](const QByteArray &host) {
        return raw("GET /api/v1/snapshot HTTP/1.1\r\nHost: " + host + "\r\n\r\n").status;
    };
    QCOMPARE(withHost("127.0.0.1:8765"), 200);
    QCOMPARE(withHost("localhost:8765"), 200);
    QCOMPARE(withHost("[::1]:8765"), 200);
    QCOMPARE(withHost("evil.example:8765"), 403); // DNS rebinding
    const Response refused =
        raw("GET /api/v1/snapshot HTTP/1.1\r\nHost: evil.example:8765\r\n\r\n");
    QVERIFY2(refused.body.contains("\\\"evil.example\\\""), refused.body.constData());
    QCOMPARE(raw(upgrade("/ws", {}).replace("Host: 127.0.0.1", "Host: evil.example")).status, 403);
    // With credentials the cookie is what protects it: any name will do.
    startServer(true);
    QCOMPARE(raw("GET /api/v1/snapshot HTTP/1.1\r\nHost: monitor.example\r\nAuthorization: "
                 "Bearer " +
                 Token + "\r\n\r\n")
                 .status,
             200);
}

void TestFeedServerAuth::securityHeaders()
{
    startServer(false);
    for (const QByteArray &path : {QByteArray("/"), QByteArray("/healthz"), QByteArray("/nope")}) {
        const Response r = get(path);
        QCOMPARE(r.header("x-content-type-options"), QByteArray("nosniff"));
        QCOMPARE(r.header("x-frame-options"), QByteArray("DENY"));
        QCOMPARE(r.header("referrer-policy"), QByteArray("no-referrer"));
        QVERIFY(r.header("strict-transport-security").isEmpty()); // not under plain http
    }
    const QByteArray csp = get("/").header("content-security-policy");
    QVERIFY(csp.contains("frame-ancestors 'none'"));
    QVERIFY(!csp.contains("unsafe-inline"));
}

void TestFeedServerAuth::openServerNeedsNothing()
{
    startServer(false);
    QCOMPARE(get("/metrics").status, 200);
    QCOMPARE(m_server->issueLoginLink(), m_server->url());
    QCOMPARE(get("/login?code=anything").status, 303);
    QWebSocket ws;
    QVERIFY(openWs(ws, QNetworkRequest(wsUrl())));
}

QTEST_GUILESS_MAIN(TestFeedServerAuth)
#include "tst_feedserverauth.moc"
