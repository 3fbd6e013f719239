// SPDX-License-Identifier: GPL-3.0-or-later
// The FeedServer's answers to commands and to history requests, over the
// WebSocket and HTTP.
#include "FeedServer.h"
#include "FeedServerPrivate.h"

#include "FeedShard.h"
#include "HistoryQuery.h"
#include "HttpRequest.h"
#include "Hub.h"

#include <QDateTime>
#include <QPointer>
#include <QTcpSocket>

#include <algorithm>

namespace tidewatch {

namespace {

constexpr int MaxSubscribeIntervalMs = 60000;

} // namespace
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
    const HistoryRequest request = storeRequest(query, storeMaxPoints(query, *latest));
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

int FeedServer::storeMaxPoints(const HistoryQuery &query, const Snapshot &latest)
{
    // The same cap on values as memory answers, estimated from the catalogue.
    if (!latest.catalog)
        return query.maxPoints;
    qsizetype matched = 0;
    for (qsizetype i : FeedCodec::selectMetrics(*latest.catalog, query.patterns, query.usePatterns))
        matched += latest.catalog->at(i).kind != MetricKind::Counter;
    const qsizetype perSeries = query.maxValues / qMax<qsizetype>(1, matched);
    return int(std::clamp<qsizetype>(perSeries, 1, query.maxPoints));
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
    const int maxPoints = latest ? storeMaxPoints(query, *latest) : query.maxPoints;
    m_historySource->query(
        storeRequest(query, maxPoints), this,
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

} // namespace tidewatch
