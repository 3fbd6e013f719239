// SPDX-License-Identifier: GPL-3.0-or-later
// The FeedServer's gate: who may pass (Authenticator), from which page
// (Origin) and under which name (Host), and the login and logout routes.
#include "FeedServer.h"
#include "FeedServerPrivate.h"

#include "Authenticator.h"
#include "HttpRequest.h"
#include "WebAssets.h"

#include <QDateTime>
#include <QSslSocket>
#include <QSysInfo>
#include <QTcpSocket>

namespace tidewatch {

namespace {

const QByteArray NoStore("Cache-Control: no-store\r\n");

// The host part of a Host header or an origin's authority: "[::1]:80" →
// "::1", "example.org:8765" → "example.org".
QByteArrayView hostPart(QByteArrayView authority)
{
    if (authority.startsWith('[')) {
        const qsizetype end = authority.indexOf(']');
        return end < 0 ? QByteArrayView() : authority.sliced(1, end - 1);
    }
    const qsizetype colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.first(colon);
}

bool acceptsHtml(const HttpRequest &request)
{
    return request.header("accept").contains("text/html");
}

} // namespace

void FeedServer::setAuthOptions(const AuthOptions &options)
{
    m_auth = std::make_unique<Authenticator>(options);
}

void FeedServer::setAllowedOrigins(const QStringList &origins)
{
    m_allowedOrigins.clear();
    for (const QString &o : origins)
        m_allowedOrigins.append(o.toLower().toUtf8());
}

QString FeedServer::issueLoginLink()
{
    if (!m_auth->required())
        return url();
    const QByteArray code = m_auth->issueLoginCode(QDateTime::currentMSecsSinceEpoch());
    return url() + QStringLiteral("login?code=") + QString::fromLatin1(code);
}

bool FeedServer::isTls(const QTcpSocket *socket)
{
    const auto *ssl = qobject_cast<const QSslSocket *>(socket);
    return ssl && ssl->isEncrypted();
}

QByteArray FeedServer::securityHeaders(const QTcpSocket *socket)
{
    static const QByteArray common("X-Content-Type-Options: nosniff\r\n"
                                   "Referrer-Policy: no-referrer\r\n"
                                   "X-Frame-Options: DENY\r\n");
    // Once a browser has seen the port over TLS it never tries plain http.
    static const QByteArray tls(common + "Strict-Transport-Security: max-age=31536000\r\n");
    return isTls(socket) ? tls : common;
}

bool FeedServer::originAllowed(const HttpRequest &request, bool tls) const
{
    const QByteArray origin = request.header("origin").toLower();
    // Only browsers send Origin, and only a browser can be tricked by a
    // page into opening the socket (cross-site WebSocket hijacking).
    if (origin.isNull())
        return true;
    if (m_allowedOrigins.contains(origin) || m_allowedOrigins.contains("*"))
        return true;
    const QByteArray host = request.header("host").toLower();
    return !host.isEmpty() && origin == (tls ? "https://" : "http://") + host;
}

bool FeedServer::hostAllowed(const HttpRequest &request) const
{
    // With no credentials on a loopback port, the Host header is what stops
    // DNS rebinding: a page at evil.example whose name now points at
    // 127.0.0.1 is same-origin with us, but says "Host: evil.example".
    if (m_auth->required() || !serverAddress().isLoopback())
        return true;
    const QByteArray hostHeader = request.header("host");
    if (hostHeader.isNull())
        return true; // HTTP/1.0; no browser sends that
    const QByteArray host = hostPart(hostHeader).toByteArray().toLower();
    if (!QHostAddress(QString::fromLatin1(host)).isNull())
        return true;
    // A name without a dot (localhost, the machine's own name, an
    // /etc/hosts alias) can not be an attacker's name in public DNS.
    if (!host.contains('.') || host.endsWith(".localhost"))
        return true;
    const QByteArray machine = QSysInfo::machineHostName().toLower().toUtf8();
    if (!machine.isEmpty() && (host == machine || host == machine + ".local"))
        return true;
    for (const QByteArray &o : m_allowedOrigins) {
        const qsizetype sep = o.indexOf("://");
        if (sep > 0 && hostPart(QByteArrayView(o).sliced(sep + 3)) == host)
            return true;
    }
    return false;
}

bool FeedServer::isPublicPath(QByteArrayView path)
{
    return path == "/healthz" || path == "/login" || path == "/logout" || path == "/favicon.svg";
}

bool FeedServer::admit(QTcpSocket *socket, const HttpRequest &request)
{
    if (!hostAllowed(request)) {
        // A local: hostPart() returns a view into it.
        const QByteArray hostHeader = request.header("host");
        const QByteArrayView host = hostPart(hostHeader);
        respondError(socket, &request, 403,
                     QStringLiteral("host name \"%1\" is not this server's; add its origin with "
                                    "--allow-origin to serve it")
                         .arg(QString::fromLatin1(host.first(qMin<qsizetype>(host.size(), 128)))));
        return false;
    }
    if (isPublicPath(request.path))
        return true;
    const Authenticator::Decision d =
        m_auth->check(request, socket->peerAddress(), QDateTime::currentMSecsSinceEpoch());
    if (d.passed())
        return true;
    if (d.outcome == Authenticator::Outcome::RateLimited) {
        respondError(socket, &request, 429, QStringLiteral("too many failed attempts; retry later"),
                     "Retry-After: " + QByteArray::number(d.retryAfterS) + "\r\n", false);
        return false;
    }
    // A person opening the dashboard gets the login page; a script gets
    // the same 401 for every kind of failure.
    if (request.method == "GET" && (request.path == "/" || request.path == "/index.html") &&
        acceptsHtml(request) && !request.isWebSocketUpgrade()) {
        respond(socket, &request, 303, {}, {}, NoStore + "Location: /login\r\n", true);
        return false;
    }
    respondError(socket, &request, 401, QStringLiteral("authentication required"),
                 "WWW-Authenticate: Bearer realm=\"tidewatch\"\r\n", true);
    return false;
}

void FeedServer::routeLogin(QTcpSocket *socket, const HttpRequest &request)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QHostAddress peer = socket->peerAddress();
    const bool tls = isTls(socket);
    int retryAfter = 0;
    if (m_auth->required() && m_auth->rateLimited(peer, now, &retryAfter)) {
        respondError(socket, &request, 429, QStringLiteral("too many failed attempts; retry later"),
                     "Retry-After: " + QByteArray::number(retryAfter) + "\r\n", false);
        return;
    }
    if (request.method == "POST") {
        // The login page sends the token as a bearer header, which no
        // other site's form can set (and a script elsewhere would need a
        // CORS preflight that this server never grants).
        if (!originAllowed(request, tls)) {
            respondError(socket, &request, 403, QStringLiteral("origin not allowed"));
            return;
        }
        Authenticator::Via via = Authenticator::Via::None;
        const QByteArray token = Authenticator::presentedCredential(request, &via);
        const Authenticator::Decision d = via == Authenticator::Via::Bearer
                                              ? m_auth->checkToken(token, now)
                                              : Authenticator::Decision();
        if (d.outcome == Authenticator::Outcome::Open) {
            respond(socket, &request, 204, {}, {}, NoStore, true);
            return;
        }
        if (!d.passed()) {
            m_auth->recordFailure(peer, now);
            respondError(socket, &request, 401, QStringLiteral("authentication required"),
                         "WWW-Authenticate: Bearer realm=\"tidewatch\"\r\n", true);
            return;
        }
        const QByteArray session = m_auth->startSession(now, d.expiresMs);
        const qint64 maxAge = d.expiresMs > 0
                                  ? qMin(d.expiresMs - now, m_auth->options().sessionTtlMs)
                                  : m_auth->options().sessionTtlMs;
        respond(socket, &request, 204, {}, {},
                NoStore + m_auth->sessionCookieHeader(session, maxAge, tls), true);
        return;
    }
    QByteArray code;
    for (const QByteArray &pair : request.query.split('&')) {
        if (pair.startsWith("code="))
            code = QByteArray::fromPercentEncoding(pair.sliced(5));
    }
    if (!code.isEmpty() && m_auth->required()) {
        const QByteArray session = m_auth->redeemLoginCode(code, peer, now);
        if (session.isEmpty()) {
            // The page says why; the code itself never reaches a log or
            // the browser's history beyond this one redirect.
            respond(socket, &request, 303, {}, {}, NoStore + "Location: /login#expired\r\n", true);
            return;
        }
        // Not a redirect: a SameSite=Strict cookie is not sent along a
        // redirect of a navigation that another site or app started (a
        // link in a chat, a QR code scanner). A page of ours that moves on
        // by itself starts a navigation of our own, which carries it.
        static const QByteArray page =
            "<!doctype html><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" "
            "content=\"0;url=/\"><title>Tidewatch</title><a href=\"/\">Tidewatch</a>\n";
        respond(socket, &request, 200, "text/html; charset=utf-8", page,
                NoStore + "Content-Security-Policy: default-src 'none'\r\n" +
                    m_auth->sessionCookieHeader(session, m_auth->options().sessionTtlMs, tls),
                true);
        return;
    }
    if (!m_auth->required() || !code.isEmpty()) {
        respond(socket, &request, 303, {}, {}, NoStore + "Location: /\r\n", true);
        return;
    }
    const WebAsset *page = findWebAsset("/login.html");
    if (!page) {
        respondError(socket, &request, 404, QStringLiteral("no login page in this build"), {},
                     true);
        return;
    }
    respond(socket, &request, 200, page->contentType, page->body,
            NoStore + "Content-Security-Policy: " + page->contentSecurityPolicy + "\r\n", true);
}

void FeedServer::routeLogout(QTcpSocket *socket, const HttpRequest &request)
{
    if (request.method != "POST") {
        respondError(socket, &request, 405, QStringLiteral("log out with POST"), "Allow: POST\r\n",
                     true);
        return;
    }
    if (!originAllowed(request, isTls(socket))) {
        respondError(socket, &request, 403, QStringLiteral("origin not allowed"));
        return;
    }
    m_auth->endSession(request);
    respond(socket, &request, 204, {}, {},
            NoStore + m_auth->sessionCookieHeader({}, 0, isTls(socket)), true);
}

} // namespace tidewatch
