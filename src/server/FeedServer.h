// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FeedListener.h"
#include "HistoryQuery.h"
#include "HistorySource.h"
#include "PrometheusEncoder.h"
#include "Snapshot.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>
#include <unordered_map>
#include <vector>

class QTcpSocket;
class QThread;
class QTimer;
class QWebSocket;
class QWebSocketServer;

namespace tidewatch {

class Authenticator;
class FeedShard;
class Hub;
class MetricsFrameEncoder;
class PrometheusEncoder;
struct AuthOptions;
struct FeedCommand;
struct FeedCounters;
struct HttpRequest;
struct TlsCredentials;

/// Limits of the feed server. Everything a client can grow is capped here.
struct FeedServerOptions
{
    int maxClients = 500;                    ///< WebSocket clients; the next one gets close 1013
    qint64 sendBufferCapBytes = 1024 * 1024; ///< unsent bytes per client before it skips frames
    int slowClientGraceMs = 5000;            ///< over the cap this long: close 1008
    int maxIncomingMessageBytes = 64 * 1024; ///< client frames and messages; larger: close 1009
    int maxRequestHeadBytes = 16 * 1024;     ///< HTTP request head; larger: 431
    int requestHeadTimeoutMs = 10000;        ///< HTTP head (and keep-alive idle) timeout
    int closeTimeoutMs = 2000;               ///< after a close frame, abort() after this long
    int commandRatePerSecond = 50;           ///< token bucket refill per client
    int commandBurst = 100;                  ///< token bucket size
    int maxHttpConnections = 256;            ///< plain HTTP connections at once; more get 503
    int maxHistoryPoints = 10000;            ///< points per series in one history answer
    int defaultHistoryPoints = 3600;         ///< when the request names no max_points
    qsizetype maxHistoryValues = 300000;     ///< values over all series in one history answer
    /// Threads that own the WebSocket clients' sockets and write each tick
    /// to their share of them in parallel. 0: no extra thread, every socket
    /// in the server's thread; -1 (the default): one per core, at most 4,
    /// none on a single core. With 1000 clients on 2 cores they cut the
    /// delivery lag p99 by about a quarter (median 21 → 15.6 ms,
    /// docs/performance.md, Fan-out); a thread starts with its first client.
    int writerThreads = -1;
    int maxStoreQueries = 8; ///< history queries running in the store at once; more get "busy"
};

/// Counters of the feed server, for /healthz and /metrics.
struct FeedServerStats
{
    int clients = 0;
    quint64 framesSent = 0;     ///< metrics frames written to clients
    quint64 framesDropped = 0;  ///< metrics frames skipped for a client over its send cap
    quint64 clientsDropped = 0; ///< clients closed for being too slow or flooding commands
    quint64 httpRequests = 0;
    qint64 uptimeMs = 0;
};

/// Serves the live feed: HTTP (/healthz, /metrics, /api/v1/snapshot, a
/// minimal page) and WebSocket on one port. Each tick is encoded once per
/// distinct subscription and the same WebSocket frame bytes are written to
/// every client. Lives in the thread of the Hub (the main thread). The
/// WebSocket clients belong to FeedShards: one in this thread by default,
/// or one per writer thread (FeedServerOptions::writerThreads).
class FeedServer final : public QObject
{
    Q_OBJECT
public:
    explicit FeedServer(Hub *hub, FeedServerOptions options = {}, QObject *parent = nullptr);
    ~FeedServer() override;

    /// Starts listening. On failure returns false and sets `errorMessage` to
    /// one clear line, e.g. "cannot listen on 127.0.0.1:8765: address already in use".
    bool listen(const QHostAddress &address, quint16 port, QString *errorMessage);
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    /// "http://127.0.0.1:8765/" ("https://…" with TLS); a wildcard address
    /// shows as loopback.
    QString url() const;

