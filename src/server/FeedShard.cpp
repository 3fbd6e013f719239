// SPDX-License-Identifier: GPL-3.0-or-later
#include "FeedShard.h"

#include "FeedCodec.h"

#include <QDateTime>
#include <QPointer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <limits>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace tidewatch {

namespace {

constexpr int HousekeepingMs = 250;

/// Writes a whole frame to a socket whose Qt write buffer is empty.
/// QTcpSocket::write() + flush() costs a ring-buffer append, turning the
/// write notifier on and off again and two bytesWritten emissions per
/// client and tick; with an empty buffer the same send() can be made
/// directly. Returns false when the kernel took nothing and Qt should
/// queue the frame itself (a full socket buffer, an error Qt must see).
bool sendDirect(QTcpSocket *tcp, const QByteArray &frame)
{
#ifdef Q_OS_UNIX
    const qintptr fd = tcp->socketDescriptor();
    if (fd < 0)
        return false;
    int flags = MSG_DONTWAIT;
#ifdef MSG_NOSIGNAL
    flags |= MSG_NOSIGNAL; // elsewhere Qt sets SO_NOSIGPIPE on the socket
#endif
    ssize_t sent;
    do {
        sent = ::send(int(fd), frame.constData(), size_t(frame.size()), flags);
    } while (sent < 0 && errno == EINTR);
    if (sent <= 0)
        return false;
    if (sent < frame.size()) {
        // The kernel took part of it: the rest goes to Qt's buffer right
        // behind, and nothing else can be written in between (we are in
        // the socket's thread).
        tcp->write(frame.constData() + sent, frame.size() - sent);
    }
    return true;
#else
    Q_UNUSED(tcp);
    Q_UNUSED(frame);
    return false;
#endif
}

// WSS: the same path as WS, over a QSslSocket that FeedListener handed out
// already encrypted. What was found with Qt 6.4.2 (OpenSSL 3 backend):
//  - QWebSocketServer::handleConnection() and QWebSocket take a QSslSocket
//    as they take a QTcpSocket (upgradeFrom() copies its configuration and
//    reads and writes through it), and the socket moves to a writer thread
//    like any other: its plain socket is its child. Its TLS engine (a
//    parentless QObject, QTlsPrivate::TlsCryptograph) stays behind in the
//    accepting thread, but it is only ever called directly from the
//    socket's thread; the OpenSSL backend uses it as a signal context only
//    for the Windows CA-root fetch, which a server never does.
//  - What broke was ours: sendDirect() send()s on the descriptor, which
//    would put plaintext into the TLS stream (tried: clients got the hello,
//    written through Qt, and then never one metrics frame), and
//    bytesToWrite() misses the encrypted backlog (below).
// So over TLS every frame goes through QSslSocket::write(), and the cap
// counts both buffers.

/// What Qt holds unsent for a client. A QSslSocket counts only plaintext
/// in bytesToWrite(); what it has encrypted already waits in its inner
/// socket (encryptedBytesToWrite()), and a slow TLS client's backlog is
/// there, so the send cap must count both.
qint64 unsentBytes(QTcpSocket *tcp, bool encrypted)
{
    qint64 n = tcp->bytesToWrite();
    if (encrypted)
        n += static_cast<QSslSocket *>(tcp)->encryptedBytesToWrite();
    return n;
}

} // namespace

struct FeedShard::Client
{
    quint64 id = 0;
    QPointer<QWebSocket> socket;
    // The socket we handed to QWebSocketServer::handleConnection(); the
    // QWebSocket reads and writes through this same object.
    QPointer<QTcpSocket> tcp;
    bool encrypted = false; ///< tcp is a QSslSocket: its bytes go through the TLS engine
    quint64 group = 0;      ///< the server's subscription group id
    bool admitted = false;  ///< counted in the server's clientCount (not a refusal)
    bool closing = false;   ///< a close frame is sent or about to be: write nothing more
    bool gone = false;      ///< disconnected; removed at the next compaction
    bool adopted = false;   ///< in m_clients
    bool helloPending = false;
    qint64 overCapSinceMs = -1;
    double tokens = 0;
    qint64 tokensAtMs = 0;
    qint64 windowStartMs = 0;
    int windowCount = 0;
    qint64 lastRateErrorMs = std::numeric_limits<qint32>::min();
};

