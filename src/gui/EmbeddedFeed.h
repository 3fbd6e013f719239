// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Authenticator.h"
#include "FeedServer.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>

namespace tidewatch {

class Hub;
struct Config;

/// The FeedServer inside the desktop app. Moving it to another address or
/// port starts the new server first and retires the old one only when the
/// new one listens, so a port in use leaves the running feed untouched.
class EmbeddedFeed final : public QObject
{
    Q_OBJECT
public:
    EmbeddedFeed(Hub *hub, FeedServerOptions options, QObject *parent = nullptr);
    ~EmbeddedFeed() override;

    /// Starts, or moves, the server. On failure the previous server (if any)
    /// keeps running and `error` says why in one sentence.
    bool start(const QHostAddress &address, quint16 port, QString *error);
    void stop();

    bool isRunning() const { return m_server != nullptr; }
    QString url() const;
    /// The URL another device can open: when bound to every address, the
    /// first network address of this machine instead of loopback.
    QString shareUrl() const;
    QHostAddress address() const;
    quint16 port() const;
    int clientCount() const;
    /// The store the feed answers old history from; not owned, may be null.
    void setHistorySource(HistorySource *source);

    FeedServer *server() const { return m_server; }

    /// The credentials, origins and TLS files of the config, applied to
    /// every server from now on. A bad token or secret file: false and one
    /// line in `error`; the feed then asks for the app token, even on
    /// loopback, rather than run open.
    bool setConfig(const Config &config, QString *error);
    /// Where the app's access token comes from; asked only when exposed, so
    /// the token is generated on first need.
    void setAccessTokenSource(std::function<QByteArray()> source);
    /// Treat every bind as exposed: the app token is required on loopback
    /// too (AppSettings::requireToken; tests use it to stay on 127.0.0.1).
    void setRequireToken(bool require);
    /// Whether a bind to `address` needs the app token.
    bool isExposed(const QHostAddress &address) const;
    /// Replaces the app token on the live server: its sessions end, no restart.
    void setAccessToken(const QByteArray &token);
    /// Whether the live server asks for a credential.
    bool authRequired() const;
    /// A fresh one-time login link (5 minutes, once); url() when no credential
    /// is needed. `share`: with shareUrl()'s host, for another device.
    QString loginLink(bool share);

    void setSampleIntervalMs(int ms);

Q_SIGNALS:
    /// Started, stopped or moved.
    void stateChanged();
    void clientCountChanged(int count);

private:
    FeedServer *create(const QHostAddress &address, QString *error);
    AuthOptions authOptionsFor(const QHostAddress &address) const;
    void retire(FeedServer *server);

    Hub *m_hub;
    HistorySource *m_historySource = nullptr;
    FeedServerOptions m_options;
    QPointer<FeedServer> m_server;
    QHostAddress m_requestedAddress;
    quint16 m_requestedPort = 0;
    int m_intervalMs = 1000;
    AuthOptions m_configAuth;
    QStringList m_allowOrigins;
    QString m_tlsCert;
    QString m_tlsKey;
    std::function<QByteArray()> m_tokenSource;
    QByteArray m_token; ///< the app token, once asked for
    bool m_requireToken = false;
    bool m_configFailed = false;   ///< the config's credentials could not be read
    bool m_insecureNoAuth = false; ///< --insecure-no-auth
};

} // namespace tidewatch
