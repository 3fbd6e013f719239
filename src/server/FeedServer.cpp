// SPDX-License-Identifier: GPL-3.0-or-later
#include "FeedServer.h"
#include "FeedServerPrivate.h"

#include "Authenticator.h"

#include "FeedCodec.h"
#include "FeedShard.h"
#include "HistoryQuery.h"
#include "HttpRequest.h"
#include "Hub.h"
#include "PrometheusEncoder.h"
#include "TlsCredentials.h"
#include "WebAssets.h"

#include <QDateTime>
#include <QSysInfo>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <cmath>

namespace tidewatch {

namespace {

// RFC 6455 registry code 1013 "Try Again Later"; QWebSocketProtocol (6.4)
// has no enumerator for it, but close() sends any code as is.
constexpr int CloseCodeTryAgainLater = 1013;

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

FeedServer::FeedServer(Hub *hub, FeedServerOptions options, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_options(options)
    , m_tcpServer(new FeedListener(this))
    , m_wsServer(new QWebSocketServer(QStringLiteral("Tidewatch/" TIDEWATCH_VERSION),
                                      QWebSocketServer::NonSecureMode, this))
    , m_auth(std::make_unique<Authenticator>())
    , m_prometheus(std::make_unique<PrometheusEncoder>())
    , m_frameEncoder(std::make_unique<MetricsFrameEncoder>())
    , m_counters(std::make_unique<FeedCounters>())
{
    m_options.maxClients = qMax(0, m_options.maxClients);
    m_options.sendBufferCapBytes = qMax<qint64>(1024, m_options.sendBufferCapBytes);
    m_options.maxIncomingMessageBytes = qMax(1024, m_options.maxIncomingMessageBytes);
    m_options.maxRequestHeadBytes = qMax(1024, m_options.maxRequestHeadBytes);
    m_options.commandRatePerSecond = qMax(1, m_options.commandRatePerSecond);
    m_options.commandBurst = qMax(1, m_options.commandBurst);
    m_uptime.start();
    // Until a client's first byte says TLS or not, it is held like an
    // HTTP connection whose head has not arrived.
    m_tcpServer->setDecideTimeoutMs(m_options.requestHeadTimeoutMs);
    m_tcpServer->setMaxUndecided(qMax(1, m_options.maxHttpConnections));

    // We hand over sockets whose request head is complete, so the handshake
    // runs at once; the timeout only matters if Qt ever waits for more.
    m_wsServer->setHandshakeTimeout(m_options.requestHeadTimeoutMs);
    // Every pending QWebSocket is taken in onNewWebSocket() right away; the
    // limit only has to exceed what can finish in one event-loop pass.
    m_wsServer->setMaxPendingConnections(qMax(64, m_options.maxClients + 1));
    connect(m_tcpServer, &QTcpServer::newConnection, this, &FeedServer::onNewTcpConnection);
    connect(m_wsServer, &QWebSocketServer::newConnection, this, &FeedServer::onNewWebSocket);

    // The writes of one tick are ~1000 send()s for 1000 clients, each
    // running the loopback receiver's TCP path as well: the one part of a
    // tick that grows with the clients. Shards write their share in
    // parallel; with no writer thread a single shard lives here.
    int threads = m_options.writerThreads;
    if (threads < 0) // one per core, but none on a single core
        threads = QThread::idealThreadCount() < 2 ? 0 : qMin(QThread::idealThreadCount(), 4);
    m_options.writerThreads = threads;
    // A writer thread starts with its shard's first client (pickShard): an
    // idle daemon keeps no idle threads.
    for (int i = 0; i < qMax(1, threads); ++i) {
        auto shard = std::make_unique<FeedShard>(this, m_options, m_counters.get(), i);
        if (threads > 0) {
            auto thread = std::make_unique<QThread>();
            thread->setObjectName(QStringLiteral("tidewatch-feed-%1").arg(i));
            shard->moveToThread(thread.get());
            m_threads.push_back(std::move(thread));
        }
        m_shards.push_back(std::move(shard));
        m_shardClients.push_back(0);
    }

    auto defaultSubscription = std::make_shared<Subscription>();
    defaultSubscription->id = m_nextGroupId++;
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
    // Sockets are destroyed here, while this object is whole, each in its
    // shard's thread. A blocking call runs after every call queued to the
    // shard before it, so every client handed over has been adopted.
    for (const auto &shard : m_shards) {
        FeedShard *s = shard.get();
        // A shard whose thread never started never had a client.
        if (s->thread() == thread() || !s->thread()->isRunning())
            s->destroyClients();
        else
            QMetaObject::invokeMethod(
                s, [s] { s->destroyClients(); }, Qt::BlockingQueuedConnection);
    }
    for (const auto &t : m_threads) {
        t->quit();
        t->wait();
    }
    // Their threads have finished: nothing runs in them any more.
    m_shards.clear();
    m_threads.clear();
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
    return QStringLiteral("%1://%2:%3/")
        .arg(tlsEnabled() ? QStringLiteral("https") : QStringLiteral("http"), host)
        .arg(serverPort());
}

FeedServerStats FeedServer::stats() const
{
    FeedServerStats s;
    s.clients = m_clientCount;
    s.framesSent = m_counters->framesSent.load(std::memory_order_relaxed);
    s.framesDropped = m_counters->framesDropped.load(std::memory_order_relaxed);
    s.clientsDropped = m_counters->clientsDropped.load(std::memory_order_relaxed);
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

    // Encode once per subscription that is due, not once per client; every
    // shard then writes the same bytes to its share of the clients.
    auto tick = std::make_shared<FeedTick>();
    tick->ts = snapshot->ts;
    tick->helloWire = helloWire();
    const qint64 halfTick = m_sampleIntervalMs / 2;
    for (const auto &sub : std::as_const(m_subscriptions)) {
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
        tick->frames.emplace_back(sub->id, webSocketFrame(m_frameEncoder->encode(sub->indices)));
    }
    if (tick->frames.empty())
        return;
    std::vector<FeedShard *> targets;
    for (size_t i = 0; i < m_shards.size(); ++i) {
        if (m_shardClients[i] > 0)
            targets.push_back(m_shards[i].get());
    }
    tick->shardsLeft.store(int(targets.size()));
    for (FeedShard *shard : targets)
        QMetaObject::invokeMethod(
            shard, [shard, tick] { shard->deliverTick(tick); }, Qt::QueuedConnection);
}

void FeedServer::onShardTickDone(double lagSeconds)
{
    m_deliveryLag.observe(lagSeconds);
}

void FeedServer::sendTo(quint64 id, const QByteArray &json, quint64 group)
{
    const auto it = m_clients.find(id);
    if (it == m_clients.end())
        return;
    FeedShard *shard = it->second.shard;
    QMetaObject::invokeMethod(
        shard, [shard, id, wire = webSocketFrame(json), group] { shard->sendTo(id, wire, group); },
        Qt::QueuedConnection);
}

void FeedServer::broadcastControl(const QByteArray &json)
{
    const QByteArray wire = webSocketFrame(json);
    for (size_t i = 0; i < m_shards.size(); ++i) {
        if (m_shardClients[i] <= 0)
            continue;
        FeedShard *shard = m_shards[i].get();
        QMetaObject::invokeMethod(
            shard, [shard, wire] { shard->broadcast(wire, false); }, Qt::QueuedConnection);
    }
}

void FeedServer::broadcastHello()
{
    if (m_clientCount == 0)
        return;
    const QByteArray wire = helloWire();
    for (size_t i = 0; i < m_shards.size(); ++i) {
        if (m_shardClients[i] <= 0)
            continue;
        FeedShard *shard = m_shards[i].get();
        QMetaObject::invokeMethod(
            shard, [shard, wire] { shard->broadcast(wire, true); }, Qt::QueuedConnection);
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

int FeedServer::runningWriterThreadCount() const
{
    return int(std::count_if(m_threads.begin(), m_threads.end(),
                             [](const auto &t) { return t->isRunning(); }));
}

FeedShard *FeedServer::pickShard()
{
    const auto least = std::min_element(m_shardClients.begin(), m_shardClients.end());
    FeedShard *shard = m_shards[size_t(least - m_shardClients.begin())].get();
    if (QThread *t = shard->thread(); t != thread() && !t->isRunning())
        t->start();
    return shard;
}

QList<int> FeedServer::shardClientCounts() const
{
    return QList<int>(m_shardClients.begin(), m_shardClients.end());
}

void FeedServer::onNewWebSocket()
{
    while (m_wsServer->hasPendingConnections()) {
        QWebSocket *ws = m_wsServer->nextPendingConnection();
        if (!ws)
            break;

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
            // QWebSocketServer::handleConnection() leaves the socket's
            // disconnected() connected to a slot of its own that calls
            // deleteLater() on sender(). Once the socket lives in a shard's
            // thread that queued call would reach a socket being deleted
            // there (a crash seen with 8000 clients closing at once); the
            // shard deletes its sockets itself.
            disconnect(tcp, nullptr, m_wsServer, nullptr);
        }
        disconnect(ws, nullptr, m_wsServer, nullptr);
        disconnect(m_wsServer, nullptr, ws, nullptr);

        int refuseCode = 0;
        QString refuseReason;
        if (!tcp) {
            qWarning("tidewatch: no socket found for a new WebSocket client; closing it");
            refuseCode = QWebSocketProtocol::CloseCodeAbnormalDisconnection;
            refuseReason = QStringLiteral("internal error");
        } else if (m_shuttingDown) {
            refuseCode = QWebSocketProtocol::CloseCodeGoingAway;
            refuseReason = QStringLiteral("server shutting down");
        } else if (m_clientCount >= m_options.maxClients) {
            refuseCode = CloseCodeTryAgainLater;
            refuseReason = QStringLiteral("server full (%1 clients)").arg(m_options.maxClients);
        }

        const quint64 id = m_nextClientId++;
        FeedShard *shard = pickShard();
        ClientEntry &entry = m_clients[id];
        entry.shard = shard;
        entry.admitted = refuseCode == 0;
        ++m_shardClients[size_t(shard->index())];
        if (entry.admitted) {
            ++m_clientCount;
            setSubscription(entry, QString(), nullptr, 0);
        }

        // Qt refuses larger frames and messages with close 1009 itself, on
        // the frame header, before it buffers the payload.
        ws->setMaxAllowedIncomingFrameSize(quint64(m_options.maxIncomingMessageBytes));
        ws->setMaxAllowedIncomingMessageSize(quint64(m_options.maxIncomingMessageBytes));
        // Bounds what Qt reads ahead from the kernel for this client.
        ws->setReadBufferSize(qint64(m_options.maxIncomingMessageBytes) * 4);
        if (entry.admitted) {
            // Written here, before anything the shard could write: these
            // are the client's first two messages.
            tcp->write(webSocketFrame(FeedCodec::connectionMessage(hostName(), m_clientCount)));
            tcp->write(helloWire());
            tcp->flush();
        }

        const std::shared_ptr<FeedShard::Client> client = shard->newClient(
            ws, tcp, id, entry.subscription ? entry.subscription->id : 0, entry.admitted);
        shard->attach(client.get());
        if (shard->thread() != thread()) {
            // Both sockets go to the shard's thread with their notifiers;
            // from here on only that thread touches them.
            ws->setParent(nullptr);
            ws->moveToThread(shard->thread());
            if (tcp && tcp->thread() != shard->thread()) {
                tcp->setParent(nullptr);
                tcp->moveToThread(shard->thread());
            }
        } else {
            ws->setParent(shard);
        }
        QMetaObject::invokeMethod(
            shard,
            [shard, client, refuseCode, refuseReason] {
                shard->adopt(client, refuseCode, refuseReason);
            },
            Qt::QueuedConnection);

        if (entry.admitted) {
            Q_EMIT clientCountChanged(m_clientCount);
            scheduleClientCount();
        }
    }
}

void FeedServer::onShardClientGone(quint64 id)
{
    const auto it = m_clients.find(id);
    if (it == m_clients.end())
        return;
    ClientEntry &entry = it->second;
    --m_shardClients[size_t(entry.shard->index())];
    if (entry.subscription) {
        --entry.subscription->clients;
        if (entry.subscription->clients <= 0 && !entry.subscription->key.isEmpty())
            m_subscriptions.remove(entry.subscription->key);
    }
    const bool admitted = entry.admitted;
    m_clients.erase(it);
    if (admitted) {
        --m_clientCount;
        Q_EMIT clientCountChanged(m_clientCount);
        scheduleClientCount();
    }
    checkShutdownFinished();
}

void FeedServer::setSubscription(ClientEntry &entry, const QString &key,
                                 const QStringList *patterns, int intervalMs)
{
    std::shared_ptr<Subscription> sub = m_subscriptions.value(key);
    if (!sub) {
        sub = std::make_shared<Subscription>();
        sub->id = m_nextGroupId++;
        sub->key = key;
        sub->usePatterns = patterns != nullptr;
        if (patterns)
            sub->patterns = *patterns;
        sub->intervalMs = intervalMs;
        m_subscriptions.insert(key, sub);
    }
    if (entry.subscription == sub)
        return;
    if (entry.subscription) {
        --entry.subscription->clients;
        // The default group stays; others go with their last client.
        if (entry.subscription->clients <= 0 && !entry.subscription->key.isEmpty())
            m_subscriptions.remove(entry.subscription->key);
    }
    entry.subscription = sub;
    ++sub->clients;
}

// ------------------------------------------------------------- shutdown

void FeedServer::shutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_tcpServer->close();
    m_tcpServer->dropUndecided();
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
    for (const auto &shard : m_shards) {
        FeedShard *s = shard.get();
        QMetaObject::invokeMethod(
            s,
            [s] {
                s->closeAll(QWebSocketProtocol::CloseCodeGoingAway,
                            QStringLiteral("server shutting down"));
            },
            Qt::QueuedConnection);
    }
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
    // An entry goes when its shard reports the socket disconnected.
    if (!m_clients.empty())
        return;
    m_shutdownFinishedEmitted = true;
    Q_EMIT shutdownFinished();
}

} // namespace tidewatch