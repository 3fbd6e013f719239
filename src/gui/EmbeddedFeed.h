// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FeedServer.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>

namespace tidewatch {

class Hub;

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

    void setSampleIntervalMs(int ms);

Q_SIGNALS:
    /// Started, stopped or moved.
    void stateChanged();
    void clientCountChanged(int count);

private:
    FeedServer *create();
    void retire(FeedServer *server);

    Hub *m_hub;
    HistorySource *m_historySource = nullptr;
    FeedServerOptions m_options;
    QPointer<FeedServer> m_server;
    QHostAddress m_requestedAddress;
    quint16 m_requestedPort = 0;
    int m_intervalMs = 1000;
};

} // namespace tidewatch
