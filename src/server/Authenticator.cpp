// SPDX-License-Identifier: GPL-3.0-or-later
#include "Authenticator.h"

#include "HttpRequest.h"
#include "Jwt.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QRandomGenerator>

#include <algorithm>

namespace tidewatch {

namespace {

QByteArray digest(QByteArrayView secret)
{
    return QCryptographicHash::hash(secret, QCryptographicHash::Sha256);
}

// 32 bytes from the system's CSPRNG (getrandom), as unpadded base64url.
QByteArray randomId()
{
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    return jwt::base64UrlEncode(
        QByteArrayView(reinterpret_cast<const char *>(words), sizeof(words)));
}

} // namespace

Authenticator::Authenticator(AuthOptions options)
    : m_options(std::move(options))
{
    m_options.maxSessions = qMax(1, m_options.maxSessions);
    m_options.maxLoginCodes = qMax(1, m_options.maxLoginCodes);
    m_options.maxTrackedAddresses = qMax(1, m_options.maxTrackedAddresses);
    m_options.failureLimit = qMax(1, m_options.failureLimit);
    m_options.failureWindowMs = qMax<qint64>(1000, m_options.failureWindowMs);
    setTokens(m_options.tokens);
}

bool Authenticator::required() const
{
    return !m_tokenDigests.isEmpty() || !m_options.jwtSecret.isEmpty();
}

void Authenticator::setTokens(const QList<QByteArray> &tokens)
{
    const bool changed = tokens != m_options.tokens;
    m_options.tokens = tokens;
    m_tokenDigests.clear();
    for (const QByteArray &t : tokens) {
        if (!t.isEmpty())
            m_tokenDigests.append(digest(t));
    }
    // The old token may have leaked: whoever logged in with it is out.
    if (changed) {
        m_sessions.clear();
        m_loginCodes.clear();
    }
}

// Every failed check that presented a credential takes at least this
// long: a wrong token, a forged or expired JWT and an unknown cookie
// differ by a few microseconds of work, which must not show.
constexpr qint64 FailureFloorNs = 10000;

void Authenticator::padFailure(const QElapsedTimer &since)
{
    while (since.nsecsElapsed() < FailureFloorNs) {
    }
}

bool Authenticator::tokenMatches(const QByteArray &presentedDigest) const
{
    // Digests have one length, so the comparison time says nothing about
    // the token; and every configured token is tried, matched or not.
    bool match = false;
    for (const QByteArray &d : m_tokenDigests)
        match |= jwt::constantTimeEquals(presentedDigest, d);
    return match;
}

Authenticator::Decision Authenticator::checkToken(QByteArrayView token, qint64 nowMs) const
{
    Decision d;
    if (!required()) {
        d.outcome = Outcome::Open;
        return d;
    }
    QElapsedTimer timer;
    timer.start();
    d = checkTokenUnpadded(token, nowMs);
    if (!d.passed())
        padFailure(timer);
    return d;
}

Authenticator::Decision Authenticator::checkTokenUnpadded(QByteArrayView token, qint64 nowMs) const
{
    Decision d;
    if (token.isEmpty() || token.size() > jwt::MaxTokenBytes)
        return d;
    const QByteArray presented = digest(token);
    if (tokenMatches(presented)) {
        d.outcome = Outcome::Allowed;
        return d;
    }
    if (m_options.jwtSecret.isEmpty())
        return d;
    // A JWT that passed once is looked up by its digest: a scraper sends
    // the same one every 15 s, and the digest tells a timing observer
    // nothing about any secret.
    const qint64 leewayMs = qint64(m_options.jwtLeewayS) * 1000;
    if (const auto it = m_jwtCache.constFind(presented); it != m_jwtCache.constEnd()) {
        if (nowMs <= it->expiresMs + leewayMs && nowMs >= it->notBeforeMs - leewayMs) {
            d.outcome = Outcome::Allowed;
            d.subject = it->subject;
            d.expiresMs = it->expiresMs;
        }
        return d;
    }
    jwt::VerifyOptions vo;
    vo.nowS = nowMs / 1000;
    vo.leewayS = m_options.jwtLeewayS;
    vo.audience = m_options.jwtAudience;
    vo.issuer = m_options.jwtIssuer;
    jwt::Claims claims;
    // Any token, JWT-shaped or not, costs the signature's HMAC here, so
    // the kind of failure does not show in the timing.
    if (jwt::verifyHs256(token, m_options.jwtSecret, vo, &claims) != jwt::Verdict::Ok)
        return d;
    d.outcome = Outcome::Allowed;
    d.subject = claims.subject;
    d.expiresMs = claims.exp * 1000;
    if (m_jwtCache.size() >= MaxCachedJwts) {
        for (auto it = m_jwtCache.begin(); it != m_jwtCache.end();)
            it = it->expiresMs + leewayMs < nowMs ? m_jwtCache.erase(it) : std::next(it);
        if (m_jwtCache.size() >= MaxCachedJwts)
            m_jwtCache.erase(m_jwtCache.begin());
    }
    const qint64 notBefore = std::max(claims.nbf, claims.iat);
    m_jwtCache.insert(presented,
                      CachedJwt{d.expiresMs, notBefore > 0 ? notBefore * 1000 : 0, claims.subject});
    return d;
}

Authenticator::Decision Authenticator::check(const HttpRequest &request, const QHostAddress &peer,
                                             qint64 nowMs)
{
    Decision d;
    if (!required()) {
        d.outcome = Outcome::Open;
        return d;
    }
    if (rateLimited(peer, nowMs, &d.retryAfterS)) {
        d.outcome = Outcome::RateLimited;
        return d;
    }
    QElapsedTimer timer;
    timer.start();
    const QByteArray credential = presentedCredential(request, &d.via);
    if (d.via == Via::Cookie) {
        const auto it = m_sessions.find(digest(credential));
        if (it != m_sessions.end() && it->expiresMs > nowMs) {
            d.outcome = Outcome::Allowed;
            d.expiresMs = it->expiresMs;
            return d;
        }
        if (it != m_sessions.end())
            m_sessions.erase(it);
        padFailure(timer);
    } else if (d.via != Via::None) {
        const Via via = d.via;
        d = checkToken(credential, nowMs);
        d.via = via;
        if (d.passed())
            return d;
    }
    // No credential at all is not a failure: a browser's first visit, or
    // Prometheus before its config names one. Nor is a session that ended
    // (a restart, a logout): the dashboard would otherwise lock its user
    // out with its own reconnects, and 256 random bits are not guessed.
    if (d.via == Via::Bearer || d.via == Via::Query)
        recordFailure(peer, nowMs);
    d.outcome = Outcome::Unauthorized;
    return d;
}

QByteArray Authenticator::addressKey(const QHostAddress &peer)
{
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4); // v4-mapped v6 too
    if (isV4)
        return QByteArray::number(v4);
    const Q_IPV6ADDR v6 = peer.toIPv6Address();
    return QByteArray(reinterpret_cast<const char *>(v6.c), 8);
}

