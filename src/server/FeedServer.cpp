// SPDX-License-Identifier: GPL-3.0-or-later
#include "FeedServer.h"

#include "FeedCodec.h"
#include "FeedShard.h"
#include "HistoryQuery.h"
#include "HttpRequest.h"
#include "Hub.h"
#include "PrometheusEncoder.h"
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

constexpr qint64 HttpWriteBacklogBytes = 256 * 1024; // stop reading pipelined requests above this
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
    quint64 id = 0; ///< how shards name the group
    QString key;
    bool usePatterns = false;
    QStringList patterns;
    int intervalMs = 0; ///< 0: every tick
    bool sentAny = false;
    qint64 lastSentTs = 0;
    CatalogPtr catalog;
    QList<qsizetype> indices;
    int clients = 0;

    void select(const CatalogPtr &c)
    {
        if (c == catalog && !indices.isEmpty())
            return;
        catalog = c;
        indices = c ? FeedCodec::selectMetrics(*c, patterns, usePatterns) : QList<qsizetype>();
    }
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
    return QStringLiteral("http://%1:%2/").arg(host).arg(serverPort());
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

void FeedServer::onShardCommand(quint64 id, const FeedCommand &cmd)
{
    // The shard did the rate limit and the checks that need the socket;
    // what is left needs this thread's state. Every answer goes back
    // through sendTo(), queued behind the ticks already handed over.
    const auto it = m_clients.find(id);
    if (it == m_clients.end() || !it->second.admitted)
        return;
    ClientEntry &entry = it->second;
    switch (cmd.type) {
    case FeedCommand::Type::Invalid:
    case FeedCommand::Type::Ping:
        return; // answered by the shard
    case FeedCommand::Type::RequestMetrics: {
        const SnapshotPtr latest = latestSnapshot();
        if (!latest) {
            sendTo(id, FeedCodec::errorMessage(u"no_data", u"no snapshot has been taken yet"));
            return;
        }
        entry.subscription->select(latest->catalog);
        sendTo(id, m_frameEncoder->encode(entry.subscription->indices));
        return;
    }
    case FeedCommand::Type::History:
        answerHistory(id, cmd);
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
        setSubscription(entry, key, cmd.hasMetrics ? &cmd.metrics : nullptr, groupInterval);
        sendTo(id, FeedCodec::subscribedMessage(cmd.hasMetrics ? &cmd.metrics : nullptr, interval),
               entry.subscription->id);
        return;
    }
    }
}

void FeedServer::answerHistory(quint64 id, const FeedCommand &cmd)
{
    const SnapshotPtr latest = latestSnapshot();
    if (!m_hub || !latest || !latest->catalog) {
        sendTo(id, FeedCodec::errorMessage(u"no_data", u"no snapshot has been taken yet"));
        return;
    }
    // The range ends at the newest snapshot already handed to the shards,
    // and this answer goes to the client's shard behind that snapshot's
    // frame, on the same socket: the client appends live frames with
    // ts > "to" and has neither a gap nor a duplicate.
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
        sendTo(id, FeedCodec::historyMessage(memoryAnswer(query, *latest)));
        return;
    }
    // Older than the Hub holds: the store answers, off this thread. Live
    // frames keep flowing meanwhile, so some with ts > "to" may arrive
    // before the answer; clients keep those (docs/protocol.md).
    if (m_storeQueries >= m_options.maxStoreQueries) {
        sendTo(id,
               FeedCodec::errorMessage(u"busy", u"too many history queries running; retry later"));
        return;
    }
    // The same cap on values as memory answers, estimated from the catalogue.
    qsizetype matched = 0;
    for (qsizetype i :
         FeedCodec::selectMetrics(*latest->catalog, query.patterns, query.usePatterns))
        matched += latest->catalog->at(i).kind != MetricKind::Counter;
    const qsizetype perSeries = query.maxValues / qMax<qsizetype>(1, matched);
    const HistoryRequest request =
        storeRequest(query, int(std::clamp<qsizetype>(perSeries, 1, query.maxPoints)));
    ++m_storeQueries;
    m_historySource->query(request, this, [this, id, query](const HistoryResult &result) {
        --m_storeQueries;
        // sendTo() drops the answer when the client has gone meanwhile.
        if (!result.ok)
            sendTo(id, FeedCodec::errorMessage(u"store_unavailable", result.error));
        else
            sendTo(id, FeedCodec::historyMessage(storeAnswer(result, query)));
    });
}

