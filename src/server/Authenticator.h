// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QString>

class QElapsedTimer;

namespace tidewatch {

struct HttpRequest;

/// What the Authenticator accepts, and the bounds of what it remembers.
struct AuthOptions
{
    QList<QByteArray> tokens;                            ///< static access tokens
    QByteArray jwtSecret;                                ///< HS256 secret; empty: no JWTs
    QString jwtAudience;                                 ///< when set, a JWT's "aud" must name it
    QString jwtIssuer;                                   ///< when set, a JWT's "iss" must equal it
    int jwtLeewayS = 60;                                 ///< clock skew allowed on exp, nbf and iat
    qint64 sessionTtlMs = qint64(30) * 24 * 3600 * 1000; ///< a session cookie's life
    int maxSessions = 1024;                              ///< more: the oldest ends
    qint64 loginCodeTtlMs = 5 * 60 * 1000;               ///< a one-time login link's life
    int maxLoginCodes = 64;                              ///< unredeemed; more: the oldest goes
    int failureLimit = 10;          ///< failures per address per window before 429
    qint64 failureWindowMs = 60000; ///< the window of failureLimit
    int maxTrackedAddresses = 4096; ///< addresses whose failures are counted
};

/// Decides whether an HTTP request or WebSocket handshake may pass. One
/// instance per server, in the server's thread; it runs once per request
/// and once per handshake, never per frame.
///
/// Credentials come from `Authorization: Bearer`, the session cookie, or
/// `?token=` (for WebSocket clients that cannot set headers). A token is
/// a static token or an HS256 JWT. Static tokens and sessions are kept as
/// SHA-256 digests and compared in constant time. Every failure looks the
/// same to the client and costs the same; an address with too many
/// failures in a window is refused (429) until the window ends.
class Authenticator final
{
public:
    enum class Outcome : quint8 {
        Open,         ///< no credential is configured: everyone passes
        Allowed,      ///< a valid credential
        Unauthorized, ///< none, or a wrong, expired or forged one: 401
        RateLimited,  ///< too many failures from this address: 429
    };
    enum class Via : quint8 { None, Bearer, Cookie, Query };
    struct Decision
    {
        Outcome outcome = Outcome::Unauthorized;
        Via via = Via::None;
        int retryAfterS = 0;  ///< for RateLimited
        QString subject;      ///< a JWT's "sub"
        qint64 expiresMs = 0; ///< when the credential ends (0: never, a static token)
        bool passed() const { return outcome == Outcome::Open || outcome == Outcome::Allowed; }
    };

    static constexpr QByteArrayView CookieName = "tidewatch_session";

    explicit Authenticator(AuthOptions options = {});

    /// Whether any credential is configured: without one, check() is Open.
    bool required() const;
    const AuthOptions &options() const { return m_options; }
    /// Replaces the static tokens (the desktop app's token was regenerated).
    /// Sessions started with the old token end too.
    void setTokens(const QList<QByteArray> &tokens);

    /// The decision for a request from `peer`, at `nowMs` (ms since epoch).
    /// A failure counts against `peer`.
    Decision check(const HttpRequest &request, const QHostAddress &peer, qint64 nowMs);
    /// Checks one presented credential (a token or a JWT); no cookie, and
    /// nothing counted. For the login page's POST and for benches.
    Decision checkToken(QByteArrayView token, qint64 nowMs) const;

    /// Whether `peer` is over its failure limit now; retryAfterS gets the wait.
    bool rateLimited(const QHostAddress &peer, qint64 nowMs, int *retryAfterS = nullptr);
    /// Counts one failure (a bad login code, for instance) against `peer`.
    void recordFailure(const QHostAddress &peer, qint64 nowMs);

    /// A one-time code for a login link, valid loginCodeTtlMs and usable once.
    QByteArray issueLoginCode(qint64 nowMs);
    /// Redeems a login code for a new session id; empty when the code is
    /// unknown, used or expired (a failure is then counted against `peer`).
    QByteArray redeemLoginCode(QByteArrayView code, const QHostAddress &peer, qint64 nowMs);
    /// A new session, ending at `expiresMs` or after sessionTtlMs, whichever
    /// comes first (0: after sessionTtlMs). Returns the cookie's value.
    QByteArray startSession(qint64 nowMs, qint64 expiresMs = 0);
    /// Ends the session named by the request's cookie, if any.
    void endSession(const HttpRequest &request);

    int sessionCount() const { return int(m_sessions.size()); }
    int loginCodeCount() const { return int(m_loginCodes.size()); }
    int trackedAddressCount() const { return int(m_failures.size()); }

    /// The Set-Cookie header line (with CRLF) for a session id; an empty id
    /// clears the cookie. `secure` under TLS.
    QByteArray sessionCookieHeader(const QByteArray &sessionId, qint64 maxAgeMs, bool secure) const;

    /// The credential a request presents, and where: the bearer header
    /// first, then the cookie, then ?token=. Empty when none.
    static QByteArray presentedCredential(const HttpRequest &request, Via *via);
    /// The request's session cookie value, or empty.
    static QByteArray sessionCookie(const HttpRequest &request);
    /// The request target with any token=… query value replaced by "***",
    /// for logs.
    static QByteArray redactedTarget(QByteArrayView target);

private:
    struct Failures
    {
        qint64 windowStartMs = 0;
        int count = 0;
    };
    struct Expiring
    {
        qint64 createdMs = 0;
        qint64 expiresMs = 0;
    };
    /// IPv6 peers are counted per /64: one host usually has the whole prefix.
    static QByteArray addressKey(const QHostAddress &peer);
    struct CachedJwt
    {
        qint64 expiresMs = 0;
        qint64 notBeforeMs = 0;
        QString subject;
    };
    static constexpr qsizetype MaxCachedJwts = 256;
    bool tokenMatches(const QByteArray &presentedDigest) const;
    Decision checkTokenUnpadded(QByteArrayView token, qint64 nowMs) const;
    static void padFailure(const QElapsedTimer &since);
    void pruneFailures(qint64 nowMs);
    template<typename Map> static void dropOldest(Map &map);

    AuthOptions m_options;
    QList<QByteArray> m_tokenDigests;
    QHash<QByteArray, Expiring> m_sessions;          ///< by SHA-256 of the id
    QHash<QByteArray, Expiring> m_loginCodes;        ///< by SHA-256 of the code
    QHash<QByteArray, Failures> m_failures;          ///< by addressKey()
    mutable QHash<QByteArray, CachedJwt> m_jwtCache; ///< verified JWTs, by SHA-256
};

} // namespace tidewatch
