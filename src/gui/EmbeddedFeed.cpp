// SPDX-License-Identifier: GPL-3.0-or-later
#include "EmbeddedFeed.h"

#include "Config.h"
#include "Hub.h"
#include "ServerSecurity.h"

#include <QNetworkInterface>

namespace tidewatch {

using namespace Qt::StringLiterals;

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

bool EmbeddedFeed::setConfig(const Config &config, QString *error)
{
    m_allowOrigins = config.allowOrigins;
    m_tlsCert = config.tlsEnabled() ? config.tlsCert : QString();
    m_tlsKey = config.tlsEnabled() ? config.tlsKey : QString();
    m_insecureNoAuth = config.insecureNoAuth;
    AuthOptions options;
    QString why;
    if (!loadAuthOptions(config, &options, &why)) {
        // Fail closed: the user asked for credentials, so the feed must not
        // fall back to open; the app token stands in for the broken ones.
        m_configAuth = AuthOptions();
        m_configFailed = true;
        if (error)
            *error = u"%1; the feed asks for the app's access token instead"_s.arg(why);
        return false;
    }
    m_configAuth = options;
    m_configFailed = false;
    return true;
}

void EmbeddedFeed::setAccessTokenSource(std::function<QByteArray()> source)
{
    m_tokenSource = std::move(source);
}

void EmbeddedFeed::setRequireToken(bool require)
{
    if (require == m_requireToken)
        return;
    m_requireToken = require;
    if (!m_server)
        return;
    if (isExposed(m_requestedAddress) && m_token.isEmpty() && m_tokenSource)
        m_token = m_tokenSource();
    setAccessToken(m_token);
}

bool EmbeddedFeed::isExposed(const QHostAddress &address) const
{
    return m_requireToken || m_configFailed || !address.isLoopback();
}

AuthOptions EmbeddedFeed::authOptionsFor(const QHostAddress &address) const
{
    AuthOptions options = m_configAuth;
    if (isExposed(address) && !m_token.isEmpty())
        options.tokens.append(m_token);
    return options;
}

void EmbeddedFeed::setAccessToken(const QByteArray &token)
{
    m_token = token;
    if (!m_server)
        return;
    QList<QByteArray> tokens = m_configAuth.tokens;
    if (isExposed(m_requestedAddress))
        tokens.append(m_token);
    m_server->authenticator().setTokens(tokens);
}

bool EmbeddedFeed::authRequired() const
{
    return m_server && m_server->authenticator().required();
}

QString EmbeddedFeed::loginLink(bool share)
{
    if (!m_server)
        return {};
    QString link = m_server->issueLoginLink();
    const QString local = m_server->url();
    if (share && link.startsWith(local))
        link.replace(0, local.size(), shareUrl());
    return link;
}

FeedServer *EmbeddedFeed::create(const QHostAddress &address, QString *error)
{
    if (isExposed(address) && m_token.isEmpty() && m_tokenSource)
        m_token = m_tokenSource();
    // The app always has a token source; this guards the policy should a
    // caller forget one, as tidewatchd does before it listens.
    const AuthOptions auth = authOptionsFor(address);
    const bool credentials = !auth.tokens.isEmpty() || !auth.jwtSecret.isEmpty();
    if (!exposureAllowed(address, credentials, m_insecureNoAuth, error))
        return nullptr;
    auto *server = new FeedServer(m_hub, m_options, this);
    server->setAuthOptions(auth);
    server->setAllowedOrigins(m_allowOrigins);
    if (!m_tlsCert.isEmpty() && !server->setTls(m_tlsCert, m_tlsKey, error)) {
        delete server;
        return nullptr;
    }
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

    QString message;
    FeedServer *next = create(address, &message);
    if (!next) {
        if (error)
            *error = message;
        return false;
    }
    bool ok = next->listen(address, port, &message);
    if (!ok && m_server && port != 0 && port == m_server->serverPort()) {
        // The port is ours: release it, try again, and fall back on failure.
        const QHostAddress oldAddress = m_requestedAddress;
        const quint16 oldPort = m_requestedPort;
        delete m_server.data();
        ok = next->listen(address, port, &message);
        if (!ok) {
            QString ignored;
            FeedServer *previous = create(oldAddress, &ignored);
            if (previous && previous->listen(oldAddress, oldPort, &ignored)) {
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
            return QStringLiteral("%1://%2:%3/")
                .arg(m_server->tlsEnabled() ? QStringLiteral("https") : QStringLiteral("http"),
                     a.toString())
                .arg(m_server->serverPort());
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
