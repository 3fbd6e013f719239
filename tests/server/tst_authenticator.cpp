// SPDX-License-Identifier: GPL-3.0-or-later
// The Authenticator on its own: credentials, sessions, login codes, the
// failure limit, and the loading of secret files.
#include "Authenticator.h"
#include "Config.h"
#include "HttpRequest.h"
#include "Jwt.h"
#include "ServerSecurity.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

const QByteArray Token = "0123456789abcdef-token";
const QByteArray Secret = "a-jwt-secret-of-32-bytes-length!";
constexpr qint64 Now = 1790000000000; // ms
const QHostAddress Peer(u"192.0.2.7"_s);

HttpRequest request(const QByteArray &extraHeaders, const QByteArray &target = "/metrics")
{
    HttpRequest r;
    const QByteArray head = "GET " + target + " HTTP/1.1\r\nHost: h\r\n" + extraHeaders + "\r\n";
    if (HttpRequest::parse(head, 16384, &r) != HttpRequest::Status::Complete)
        qFatal("test request does not parse");
    return r;
}

QByteArray jwtFor(qint64 expS, const QByteArray &secret = Secret)
{
    jwt::Claims c;
    c.subject = u"alice"_s;
    c.iat = Now / 1000;
    c.exp = expS;
    return jwt::signHs256(c, secret);
}

bool writeFile(const QString &path, const QByteArray &data, QFile::Permissions perms)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size() && f.setPermissions(perms);
}

} // namespace

class TestAuthenticator final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void openWithoutCredentials();
    void credentials_data();
    void credentials();
    void sameAnswerForEveryFailure();
    void verifiedJwtStillExpires();
    void sessionsAndLogout();
    void loginCodeOnceAndExpires();
    void failureLimit();
    void failureMemoryIsBounded();
    void ipv6CountedPerPrefix();
    void boundedSessionsAndCodes();
    void regeneratedTokenEndsSessions();
    void redactedTarget_data();
    void redactedTarget();
    void cookieHeader();
    void loadSecretFiles();
    void exposurePolicy_data();
    void exposurePolicy();
};

void TestAuthenticator::openWithoutCredentials()
{
    Authenticator auth;
    QVERIFY(!auth.required());
    QCOMPARE(auth.check(request({}), Peer, Now).outcome, Authenticator::Outcome::Open);
    QCOMPARE(auth.check(request("Authorization: Bearer nonsense\r\n"), Peer, Now).outcome,
             Authenticator::Outcome::Open);
}

void TestAuthenticator::credentials_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<int>("via");
    const int bearer = int(Authenticator::Via::Bearer);
    const int query = int(Authenticator::Via::Query);
    QTest::newRow("none") << QByteArray() << QByteArray("/metrics") << false
                          << int(Authenticator::Via::None);
    QTest::newRow("bearer token") << "Authorization: Bearer " + Token + "\r\n"
                                  << QByteArray("/metrics") << true << bearer;
    QTest::newRow("bearer scheme in any case") << "Authorization: bEaReR " + Token + "\r\n"
                                               << QByteArray("/metrics") << true << bearer;
    QTest::newRow("basic scheme") << "Authorization: Basic " + Token + "\r\n"
                                  << QByteArray("/metrics") << false << bearer;
    QTest::newRow("wrong token") << QByteArray("Authorization: Bearer 0123456789abcdef-tokem\r\n")
                                 << QByteArray("/metrics") << false << bearer;
    QTest::newRow("token prefix") << "Authorization: Bearer " + Token.left(10) + "\r\n"
                                  << QByteArray("/metrics") << false << bearer;
    QTest::newRow("query token") << QByteArray() << "/ws?x=1&token=" + Token << true << query;
    QTest::newRow("query token, percent-encoded")
        << QByteArray() << "/ws?token=" + Token.toPercentEncoding() << true << query;
    QTest::newRow("query wrong") << QByteArray() << QByteArray("/ws?token=nope") << false << query;
    QTest::newRow("jwt") << "Authorization: Bearer " + jwtFor(Now / 1000 + 600) + "\r\n"
                         << QByteArray("/metrics") << true << bearer;
    QTest::newRow("jwt expired") << "Authorization: Bearer " + jwtFor(Now / 1000 - 3600) + "\r\n"
                                 << QByteArray("/metrics") << false << bearer;
    QTest::newRow("jwt within leeway")
        << "Authorization: Bearer " + jwtFor(Now / 1000 - 30) + "\r\n"
        << QByteArray("/metrics") << true << bearer;
    QTest::newRow("jwt forged") << "Authorization: Bearer " +
                                       jwtFor(Now / 1000 + 600,
                                              "another-secret-32-bytes-long!!!!") +
                                       "\r\n"
                                << QByteArray("/metrics") << false << bearer;
    const QByteArray none = jwt::base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + '.' +
                            jwt::base64UrlEncode(R"({"sub":"x","exp":9999999999})") + '.';
    QTest::newRow("jwt alg none") << "Authorization: Bearer " + none + "\r\n"
                                  << QByteArray("/metrics") << false << bearer;
}

