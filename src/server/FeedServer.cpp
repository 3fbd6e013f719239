// SPDX-License-Identifier: GPL-3.0-or-later
#include "FeedServer.h"

#include "FeedCodec.h"
#include "HistoryQuery.h"
#include "HttpRequest.h"
#include "Hub.h"
#include "PrometheusEncoder.h"
#include "WebAssets.h"

#include <QDateTime>
#include <QSysInfo>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace tidewatch {

namespace {

constexpr qint64 HttpWriteBacklogBytes = 256 * 1024; // stop reading pipelined requests above this
constexpr int HousekeepingMs = 250;
constexpr int MaxSubscribeIntervalMs = 60000;
const char HeadTimerName[] = "tidewatch_head_timer";
// RFC 6455 registry code 1013 "Try Again Later"; QWebSocketProtocol (6.4)
// has no enumerator for it, but close() sends any code as is.
constexpr int CloseCodeTryAgainLater = 1013;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 426:
        return "Upgrade Required";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

QString listenFailureReason(const QTcpServer &server)
{
    switch (server.serverError()) {
    case QAbstractSocket::AddressInUseError:
        return QStringLiteral("address already in use");
    case QAbstractSocket::SocketAccessError:
        return QStringLiteral("permission denied");
    case QAbstractSocket::SocketAddressNotAvailableError:
        return QStringLiteral("address not available on this machine");
    default:
        return server.errorString();
    }
}

QString hostPort(const QHostAddress &address, quint16 port)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + address.toString() + u']'
                             : address.toString();
    return host + u':' + QString::number(port);
}

} // namespace

/// A group of clients that receive the same metrics frames: same patterns,
/// same interval. Its frame is encoded once per tick for all of them.
struct FeedServer::Subscription
{
    QString key;
    bool usePatterns = false;
    QStringList patterns;
    int intervalMs = 0; ///< 0: every tick
    bool sentAny = false;
    qint64 lastSentTs = 0;
    CatalogPtr catalog;
    QList<qsizetype> indices;
    int clients = 0;
    QByteArray tickFrame; ///< this tick's wire frame while broadcasting, else empty

    void select(const CatalogPtr &c)
    {
        if (c == catalog && !indices.isEmpty())
            return;
        catalog = c;
        indices = c ? FeedCodec::selectMetrics(*c, patterns, usePatterns) : QList<qsizetype>();
    }
};

struct FeedServer::Client
{
    quint64 id = 0;
    QPointer<QWebSocket> socket;
    // The socket we handed to QWebSocketServer::handleConnection(); the
    // QWebSocket reads and writes through this same object.
    QPointer<QTcpSocket> tcp;
    std::shared_ptr<Subscription> subscription;
    bool admitted = false; ///< counted in clientCount (not a 1013 refusal)
    bool closing = false;  ///< a close frame is sent or about to be: write nothing more
    bool gone = false;     ///< disconnected; removed from m_clients at the next compaction
    bool helloPending = false;
    qint64 overCapSinceMs = -1;
    double tokens = 0;
    qint64 tokensAtMs = 0;
    qint64 windowStartMs = 0;
    int windowCount = 0;
    qint64 lastRateErrorMs = std::numeric_limits<qint32>::min();
};

struct FeedServer::HttpConnection
{
    QTimer *headTimer = nullptr; ///< child of the socket: aborts a stalled head or idle keep-alive
    bool waitingForWrite = false;
    bool closing = false;
    bool answerPending = false; ///< a store query runs for this connection: read nothing more
};