void Authenticator::pruneFailures(qint64 nowMs)
{
    for (auto it = m_failures.begin(); it != m_failures.end();) {
        if (nowMs - it->windowStartMs >= m_options.failureWindowMs)
            it = m_failures.erase(it);
        else
            ++it;
    }
}

bool Authenticator::rateLimited(const QHostAddress &peer, qint64 nowMs, int *retryAfterS)
{
    const auto it = m_failures.constFind(addressKey(peer));
    if (it == m_failures.constEnd() || it->count < m_options.failureLimit)
        return false;
    const qint64 left = it->windowStartMs + m_options.failureWindowMs - nowMs;
    if (left <= 0)
        return false;
    if (retryAfterS)
        *retryAfterS = int((left + 999) / 1000);
    return true;
}

void Authenticator::recordFailure(const QHostAddress &peer, qint64 nowMs)
{
    const QByteArray key = addressKey(peer);
    auto it = m_failures.find(key);
    if (it == m_failures.end()) {
        if (m_failures.size() >= m_options.maxTrackedAddresses)
            pruneFailures(nowMs);
        // Still full: the oldest window goes. An attacker with many
        // addresses can only push out counts, never grow the table.
        if (m_failures.size() >= m_options.maxTrackedAddresses) {
            auto oldest = std::min_element(m_failures.begin(), m_failures.end(),
                                           [](const Failures &a, const Failures &b) {
                                               return a.windowStartMs < b.windowStartMs;
                                           });
            m_failures.erase(oldest);
        }
        it = m_failures.insert(key, Failures{nowMs, 0});
    } else if (nowMs - it->windowStartMs >= m_options.failureWindowMs) {
        *it = Failures{nowMs, 0};
    }
    ++it->count;
}

template<typename Map> void Authenticator::dropOldest(Map &map)
{
    auto oldest =
        std::min_element(map.begin(), map.end(), [](const Expiring &a, const Expiring &b) {
            return a.createdMs < b.createdMs;
        });
    if (oldest != map.end())
        map.erase(oldest);
}

