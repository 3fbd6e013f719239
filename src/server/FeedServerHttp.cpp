// SPDX-License-Identifier: GPL-3.0-or-later
// The FeedServer's HTTP side: connections, request heads, the hand-over of
// upgrades to QWebSocketServer, responses and routes.
#include "FeedServer.h"
#include "FeedServerPrivate.h"

#include "Authenticator.h"
#include "FeedShard.h"
#include "HistoryQuery.h"
#include "HttpRequest.h"
#include "Hub.h"
#include "PrometheusEncoder.h"
#include "WebAssets.h"

#include <QDateTime>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <cmath>

namespace tidewatch {

namespace {

constexpr qint64 HttpWriteBacklogBytes = 256 * 1024; // stop reading pipelined requests above this

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

} // namespace

// ----------------------------------------------------------------- HTTP

void FeedServer::onNewTcpConnection()
{
    while (QTcpSocket *socket = m_tcpServer->nextPendingConnection()) {
        if (m_shuttingDown) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        // Frames are small and each one is due now: no Nagle delay.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        if (FeedListener::isPlainOnTlsPort(socket)) {
            answerPlainOnTlsPort(socket); // FeedServerTls.cpp
            continue;
        }
        if (m_http.size() >= size_t(qMax(0, m_options.maxHttpConnections))) {
            respondError(socket, nullptr, 503, QStringLiteral("too many connections"));
            QTimer::singleShot(m_options.closeTimeoutMs, socket, &QTcpSocket::abort);
            continue;
        }
        // Qt reads no more than this ahead, so a head that never ends costs
        // at most this much memory before it is refused with 431.
        socket->setReadBufferSize(m_options.maxRequestHeadBytes + 1);
        auto owned = std::make_unique<HttpConnection>();
        HttpConnection *conn = owned.get();
        conn->headTimer = new QTimer(socket);
        conn->headTimer->setObjectName(QLatin1StringView(HeadTimerName));
        conn->headTimer->setSingleShot(true);
        connect(conn->headTimer, &QTimer::timeout, socket, &QTcpSocket::abort);
        m_http.emplace(socket, std::move(owned));
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { processHttp(socket); });
        connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] {
            const HttpConnection *c = httpConnection(socket);
            if (c && c->waitingForWrite)
                processHttp(socket);
        });
        connect(socket, &QTcpSocket::disconnected, this,
                [this, socket] { removeHttpConnection(socket); });
        conn->headTimer->start(m_options.requestHeadTimeoutMs);
        if (socket->bytesAvailable() > 0)
            processHttp(socket);
    }
}

FeedServer::HttpConnection *FeedServer::httpConnection(QTcpSocket *socket) const
{
    const auto it = m_http.find(socket);
    return it == m_http.end() ? nullptr : it->second.get();
}

void FeedServer::removeHttpConnection(QTcpSocket *socket)
{
    m_http.erase(socket);
    disconnect(socket, nullptr, this, nullptr);
    socket->deleteLater();
    checkShutdownFinished();
}

void FeedServer::processHttp(QTcpSocket *socket)
{
    // Bounded work per call: a client that pipelines many requests gets the
    // rest on the next pass of the event loop.
    for (int round = 0; round < 32; ++round) {
        HttpConnection *conn = httpConnection(socket);
        if (!conn || conn->closing || conn->answerPending ||
            socket->state() != QAbstractSocket::ConnectedState)
            return;
        if (socket->bytesToWrite() > HttpWriteBacklogBytes) {
            conn->waitingForWrite = true; // resumed from bytesWritten
            return;
        }
        conn->waitingForWrite = false;
        const qint64 available = socket->bytesAvailable();
        if (available <= 0)
            return;
        // peek(), not read(): an upgrade must reach QWebSocketServer with the
        // head still in the socket's buffer.
        const QByteArray data =
            socket->peek(qMin<qint64>(available, m_options.maxRequestHeadBytes));
        HttpRequest request;
        QByteArray error;
        switch (HttpRequest::parse(data, m_options.maxRequestHeadBytes, &request, &error)) {
        case HttpRequest::Status::Incomplete:
            return;
        case HttpRequest::Status::TooLarge:
            respondError(socket, nullptr, 431,
                         QStringLiteral("request head larger than %1 bytes")
                             .arg(m_options.maxRequestHeadBytes));
            return;
        case HttpRequest::Status::Invalid:
            respondError(socket, nullptr, 400, QString::fromLatin1(error));
            return;
        case HttpRequest::Status::Complete:
            break;
        }
        ++m_httpRequests;
        if (request.isWebSocketUpgrade()) {
            handOverUpgrade(socket, request);
            return;
        }
        socket->skip(request.headLength);

        const QByteArray contentLength = request.header("content-length");
        const bool hasBody = request.hasHeader("transfer-encoding") ||
                             (!contentLength.isNull() && contentLength != "0");
        // Logging in and out change state, so they are POSTs; no other route is.
        const bool post =
            request.method == "POST" && (request.path == "/login" || request.path == "/logout");
        if (request.method != "GET" && request.method != "HEAD" && !post) {
            respondError(socket, &request, 405,
                         QStringLiteral("method %1 not allowed")
                             .arg(QString::fromLatin1(request.method.left(32))),
                         "Allow: GET, HEAD\r\n");
            return;
        }
        if (hasBody) {
            respondError(socket, &request, 400, QStringLiteral("request bodies are not accepted"));
            return;
        }
        route(socket, request);
        if (conn->closing || conn->answerPending)
            return;
        conn->headTimer->start(m_options.requestHeadTimeoutMs); // the next head's deadline
    }
    QTimer::singleShot(0, socket, [this, socket] { processHttp(socket); });
}