FeedServer::FeedServer(Hub *hub, FeedServerOptions options, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_options(options)
    , m_tcpServer(new QTcpServer(this))
    , m_wsServer(new QWebSocketServer(QStringLiteral("Tidewatch/" TIDEWATCH_VERSION),
                                      QWebSocketServer::NonSecureMode, this))
    , m_housekeeping(new QTimer(this))
    , m_prometheus(std::make_unique<PrometheusEncoder>())
    , m_frameEncoder(std::make_unique<MetricsFrameEncoder>())
{
    m_options.maxClients = qMax(0, m_options.maxClients);
    m_options.sendBufferCapBytes = qMax<qint64>(1024, m_options.sendBufferCapBytes);
    m_options.maxIncomingMessageBytes = qMax(1024, m_options.maxIncomingMessageBytes);
    m_options.maxRequestHeadBytes = qMax(1024, m_options.maxRequestHeadBytes);
    m_options.commandRatePerSecond = qMax(1, m_options.commandRatePerSecond);
    m_options.commandBurst = qMax(1, m_options.commandBurst);
    m_uptime.start();
    m_monotonic.start();

    // We hand over sockets whose request head is complete, so the handshake
    // runs at once; the timeout only matters if Qt ever waits for more.
    m_wsServer->setHandshakeTimeout(m_options.requestHeadTimeoutMs);
    // Every pending QWebSocket is taken in onNewWebSocket() right away; the
    // limit only has to exceed what can finish in one event-loop pass.
    m_wsServer->setMaxPendingConnections(qMax(64, m_options.maxClients + 1));
    connect(m_tcpServer, &QTcpServer::newConnection, this, &FeedServer::onNewTcpConnection);
    connect(m_wsServer, &QWebSocketServer::newConnection, this, &FeedServer::onNewWebSocket);

    m_housekeeping->setInterval(HousekeepingMs);
    connect(m_housekeeping, &QTimer::timeout, this, &FeedServer::checkSlowClients);

    auto defaultSubscription = std::make_shared<Subscription>();
    m_subscriptions.insert(defaultSubscription->key, defaultSubscription);

    if (m_hub) {
        connect(m_hub, &Hub::catalogChanged, this, &FeedServer::onCatalogChanged);
        connect(m_hub, &Hub::snapshotPublished, this, &FeedServer::onSnapshotPublished);
        if (const SnapshotPtr latest = m_hub->latest()) {
            m_catalog = latest->catalog;
            m_host = latest->host;
            m_frameEncoder->setSnapshot(latest);
        }
    }
}

FeedServer::~FeedServer()
{
    // Sockets are destroyed here, while this object is whole: their final
    // signals must not reach slots of a half-destroyed server.
    m_housekeeping->stop();
    for (const auto &c : m_clients) {
        if (c->socket) {
            disconnect(c->socket, nullptr, this, nullptr);
            delete c->socket.data(); // sends 1001 if still connected
        }
        if (c->tcp) {
            disconnect(c->tcp, nullptr, this, nullptr);
            delete c->tcp.data();
        }
    }
    m_clients.clear();
    for (const auto &entry : m_http) {
        disconnect(entry.first, nullptr, this, nullptr);
        delete entry.first;
    }
    m_http.clear();
    for (const QPointer<QTcpSocket> &s : std::as_const(m_upgrading)) {
        if (s) {
            disconnect(s, nullptr, this, nullptr);
            delete s.data();
        }
    }
    m_upgrading.clear();
}

bool FeedServer::listen(const QHostAddress &address, quint16 port, QString *errorMessage)
{
    if (m_shuttingDown) {
        if (errorMessage)
            *errorMessage = QStringLiteral("cannot listen on %1: server is shutting down")
                                .arg(hostPort(address, port));
        return false;
    }
    if (!m_tcpServer->listen(address, port)) {
        if (errorMessage)
            *errorMessage = QStringLiteral("cannot listen on %1: %2")
                                .arg(hostPort(address, port), listenFailureReason(*m_tcpServer));
        return false;
    }
    m_housekeeping->start();
    return true;
}

quint16 FeedServer::serverPort() const
{
    return m_tcpServer->serverPort();
}

QHostAddress FeedServer::serverAddress() const
{
    return m_tcpServer->serverAddress();
}

QString FeedServer::url() const
{
    const QHostAddress a = serverAddress();
    QString host;
    if (a == QHostAddress(QHostAddress::Any) || a == QHostAddress(QHostAddress::AnyIPv4))
        host = QStringLiteral("127.0.0.1");
    else if (a == QHostAddress(QHostAddress::AnyIPv6))
        host = QStringLiteral("[::1]");
    else if (a.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + a.toString() + u']';
    else
        host = a.toString();
    return QStringLiteral("http://%1:%2/").arg(host).arg(serverPort());
}

FeedServerStats FeedServer::stats() const
{
    FeedServerStats s;
    s.clients = m_clientCount;
    s.framesSent = m_framesSent;
    s.framesDropped = m_framesDropped;
    s.clientsDropped = m_clientsDropped;
    s.httpRequests = m_httpRequests;
    s.uptimeMs = m_uptime.elapsed();
    return s;
}

void FeedServer::setSampleIntervalMs(int ms)
{
    ms = qMax(1, ms);
    if (ms == m_sampleIntervalMs)
        return;
    m_sampleIntervalMs = ms;
    m_helloWire.clear();
    broadcastHello();
}

QString FeedServer::hostName() const
{
    return m_host.isEmpty() ? QSysInfo::machineHostName() : m_host;
}

SnapshotPtr FeedServer::latestSnapshot() const
{
    return m_frameEncoder->snapshot();
}

QByteArray FeedServer::helloJson() const
{
    return FeedCodec::helloMessage(QStringLiteral(TIDEWATCH_VERSION), hostName(),
                                   m_sampleIntervalMs, m_catalog.get());
}

const QByteArray &FeedServer::helloWire() const
{
    if (m_helloWire.isEmpty())
        m_helloWire = webSocketFrame(helloJson());
    return m_helloWire;
}

// ---------------------------------------------------------------- ticks

void FeedServer::onCatalogChanged(const CatalogPtr &catalog)
{
    if (catalog == m_catalog)
        return;
    m_catalog = catalog;
    m_helloWire.clear();
    broadcastHello();
}

void FeedServer::onSnapshotPublished(const SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    if (snapshot->host != m_host) {
        m_host = snapshot->host;
        m_helloWire.clear();
    }
    // Hub announces new catalogs itself; this also covers a catalog that
    // arrives with a snapshot alone.
    if (snapshot->catalog != m_catalog)
        onCatalogChanged(snapshot->catalog);
    m_frameEncoder->setSnapshot(snapshot);
    if (m_clientCount == 0)
        return;

    // Encode once per subscription that is due, not once per client.
    const qint64 halfTick = m_sampleIntervalMs / 2;
    for (const auto &sub : std::as_const(m_subscriptions)) {
        sub->tickFrame.clear();
        if (sub->clients <= 0)
            continue;
        // Due when a whole interval (less half a tick of jitter) has passed
        // since its last frame; a clock that went back counts as due.
        if (sub->intervalMs > 0 && sub->sentAny && snapshot->ts >= sub->lastSentTs &&
            snapshot->ts - sub->lastSentTs < qint64(sub->intervalMs) - halfTick)
            continue;
        sub->sentAny = true;
        sub->lastSentTs = snapshot->ts;
        sub->select(snapshot->catalog);
        sub->tickFrame = webSocketFrame(m_frameEncoder->encode(sub->indices));
    }
    const qint64 now = m_monotonic.elapsed();
    bool sentAny = false;
    for (size_t i = 0; i < m_clients.size(); ++i) {
        Client *c = m_clients[i].get();
        if (c->admitted && !c->closing && !c->gone && c->subscription &&
            !c->subscription->tickFrame.isEmpty())
            sentAny |= sendMetricsFrame(c, c->subscription->tickFrame, now);
    }
    if (sentAny) {
        // ts is wall-clock ms at the start of the sampling pass, so this is
        // the whole path the server controls: sample, publish, encode, and
        // the send() to the last client of the tick.
        using namespace std::chrono;
        const double nowMs =
            double(duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()) /
            1000.0;
        m_deliveryLag.observe((nowMs - double(snapshot->ts)) / 1000.0);
    }
    for (const auto &sub : std::as_const(m_subscriptions))
        sub->tickFrame.clear();
}

bool FeedServer::sendMetricsFrame(Client *c, const QByteArray &wireFrame, qint64 nowMs)
{
    // Why writing raw bytes to the QTcpSocket is sound:
    //  - server-to-client frames are unmasked (RFC 6455 §5.1), so one frame's
    //    bytes are identical for every client and are built once per tick;
    //    each write() here only takes another reference to that QByteArray;
    //  - the QWebSocket reads and writes through this very QTcpSocket, and it
    //    writes only from this thread (pong, close) with one write() per
    //    frame; ours is one write() per whole frame as well, so frames can
    //    never interleave on the wire;
    //  - we write only while the QWebSocket is connected and no close frame
    //    has been sent (aboutToClose sets `closing`), so nothing follows a
    //    close frame.
    if (!c->tcp || !c->socket || c->closing || c->gone)
        return false;
    if (c->socket->state() != QAbstractSocket::ConnectedState ||
        c->tcp->state() != QAbstractSocket::ConnectedState)
        return false;
    // bytesToWrite() is exactly what Qt holds unsent for this client.
    if (c->tcp->bytesToWrite() >= m_options.sendBufferCapBytes) {
        ++m_framesDropped;
        if (c->overCapSinceMs < 0) {
            c->overCapSinceMs = nowMs;
        } else if (nowMs - c->overCapSinceMs >= m_options.slowClientGraceMs) {
            ++m_clientsDropped;
            closeClient(c, QWebSocketProtocol::CloseCodePolicyViolated,
                        QStringLiteral("too slow: send buffer over cap"));
        }
        return false;
    }
    c->overCapSinceMs = -1;
    if (c->helloPending) {
        c->helloPending = false;
        c->tcp->write(helloWire());
    }
    c->tcp->write(wireFrame);
    // Hand the frame to the kernel now rather than on the socket's next
    // write notification: the common case (room in the socket buffer) then
    // costs one send() and no notifier round trip through the event loop,
    // and the last client of a tick is reached that much sooner. flush()
    // never blocks; what the kernel does not take stays queued as before.
    c->tcp->flush();
    ++m_framesSent;
    return true;
}

void FeedServer::checkSlowClients()
{
    // Ticks may be far apart (a 60 s interval) or stop; the grace period of
    // a stalled client is enforced here as well.
    const qint64 now = m_monotonic.elapsed();
    for (size_t i = 0; i < m_clients.size(); ++i) {
        Client *c = m_clients[i].get();
        QTcpSocket *tcp = c->tcp.data(); // one load: GCC cannot see QPointer stays non-null
        if (!c->admitted || c->closing || c->gone || !tcp)
            continue;
        if (tcp->bytesToWrite() < m_options.sendBufferCapBytes) {
            c->overCapSinceMs = -1;
        } else if (c->overCapSinceMs < 0) {
            c->overCapSinceMs = now;
        } else if (now - c->overCapSinceMs >= m_options.slowClientGraceMs) {
            ++m_clientsDropped;
            closeClient(c, QWebSocketProtocol::CloseCodePolicyViolated,
                        QStringLiteral("too slow: send buffer over cap"));
        }
    }
}

void FeedServer::sendControl(Client *c, const QByteArray &json)
{
    if (!c->tcp || !c->socket || c->closing || c->gone ||
        c->socket->state() != QAbstractSocket::ConnectedState)
        return;
    c->tcp->write(webSocketFrame(json));
}

void FeedServer::broadcastControl(const QByteArray &json)
{
    const QByteArray wire = webSocketFrame(json);
    for (size_t i = 0; i < m_clients.size(); ++i) {
        Client *c = m_clients[i].get();
        if (!c->admitted || !c->tcp || !c->socket || c->closing || c->gone ||
            c->socket->state() != QAbstractSocket::ConnectedState)
            continue;
        c->tcp->write(wire);
    }
}

void FeedServer::broadcastHello()
{
    if (m_clientCount == 0)
        return;
    for (size_t i = 0; i < m_clients.size(); ++i) {
        Client *c = m_clients[i].get();
        QTcpSocket *tcp = c->tcp.data();
        if (!c->admitted || !tcp || !c->socket || c->closing || c->gone ||
            c->socket->state() != QAbstractSocket::ConnectedState)
            continue;
        // A client over its cap gets the new catalogue before its next frame.
        if (tcp->bytesToWrite() >= m_options.sendBufferCapBytes)
            c->helloPending = true;
        else
            tcp->write(helloWire());
    }
}

void FeedServer::scheduleClientCount()
{
    // Coalesced: a burst of connects in one event-loop pass sends one
    // client_count to everyone, not one per connect.
    if (m_countScheduled)
        return;
    m_countScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_countScheduled = false;
        if (m_clientCount == m_announcedCount)
            return;
        m_announcedCount = m_clientCount;
        broadcastControl(FeedCodec::clientCountMessage(m_clientCount));
    });
}

