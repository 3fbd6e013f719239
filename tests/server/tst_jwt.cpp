// SPDX-License-Identifier: GPL-3.0-or-later
#include "Jwt.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace tidewatch;
using jwt::Verdict;

namespace tidewatch::jwt {
// Found by QTest through ADL, so a failed QCOMPARE names both verdicts.
char *toString(const Verdict &v)
{
    const char *name = "?";
    switch (v) {
    case Verdict::Ok:
        name = "Ok";
        break;
    case Verdict::Malformed:
        name = "Malformed";
        break;
    case Verdict::BadAlgorithm:
        name = "BadAlgorithm";
        break;
    case Verdict::BadSignature:
        name = "BadSignature";
        break;
    case Verdict::Expired:
        name = "Expired";
        break;
    case Verdict::NotYetValid:
        name = "NotYetValid";
        break;
    case Verdict::IssuedInFuture:
        name = "IssuedInFuture";
        break;
    case Verdict::WrongAudience:
        name = "WrongAudience";
        break;
    case Verdict::WrongIssuer:
        name = "WrongIssuer";
        break;
    case Verdict::MissingExpiry:
        name = "MissingExpiry";
        break;
    }
    return qstrdup(name);
}
} // namespace tidewatch::jwt

Q_DECLARE_METATYPE(tidewatch::jwt::Verdict)

namespace {

const QByteArray Secret = "s3cret-for-tests-only";
constexpr qint64 Now = 1800000000;

QByteArray b64(const QByteArray &raw)
{
    return jwt::base64UrlEncode(raw);
}

/// A token from raw header and payload JSON, signed the way a real issuer
/// would (HMAC over the encoded parts), so rows can say exactly what they test.
QByteArray token(const QByteArray &header, const QByteArray &payload,
                 const QByteArray &secret = Secret)
{
    const QByteArray input = b64(header) + '.' + b64(payload);
    return input + '.' +
           b64(QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256));
}

QByteArray hs(const QByteArray &payload)
{
    return token(R"({"alg":"HS256","typ":"JWT"})", payload);
}

QByteArray withExp(qint64 exp, const QByteArray &more = {})
{
    return "{\"exp\":" + QByteArray::number(exp) + more + '}';
}

/// `t` with the character at `index` (negative: from the end) replaced.
QByteArray replaced(QByteArray t, qsizetype index, char c)
{
    t[index < 0 ? t.size() + index : index] = c;
    return t;
}

} // namespace

class TestJwt final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void knownAnswer();
    void base64Url_data();
    void base64Url();
    void base64UrlRejects_data();
    void base64UrlRejects();
    void constantTimeEquals_data();
    void constantTimeEquals();
    void verify_data();
    void verify();
    void scopes_data();
    void scopes();
    void roundTrip();
    void signWritesOnlySetClaims();
    void oversize();
};

void TestJwt::knownAnswer()
{
    // Computed outside Tidewatch, in a shell, with openssl (P is the payload
    // below, keys sorted, no blanks):
    //   b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
    //   H=$(printf %s '{"alg":"HS256","typ":"JWT"}' | b64url)
    //   P=$(printf %s '{"aud":"tidewatch","exp":2000000000,"iat":1700000000,
    //       "iss":"https://auth.example","scope":"metrics:read history:read",
    //       "sub":"alice"}' | b64url)     (one line, without the line breaks)
    //   printf %s "$H.$P" | openssl dgst -sha256 -hmac tidewatch-kat-secret -binary | b64url
    const QByteArray expected =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        "eyJhdWQiOiJ0aWRld2F0Y2giLCJleHAiOjIwMDAwMDAwMDAsImlhdCI6MTcwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly"
        "9h"
        "dXRoLmV4YW1wbGUiLCJzY29wZSI6Im1ldHJpY3M6cmVhZCBoaXN0b3J5OnJlYWQiLCJzdWIiOiJhbGljZSJ9."
        "2rCQZR7tyz0uuZGXMmRXhRuHRfJEFVIZN1GaeDuXcFc";
    const QByteArray secret = "tidewatch-kat-secret";

    jwt::Claims c;
    c.subject = QStringLiteral("alice");
    c.issuer = QStringLiteral("https://auth.example");
    c.audience = {QStringLiteral("tidewatch")};
    c.exp = 2000000000;
    c.iat = 1700000000;
    c.scopes = {QStringLiteral("metrics:read"), QStringLiteral("history:read")};
    QCOMPARE(jwt::signHs256(c, secret), expected);

    jwt::VerifyOptions o;
    o.nowS = Now;
    o.audience = QStringLiteral("tidewatch");
    o.issuer = QStringLiteral("https://auth.example");
    jwt::Claims got;
    QCOMPARE(jwt::verifyHs256(expected, secret, o, &got), Verdict::Ok);
    QCOMPARE(got.subject, c.subject);
    QCOMPARE(got.issuer, c.issuer);
    QCOMPARE(got.audience, c.audience);
    QCOMPARE(got.exp, c.exp);
    QCOMPARE(got.iat, c.iat);
    QCOMPARE(got.nbf, qint64(-1));
    QCOMPARE(got.scopes, c.scopes);
    QCOMPARE(jwt::verifyHs256(expected, "tidewatch-kat-secreT", o), Verdict::BadSignature);
}

