// SPDX-License-Identifier: GPL-3.0-or-later
#include "FeedListener.h"

#include <QSocketNotifier>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace tidewatch {

namespace {

// A TLS record of type handshake: every ClientHello starts with it, and no
// HTTP method does.
constexpr quint8 TlsHandshakeRecord = 0x16;

constexpr char PlainOnTlsProperty[] = "tidewatch_plain_on_tls";
constexpr char DeadlineName[] = "tidewatch_tls_deadline";

void closeDescriptor(qintptr descriptor)
{
    ::close(int(descriptor));
}

} // namespace

FeedListener::FeedListener(QObject *parent)
    : QTcpServer(parent)
{}

FeedListener::~FeedListener()
{
    // The handshaking sockets are children and go with this object; the
    // sniffed descriptors belong to nobody else yet.
    dropUndecided();
}

void FeedListener::setTlsConfiguration(const std::optional<QSslConfiguration> &configuration)
{
    m_tls = configuration;
}

bool FeedListener::isPlainOnTlsPort(const QTcpSocket *socket)
{
    return socket && socket->property(PlainOnTlsProperty).toBool();
}

void FeedListener::incomingConnection(qintptr descriptor)
{
    if (!m_tls) {
        QTcpServer::incomingConnection(descriptor);
        return;
    }
    if (undecidedCount() >= m_maxUndecided) {
        // Nothing can be said to a client whose language is not known yet.
        ++m_stats.refusedUndecided;
        closeDescriptor(descriptor);
        return;
    }
    // Wait for the first byte without reading it: it must still be there
    // for the TLS engine or for the HTTP parser, whichever gets the socket.
    auto *notifier = new QSocketNotifier(descriptor, QSocketNotifier::Read, this);
    auto *deadline = new QTimer(notifier);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, this, [this, descriptor, notifier] {
        // A deferred-deleted notifier's timer must not close a descriptor
        // that has moved on to a socket.
        if (m_sniffing.value(descriptor) != notifier)
            return;
        forgetSniffer(descriptor);
        ++m_stats.timedOut;
        closeDescriptor(descriptor);
    });
    connect(notifier, &QSocketNotifier::activated, this,
            [this, descriptor] { onFirstByte(descriptor); });
    m_sniffing.insert(descriptor, notifier);
    deadline->start(m_decideTimeoutMs);
}

void FeedListener::onFirstByte(qintptr descriptor)
{
    if (!m_sniffing.contains(descriptor))
        return;
    unsigned char first = 0;
    ssize_t n;
    do {
        n = ::recv(int(descriptor), &first, 1, MSG_PEEK | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return; // woken without data; keep waiting
    forgetSniffer(descriptor);
    if (n <= 0) { // closed (or failed) before saying anything
        closeDescriptor(descriptor);
        return;
    }
    // (TLS switched off since the accept: the connection is plain now.)
    if (first == TlsHandshakeRecord && m_tls)
        startTls(descriptor);
    else
        startPlain(descriptor);
}

void FeedListener::forgetSniffer(qintptr descriptor)
{
    QSocketNotifier *notifier = m_sniffing.take(descriptor);
    if (!notifier)
        return;
    // Off before the descriptor gets a socket with a notifier of its own;
    // deleted later, as this may run inside its activated().
    notifier->setEnabled(false);
    if (auto *deadline = notifier->findChild<QTimer *>())
        deadline->stop();
    notifier->deleteLater();
}

void FeedListener::startTls(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        ++m_stats.tlsFailed;
        delete socket;
        closeDescriptor(descriptor);
        return;
    }
    socket->setSslConfiguration(*m_tls);
    m_handshaking.insert(socket);

    auto *deadline = new QTimer(socket);
    deadline->setObjectName(QLatin1StringView(DeadlineName));
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, this, [this, socket] { dropHandshake(socket, true); });
    connect(socket, &QSslSocket::encrypted, this, [this, socket] {
        if (!m_handshaking.remove(socket))
            return;
        disconnect(socket, nullptr, this, nullptr);
        delete socket->findChild<QTimer *>(QLatin1StringView(DeadlineName));
        ++m_stats.tlsAccepted;
        deliver(socket);
    });
    // A ClientHello that is not one, a protocol or cipher we do not speak,
    // a peer that gives up: all end the same way, before the server saw it.
    connect(socket, &QAbstractSocket::errorOccurred, this,
            [this, socket] { dropHandshake(socket, false); });
    connect(socket, &QAbstractSocket::disconnected, this,
            [this, socket] { dropHandshake(socket, false); });
    deadline->start(m_decideTimeoutMs);
    socket->startServerEncryption();
}

void FeedListener::startPlain(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        closeDescriptor(descriptor);
        return;
    }
    socket->setProperty(PlainOnTlsProperty, true);
    ++m_stats.plainOnTls;
    deliver(socket);
}

void FeedListener::dropHandshake(QSslSocket *socket, bool timedOut)
{
    if (!m_handshaking.remove(socket))
        return;
    if (timedOut)
        ++m_stats.timedOut;
    else
        ++m_stats.tlsFailed;
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
}

void FeedListener::deliver(QTcpSocket *socket)
{
    // QTcpServer emits newConnection() only right after incomingConnection()
    // returns; a socket decided later has to announce itself.
    addPendingConnection(socket);
    Q_EMIT newConnection();
}

void FeedListener::dropUndecided()
{
    const QList<qintptr> sniffing = m_sniffing.keys();
    for (const qintptr descriptor : sniffing) {
        QSocketNotifier *notifier = m_sniffing.take(descriptor);
        delete notifier;
        closeDescriptor(descriptor);
    }
    const QSet<QSslSocket *> handshaking = m_handshaking;
    for (QSslSocket *socket : handshaking)
        dropHandshake(socket, false);
}

} // namespace tidewatch