// ------------------------------------------------------------ WebSocket

void FeedServer::onNewWebSocket()
{
    while (m_wsServer->hasPendingConnections()) {
        QWebSocket *ws = m_wsServer->nextPendingConnection();
        if (!ws)
            break;
        ws->setParent(this);

        // QWebSocket does not expose the socket it wraps; the TCP 4-tuple
        // identifies it among the sockets we handed over.
        QTcpSocket *tcp = nullptr;
        m_upgrading.removeAll(QPointer<QTcpSocket>());
        for (qsizetype i = 0; i < m_upgrading.size(); ++i) {
            QTcpSocket *s = m_upgrading.at(i);
            if (s->peerPort() == ws->peerPort() && s->peerAddress() == ws->peerAddress() &&
                s->localPort() == ws->localPort() && s->localAddress() == ws->localAddress()) {
                tcp = s;
                m_upgrading.removeAt(i);
                break;
            }
        }
        if (tcp) {
            disconnect(tcp, nullptr, this, nullptr);
            delete tcp->findChild<QTimer *>(QLatin1StringView(HeadTimerName));
        }

        auto owned = std::make_unique<Client>();
        Client *c = owned.get();
        c->id = m_nextClientId++;
        c->socket = ws;
        c->tcp = tcp;
        c->tokens = m_options.commandBurst;
        c->tokensAtMs = c->windowStartMs = m_monotonic.elapsed();
        m_clients.push_back(std::move(owned));

        // Qt refuses larger frames and messages with close 1009 itself, on
        // the frame header, before it buffers the payload.
        ws->setMaxAllowedIncomingFrameSize(quint64(m_options.maxIncomingMessageBytes));
        ws->setMaxAllowedIncomingMessageSize(quint64(m_options.maxIncomingMessageBytes));
        // Bounds what Qt reads ahead from the kernel for this client.
        ws->setReadBufferSize(qint64(m_options.maxIncomingMessageBytes) * 4);
        connect(ws, &QWebSocket::textMessageReceived, this,
                [this, c](const QString &message) { onTextMessage(c, message); });
        connect(ws, &QWebSocket::binaryMessageReceived, this,
                [this, c](const QByteArray &) { onBinaryMessage(c); });
        connect(ws, &QWebSocket::aboutToClose, this, [c] { c->closing = true; });
        connect(ws, &QWebSocket::disconnected, this, [this, c] { onClientDisconnected(c); });

        if (!tcp) {
            qWarning("tidewatch: no socket found for a new WebSocket client; closing it");
            closeClient(c, QWebSocketProtocol::CloseCodeAbnormalDisconnection,
                        QStringLiteral("internal error"));
            continue;
        }
        if (m_shuttingDown) {
            closeClient(c, QWebSocketProtocol::CloseCodeGoingAway,
                        QStringLiteral("server shutting down"));
            continue;
        }
        if (m_clientCount >= m_options.maxClients) {
            closeClient(c, CloseCodeTryAgainLater,
                        QStringLiteral("server full (%1 clients)").arg(m_options.maxClients));
            continue;
        }
        c->admitted = true;
        ++m_clientCount;
        setSubscription(c, QString(), nullptr, 0);
        sendControl(c, FeedCodec::connectionMessage(hostName(), m_clientCount));
        c->tcp->write(helloWire());
        Q_EMIT clientCountChanged(m_clientCount);
        scheduleClientCount();
    }
}

