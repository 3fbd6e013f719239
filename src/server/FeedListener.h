// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QSet>
#include <QSslConfiguration>
#include <QTcpServer>

#include <optional>

class QSocketNotifier;
class QSslSocket;
class QTcpSocket;

namespace tidewatch {

/// The feed server's listening socket. Without TLS it hands out plain
/// QTcpSockets, as QTcpServer does. With TLS it looks at the first byte a
/// client sends before choosing: a TLS handshake (0x16) gets a QSslSocket,
/// handed out once encrypted; anything else gets a plain socket marked as
/// such (isPlainOnTlsPort), so the server can answer plain HTTP with a
/// redirect instead of leaving it to hang in a handshake it never starts.
/// Sockets come out of the usual nextPendingConnection() queue.
class FeedListener final : public QTcpServer
{
    Q_OBJECT
public:
    struct Stats
    {
        quint64 tlsAccepted = 0;      ///< handshakes completed
        quint64 tlsFailed = 0;        ///< handshakes that failed (not TLS after all, bad client)
        quint64 plainOnTls = 0;       ///< plain connections on the TLS port
        quint64 timedOut = 0;         ///< sent nothing, or no complete handshake, in time
        quint64 refusedUndecided = 0; ///< closed at once: too many connections undecided
    };

    explicit FeedListener(QObject *parent = nullptr);
    ~FeedListener() override;

    /// TLS for connections accepted from now on; connections already
    /// handed out keep what they negotiated. nullopt: plain TCP.
    void setTlsConfiguration(const std::optional<QSslConfiguration> &configuration);
    bool tlsEnabled() const { return m_tls.has_value(); }

    /// How long a new connection may take to send its first byte and then
    /// to finish its TLS handshake (each); the request head timeout.
    void setDecideTimeoutMs(int ms) { m_decideTimeoutMs = qMax(1, ms); }
    /// Connections waiting for a first byte or in a handshake at once;
    /// beyond that a new connection is closed at once.
    void setMaxUndecided(int n) { m_maxUndecided = qMax(1, n); }
    int undecidedCount() const { return int(m_sniffing.size() + m_handshaking.size()); }
    /// Closes every connection still undecided (for shutdown).
    void dropUndecided();

    Stats stats() const { return m_stats; }

    /// True for a plain connection accepted while TLS was on.
    static bool isPlainOnTlsPort(const QTcpSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void onFirstByte(qintptr descriptor);
    void forgetSniffer(qintptr descriptor);
    void startTls(qintptr descriptor);
    void startPlain(qintptr descriptor);
    void dropHandshake(QSslSocket *socket, bool timedOut);
    void deliver(QTcpSocket *socket);

    std::optional<QSslConfiguration> m_tls;
    int m_decideTimeoutMs = 10000;
    int m_maxUndecided = 256;
    QHash<qintptr, QSocketNotifier *> m_sniffing; ///< descriptor → its read notifier
    QSet<QSslSocket *> m_handshaking;
    Stats m_stats;
};

} // namespace tidewatch