void TestAuthenticator::credentials()
{
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, target);
    QFETCH(bool, allowed);
    QFETCH(int, via);
    AuthOptions o;
    o.tokens = {Token};
    o.jwtSecret = Secret;
    Authenticator auth(o);
    QVERIFY(auth.required());
    const Authenticator::Decision d = auth.check(request(headers, target), Peer, Now);
    QCOMPARE(d.outcome,
             allowed ? Authenticator::Outcome::Allowed : Authenticator::Outcome::Unauthorized);
    QCOMPARE(int(d.via), via);
}

void TestAuthenticator::sameAnswerForEveryFailure()
{
    // What the server answers comes from the outcome alone: every kind of
    // failure must be the same outcome, with nothing else told apart.
    AuthOptions o;
    o.tokens = {Token};
    o.jwtSecret = Secret;
    Authenticator auth(o);
    const QList<QByteArray> bad = {
        "garbage",
        jwtFor(Now / 1000 - 3600),
        jwtFor(Now / 1000 + 600, "another-secret-32-bytes-long!!!!"),
        jwtFor(Now / 1000 + 600).chopped(2),
    };
    for (const QByteArray &b : bad) {
        const Authenticator::Decision d = auth.checkToken(b, Now);
        QCOMPARE(d.outcome, Authenticator::Outcome::Unauthorized);
        QVERIFY(d.subject.isEmpty());
        QCOMPARE(d.expiresMs, 0);
    }
}

void TestAuthenticator::verifiedJwtStillExpires()
{
    // A verified JWT is remembered by its digest; it must end all the same.
    AuthOptions o;
    o.jwtSecret = Secret;
    o.jwtLeewayS = 10;
    Authenticator auth(o);
    const QByteArray token = jwtFor(Now / 1000 + 60);
    const Authenticator::Decision first = auth.checkToken(token, Now);
    QCOMPARE(first.outcome, Authenticator::Outcome::Allowed);
    QCOMPARE(first.subject, u"alice"_s);
    const Authenticator::Decision again = auth.checkToken(token, Now + 1000);
    QCOMPARE(again.outcome, Authenticator::Outcome::Allowed);
    QCOMPARE(again.subject, u"alice"_s);
    QCOMPARE(again.expiresMs, (Now / 1000 + 60) * 1000);
    QVERIFY(auth.checkToken(token, Now + 65000).passed());  // within the leeway
    QVERIFY(!auth.checkToken(token, Now + 75000).passed()); // past it
    // A token one character off is not the remembered one.
    QByteArray other = token;
    other[other.size() - 3] = other.at(other.size() - 3) == 'A' ? 'B' : 'A';
    QVERIFY(!auth.checkToken(other, Now + 1000).passed());
}