void FeedServer::setSubscription(Client *c, const QString &key, const QStringList *patterns,
                                 int intervalMs)
{
    std::shared_ptr<Subscription> sub = m_subscriptions.value(key);
    if (!sub) {
        sub = std::make_shared<Subscription>();
        sub->key = key;
        sub->usePatterns = patterns != nullptr;
        if (patterns)
            sub->patterns = *patterns;
        sub->intervalMs = intervalMs;
        m_subscriptions.insert(key, sub);
    }
    if (c->subscription == sub)
        return;
    if (c->subscription) {
        --c->subscription->clients;
        // The default group stays; others go with their last client.
        if (c->subscription->clients <= 0 && !c->subscription->key.isEmpty())
            m_subscriptions.remove(c->subscription->key);
    }
    c->subscription = sub;
    ++sub->clients;
}

bool FeedServer::takeToken(Client *c)
{
    const qint64 now = m_monotonic.elapsed();
    if (now - c->windowStartMs >= 1000) {
        c->windowStartMs = now;
        c->windowCount = 0;
    }
    // Sustained flooding (ten times the allowed rate within one second) is
    // not a burst any more: the client goes.
    if (++c->windowCount > 10 * m_options.commandRatePerSecond) {
        ++m_clientsDropped;
        closeClient(c, QWebSocketProtocol::CloseCodePolicyViolated,
                    QStringLiteral("too many messages"));
        return false;
    }
    c->tokens = std::min<double>(m_options.commandBurst,
                                 c->tokens + double(now - c->tokensAtMs) *
                                                 m_options.commandRatePerSecond / 1000.0);
    c->tokensAtMs = now;
    if (c->tokens >= 1.0) {
        c->tokens -= 1.0;
        return true;
    }
    // One error per 100 ms at most, so the replies cannot be a flood either.
    if (now - c->lastRateErrorMs >= 100) {
        c->lastRateErrorMs = now;
        sendControl(c, FeedCodec::errorMessage(
                           u"rate_limited",
                           QStringLiteral("more than %1 messages per second; message ignored")
                               .arg(m_options.commandRatePerSecond)));
    }
    return false;
}