void TestJwt::base64Url_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("encoded");
    // RFC 4648 §10, without padding.
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("f") << QByteArray("f") << QByteArray("Zg");
    QTest::newRow("fo") << QByteArray("fo") << QByteArray("Zm8");
    QTest::newRow("foo") << QByteArray("foo") << QByteArray("Zm9v");
    QTest::newRow("foob") << QByteArray("foob") << QByteArray("Zm9vYg");
    QTest::newRow("fooba") << QByteArray("fooba") << QByteArray("Zm9vYmE");
    QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("Zm9vYmFy");
    // The two characters where base64url differs from base64.
    QTest::newRow("url alphabet") << QByteArray("\xfb\xff\xbf", 3) << QByteArray("-_-_");
}

void TestJwt::base64Url()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, encoded);
    QCOMPARE(jwt::base64UrlEncode(raw), encoded);
    QByteArray decoded = "sentinel";
    QVERIFY(jwt::base64UrlDecode(encoded, &decoded));
    QCOMPARE(decoded, raw);
}

void TestJwt::base64UrlRejects_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("padding") << QByteArray("Zg==");
    QTest::newRow("one pad") << QByteArray("Zm8=");
    QTest::newRow("plus") << QByteArray("Zm+v");
    QTest::newRow("slash") << QByteArray("Zm/v");
    QTest::newRow("space") << QByteArray("Zm 9v");
    QTest::newRow("newline") << QByteArray("Zm9v\n");
    QTest::newRow("nul") << QByteArray("Zm\0v", 4);
    QTest::newRow("high byte") << QByteArray("Zm\xc3v");
    QTest::newRow("lone sextet") << QByteArray("Zm9vY");
    // "Zh" would decode to "f" too if the unused bits were ignored.
    QTest::newRow("non-zero spare bits") << QByteArray("Zh");
    QTest::newRow("non-zero spare bits 2") << QByteArray("Zm9");
}

void TestJwt::base64UrlRejects()
{
    QFETCH(QByteArray, text);
    QByteArray out = "untouched";
    QVERIFY(!jwt::base64UrlDecode(text, &out));
    QCOMPARE(out, QByteArray("untouched"));
}

void TestJwt::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("same") << QByteArray("abcdef") << QByteArray("abcdef") << true;
    QTest::newRow("first differs") << QByteArray("xbcdef") << QByteArray("abcdef") << false;
    QTest::newRow("last differs") << QByteArray("abcdeX") << QByteArray("abcdef") << false;
    QTest::newRow("prefix") << QByteArray("abc") << QByteArray("abcdef") << false;
    QTest::newRow("one empty") << QByteArray() << QByteArray("a") << false;
    QTest::newRow("nul bytes") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
}

void TestJwt::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(jwt::constantTimeEquals(a, b), equal);
    QCOMPARE(jwt::constantTimeEquals(b, a), equal);
}