void FeedServer::handOverUpgrade(QTcpSocket *socket, const HttpRequest &request)
{
    if (request.path != "/" && request.path != "/ws") {
        respondError(socket, &request, 404, QStringLiteral("no WebSocket endpoint at this path"));
        return;
    }
    if (m_shuttingDown) {
        respondError(socket, &request, 503, QStringLiteral("server shutting down"));
        return;
    }
    // Checked here so that a bad handshake gets an HTTP answer; Qt would
    // just close the connection.
    if (request.header("sec-websocket-version") != "13") {
        respondError(socket, &request, 426,
                     QStringLiteral("only WebSocket version 13 is supported"),
                     "Sec-WebSocket-Version: 13\r\n");
        return;
    }
    if (request.header("sec-websocket-key").isEmpty()) {
        respondError(socket, &request, 400, QStringLiteral("missing Sec-WebSocket-Key"));
        return;
    }
    // Before credentials: a page from another site must not learn even
    // whether its visitor's cookie would have worked.
    if (!originAllowed(request, isTls(socket))) {
        respondError(socket, &request, 403,
                     QStringLiteral("origin %1 may not open the feed; start the server with "
                                    "--allow-origin %1 to allow it")
                         .arg(QString::fromLatin1(request.header("origin").left(200))));
        return;
    }
    if (!admit(socket, request))
        return;
    std::unique_ptr<HttpConnection> conn;
    if (const auto it = m_http.find(socket); it != m_http.end()) {
        conn = std::move(it->second);
        m_http.erase(it);
    }
    // Our slots must be gone before the hand-over: handleConnection()
    // re-emits readyRead on the socket when bytes are already buffered.
    disconnect(socket, nullptr, this, nullptr);
    if (conn) {
        conn->headTimer->start(m_options.requestHeadTimeoutMs); // now the handshake deadline
    }
    socket->setReadBufferSize(0); // QWebSocket sets its own bound in onNewWebSocket()
    m_upgrading.append(socket);
    // If Qt refuses the handshake it closes the socket.
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        if (m_upgrading.removeAll(socket) > 0) {
            socket->deleteLater();
            checkShutdownFinished();
        }
    });
    m_wsServer->handleConnection(socket);
}