HistoryTable FeedServer::memoryAnswer(const HistoryQuery &query, const Snapshot &latest) const
{
    HistoryTable table = readHistory(*m_hub, *latest.catalog, query);
    table.stepMs = table.step > 1 ? qint64(table.step) * m_sampleIntervalMs : 0;
    return table;
}

HistoryRequest FeedServer::storeRequest(const HistoryQuery &query, int maxPoints)
{
    HistoryRequest request;
    request.patterns = query.usePatterns ? query.patterns : QStringList();
    request.fromTs = query.fromTs;
    request.toTs = query.toTs;
    request.maxPoints = maxPoints;
    return request;
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

HistoryTable FeedServer::storeAnswer(const HistoryResult &result, const HistoryQuery &query) const
{
    HistoryTable table = FeedCodec::historyTable(result);
    // Raw samples: the part the Hub still holds comes from the Hub, with the
    // exact times the live frames carry (the store keeps them to 100 ms), so
    // back-fill and live stream meet without a gap or a duplicate.
    const SnapshotPtr latest = latestSnapshot();
    const qint64 cut = m_hub ? m_hub->oldestTs() : 0;
    if (result.stepMs != 0 || !latest || !latest->catalog || cut == 0 || cut > result.toTs)
        return table;
    HistoryQuery recent = query;
    recent.fromTs = qMax(cut, query.fromTs);
    recent.toTs = result.toTs;
    recent.maxPoints = m_options.maxHistoryPoints;
    recent.maxValues = 0;
    const HistoryTable memory = readHistory(*m_hub, *latest->catalog, recent);
    if (memory.step != 1)
        return table; // more samples than one answer holds: keep the store's
    return joinHistory(table, memory);
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
        respond(socket, &request, 200, "application/json",
                FeedCodec::historyJson(memoryAnswer(query, *latest)), noStore, true);
        return;
    }
    if (m_storeQueries >= m_options.maxStoreQueries) {
        respondError(socket, &request, 503, QStringLiteral("too many history queries running"),
                     "Retry-After: 1\r\n", true);
        return;
    }
    if (HttpConnection *conn = httpConnection(socket)) {
        conn->answerPending = true; // pipelined requests wait for this answer, in order
        conn->headTimer->stop();
    }
    ++m_storeQueries;
    QPointer<QTcpSocket> guard(socket);
    auto head = std::make_shared<HttpRequest>(request);
    m_historySource->query(
        storeRequest(query, query.maxPoints), this,
        [this, guard, head, query](const HistoryResult &result) {
            --m_storeQueries;
            if (!guard || guard->state() != QAbstractSocket::ConnectedState)
                return;
            if (result.ok)
                respond(guard, head.get(), 200, "application/json",
                        FeedCodec::historyJson(storeAnswer(result, query)), noStore, true);
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
    const QByteArray &path = request.path;
    if (path == "/healthz") {
        respond(socket, &request, 200, "application/json", healthJson(), noStore, true);
    } else if (path == "/metrics") {
        FeedSelfMetrics self;
        self.clients = m_clientCount;
        const FeedServerStats counts = stats();
        self.framesSent = counts.framesSent;
        self.framesDropped = counts.framesDropped;
        self.clientsDropped = counts.clientsDropped;
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
        static const QByteArray pageHeaders("X-Content-Type-Options: nosniff\r\n"
                                            "Referrer-Policy: no-referrer\r\n");
        const QByteArray policy =
            "Content-Security-Policy: " + asset->contentSecurityPolicy + "\r\n";
        if (asset->firstDataAt >= 0) {
            // Holds this moment's data: never from a cache.
            respond(socket, &request, 200, asset->contentType,
                    dashboardPage(asset->body, asset->firstDataAt), pageHeaders + policy + noStore,
                    true);
            return;
        }
        // no-cache: the browser may keep a copy but revalidates it, so an
        // upgraded server is picked up at once; unchanged files cost a 304.
        const QByteArray headers =
            pageHeaders + policy + "Cache-Control: no-cache\r\nETag: " + asset->etag + "\r\n";
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