void TestAuthenticator::sessionsAndLogout()
{
    AuthOptions o;
    o.tokens = {Token};
    o.sessionTtlMs = 60000;
    Authenticator auth(o);
    const QByteArray id = auth.startSession(Now);
    QVERIFY(id.size() >= 40);
    const QByteArray cookie = "Cookie: other=1; tidewatch_session=" + id + "; x=y\r\n";
    Authenticator::Decision d = auth.check(request(cookie), Peer, Now + 1000);
    QCOMPARE(d.outcome, Authenticator::Outcome::Allowed);
    QCOMPARE(d.via, Authenticator::Via::Cookie);
    // A session never outlives the credential it came from.
    const QByteArray shortId = auth.startSession(Now, Now + 5000);
    QVERIFY(auth.check(request("Cookie: tidewatch_session=" + shortId + "\r\n"), Peer, Now + 4000)
                .passed());
    QVERIFY(!auth.check(request("Cookie: tidewatch_session=" + shortId + "\r\n"), Peer, Now + 6000)
                 .passed());
    // Expired.
    QCOMPARE(auth.check(request(cookie), Peer, Now + 61000).outcome,
             Authenticator::Outcome::Unauthorized);
    // Logout.
    const QByteArray id2 = auth.startSession(Now);
    const HttpRequest r2 = request("Cookie: tidewatch_session=" + id2 + "\r\n");
    QVERIFY(auth.check(r2, Peer, Now).passed());
    auth.endSession(r2);
    QVERIFY(!auth.check(r2, Peer, Now).passed());
    // A made-up cookie.
    QVERIFY(
        !auth.check(request("Cookie: tidewatch_session=" + QByteArray(43, 'A') + "\r\n"), Peer, Now)
             .passed());
}

void TestAuthenticator::loginCodeOnceAndExpires()
{
    AuthOptions o;
    o.tokens = {Token};
    Authenticator auth(o);
    const QByteArray code = auth.issueLoginCode(Now);
    QVERIFY(code.size() >= 40);
    QVERIFY(auth.issueLoginCode(Now) != code);
    const QByteArray session = auth.redeemLoginCode(code, Peer, Now + 1000);
    QVERIFY(!session.isEmpty());
    QVERIFY(
        auth.check(request("Cookie: tidewatch_session=" + session + "\r\n"), Peer, Now).passed());
    QVERIFY(auth.redeemLoginCode(code, Peer, Now + 2000).isEmpty()); // once
    const QByteArray late = auth.issueLoginCode(Now);
    QVERIFY(auth.redeemLoginCode(late, Peer, Now + 5 * 60 * 1000 + 1).isEmpty()); // 5 minutes
    QVERIFY(auth.redeemLoginCode("made-up", Peer, Now).isEmpty());
}

void TestAuthenticator::failureLimit()
{
    AuthOptions o;
    o.tokens = {Token};
    o.failureLimit = 10;
    o.failureWindowMs = 60000;
    Authenticator auth(o);
    const HttpRequest bad = request("Authorization: Bearer wrong-wrong-wrong\r\n");
    const HttpRequest good = request("Authorization: Bearer " + Token + "\r\n");
    for (int i = 0; i < 10; ++i)
        QCOMPARE(auth.check(bad, Peer, Now + i).outcome, Authenticator::Outcome::Unauthorized);
    const Authenticator::Decision d = auth.check(good, Peer, Now + 100);
    QCOMPARE(d.outcome, Authenticator::Outcome::RateLimited); // even the right token waits
    QVERIFY(d.retryAfterS > 0 && d.retryAfterS <= 60);
    // Another address is not affected.
    QVERIFY(auth.check(good, QHostAddress(u"192.0.2.8"_s), Now + 100).passed());
    // No credential at all is no failure, nor is a session that ended.
    Authenticator fresh(o);
    for (int i = 0; i < 50; ++i) {
        fresh.check(request({}), Peer, Now);
        fresh.check(request("Cookie: tidewatch_session=" + QByteArray(43, 'A') + "\r\n"), Peer,
                    Now);
    }
    QVERIFY(fresh.check(good, Peer, Now).passed());
    // The window ends.
    QVERIFY(auth.check(good, Peer, Now + 60001).passed());
}