FeedShard::FeedShard(FeedServer *server, const FeedServerOptions &options, FeedCounters *counters,
                     int index)
    : m_server(server)
    , m_options(options)
    , m_counters(counters)
    , m_index(index)
    , m_housekeeping(new QTimer(this))
{
    m_monotonic.start();
    m_housekeeping->setInterval(HousekeepingMs);
    connect(m_housekeeping, &QTimer::timeout, this, &FeedShard::checkSlowClients);
}

FeedShard::~FeedShard() = default;

std::shared_ptr<FeedShard::Client> FeedShard::newClient(QWebSocket *ws, QTcpSocket *tcp, quint64 id,
                                                        quint64 group, bool admitted)
{
    // Shared while in transit: the queued adopt() call holds it until the
    // shard takes it.
    auto c = std::make_shared<Client>();
    c->id = id;
    c->socket = ws;
    c->tcp = tcp;
    c->encrypted = qobject_cast<QSslSocket *>(tcp) != nullptr;
    c->group = group;
    c->admitted = admitted;
    c->tokens = m_options.commandBurst;
    c->tokensAtMs = c->windowStartMs = m_monotonic.elapsed();
    return c;
}

void FeedShard::attach(Client *c)
{
    // Connected with this shard as the context: once the socket lives in
    // the shard's thread, these run there, directly. They may run before
    // adopt() (a message or a disconnect that arrives first), so they work
    // on the Client alone.
    QWebSocket *ws = c->socket;
    connect(ws, &QWebSocket::textMessageReceived, this,
            [this, c](const QString &message) { onTextMessage(c, message); });
    connect(ws, &QWebSocket::binaryMessageReceived, this,
            [this, c](const QByteArray &) { onBinaryMessage(c); });
    connect(ws, &QWebSocket::aboutToClose, this, [c] { c->closing = true; });
    connect(ws, &QWebSocket::disconnected, this, [this, c] { onClientDisconnected(c); });
}

void FeedShard::adopt(const std::shared_ptr<Client> &client, int refuseCode,
                      const QString &refuseReason)
{
    Client *c = client.get();
    c->adopted = true;
    m_clients.push_back(client);
    // Only a shard with clients has anything to look after: an idle
    // daemon's writer threads stay asleep.
    if (!m_housekeeping->isActive())
        m_housekeeping->start();
    if (c->gone) {
        scheduleCompaction();
        return;
    }
    m_byId.emplace(c->id, c);
    if (refuseCode != 0)
        closeClient(c, refuseCode, refuseReason);
}

// ---------------------------------------------------------------- writes

bool FeedShard::overCap(const Client *c) const
{
    // Exactly what Qt holds unsent for this client, TLS or not.
    return c->tcp && unsentBytes(c->tcp, c->encrypted) >= m_options.sendBufferCapBytes;
}

void FeedShard::deliverTick(const std::shared_ptr<FeedTick> &tick)
{
    if (!tick->helloWire.isEmpty())
        m_helloWire = tick->helloWire;
    const qint64 now = m_monotonic.elapsed();
    quint64 sent = 0;
    for (size_t i = 0; i < m_clients.size(); ++i) {
        Client *c = m_clients[i].get();
        if (!c->admitted || c->closing || c->gone)
            continue;
        if (const QByteArray *frame = tick->frameFor(c->group))
            sent += sendMetricsFrame(c, *frame, now) ? 1 : 0;
    }
    if (sent > 0) {
        m_counters->framesSent.fetch_add(sent, std::memory_order_relaxed);
        tick->sentAny.store(true);
    }
    // The last shard to finish times the tick: ts is wall-clock ms at the
    // start of the sampling pass, so this is the whole path the server
    // controls, up to the send() to the last client of the tick.
    if (tick->shardsLeft.fetch_sub(1) == 1 && tick->sentAny.load()) {
        using namespace std::chrono;
        const double nowMs =
            double(duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()) /
            1000.0;
        const double lagSeconds = (nowMs - double(tick->ts)) / 1000.0;
        FeedServer *server = m_server;
        QMetaObject::invokeMethod(
            server, [server, lagSeconds] { server->onShardTickDone(lagSeconds); },
            Qt::QueuedConnection);
    }
}