void FeedServer::onBinaryMessage(Client *c)
{
    if (c->gone || c->closing || !c->admitted || !takeToken(c))
        return;
    sendControl(c, FeedCodec::errorMessage(u"binary_not_supported",
                                           u"binary messages are not supported; send JSON text"));
}

void FeedServer::onTextMessage(Client *c, const QString &message)
{
    if (c->gone || c->closing || !c->admitted || !takeToken(c))
        return;
    const QByteArray utf8 = message.toUtf8();
    const FeedCommand cmd = FeedCodec::parseCommand(utf8);
    switch (cmd.type) {
    case FeedCommand::Type::Invalid:
        sendControl(c, FeedCodec::errorMessage(cmd.errorCode, cmd.errorMessage));
        return;
    case FeedCommand::Type::Ping:
        sendControl(c, FeedCodec::pongMessage(QDateTime::currentMSecsSinceEpoch()));
        return;
    case FeedCommand::Type::RequestMetrics: {
        const SnapshotPtr latest = latestSnapshot();
        if (!latest) {
            sendControl(c, FeedCodec::errorMessage(u"no_data", u"no snapshot has been taken yet"));
            return;
        }
        if (c->tcp && c->tcp->bytesToWrite() >= m_options.sendBufferCapBytes) {
            ++m_framesDropped;
            return;
        }
        c->subscription->select(latest->catalog);
        sendControl(c, m_frameEncoder->encode(c->subscription->indices));
        return;
    }
    case FeedCommand::Type::History:
        answerHistory(c, cmd);
        return;
    case FeedCommand::Type::Subscribe: {
        // Rounded up to whole ticks: the sampler cannot deliver in between.
        const int base = qMax(1, m_sampleIntervalMs);
        const qint64 wanted = cmd.intervalMs < 0 ? base : cmd.intervalMs;
        const qint64 maxInterval = qMax<qint64>(base, MaxSubscribeIntervalMs / base * base);
        const auto interval =
            int(std::clamp<qint64>((wanted + base - 1) / base * base, base, maxInterval));
        const int groupInterval = interval <= base ? 0 : interval;
        QString key;
        if (cmd.hasMetrics)
            key = u"p:" + QString::number(groupInterval) + u':' + cmd.metrics.join(QChar(0));
        else if (groupInterval > 0)
            key = u"d:" + QString::number(groupInterval);
        setSubscription(c, key, cmd.hasMetrics ? &cmd.metrics : nullptr, groupInterval);
        sendControl(
            c, FeedCodec::subscribedMessage(cmd.hasMetrics ? &cmd.metrics : nullptr, interval));
        return;
    }
    }
}

