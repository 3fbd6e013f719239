// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FeedServer.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

class QTcpSocket;
class QTimer;
class QWebSocket;

namespace tidewatch {

struct FeedCommand;

/// Counters that every shard adds to and the server reads for /healthz
/// and /metrics; shards run on their own threads, hence atomics.
struct FeedCounters
{
    std::atomic<quint64> framesSent{0};
    std::atomic<quint64> framesDropped{0};
    std::atomic<quint64> clientsDropped{0};
};

/// One tick as the server hands it to every shard: the wire frame of each
/// subscription group that is due (built once; each shard only takes
/// references to the same bytes), and the count of shards still writing,
/// so the last one can time the tick.
struct FeedTick
{
    std::vector<std::pair<quint64, QByteArray>> frames; ///< group id, wire frame
    QByteArray helloWire;                               ///< the current hello, for pending ones
    qint64 ts = 0;                                      ///< the snapshot's ts (wall-clock ms)
    std::atomic<int> shardsLeft{0};
    std::atomic<bool> sentAny{false};

    const QByteArray *frameFor(quint64 group) const
    {
        for (const auto &f : frames) {
            if (f.first == group)
                return &f.second;
        }
        return nullptr;
    }
};

/// A share of the WebSocket clients of a FeedServer, with their sockets,
/// living in one thread (its own, or the server's when the server runs
/// without writer threads). Everything that touches a client's socket
/// happens here: the per-tick writes, control messages, ping, rate limits,
/// slow-client skips and drops, and closing. What needs the server's state
/// (subscriptions, history, the latest snapshot) goes to the server as a
/// queued call and comes back as a queued call, behind every frame that
/// the server handed this shard before, so per-socket order is the order
/// in which the server decided things.
class FeedShard final : public QObject
{
    Q_OBJECT
public:
    /// A client as the server hands it over. The server fills it, connects
    /// the socket's signals with attach() *before* moving the sockets to
    /// the shard's thread, so nothing the socket says can be missed, and
    /// then queues adopt().
    struct Client;

    FeedShard(FeedServer *server, const FeedServerOptions &options, FeedCounters *counters,
              int index);
    ~FeedShard() override;

    int index() const { return m_index; }

    // Called in the server's thread, before the sockets move here.
    std::shared_ptr<Client> newClient(QWebSocket *ws, QTcpSocket *tcp, quint64 id, quint64 group,
                                      bool admitted);
    void attach(Client *client);

    // Everything below runs in the shard's thread.
    /// Takes ownership of a client from newClient(); refuses it with
    /// `refuseCode` (close code) when that is not 0.
    void adopt(const std::shared_ptr<Client> &client, int refuseCode, const QString &refuseReason);
    void deliverTick(const std::shared_ptr<FeedTick> &tick);
    /// Writes to every admitted client; a hello also becomes the pending
    /// one for clients over their cap.
    void broadcast(const QByteArray &wire, bool isHello);
    /// An answer from the server; `group` != 0 also moves the client into
    /// that subscription group. Ignored when the client is gone.
    void sendTo(quint64 id, const QByteArray &wire, quint64 group);
    void closeAll(int code, const QString &reason);
    /// Destroys every socket now (a connected one sends close 1001 from
    /// QWebSocket's destructor); for the server's destructor.
    void destroyClients();

private:
    void onTextMessage(Client *client, const QString &message);
    void onBinaryMessage(Client *client);
    void forward(Client *client, const FeedCommand &command);
    bool takeToken(Client *client);
    bool overCap(const Client *client) const;
    void sendControl(Client *client, const QByteArray &json);
    bool sendMetricsFrame(Client *client, const QByteArray &wireFrame, qint64 nowMs);
    void closeClient(Client *client, int code, const QString &reason);
    void onClientDisconnected(Client *client);
    void checkSlowClients();
    void scheduleCompaction();
    void compactClients();

    FeedServer *m_server;
    FeedServerOptions m_options;
    FeedCounters *m_counters;
    int m_index;
    QTimer *m_housekeeping;
    std::vector<std::shared_ptr<Client>> m_clients;
    std::unordered_map<quint64, Client *> m_byId;
    QByteArray m_helloWire;
    bool m_compactScheduled = false;
    QElapsedTimer m_monotonic;
};

} // namespace tidewatch