bool FeedShard::sendMetricsFrame(Client *c, const QByteArray &wireFrame, qint64 nowMs)
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
    if (overCap(c)) {
        m_counters->framesDropped.fetch_add(1, std::memory_order_relaxed);
        if (c->overCapSinceMs < 0) {
            c->overCapSinceMs = nowMs;
        } else if (nowMs - c->overCapSinceMs >= m_options.slowClientGraceMs) {
            m_counters->clientsDropped.fetch_add(1, std::memory_order_relaxed);
            closeClient(c, QWebSocketProtocol::CloseCodePolicyViolated,
                        QStringLiteral("too slow: send buffer over cap"));
        }
        return false;
    }
    c->overCapSinceMs = -1;
    if (c->helloPending) {
        c->helloPending = false;
        c->tcp->write(m_helloWire);
    }
    // Nothing of ours or of the QWebSocket's waits in Qt's buffer, so the
    // frame can go straight to the kernel and still follow every earlier
    // byte on this socket. Never over TLS: the descriptor carries TLS
    // records (see unsentBytes()).
    if (!c->encrypted && c->tcp->bytesToWrite() == 0 && sendDirect(c->tcp, wireFrame))
        return true;
    c->tcp->write(wireFrame);
    // Hand the frame to the kernel now rather than on the socket's next
    // write notification: the last client of a tick is reached that much
    // sooner. flush() never blocks; what the kernel does not take stays
    // queued.
    c->tcp->flush();
    return true;
}

void FeedShard::checkSlowClients()
{
    // Ticks may be far apart (a 60 s interval) or stop; the grace period of
    // a stalled client is enforced here as well.
    const qint64 now = m_monotonic.elapsed();
    for (size_t i = 0; i < m_clients.size(); ++i) {
        Client *c = m_clients[i].get();
        QTcpSocket *tcp = c->tcp.data(); // one load: GCC cannot see QPointer stays non-null
        if (!c->admitted || c->closing || c->gone || !tcp)
            continue;
        if (unsentBytes(tcp, c->encrypted) < m_options.sendBufferCapBytes) {
            c->overCapSinceMs = -1;
        } else if (c->overCapSinceMs < 0) {
            c->overCapSinceMs = now;
        } else if (now - c->overCapSinceMs >= m_options.slowClientGraceMs) {
            m_counters->clientsDropped.fetch_add(1, std::memory_order_relaxed);
            closeClient(c, QWebSocketProtocol::CloseCodePolicyViolated,
                        QStringLiteral("too slow: send buffer over cap"));
        }
    }
}

void FeedShard::sendControl(Client *c, const QByteArray &json)
{
    if (!c->tcp || !c->socket || c->closing || c->gone ||
        c->socket->state() != QAbstractSocket::ConnectedState)
        return;
    c->tcp->write(webSocketFrame(json));
}

void FeedShard::broadcast(const QByteArray &wire, bool isHello)
{
    if (isHello)
        m_helloWire = wire;
    for (size_t i = 0; i < m_clients.size(); ++i) {
        Client *c = m_clients[i].get();
        QTcpSocket *tcp = c->tcp.data();
        if (!c->admitted || !tcp || !c->socket || c->closing || c->gone ||
            c->socket->state() != QAbstractSocket::ConnectedState)
            continue;
        // A client over its cap gets the new catalogue before its next frame.
        if (isHello && unsentBytes(tcp, c->encrypted) >= m_options.sendBufferCapBytes)
            c->helloPending = true;
        else
            tcp->write(wire);
    }
}