void TestAuthenticator::failureMemoryIsBounded()
{
    AuthOptions o;
    o.tokens = {Token};
    o.maxTrackedAddresses = 100;
    Authenticator auth(o);
    const HttpRequest bad = request("Authorization: Bearer wrong-wrong-wrong\r\n");
    for (quint32 i = 0; i < 5000; ++i)
        auth.check(bad, QHostAddress(0x0a000000u + i), Now + i);
    QVERIFY(auth.trackedAddressCount() <= 100);
    QVERIFY(auth.trackedAddressCount() > 0);
}

void TestAuthenticator::ipv6CountedPerPrefix()
{
    AuthOptions o;
    o.tokens = {Token};
    o.failureLimit = 3;
    Authenticator auth(o);
    const HttpRequest bad = request("Authorization: Bearer wrong-wrong-wrong\r\n");
    auth.check(bad, QHostAddress(u"2001:db8:1:2::1"_s), Now);
    auth.check(bad, QHostAddress(u"2001:db8:1:2::2"_s), Now);
    auth.check(bad, QHostAddress(u"2001:db8:1:2:ffff::3"_s), Now);
    QVERIFY(auth.rateLimited(QHostAddress(u"2001:db8:1:2::99"_s), Now + 1));
    QVERIFY(!auth.rateLimited(QHostAddress(u"2001:db8:1:3::1"_s), Now + 1));
}

void TestAuthenticator::boundedSessionsAndCodes()
{
    AuthOptions o;
    o.tokens = {Token};
    o.maxSessions = 8;
    o.maxLoginCodes = 4;
    Authenticator auth(o);
    QByteArray first = auth.startSession(Now);
    for (int i = 1; i < 100; ++i)
        auth.startSession(Now + i);
    QCOMPARE(auth.sessionCount(), 8);
    QVERIFY(!auth.check(request("Cookie: tidewatch_session=" + first + "\r\n"), Peer, Now + 200)
                 .passed()); // the oldest went
    for (int i = 0; i < 100; ++i)
        auth.issueLoginCode(Now + i);
    QCOMPARE(auth.loginCodeCount(), 4);
}

void TestAuthenticator::regeneratedTokenEndsSessions()
{
    AuthOptions o;
    o.tokens = {Token};
    Authenticator auth(o);
    const QByteArray id = auth.startSession(Now);
    const QByteArray code = auth.issueLoginCode(Now);
    auth.setTokens({"a-brand-new-token-0123456789"});
    QVERIFY(!auth.check(request("Cookie: tidewatch_session=" + id + "\r\n"), Peer, Now).passed());
    QVERIFY(auth.redeemLoginCode(code, Peer, Now).isEmpty());
    QVERIFY(!auth.check(request("Authorization: Bearer " + Token + "\r\n"), Peer, Now).passed());
    QVERIFY(auth.check(request("Authorization: Bearer a-brand-new-token-0123456789\r\n"), Peer, Now)
                .passed());
}

void TestAuthenticator::redactedTarget_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("no query") << QByteArray("/ws") << QByteArray("/ws");
    QTest::newRow("token") << QByteArray("/ws?token=s3cret") << QByteArray("/ws?token=***");
    QTest::newRow("among others") << QByteArray("/x?a=1&token=s3cret&b=2")
                                  << QByteArray("/x?a=1&token=***&b=2");
    QTest::newRow("login code") << QByteArray("/login?code=abc") << QByteArray("/login?code=***");
}

void TestAuthenticator::redactedTarget()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, expected);
    QCOMPARE(Authenticator::redactedTarget(target), expected);
}