void FeedServer::answerHistory(Client *c, const FeedCommand &cmd)
{
    const SnapshotPtr latest = latestSnapshot();
    if (!m_hub || !latest || !latest->catalog) {
        sendControl(c, FeedCodec::errorMessage(u"no_data", u"no snapshot has been taken yet"));
        return;
    }
    // An answer can be large; a client still behind on earlier bytes gets
    // a refusal it can retry instead of more buffered data.
    if (c->tcp && c->tcp->bytesToWrite() >= m_options.sendBufferCapBytes) {
        sendControl(c, FeedCodec::errorMessage(
                           u"busy", u"send buffer over its cap; retry the history request later"));
        return;
    }
    // The range ends at the newest snapshot already sent, and this answer
    // is written on the same socket, in order, before any later frame: the
    // client appends live frames with ts > "to" and has neither a gap nor a
    // duplicate.
    HistoryQuery query;
    query.patterns = cmd.metrics;
    query.usePatterns = cmd.hasMetrics;
    query.toTs = cmd.toTs < 0 ? latest->ts : qMin(cmd.toTs, latest->ts);
    query.fromTs = qMax<qint64>(0, cmd.fromTs);
    if (cmd.windowMs >= 0)
        query.fromTs = qMax(query.fromTs, latest->ts - cmd.windowMs);
    query.maxPoints = cmd.maxPoints < 0 ? m_options.defaultHistoryPoints
                                        : qMin(cmd.maxPoints, m_options.maxHistoryPoints);
    query.maxPoints = qBound(1, query.maxPoints, qMax(1, m_options.maxHistoryPoints));
    query.maxValues = m_options.maxHistoryValues;
    if (!historyFromStore(query.fromTs)) {
        HistoryTable table = readHistory(*m_hub, *latest->catalog, query);
        table.stepMs = table.step > 1 ? qint64(table.step) * m_sampleIntervalMs : 0;
        sendControl(c, FeedCodec::historyMessage(table));
        return;
    }
    // Older than the Hub holds: the store answers, off this thread. Live
    // frames keep flowing meanwhile, so some with ts > "to" may arrive
    // before the answer; clients keep those (docs/protocol.md).
    if (m_storeQueries >= m_options.maxStoreQueries) {
        sendControl(
            c, FeedCodec::errorMessage(u"busy", u"too many history queries running; retry later"));
        return;
    }
    HistoryRequest request;
    request.patterns = query.usePatterns ? query.patterns : QStringList();
    request.fromTs = query.fromTs;
    request.toTs = query.toTs;
    // The same cap on values as memory answers, estimated from the catalogue.
    qsizetype matched = 0;
    for (qsizetype i :
         FeedCodec::selectMetrics(*latest->catalog, query.patterns, query.usePatterns))
        matched += latest->catalog->at(i).kind != MetricKind::Counter;
    const qsizetype perSeries = query.maxValues / qMax<qsizetype>(1, matched);
    request.maxPoints = int(std::clamp<qsizetype>(perSeries, 1, query.maxPoints));
    ++m_storeQueries;
    const quint64 id = c->id;
    m_historySource->query(request, this, [this, id](const HistoryResult &result) {
        --m_storeQueries;
        Client *client = nullptr;
        for (const auto &candidate : m_clients) {
            if (candidate->id == id) {
                client = candidate.get();
                break;
            }
        }
        if (!client || client->gone || client->closing)
            return;
        if (!result.ok) {
            sendControl(client, FeedCodec::errorMessage(u"store_unavailable", result.error));
            return;
        }
        sendControl(client, FeedCodec::historyMessage(FeedCodec::historyTable(result)));
    });
}