void FeedShard::sendTo(quint64 id, const QByteArray &wire, quint64 group)
{
    const auto it = m_byId.find(id);
    if (it == m_byId.end())
        return;
    Client *c = it->second;
    if (group != 0)
        c->group = group;
    if (!c->tcp || !c->socket || c->closing || c->gone ||
        c->socket->state() != QAbstractSocket::ConnectedState)
        return;
    c->tcp->write(wire);
}

// -------------------------------------------------------------- commands

bool FeedShard::takeToken(Client *c)
{
    const qint64 now = m_monotonic.elapsed();
    if (now - c->windowStartMs >= 1000) {
        c->windowStartMs = now;
        c->windowCount = 0;
    }
    // Sustained flooding (ten times the allowed rate within one second) is
    // not a burst any more: the client goes.
    if (++c->windowCount > 10 * m_options.commandRatePerSecond) {
        m_counters->clientsDropped.fetch_add(1, std::memory_order_relaxed);
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

void FeedShard::onBinaryMessage(Client *c)
{
    if (c->gone || c->closing || !c->admitted || !takeToken(c))
        return;
    sendControl(c, FeedCodec::errorMessage(u"binary_not_supported",
                                           u"binary messages are not supported; send JSON text"));
}

void FeedShard::onTextMessage(Client *c, const QString &message)
{
    if (c->gone || c->closing || !c->admitted || !takeToken(c))
        return;
    const FeedCommand cmd = FeedCodec::parseCommand(message.toUtf8());
    switch (cmd.type) {
    case FeedCommand::Type::Invalid:
        sendControl(c, FeedCodec::errorMessage(cmd.errorCode, cmd.errorMessage));
        return;
    case FeedCommand::Type::Ping:
        sendControl(c, FeedCodec::pongMessage(QDateTime::currentMSecsSinceEpoch()));
        return;
    case FeedCommand::Type::RequestMetrics:
        if (overCap(c)) {
            m_counters->framesDropped.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        forward(c, cmd);
        return;
    case FeedCommand::Type::History:
        // An answer can be large; a client still behind on earlier bytes
        // gets a refusal it can retry instead of more buffered data.
        if (overCap(c)) {
            sendControl(c,
                        FeedCodec::errorMessage(
                            u"busy", u"send buffer over its cap; retry the history request later"));
            return;
        }
        forward(c, cmd);
        return;
    case FeedCommand::Type::Subscribe:
        forward(c, cmd);
        return;
    }
}

void FeedShard::forward(Client *c, const FeedCommand &command)
{
    // The answer comes back through sendTo(), queued behind every tick the
    // server handed this shard before it answered: a history answer that
    // ends at the newest snapshot is written after that snapshot's frame.
    FeedServer *server = m_server;
    const quint64 id = c->id;
    QMetaObject::invokeMethod(
        server, [server, id, command] { server->onShardCommand(id, command); },
        Qt::QueuedConnection);
}

// ---------------------------------------------------------------- closing

void FeedShard::closeClient(Client *c, int code, const QString &reason)
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

void FeedShard::closeAll(int code, const QString &reason)
{
    for (size_t i = 0; i < m_clients.size(); ++i)
        closeClient(m_clients[i].get(), code, reason);
}

void FeedShard::onClientDisconnected(Client *c)
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
    m_byId.erase(c->id);
    FeedServer *server = m_server;
    const quint64 id = c->id;
    QMetaObject::invokeMethod(
        server, [server, id] { server->onShardClientGone(id); }, Qt::QueuedConnection);
    // Erasing now could pull the vector from under a loop that is writing
    // to clients (a close can disconnect synchronously), so compact later.
    if (c->adopted)
        scheduleCompaction();
}

void FeedShard::scheduleCompaction()
{
    if (m_compactScheduled)
        return;
    m_compactScheduled = true;
    QTimer::singleShot(0, this, &FeedShard::compactClients);
}

void FeedShard::compactClients()
{
    m_compactScheduled = false;
    std::erase_if(m_clients, [](const std::shared_ptr<Client> &c) { return c->gone; });
    if (m_clients.empty())
        m_housekeeping->stop();
}

void FeedShard::destroyClients()
{
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
    m_byId.clear();
}

} // namespace tidewatch