void TestAuthenticator::cookieHeader()
{
    Authenticator auth;
    const QByteArray plain = auth.sessionCookieHeader("abc", 3600000, false);
    QCOMPARE(plain, QByteArray("Set-Cookie: tidewatch_session=abc; Path=/; HttpOnly; "
                               "SameSite=Strict; Max-Age=3600\r\n"));
    QVERIFY(auth.sessionCookieHeader("abc", 1000, true).contains("; Secure"));
    QVERIFY(auth.sessionCookieHeader({}, 1000, false).contains("Max-Age=0"));
}

void TestAuthenticator::loadSecretFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString tokens = dir.filePath(u"tokens"_s);
    const QFile::Permissions owner = QFile::ReadOwner | QFile::WriteOwner;
    QVERIFY(writeFile(tokens, "# comment\n" + Token + "\n\n  second-token-0123456789  \n", owner));
    Config c;
    c.tokenFile = tokens;
    AuthOptions o;
    QString error;
    QVERIFY2(loadAuthOptions(c, &o, &error), qPrintable(error));
    QCOMPARE(o.tokens, (QList<QByteArray>{Token, "second-token-0123456789"}));

    QVERIFY(writeFile(tokens, Token + "\n", owner | QFile::ReadGroup | QFile::ReadOther));
    QVERIFY(!loadAuthOptions(c, &o, &error));
    QVERIFY2(error.contains(u"chmod 600"_s), qPrintable(error));

    QVERIFY(writeFile(tokens, "short\n", owner));
    QVERIFY(!loadAuthOptions(c, &o, &error));
    QVERIFY2(error.contains(u"line 1"_s) && error.contains(u"shorter"_s), qPrintable(error));

    QVERIFY(writeFile(tokens, "# only a comment\n", owner));
    QVERIFY(!loadAuthOptions(c, &o, &error));
    QVERIFY2(error.contains(u"no token"_s), qPrintable(error));

    c.tokenFile = dir.filePath(u"missing"_s);
    QVERIFY(!loadAuthOptions(c, &o, &error));
    QVERIFY2(error.contains(u"does not exist"_s), qPrintable(error));

    Config j;
    const QString secret = dir.filePath(u"secret"_s);
    QVERIFY(writeFile(secret, Secret + "\n", owner));
    j.jwtSecretFile = secret;
    QVERIFY2(loadAuthOptions(j, &o, &error), qPrintable(error));
    QCOMPARE(o.jwtSecret, Secret); // without the newline
    j = Config();
    j.jwtSecret = u"short"_s;
    QVERIFY(!loadAuthOptions(j, &o, &error));
    QVERIFY2(error.contains(u"JWT_SECRET"_s), qPrintable(error));
}

void TestAuthenticator::exposurePolicy_data()
{
    QTest::addColumn<QString>("bind");
    QTest::addColumn<bool>("credentials");
    QTest::addColumn<bool>("insecure");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("loopback") << u"127.0.0.1"_s << false << false << true;
    QTest::newRow("loopback v6") << u"::1"_s << false << false << true;
    QTest::newRow("any") << u"0.0.0.0"_s << false << false << false;
    QTest::newRow("any v6") << u"::"_s << false << false << false;
    QTest::newRow("lan") << u"192.168.1.20"_s << false << false << false;
    QTest::newRow("any with token") << u"0.0.0.0"_s << true << false << true;
    QTest::newRow("any, insecure") << u"0.0.0.0"_s << false << true << true;
}

void TestAuthenticator::exposurePolicy()
{
    QFETCH(QString, bind);
    QFETCH(bool, credentials);
    QFETCH(bool, insecure);
    QFETCH(bool, allowed);
    QString error;
    QCOMPARE(exposureAllowed(QHostAddress(bind), credentials, insecure, &error), allowed);
    if (!allowed) {
        QVERIFY2(error.contains(u"--token-file"_s) && error.contains(u"--insecure-no-auth"_s),
                 qPrintable(error));
        QVERIFY(!error.contains(u'\n'));
    }
}

QTEST_GUILESS_MAIN(TestAuthenticator)
#include "tst_authenticator.moc"