QByteArray Authenticator::issueLoginCode(qint64 nowMs)
{
    for (auto it = m_loginCodes.begin(); it != m_loginCodes.end();)
        it = it->expiresMs <= nowMs ? m_loginCodes.erase(it) : std::next(it);
    while (m_loginCodes.size() >= m_options.maxLoginCodes)
        dropOldest(m_loginCodes);
    const QByteArray code = randomId();
    m_loginCodes.insert(digest(code), Expiring{nowMs, nowMs + m_options.loginCodeTtlMs});
    return code;
}

QByteArray Authenticator::redeemLoginCode(QByteArrayView code, const QHostAddress &peer,
                                          qint64 nowMs)
{
    const auto it = code.size() > 128 ? m_loginCodes.end() : m_loginCodes.find(digest(code));
    if (it == m_loginCodes.end() || it->expiresMs <= nowMs) {
        if (it != m_loginCodes.end())
            m_loginCodes.erase(it);
        recordFailure(peer, nowMs);
        return {};
    }
    m_loginCodes.erase(it); // once
    return startSession(nowMs);
}

QByteArray Authenticator::startSession(qint64 nowMs, qint64 expiresMs)
{
    for (auto it = m_sessions.begin(); it != m_sessions.end();)
        it = it->expiresMs <= nowMs ? m_sessions.erase(it) : std::next(it);
    while (m_sessions.size() >= m_options.maxSessions)
        dropOldest(m_sessions);
    const qint64 end = nowMs + m_options.sessionTtlMs;
    const QByteArray id = randomId();
    m_sessions.insert(digest(id), Expiring{nowMs, expiresMs > 0 ? qMin(expiresMs, end) : end});
    return id;
}

void Authenticator::endSession(const HttpRequest &request)
{
    const QByteArray id = sessionCookie(request);
    if (!id.isEmpty())
        m_sessions.remove(digest(id));
}

QByteArray Authenticator::sessionCookieHeader(const QByteArray &sessionId, qint64 maxAgeMs,
                                              bool secure) const
{
    // HttpOnly: no script reads it. SameSite=Strict: no other site's page
    // sends it, not even with a WebSocket handshake.
    QByteArray h = "Set-Cookie: " + CookieName.toByteArray() + '=' + sessionId +
                   "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                   QByteArray::number(sessionId.isEmpty() ? 0 : qMax<qint64>(0, maxAgeMs / 1000));
    if (secure)
        h += "; Secure";
    return h + "\r\n";
}

QByteArray Authenticator::sessionCookie(const HttpRequest &request)
{
    for (const auto &[name, value] : request.headers) {
        if (name != "cookie")
            continue;
        for (const QByteArray &item : value.split(';')) {
            const QByteArrayView part = QByteArrayView(item).trimmed();
            if (part.startsWith(CookieName) && part.size() > CookieName.size() &&
                part.at(CookieName.size()) == '=')
                return part.sliced(CookieName.size() + 1).trimmed().toByteArray();
        }
    }
    return {};
}

QByteArray Authenticator::presentedCredential(const HttpRequest &request, Via *via)
{
    *via = Via::None;
    const QByteArray authorization = request.header("authorization");
    if (!authorization.isNull()) {
        *via = Via::Bearer;
        // The scheme is case-insensitive (RFC 9110 §11.1).
        if (authorization.size() > 7 && authorization.first(7).toLower() == "bearer ")
            return authorization.sliced(7).trimmed();
        return {};
    }
    if (QByteArray cookie = sessionCookie(request); !cookie.isEmpty()) {
        *via = Via::Cookie;
        return cookie;
    }
    for (const QByteArray &pair : request.query.split('&')) {
        if (pair.startsWith("token=")) {
            *via = Via::Query;
            return QByteArray::fromPercentEncoding(pair.sliced(6));
        }
    }
    return {};
}

QByteArray Authenticator::redactedTarget(QByteArrayView target)
{
    const qsizetype q = target.indexOf('?');
    if (q < 0)
        return target.toByteArray();
    QByteArray out = target.first(q + 1).toByteArray();
    bool first = true;
    for (const QByteArray &pair : target.sliced(q + 1).toByteArray().split('&')) {
        if (!first)
            out += '&';
        first = false;
        const bool secret = pair.startsWith("token=") || pair.startsWith("code=");
        out += secret ? pair.first(pair.indexOf('=') + 1) + "***" : pair;
    }
    return out;
}

} // namespace tidewatch
