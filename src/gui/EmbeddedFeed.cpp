// SPDX-License-Identifier: GPL-3.0-or-later
#include "EmbeddedFeed.h"

#include "Hub.h"

#include <QNetworkInterface>

namespace tidewatch {

EmbeddedFeed::EmbeddedFeed(Hub *hub, FeedServerOptions options, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_options(std::move(options))
{}

EmbeddedFeed::~EmbeddedFeed() = default; // the servers are children

void EmbeddedFeed::setHistorySource(HistorySource *source)
{
    m_historySource = source;
    if (m_server)
        m_server->setHistorySource(source);
}

FeedServer *EmbeddedFeed::create()
{
    auto *server = new FeedServer(m_hub, m_options, this);
    server->setSampleIntervalMs(m_intervalMs);
    server->setHistorySource(m_historySource);
    connect(server, &FeedServer::clientCountChanged, this, [this, server](int count) {
        if (server == m_server)
            Q_EMIT clientCountChanged(count);
    });
    return server;
}

void EmbeddedFeed::retire(FeedServer *server)
{
    if (!server)
        return;
    // Close the old clients politely (close frame 1001), then let it go.
    connect(server, &FeedServer::shutdownFinished, server, &QObject::deleteLater);
    server->shutdown();
}

bool EmbeddedFeed::start(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server && address == m_requestedAddress && port == m_requestedPort && port != 0)
        return true;

    FeedServer *next = create();
    QString message;
    bool ok = next->listen(address, port, &message);
    if (!ok && m_server && port != 0 && port == m_server->serverPort()) {
        // The port is ours: release it, try again, and fall back on failure.
        const QHostAddress oldAddress = m_requestedAddress;
        const quint16 oldPort = m_requestedPort;
        delete m_server.data();
        ok = next->listen(address, port, &message);
        if (!ok) {
            FeedServer *previous = create();
            QString ignored;
            if (previous->listen(oldAddress, oldPort, &ignored)) {
                m_server = previous;
            } else {
                delete previous;
                m_server = nullptr;
                Q_EMIT stateChanged();
            }
        }
    }
    if (!ok) {
        delete next;
        if (error)
            *error = message;
        return false;
    }
    FeedServer *old = m_server;
    m_server = next;
    m_requestedAddress = address;
    m_requestedPort = port;
    retire(old);
    Q_EMIT stateChanged();
    Q_EMIT clientCountChanged(next->clientCount());
    return true;
}

void EmbeddedFeed::stop()
{
    if (!m_server)
        return;
    FeedServer *old = m_server;
    m_server = nullptr;
    retire(old);
    Q_EMIT stateChanged();
    Q_EMIT clientCountChanged(0);
}

QString EmbeddedFeed::url() const
{
    return m_server ? m_server->url() : QString();
}

QString EmbeddedFeed::shareUrl() const
{
    if (!m_server)
        return {};
    const QHostAddress bound = m_server->serverAddress();
    if (bound != QHostAddress(QHostAddress::Any) && bound != QHostAddress(QHostAddress::AnyIPv4))
        return m_server->url();
    const QList<QHostAddress> all = QNetworkInterface::allAddresses();
    for (const QHostAddress &a : all) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback() && !a.isLinkLocal())
            return QStringLiteral("http://%1:%2/").arg(a.toString()).arg(m_server->serverPort());
    }
    return m_server->url();
}

QHostAddress EmbeddedFeed::address() const
{
    return m_server ? m_server->serverAddress() : QHostAddress();
}

quint16 EmbeddedFeed::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

int EmbeddedFeed::clientCount() const
{
    return m_server ? m_server->clientCount() : 0;
}

void EmbeddedFeed::setSampleIntervalMs(int ms)
{
    m_intervalMs = ms;
    if (m_server)
        m_server->setSampleIntervalMs(ms);
}

} // namespace tidewatch