void TestJwt::verify_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<int>("leeway");
    QTest::addColumn<QString>("audience");
    QTest::addColumn<QString>("issuer");
    QTest::addColumn<Verdict>("verdict");

    const QString none;
    const QString aud = QStringLiteral("tidewatch");
    const QString iss = QStringLiteral("https://auth.example");
    const QByteArray good = hs(withExp(Now + 3600));
    auto row = [&](const char *name, const QByteArray &t, Verdict v, int leeway = 60,
                   const QString &a = {},
                   const QString &i = {}) { QTest::newRow(name) << t << leeway << a << i << v; };

    row("valid", good, Verdict::Ok);
    row("typ lower case", token(R"({"alg":"HS256","typ":"jwt"})", withExp(Now)), Verdict::Ok);
    row("no typ", token(R"({"alg":"HS256"})", withExp(Now)), Verdict::Ok);

    // Time claims, at and just past each edge, with and without leeway.
    row("exp at now", hs(withExp(Now)), Verdict::Ok, 0);
    row("exp 1s ago", hs(withExp(Now - 1)), Verdict::Expired, 0);
    row("exp 60s ago in leeway", hs(withExp(Now - 60)), Verdict::Ok, 60);
    row("exp 61s ago", hs(withExp(Now - 61)), Verdict::Expired, 60);
    row("exp fraction rounds down", hs(R"({"exp":1799999999.9})"), Verdict::Expired, 0);
    row("nbf at now", hs(withExp(Now + 10, ",\"nbf\":" + QByteArray::number(Now))), Verdict::Ok, 0);
    row("nbf 1s ahead", hs(withExp(Now + 10, ",\"nbf\":" + QByteArray::number(Now + 1))),
        Verdict::NotYetValid, 0);
    row("nbf 60s ahead in leeway",
        hs(withExp(Now + 10, ",\"nbf\":" + QByteArray::number(Now + 60))), Verdict::Ok, 60);
    row("nbf 61s ahead", hs(withExp(Now + 10, ",\"nbf\":" + QByteArray::number(Now + 61))),
        Verdict::NotYetValid, 60);
    row("nbf fraction rounds up", hs(withExp(Now + 10, R"(,"nbf":1800000000.1)")),
        Verdict::NotYetValid, 0);
    row("iat 1s ahead", hs(withExp(Now + 10, ",\"iat\":" + QByteArray::number(Now + 1))),
        Verdict::IssuedInFuture, 0);
    row("iat 60s ahead in leeway",
        hs(withExp(Now + 10, ",\"iat\":" + QByteArray::number(Now + 60))), Verdict::Ok, 60);
    row("iat 61s ahead", hs(withExp(Now + 10, ",\"iat\":" + QByteArray::number(Now + 61))),
        Verdict::IssuedInFuture, 60);
    row("negative leeway is zero", hs(withExp(Now)), Verdict::Ok, -1000);
    row("missing exp", hs(R"({"sub":"alice"})"), Verdict::MissingExpiry);
    row("exp null", hs(R"({"exp":null})"), Verdict::Malformed);
    row("exp string", hs(R"({"exp":"2000000000"})"), Verdict::Malformed);
    row("exp bool", hs(R"({"exp":true})"), Verdict::Malformed);
    row("nbf string", hs(withExp(Now, R"(,"nbf":"0")")), Verdict::Malformed);
    row("iat array", hs(withExp(Now, R"(,"iat":[1])")), Verdict::Malformed);

    // Huge and negative numbers must not wrap into a valid-looking date.
    row("exp 1e300", hs(R"({"exp":1e300})"), Verdict::Malformed);
    row("exp 2^64", hs(R"({"exp":18446744073709551616})"), Verdict::Malformed);
    row("exp 20 nines", hs(R"({"exp":99999999999999999999})"), Verdict::Malformed);
    row("exp 1e400", hs(R"({"exp":1e400})"), Verdict::Malformed);
    row("exp negative", hs(R"({"exp":-1})"), Verdict::Malformed);
    row("exp year 9999", hs(R"({"exp":253402300799})"), Verdict::Ok);
    row("exp past year 9999", hs(R"({"exp":253402300800})"), Verdict::Malformed);
    row("nbf 1e300", hs(withExp(Now, R"(,"nbf":1e300)")), Verdict::Malformed);
    row("iat -1e300", hs(withExp(Now, R"(,"iat":-1e300)")), Verdict::Malformed);

    // Signatures.
    row("wrong secret", token(R"({"alg":"HS256","typ":"JWT"})", withExp(Now), "other"),
        Verdict::BadSignature);
    row("flipped signature byte", replaced(good, -10, good.at(good.size() - 10) == 'A' ? 'B' : 'A'),
        Verdict::BadSignature);
    row("flipped payload byte",
        replaced(good, good.indexOf('.') + 2, good.at(good.indexOf('.') + 2) == 'A' ? 'B' : 'A'),
        Verdict::BadSignature); // the MAC covers the encoded payload, checked before parsing
    row("empty signature", good.first(good.lastIndexOf('.') + 1), Verdict::BadSignature);
    row("short signature", good.first(good.size() - 3), Verdict::BadSignature); // 30 bytes
    row("signature of another token", good.first(good.lastIndexOf('.')) + '.' + b64("x"),
        Verdict::BadSignature);

    // Algorithms: only exactly "HS256".
    row("alg none empty signature",
        b64(R"({"alg":"none","typ":"JWT"})") + '.' + b64(withExp(Now)) + '.',
        Verdict::BadAlgorithm);
    row("alg none valid-looking signature", token(R"({"alg":"none","typ":"JWT"})", withExp(Now)),
        Verdict::BadAlgorithm);
    row("alg None", token(R"({"alg":"None"})", withExp(Now)), Verdict::BadAlgorithm);
    row("alg hs256", token(R"({"alg":"hs256"})", withExp(Now)), Verdict::BadAlgorithm);
    row("alg HS256 space", token(R"({"alg":"HS256 "})", withExp(Now)), Verdict::BadAlgorithm);
    row("alg HS384", token(R"({"alg":"HS384"})", withExp(Now)), Verdict::BadAlgorithm);
    row("alg RS256", token(R"({"alg":"RS256","typ":"JWT"})", withExp(Now)), Verdict::BadAlgorithm);
    row("alg ES256", token(R"({"alg":"ES256"})", withExp(Now)), Verdict::BadAlgorithm);
    row("alg missing", token(R"({"typ":"JWT"})", withExp(Now)), Verdict::BadAlgorithm);
    row("alg number", token(R"({"alg":256})", withExp(Now)), Verdict::BadAlgorithm);
    row("alg array", token(R"({"alg":["HS256"]})", withExp(Now)), Verdict::BadAlgorithm);
    row("typ JOSE", token(R"({"alg":"HS256","typ":"JOSE"})", withExp(Now)), Verdict::Malformed);
    row("typ number", token(R"({"alg":"HS256","typ":1})", withExp(Now)), Verdict::Malformed);
    row("crit", token(R"({"alg":"HS256","crit":["exp"]})", withExp(Now)), Verdict::Malformed);

    // Audience and issuer.
    row("aud string match", hs(withExp(Now, R"(,"aud":"tidewatch")")), Verdict::Ok, 60, aud);
    row("aud array match", hs(withExp(Now, R"(,"aud":["grafana","tidewatch"])")), Verdict::Ok, 60,
        aud);
    row("aud string mismatch", hs(withExp(Now, R"(,"aud":"grafana")")), Verdict::WrongAudience, 60,
        aud);
    row("aud array mismatch", hs(withExp(Now, R"(,"aud":["grafana","tidewatch2"])")),
        Verdict::WrongAudience, 60, aud);
    row("aud case differs", hs(withExp(Now, R"(,"aud":"Tidewatch")")), Verdict::WrongAudience, 60,
        aud);
    row("aud absent but required", hs(withExp(Now)), Verdict::WrongAudience, 60, aud);
    row("aud not required", hs(withExp(Now, R"(,"aud":"grafana")")), Verdict::Ok);
    row("aud number", hs(withExp(Now, R"(,"aud":7)")), Verdict::Malformed, 60, aud);
    row("aud array of numbers", hs(withExp(Now, R"(,"aud":[7])")), Verdict::Malformed, 60, aud);
    row("iss match", hs(withExp(Now, R"(,"iss":"https://auth.example")")), Verdict::Ok, 60, none,
        iss);
    row("iss mismatch", hs(withExp(Now, R"(,"iss":"https://auth.example/")")), Verdict::WrongIssuer,
        60, none, iss);
    row("iss absent but required", hs(withExp(Now)), Verdict::WrongIssuer, 60, none, iss);
    row("iss number", hs(withExp(Now, R"(,"iss":1)")), Verdict::Malformed, 60, none, iss);
    row("sub number", hs(withExp(Now, R"(,"sub":1)")), Verdict::Malformed);
    row("scope array", hs(withExp(Now, R"(,"scope":["a"])")), Verdict::Malformed);
    row("scp string", hs(withExp(Now, R"(,"scp":"a b")")), Verdict::Malformed);
    row("scp numbers", hs(withExp(Now, R"(,"scp":[1])")), Verdict::Malformed);

    // Shape: encoding, dots, JSON.
    const QByteArray h = b64(R"({"alg":"HS256","typ":"JWT"})");
    const QByteArray p = b64(withExp(Now));
    row("padded signature", good + "=", Verdict::Malformed);
    row("padding in header", b64(R"({"alg":"HS256"})") + "==." + p + ".AAAA", Verdict::Malformed);
    row("plus in signature", replaced(good, -3, '+'), Verdict::Malformed);
    row("slash in payload", replaced(good, good.indexOf('.') + 1, '/'), Verdict::Malformed);
    row("space in token", replaced(good, 5, ' '), Verdict::Malformed);
    row("trailing newline", good + '\n', Verdict::Malformed);
    row("bearer prefix", "Bearer " + good, Verdict::Malformed);
    row("extra dot", good + ".", Verdict::Malformed);
    row("four parts", good + ".AAAA", Verdict::Malformed);
    row("two parts", h + '.' + p, Verdict::Malformed);
    row("one part", h, Verdict::Malformed);
    row("empty", QByteArray(), Verdict::Malformed);
    row("dots only", "..", Verdict::Malformed);
    row("empty header", '.' + p + ".AAAA", Verdict::Malformed);
    row("empty payload", h + "..AAAA", Verdict::Malformed);
    row("header array", token(R"(["HS256"])", withExp(Now)), Verdict::Malformed);
    row("header null", token("null", withExp(Now)), Verdict::Malformed);
    row("header not json", token("alg=HS256", withExp(Now)), Verdict::Malformed);
    row("payload array", hs("[1800000000]"), Verdict::Malformed);
    row("payload string", hs(R"("exp")"), Verdict::Malformed);
    row("payload number", hs("1800000000"), Verdict::Malformed);
    row("payload not json", hs("exp=1800000000"), Verdict::Malformed);
    row("payload truncated json", hs(R"({"exp":1800000000)"), Verdict::Malformed);
    row("payload trailing garbage", hs(R"({"exp":1800000000}x)"), Verdict::Malformed);
    row("binary garbage", QByteArray("\x00\xff.\x01.\x02", 7), Verdict::Malformed);
}

void TestJwt::verify()
{
    QFETCH(QByteArray, token);
    QFETCH(int, leeway);
    QFETCH(QString, audience);
    QFETCH(QString, issuer);
    QFETCH(Verdict, verdict);

    jwt::VerifyOptions o;
    o.nowS = Now;
    o.leewayS = leeway;
    o.audience = audience;
    o.issuer = issuer;
    jwt::Claims c;
    c.subject = QStringLiteral("untouched");
    QCOMPARE(jwt::verifyHs256(token, Secret, o, &c), verdict);
    // Claims are only ever filled from a token that passed every check.
    if (verdict != Verdict::Ok)
        QCOMPARE(c.subject, QStringLiteral("untouched"));
    else
        QVERIFY(c.exp >= 0);
}

void TestJwt::scopes_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QStringList>("scopes");
    QTest::newRow("none") << withExp(Now) << QStringList();
    QTest::newRow("scope one") << withExp(Now, R"(,"scope":"metrics:read")")
                               << QStringList{QStringLiteral("metrics:read")};
    QTest::newRow("scope spaces") << withExp(Now, R"(,"scope":" a  b c ")")
                                  << QStringList{QStringLiteral("a"), QStringLiteral("b"),
                                                 QStringLiteral("c")};
    QTest::newRow("scp array") << withExp(Now, R"(,"scp":["a","b c"])")
                               << QStringList{QStringLiteral("a"), QStringLiteral("b c")};
    QTest::newRow("scope wins over scp")
        << withExp(Now, R"(,"scope":"x","scp":["y"])") << QStringList{QStringLiteral("x")};
}

void TestJwt::scopes()
{
    QFETCH(QByteArray, payload);
    QFETCH(QStringList, scopes);
    jwt::VerifyOptions o;
    o.nowS = Now;
    jwt::Claims c;
    QCOMPARE(jwt::verifyHs256(hs(payload), Secret, o, &c), Verdict::Ok);
    QCOMPARE(c.scopes, scopes);
}

void TestJwt::roundTrip()
{
    jwt::Claims c;
    c.subject = QStringLiteral("bob");
    c.audience = {QStringLiteral("a"), QStringLiteral("b")};
    c.exp = Now + 10;
    c.nbf = Now - 10;
    c.iat = Now - 20;
    c.scopes = {QStringLiteral("metrics:read")};
    const QByteArray t = jwt::signHs256(c, Secret);

    jwt::VerifyOptions o;
    o.nowS = Now;
    o.audience = QStringLiteral("b");
    jwt::Claims got;
    QCOMPARE(jwt::verifyHs256(t, Secret, o, &got), Verdict::Ok);
    QCOMPARE(got.subject, c.subject);
    QCOMPARE(got.audience, c.audience);
    QCOMPARE(got.exp, c.exp);
    QCOMPARE(got.nbf, c.nbf);
    QCOMPARE(got.iat, c.iat);
    QCOMPARE(got.scopes, c.scopes);
    QCOMPARE(jwt::verifyHs256(t, QByteArray(Secret).append('x'), o), Verdict::BadSignature);
    o.nowS = Now + 10 + o.leewayS + 1;
    QCOMPARE(jwt::verifyHs256(t, Secret, o), Verdict::Expired);
}

void TestJwt::signWritesOnlySetClaims()
{
    jwt::Claims c;
    c.exp = 5;
    c.audience = {QStringLiteral("only")};
    const QByteArray t = jwt::signHs256(c, Secret);
    const QList<QByteArray> parts = t.split('.');
    QCOMPARE(parts.size(), 3);
    QByteArray header;
    QByteArray payload;
    QVERIFY(jwt::base64UrlDecode(parts[0], &header));
    QVERIFY(jwt::base64UrlDecode(parts[1], &payload));
    QCOMPARE(header, QByteArray(R"({"alg":"HS256","typ":"JWT"})"));
    // One audience is written as a string, as most issuers do.
    QCOMPARE(payload, QByteArray(R"({"aud":"only","exp":5})"));
}

void TestJwt::oversize()
{
    jwt::VerifyOptions o;
    o.nowS = Now;
    // Grow "sub" until the token is exactly at the limit, then one past it.
    QByteArray sub;
    QByteArray t;
    jwt::Claims c;
    c.exp = Now;
    for (;;) {
        c.subject = QString::fromLatin1(sub);
        t = jwt::signHs256(c, Secret);
        if (t.size() >= jwt::MaxTokenBytes)
            break;
        sub += 'x';
    }
    // base64 grows in steps of 4 per 3 bytes, so land on the limit exactly.
    while (t.size() > jwt::MaxTokenBytes) {
        sub.chop(1);
        c.subject = QString::fromLatin1(sub);
        t = jwt::signHs256(c, Secret);
    }
    QVERIFY(t.size() <= jwt::MaxTokenBytes);
    QVERIFY(t.size() > jwt::MaxTokenBytes - 4);
    QCOMPARE(jwt::verifyHs256(t, Secret, o), Verdict::Ok);
    sub += "xxxx";
    c.subject = QString::fromLatin1(sub);
    t = jwt::signHs256(c, Secret);
    QVERIFY(t.size() > jwt::MaxTokenBytes);
    QCOMPARE(jwt::verifyHs256(t, Secret, o), Verdict::Malformed);
    QCOMPARE(jwt::verifyHs256(QByteArray(1 << 20, 'A'), Secret, o), Verdict::Malformed);
}

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