bool FeedServer::historyFromStore(qint64 fromTs) const
{
    if (!m_historySource)
        return false;
    const StoreStatus::State state = m_historySource->status().state;
    if (state == StoreStatus::State::Off || state == StoreStatus::State::Failed)
        return false;
    // Reaching back past the oldest point in memory (which after a restart
    // may be seconds old while the store holds days).
    const qint64 oldest = m_hub ? m_hub->oldestTs() : 0;
    return oldest == 0 || fromTs < oldest;
}

void FeedServer::answerHttpHistory(QTcpSocket *socket, const HttpRequest &request)
{
    static const QByteArray noStore("Cache-Control: no-store\r\n");
    const SnapshotPtr latest = latestSnapshot();
    const qint64 now = latest ? latest->ts : QDateTime::currentMSecsSinceEpoch();
    HistoryQuery query;
    QString error;
    if (!parseHttpHistoryQuery(request.query, now, m_options.maxHistoryPoints, &query, &error)) {
        respondError(socket, &request, 400, error, {}, true);
        return;
    }
    query.maxValues = m_options.maxHistoryValues;
    if (!historyFromStore(query.fromTs)) {
        if (!m_hub || !latest || !latest->catalog) {
            respondError(socket, &request, 503, QStringLiteral("no snapshot has been taken yet"),
                         "Retry-After: 1\r\n", true);
            return;
        }
        query.toTs = qMin(query.toTs, latest->ts);
        HistoryTable table = readHistory(*m_hub, *latest->catalog, query);
        table.stepMs = table.step > 1 ? qint64(table.step) * m_sampleIntervalMs : 0;
        respond(socket, &request, 200, "application/json", FeedCodec::historyJson(table), noStore,
                true);
        return;
    }
    if (m_storeQueries >= m_options.maxStoreQueries) {
        respondError(socket, &request, 503, QStringLiteral("too many history queries running"),
                     "Retry-After: 1\r\n", true);
        return;
    }
    HistoryRequest storeRequest;
    storeRequest.patterns = query.usePatterns ? query.patterns : QStringList();
    storeRequest.fromTs = query.fromTs;
    storeRequest.toTs = query.toTs;
    storeRequest.maxPoints = query.maxPoints;
    HttpConnection *conn = httpConnection(socket);
    if (conn) {
        conn->answerPending = true; // pipelined requests wait for this answer, in order
        conn->headTimer->stop();
    }
    ++m_storeQueries;
    QPointer<QTcpSocket> guard(socket);
    auto head = std::make_shared<HttpRequest>(request);
    m_historySource->query(storeRequest, this, [this, guard, head](const HistoryResult &result) {
        --m_storeQueries;
        if (!guard || guard->state() != QAbstractSocket::ConnectedState)
            return;
        if (result.ok)
            respond(guard, head.get(), 200, "application/json",
                    FeedCodec::historyJson(FeedCodec::historyTable(result)), noStore, true);
        else
            respondError(guard, head.get(), 503, result.error, "Retry-After: 5\r\n", true);
        finishHttpResponse(guard);
    });
}

void FeedServer::finishHttpResponse(QTcpSocket *socket)
{
    HttpConnection *conn = httpConnection(socket);
    if (!conn || !conn->answerPending)
        return;
    conn->answerPending = false;
    if (conn->closing)
        return;
    conn->headTimer->start(m_options.requestHeadTimeoutMs);
    processHttp(socket); // a pipelined request may be waiting
}

void FeedServer::closeClient(Client *c, int code, const QString &reason)
{
    if (c->closing || c->gone)
        return;
    c->closing = true;
    QWebSocket *ws = c->socket;
    if (!ws)
        return;
    // QWebSocket::close() queues the close frame behind whatever is unsent
    // and closes the TCP socket once that is written. A client that does not
    // read would keep it forever, hence the abort.
    QPointer<QTcpSocket> tcp = c->tcp;
    QTimer::singleShot(m_options.closeTimeoutMs, ws, [ws, tcp] {
        if (tcp)
            tcp->abort();
        else
            ws->abort();
    });
    ws->close(QWebSocketProtocol::CloseCode(code), reason);
}

void FeedServer::onClientDisconnected(Client *c)
{
    if (c->gone)
        return;
    c->gone = true;
    c->closing = true;
    if (c->socket) {
        disconnect(c->socket, nullptr, this, nullptr);
        c->socket->deleteLater();
    }
    if (c->tcp)
        c->tcp->deleteLater();
    if (c->subscription) {
        --c->subscription->clients;
        if (c->subscription->clients <= 0 && !c->subscription->key.isEmpty())
            m_subscriptions.remove(c->subscription->key);
        c->subscription.reset();
    }
    if (c->admitted) {
        c->admitted = false;
        --m_clientCount;
        Q_EMIT clientCountChanged(m_clientCount);
        scheduleClientCount();
    }
    // Erasing now could pull the vector from under a loop that is writing
    // to clients (a close can disconnect synchronously), so compact later.
    if (!m_compactScheduled) {
        m_compactScheduled = true;
        QTimer::singleShot(0, this, &FeedServer::compactClients);
    }
    checkShutdownFinished();
}