    /// Serves HTTPS and WSS on the same port, with the PEM certificate
    /// chain and private key in these files; plain HTTP there gets a
    /// redirect. Before or after listen(). On failure changes nothing and
    /// sets `errorMessage` to one line naming the file.
    bool setTls(const QString &certFile, const QString &keyFile, QString *errorMessage);
    /// Reads the same two files again (for SIGHUP). New handshakes use the
    /// new pair; connected clients keep theirs. On failure the old pair
    /// stays and `errorMessage` says why.
    bool reloadTls(QString *errorMessage);
    bool tlsEnabled() const;
    /// The certificate new handshakes present, for log lines; empty without TLS.
    QString tlsDescription() const;
    FeedListener::Stats tlsStats() const;
    /// The same with the certificate's expiry, as /metrics and /healthz give them.
    FeedSelfMetrics::Tls tlsSelfMetrics() const;

    int clientCount() const { return m_clientCount; }
    FeedServerStats stats() const;
    const FeedServerOptions &options() const { return m_options; }
    /// Writer threads actually running (0: all sockets in this thread).
    int writerThreadCount() const { return int(m_threads.size()); }
    /// Writer threads started so far: each starts with its first client.
    int runningWriterThreadCount() const;
    /// Live WebSocket clients per shard, as this thread last heard.
    QList<int> shardClientCounts() const;

    /// The sampler's interval: sent in hello, and the unit subscribe rounds to.
    void setSampleIntervalMs(int ms);
    int sampleIntervalMs() const { return m_sampleIntervalMs; }

    /// The persistent store that answers history older than the Hub holds,
    /// and whose state /healthz reports. Not owned; nullptr: memory only.
    void setHistorySource(HistorySource *source) { m_historySource = source; }

    /// Who may pass: every route but /healthz and the login page, and the
    /// WebSocket handshake, are checked against these credentials. No
    /// credential (the default): everyone passes.
    void setAuthOptions(const AuthOptions &options);
    Authenticator &authenticator() { return *m_auth; }
    /// Origins whose pages may open the WebSocket besides the server's own
    /// ("https://host:port", lower case; "*" for any).
    void setAllowedOrigins(const QStringList &origins);
    /// A one-time login link (url() + "login?code=…", valid 5 minutes) that
    /// sets a session cookie; url() itself when no credential is needed.
    QString issueLoginLink();

    /// Stops listening, sends close 1001 "server shutting down" to every
    /// client and aborts those still there after closeTimeoutMs. Emits
    /// shutdownFinished() once no client socket remains.
    void shutdown();

Q_SIGNALS:
    void clientCountChanged(int count);
    void shutdownFinished();

private:
    friend class FeedShard;
    struct Subscription;
    struct HttpConnection;
    /// What this thread knows of a WebSocket client; the socket itself
    /// lives in its shard.
    struct ClientEntry
    {
        FeedShard *shard = nullptr;
        std::shared_ptr<Subscription> subscription;
        bool admitted = false;
    };

    void onSnapshotPublished(const SnapshotPtr &snapshot);
    void onCatalogChanged(const CatalogPtr &catalog);
    void onNewTcpConnection();
    void onNewWebSocket();
    /// A plain HTTP request on the TLS port: one answer pointing at https, then close.
    void answerPlainOnTlsPort(QTcpSocket *socket);

    // HTTP
    void processHttp(QTcpSocket *socket);
    void handOverUpgrade(QTcpSocket *socket, const HttpRequest &request);
    void respond(QTcpSocket *socket, const HttpRequest *request, int status,
                 const QByteArray &contentType, const QByteArray &body,
                 const QByteArray &extraHeaders, bool keepAlive);
    void respondError(QTcpSocket *socket, const HttpRequest *request, int status,
                      const QString &message, const QByteArray &extraHeaders = {},
                      bool keepAlive = false);
    void route(QTcpSocket *socket, const HttpRequest &request);
    QByteArray healthJson() const;
    // The gate (FeedServerAuth.cpp)
    static bool isTls(const QTcpSocket *socket);
    static QByteArray securityHeaders(const QTcpSocket *socket);
    static bool isPublicPath(QByteArrayView path);
    bool originAllowed(const HttpRequest &request, bool tls) const;
    bool hostAllowed(const HttpRequest &request) const;
    /// True when the request may go on; otherwise it has been answered.
    bool admit(QTcpSocket *socket, const HttpRequest &request);
    void routeLogin(QTcpSocket *socket, const HttpRequest &request);
    void routeLogout(QTcpSocket *socket, const HttpRequest &request);
    QByteArray dashboardPage(const QByteArray &page, qsizetype marker) const;
    void removeHttpConnection(QTcpSocket *socket);
    HttpConnection *httpConnection(QTcpSocket *socket) const;

