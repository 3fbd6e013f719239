// SPDX-License-Identifier: GPL-3.0-or-later
// The FeedServer's TLS side: credentials, their reload, and the answer to
// plain HTTP that arrives on the TLS port. The handshake itself happens in
// FeedListener, before a socket reaches the server.
#include "FeedServer.h"
#include "FeedServerPrivate.h"

#include "FeedListener.h"
#include "HttpRequest.h"
#include "TlsCredentials.h"

#include <QDateTime>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

namespace tidewatch {

namespace {

constexpr qsizetype MaxRedirectTargetBytes = 2048;

bool usableHost(QByteArrayView host)
{
    // host, host:port, [v6]:port; nothing that could turn the Location
    // into another URL (no '@', '/', '\\', spaces or controls).
    if (host.isEmpty() || host.size() > 255)
        return false;
    return std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.' || c == '_' || c == ':' || c == '[' || c == ']';
    });
}

bool usableTarget(QByteArrayView target)
{
    if (target.isEmpty() || target.front() != '/' || target.size() > MaxRedirectTargetBytes)
        return false;
    // "//evil.example" would be read as a host by a lenient client.
    if (target.startsWith("//"))
        return false;
    return std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

} // namespace

bool FeedServer::setTls(const QString &certFile, const QString &keyFile, QString *errorMessage)
{
    QString ignored;
    if (!errorMessage)
        errorMessage = &ignored;
    if (!QSslSocket::supportsSsl()) {
        *errorMessage = QStringLiteral("cannot serve TLS: Qt has no working TLS backend "
                                       "(available: %1)")
                            .arg(QSslSocket::availableBackends().join(QStringLiteral(", ")));
        return false;
    }
    std::optional<TlsCredentials> loaded = TlsCredentials::load(certFile, keyFile, errorMessage);
    if (!loaded)
        return false;
    m_tls = std::make_unique<TlsCredentials>(std::move(*loaded));
    // Only handshakes that start from now on see it: a QSslSocket copies
    // its configuration, so connected clients keep the pair they got.
    m_tcpServer->setTlsConfiguration(m_tls->serverConfiguration());
    return true;
}

bool FeedServer::reloadTls(QString *errorMessage)
{
    if (!m_tls) {
        if (errorMessage)
            *errorMessage = QStringLiteral("TLS is not configured");
        return false;
    }
    // Copies: setTls() replaces the object they live in.
    const QString certFile = m_tls->certFile;
    const QString keyFile = m_tls->keyFile;
    return setTls(certFile, keyFile, errorMessage);
}

bool FeedServer::tlsEnabled() const
{
    return m_tcpServer->tlsEnabled();
}

QString FeedServer::tlsDescription() const
{
    return m_tls ? m_tls->describe() : QString();
}

FeedListener::Stats FeedServer::tlsStats() const
{
    return m_tcpServer->stats();
}

FeedSelfMetrics::Tls FeedServer::tlsSelfMetrics() const
{
    FeedSelfMetrics::Tls out;
    if (!m_tls || !tlsEnabled())
        return out;
    const FeedListener::Stats s = m_tcpServer->stats();
    out.enabled = true;
    out.certificateExpiry = m_tls->chain.first().expiryDate().toSecsSinceEpoch();
    out.accepted = s.tlsAccepted;
    out.failed = s.tlsFailed;
    out.plainHttp = s.plainOnTls;
    out.timedOut = s.timedOut;
    out.refused = s.refusedUndecided;
    return out;
}

void FeedServer::answerPlainOnTlsPort(QTcpSocket *socket)
{
    // Bounded like the HTTP connections; these live a round trip at most.
    if (m_plainOnTlsConnections >= qMax(1, m_options.maxHttpConnections)) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    ++m_plainOnTlsConnections;
    connect(socket, &QObject::destroyed, this, [this] { --m_plainOnTlsConnections; });
    socket->setReadBufferSize(m_options.maxRequestHeadBytes + 1);
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, socket, &QTcpSocket::abort);
    deadline->start(m_options.requestHeadTimeoutMs);

    const auto answer = [this, socket, deadline] {
        if (socket->state() != QAbstractSocket::ConnectedState)
            return;
        const QByteArray data =
            socket->peek(qMin<qint64>(socket->bytesAvailable(), m_options.maxRequestHeadBytes));
        HttpRequest request;
        const HttpRequest::Status status =
            HttpRequest::parse(data, m_options.maxRequestHeadBytes, &request);
        if (status == HttpRequest::Status::Incomplete)
            return;
        disconnect(socket, &QTcpSocket::readyRead, this, nullptr);

        // A browser that typed http:// follows a redirect to the same
        // address over https; anything else learns what to use instead.
        const bool getOrHead = request.method == "GET" || request.method == "HEAD";
        QByteArray location;
        if (status == HttpRequest::Status::Complete && getOrHead &&
            usableHost(request.header("host")) && usableTarget(request.target))
            location = "https://" + request.header("host") + request.target;
        QByteArray body("{\"error\":");
        const QString message = u"this port speaks HTTPS: use " +
                                (location.isEmpty() ? url() : QString::fromLatin1(location));
        json::appendString(body, message);
        body.append("}\n");

        QByteArray head(location.isEmpty() ? "HTTP/1.1 400 Bad Request\r\n"
                                           : "HTTP/1.1 301 Moved Permanently\r\n");
        if (!location.isEmpty())
            head.append("Location: ").append(location).append("\r\n");
        // no-store: a browser must not remember the redirect past the
        // day TLS is switched off again.
        head.append("Content-Type: application/json\r\nCache-Control: no-store\r\n"
                    "Content-Length: ")
            .append(QByteArray::number(body.size()))
            .append("\r\nConnection: close\r\n\r\n");
        socket->write(head);
        if (request.method != "HEAD" || status != HttpRequest::Status::Complete)
            socket->write(body);
        socket->disconnectFromHost();
        deadline->start(m_options.closeTimeoutMs); // aborts if the peer does not read
    };
    connect(socket, &QTcpSocket::readyRead, this, answer);
    if (socket->bytesAvailable() > 0)
        answer();
}

} // namespace tidewatch