void FeedServer::compactClients()
{
    m_compactScheduled = false;
    std::erase_if(m_clients, [](const std::unique_ptr<Client> &c) { return c->gone; });
}

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
        if (request.method != "GET" && request.method != "HEAD") {
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
    // A 304 has no body and describes none (RFC 9110 §15.4.5).
    const bool hasBody = status != 304;
    if (hasBody) {
        head.append("Content-Type: ").append(contentType);
        head.append("\r\nContent-Length: ").append(QByteArray::number(body.size()));
        head.append("\r\n");
    }
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
    QByteArray out("{\"status\":");
    out.append(!latest ? "\"starting\"" : storeTrouble ? "\"degraded\"" : "\"ok\"");
    out.append(",\"version\":");
    json::appendString(out, QStringLiteral(TIDEWATCH_VERSION));
    out.append(",\"uptime_s\":");
    json::appendInteger(out, m_uptime.elapsed() / 1000);
    out.append(",\"clients\":");
    json::appendInteger(out, m_clientCount);
    out.append(",\"last_sample_age_ms\":");
    if (latest)
        json::appendInteger(out, qMax<qint64>(0, QDateTime::currentMSecsSinceEpoch() - latest->ts));
    else
        out.append("null");
    out.append(",\"frames_sent\":");
    json::appendInteger(out, qint64(m_framesSent));
    out.append(",\"frames_dropped\":");
    json::appendInteger(out, qint64(m_framesDropped));
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
        if (store.lastWriteTs > 0)
            json::appendInteger(
                out, qMax<qint64>(0, QDateTime::currentMSecsSinceEpoch() - store.lastWriteTs));
        else
            out.append("null");
    }
    out.append("}}");
    return out;
}

void FeedServer::route(QTcpSocket *socket, const HttpRequest &request)
{
    static const QByteArray noStore("Cache-Control: no-store\r\n");
    const QByteArray &path = request.path;
    if (path == "/healthz") {
        respond(socket, &request, 200, "application/json", healthJson(), noStore, true);
    } else if (path == "/metrics") {
        FeedSelfMetrics self;
        self.clients = m_clientCount;
        self.framesSent = m_framesSent;
        self.framesDropped = m_framesDropped;
        self.clientsDropped = m_clientsDropped;
        self.deliveryLag = &m_deliveryLag;
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
        // The dashboard loads only its own files and talks only to this
        // origin's WebSocket; nothing inline, no eval, no framing.
        static const QByteArray pageHeaders(
            "Cache-Control: no-cache\r\n"
            "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; "
            "img-src 'self'; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "Referrer-Policy: no-referrer\r\n");
        // no-cache: the browser may keep a copy but revalidates it, so an
        // upgraded server is picked up at once; unchanged files cost a 304.
        const QByteArray headers = pageHeaders + "ETag: " + asset->etag + "\r\n";
        if (etagMatches(request.header("if-none-match"), asset->etag))
            respond(socket, &request, 304, {}, {}, headers, true);
        else
            respond(socket, &request, 200, asset->contentType, asset->body, headers, true);
    } else {
        respondError(socket, &request, 404, QStringLiteral("not found"), {}, true);
    }
}

// ------------------------------------------------------------- shutdown

void FeedServer::shutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_tcpServer->close();
    // Closing can disconnect synchronously and edit these containers, so
    // walk copies.
    QList<QTcpSocket *> http;
    for (const auto &entry : m_http)
        http.append(entry.first);
    for (QTcpSocket *s : std::as_const(http)) {
        if (HttpConnection *conn = httpConnection(s)) {
            conn->closing = true;
            conn->headTimer->start(m_options.closeTimeoutMs);
            s->disconnectFromHost();
        }
    }
    const QList<QPointer<QTcpSocket>> upgrading = m_upgrading;
    for (const QPointer<QTcpSocket> &s : upgrading) {
        if (s)
            s->abort();
    }
    for (size_t i = 0; i < m_clients.size(); ++i)
        closeClient(m_clients[i].get(), QWebSocketProtocol::CloseCodeGoingAway,
                    QStringLiteral("server shutting down"));
    QTimer::singleShot(0, this, &FeedServer::checkShutdownFinished);
}

void FeedServer::checkShutdownFinished()
{
    if (!m_shuttingDown || m_shutdownFinishedEmitted)
        return;
    if (!m_http.empty())
        return;
    for (const QPointer<QTcpSocket> &s : std::as_const(m_upgrading)) {
        if (s)
            return;
    }
    for (const auto &c : m_clients) {
        if (!c->gone)
            return;
    }
    m_shutdownFinishedEmitted = true;
    m_housekeeping->stop();
    Q_EMIT shutdownFinished();
}

} // namespace tidewatch