void FeedServer::respond(QTcpSocket *socket, const HttpRequest *request, int status,
                         const QByteArray &contentType, const QByteArray &body,
                         const QByteArray &extraHeaders, bool keepAlive)
{
    keepAlive = keepAlive && request && request->keepAlive() && !m_shuttingDown;
    QByteArray head;
    head.reserve(256 + extraHeaders.size());
    head.append("HTTP/1.1 ").append(QByteArray::number(status)).append(' ');
    head.append(reasonPhrase(status)).append("\r\n");
    // A 204 or 304 has no body and a 304 describes none (RFC 9110 §15.4.5).
    const bool hasBody = status != 304 && status != 204;
    if (hasBody) {
        if (!contentType.isEmpty())
            head.append("Content-Type: ").append(contentType).append("\r\n");
        head.append("Content-Length: ").append(QByteArray::number(body.size()));
        head.append("\r\n");
    }
    head.append(securityHeaders(socket));
    head.append(extraHeaders);
    head.append(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
    socket->write(head);
    if (hasBody && (!request || request->method != "HEAD"))
        socket->write(body);
    if (!keepAlive) {
        if (HttpConnection *conn = httpConnection(socket)) {
            conn->closing = true;
            conn->headTimer->start(m_options.closeTimeoutMs); // aborts if the peer stalls
        }
        socket->disconnectFromHost();
    }
}

void FeedServer::respondError(QTcpSocket *socket, const HttpRequest *request, int status,
                              const QString &message, const QByteArray &extraHeaders,
                              bool keepAlive)
{
    QByteArray body("{\"error\":");
    json::appendString(body, message);
    body.append("}");
    respond(socket, request, status, "application/json", body,
            "Cache-Control: no-store\r\n" + extraHeaders, keepAlive);
}

QByteArray FeedServer::healthJson() const
{
    const SnapshotPtr latest = latestSnapshot();
    const StoreStatus store = m_historySource ? m_historySource->status() : StoreStatus();
    const bool storeTrouble =
        store.state == StoreStatus::State::Degraded || store.state == StoreStatus::State::Failed;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Milliseconds since `ts`, or null before there was one.
    const auto appendAge = [now](QByteArray &to, qint64 ts) {
        if (ts > 0)
            json::appendInteger(to, qMax<qint64>(0, now - ts));
        else
            to.append("null");
    };
    QByteArray out("{\"status\":");
    out.append(!latest ? "\"starting\"" : storeTrouble ? "\"degraded\"" : "\"ok\"");
    out.append(",\"version\":");
    json::appendString(out, QStringLiteral(TIDEWATCH_VERSION));
    // Public like the rest of /healthz: the dashboard shows its logout
    // control only when there is a login, and a probe learns the same.
    out.append(",\"auth\":");
    out.append(m_auth->required() ? "\"required\"" : "\"off\"");
    out.append(",\"uptime_s\":");
    json::appendInteger(out, m_uptime.elapsed() / 1000);
    out.append(",\"clients\":");
    json::appendInteger(out, m_clientCount);
    out.append(",\"last_sample_age_ms\":");
    appendAge(out, latest ? latest->ts : 0);
    out.append(",\"frames_sent\":");
    json::appendInteger(out, qint64(m_counters->framesSent.load(std::memory_order_relaxed)));
    out.append(",\"frames_dropped\":");
    json::appendInteger(out, qint64(m_counters->framesDropped.load(std::memory_order_relaxed)));
    // Public as the certificate itself is: a probe can watch renewals.
    out.append(",\"tls\":");
    if (const FeedSelfMetrics::Tls tls = tlsSelfMetrics(); tls.enabled) {
        out.append("{\"certificate_expires_in_s\":");
        json::appendInteger(out, tls.certificateExpiry - now / 1000);
        out.append(",\"handshakes\":");
        json::appendInteger(out, qint64(tls.accepted));
        out.append(",\"handshakes_failed\":");
        json::appendInteger(out, qint64(tls.failed));
        out.append('}');
    } else {
        out.append("null");
    }
    out.append(",\"store\":{\"state\":");
    static const char *const stateNames[] = {"\"off\"", "\"ok\"", "\"degraded\"", "\"failed\""};
    out.append(stateNames[int(store.state)]);
    if (store.state != StoreStatus::State::Off) {
        out.append(",\"backend\":");
        json::appendString(out, store.backend);
        out.append(",\"location\":");
        json::appendString(out, store.location);
        out.append(",\"message\":");
        json::appendString(out, store.message);
        out.append(",\"written_points\":");
        json::appendInteger(out, store.writtenPoints);
        out.append(",\"pending_points\":");
        json::appendInteger(out, store.pendingPoints);
        out.append(",\"spooled_blocks\":");
        json::appendInteger(out, store.spooledBlocks);
        out.append(",\"dropped_points\":");
        json::appendInteger(out, store.droppedPoints);
        out.append(",\"last_write_age_ms\":");
        appendAge(out, store.lastWriteTs);
    }
    out.append("}}");
    return out;
}

void FeedServer::route(QTcpSocket *socket, const HttpRequest &request)
{
    static const QByteArray noStore("Cache-Control: no-store\r\n");
    if (!admit(socket, request))
        return;
    const QByteArray &path = request.path;
    if (path == "/login") {
        routeLogin(socket, request);
    } else if (path == "/logout") {
        routeLogout(socket, request);
    } else if (path == "/healthz") {
        respond(socket, &request, 200, "application/json", healthJson(), noStore, true);
    } else if (path == "/metrics") {
        FeedSelfMetrics self;
        self.clients = m_clientCount;
        const FeedServerStats counts = stats();
        self.framesSent = counts.framesSent;
        self.framesDropped = counts.framesDropped;
        self.clientsDropped = counts.clientsDropped;
        self.deliveryLag = &m_deliveryLag;
        self.tls = tlsSelfMetrics();
        respond(socket, &request, 200, PrometheusEncoder::ContentType,
                m_prometheus->encode(latestSnapshot(), self), noStore, true);
    } else if (path == "/api/v1/history") {
        answerHttpHistory(socket, request);
    } else if (path == "/api/v1/snapshot") {
        const SnapshotPtr latest = latestSnapshot();
        if (!latest) {
            respondError(socket, &request, 503, QStringLiteral("no snapshot has been taken yet"),
                         {}, true);
            return;
        }
        if (latest != m_snapshotJsonFor) {
            m_snapshotJsonFor = latest;
            m_snapshotJson = FeedCodec::snapshotJson(*latest);
        }
        respond(socket, &request, 200, "application/json", m_snapshotJson, noStore, true);
    } else if (const WebAsset *asset = findWebAsset(path)) {
        const QByteArray policy =
            "Content-Security-Policy: " + asset->contentSecurityPolicy + "\r\n";
        if (asset->firstDataAt >= 0) {
            // Holds this moment's data: never from a cache.
            respond(socket, &request, 200, asset->contentType,
                    dashboardPage(asset->body, asset->firstDataAt), policy + noStore, true);
            return;
        }
        // no-cache: the browser may keep a copy but revalidates it, so an
        // upgraded server is picked up at once; unchanged files cost a 304.
        const QByteArray headers =
            policy + "Cache-Control: no-cache\r\nETag: " + asset->etag + "\r\n";
        if (etagMatches(request.header("if-none-match"), asset->etag))
            respond(socket, &request, 304, {}, {}, headers, true);
        else
            respond(socket, &request, 200, asset->contentType, asset->body, headers, true);
    } else {
        respondError(socket, &request, 404, QStringLiteral("not found"), {}, true);
    }
}

// The dashboard page with the data of its first chart in place of the
// marker: the last TailMs of CPU total and (up to MaxCores) cores, in a JSON
// data block (not a script: it needs no CSP source). first-chart.js draws
// it while the page is parsed, so the first paint holds a chart and waits
// for no socket and no other script. Compact, as it adds to every page
// load: {"t0": ms, "t": [ms after t0…], "v": {id: [value…]}}, values to one
// decimal (0.1 % is a fifth of a pixel on the tallest chart).
QByteArray FeedServer::dashboardPage(const QByteArray &page, qsizetype marker) const
{
    constexpr qint64 TailMs = 20000;   // as boot.js's first back-fill
    constexpr int MaxPoints = 200;     // 20 s at 100 ms: exact samples
    constexpr qsizetype MaxCores = 16; // beyond that the total alone
    QByteArray data;
    const SnapshotPtr latest = latestSnapshot();
    if (m_hub && latest && latest->catalog) {
        HistoryQuery query;
        query.usePatterns = true;
        query.patterns = {QStringLiteral("cpu.total")};
        // cpu.core.N, not its frequency or seconds.
        QStringList cores;
        for (const MetricInfo &metric : latest->catalog->metrics()) {
            const QStringView id(metric.id);
            if (id.startsWith(u"cpu.core.") && id.size() > 9 &&
                std::all_of(id.begin() + 9, id.end(), [](QChar c) { return c.isDigit(); }))
                cores += metric.id;
        }
        if (cores.size() <= MaxCores)
            query.patterns += cores;
        query.toTs = latest->ts;
        query.fromTs = latest->ts - TailMs;
        query.maxPoints = MaxPoints;
        query.maxValues = m_options.maxHistoryValues;
        const HistoryTable table = memoryAnswer(query, *latest);
        if (!table.ts.isEmpty()) {
            QByteArray json;
            json.reserve(64 + table.ts.size() * (4 + 5 * table.ids.size()));
            json.append("{\"t0\":");
            json::appendInteger(json, table.ts.first());
            json.append(",\"t\":[");
            for (qsizetype i = 0; i < table.ts.size(); ++i) {
                if (i)
                    json.append(',');
                json::appendInteger(json, table.ts.at(i) - table.ts.first());
            }
            json.append("],\"v\":{");
            for (qsizetype s = 0; s < table.ids.size(); ++s) {
                if (s)
                    json.append(',');
                json::appendString(json, table.ids.at(s));
                json.append(":[");
                const QList<double> &column = table.values.at(s);
                for (qsizetype i = 0; i < column.size(); ++i) {
                    if (i)
                        json.append(',');
                    json::appendNumber(json, std::round(column.at(i) * 10) / 10);
                }
                json.append(']');
            }
            json.append("}}");
            // "</" would end the element early; "<\/" is the same JSON.
            data = "<script type=\"application/json\" id=\"first-data\">" +
                   json.replace("</", "<\\/") + "</script>";
        }
    }
    QByteArray out;
    out.reserve(page.size() + data.size());
    out.append(QByteArrayView(page).first(marker));
    out.append(data);
    out.append(QByteArrayView(page).sliced(marker + FirstDataMarker.size()));
    return out;
}

} // namespace tidewatch