    // WebSocket; the onShard* calls arrive queued from the shards.
    void onShardCommand(quint64 id, const FeedCommand &command);
    void onShardClientGone(quint64 id);
    void onShardTickDone(double lagSeconds);
    void answerHistory(quint64 id, const FeedCommand &command);
    bool historyFromStore(qint64 fromTs) const;
    /// The Hub's answer to `query`, its bucket width in ms filled in.
    HistoryTable memoryAnswer(const HistoryQuery &query, const Snapshot &latest) const;
    static HistoryRequest storeRequest(const HistoryQuery &query, int maxPoints);
    /// Points per series a store answer may hold under maxValues.
    static int storeMaxPoints(const HistoryQuery &query, const Snapshot &latest);
    HistoryTable storeAnswer(const HistoryResult &result, const HistoryQuery &query) const;
    void answerHttpHistory(QTcpSocket *socket, const HttpRequest &request);
    void finishHttpResponse(QTcpSocket *socket);
    void sendTo(quint64 id, const QByteArray &json, quint64 group = 0);
    void setSubscription(ClientEntry &entry, const QString &key, const QStringList *patterns,
                         int intervalMs);
    void broadcastControl(const QByteArray &json);
    void broadcastHello();
    void scheduleClientCount();
    void checkShutdownFinished();
    FeedShard *pickShard();
    QString hostName() const;
    QByteArray helloJson() const;
    const QByteArray &helloWire() const;
    SnapshotPtr latestSnapshot() const;

    Hub *m_hub;
    HistorySource *m_historySource = nullptr;
    int m_storeQueries = 0; ///< in flight
    FeedServerOptions m_options;
    FeedListener *m_tcpServer;
    std::unique_ptr<TlsCredentials> m_tls;
    int m_plainOnTlsConnections = 0;
    QWebSocketServer *m_wsServer;
    std::unique_ptr<Authenticator> m_auth;
    QList<QByteArray> m_allowedOrigins;
    std::unique_ptr<PrometheusEncoder> m_prometheus;
    std::unique_ptr<MetricsFrameEncoder> m_frameEncoder;

    std::unique_ptr<FeedCounters> m_counters;
    // Declared after m_counters: destroyed first, so no shard outlives it.
    std::vector<std::unique_ptr<QThread>> m_threads;
    std::vector<std::unique_ptr<FeedShard>> m_shards;
    std::vector<int> m_shardClients; ///< live clients per shard, as this thread knows them
    std::unordered_map<quint64, ClientEntry> m_clients;
    QHash<QString, std::shared_ptr<Subscription>> m_subscriptions;
    quint64 m_nextGroupId = 1;
    std::unordered_map<QTcpSocket *, std::unique_ptr<HttpConnection>> m_http;
    QList<QPointer<QTcpSocket>> m_upgrading; // handed to m_wsServer, not yet a QWebSocket
    CatalogPtr m_catalog;
    QString m_host;
    mutable QByteArray m_helloWire; ///< hello as a wire frame; empty when stale
    SnapshotPtr m_snapshotJsonFor;
    QByteArray m_snapshotJson;
    int m_sampleIntervalMs = 1000;
    int m_clientCount = 0;
    int m_announcedCount = -1;
    bool m_countScheduled = false;
    bool m_shuttingDown = false;
    bool m_shutdownFinishedEmitted = false;
    quint64 m_nextClientId = 1;
    LatencyHistogram m_deliveryLag;
    quint64 m_httpRequests = 0;
    QElapsedTimer m_uptime;
};

} // namespace tidewatch
