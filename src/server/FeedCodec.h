// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HistorySource.h"
#include "Snapshot.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

namespace tidewatch {

/// Small JSON writer over a QByteArray. The per-tick metrics frame is the
/// hot path of the feed, so it is written by hand instead of through
/// QJsonDocument (no tree of QJsonValues, no UTF-16 round trip).
namespace json {
/// Appends `s` as a quoted, escaped JSON string.
void appendString(QByteArray &out, QStringView s);
/// UTF-8 input (must be valid UTF-8; not checked).
void appendString(QByteArray &out, QByteArrayView utf8);
/// Shortest round-trip decimal form; `null` for NaN and ±inf.
void appendNumber(QByteArray &out, double v);
void appendInteger(QByteArray &out, qint64 v);
} // namespace json

/// Formats a WebSocket frame (RFC 6455 §5.2): FIN set, unmasked, as a server
/// sends it. Because server frames are unmasked, the same bytes are valid
/// for every client, so a frame is built once and written to all of them.
QByteArray webSocketFrame(QByteArrayView payload, quint8 opcode = 0x1);

/// What a client asked for in one text message.
struct FeedCommand
{
    enum class Type : quint8 { Invalid, Ping, RequestMetrics, Subscribe, History };
    Type type = Type::Invalid;
    QString errorCode;       ///< when Invalid: bad_json, not_an_object, unknown_type, bad_request
    QString errorMessage;    ///< when Invalid: a human readable reason
    bool hasMetrics = false; ///< subscribe or history named "metrics"
    QStringList metrics;     ///< subscribe's or history's glob patterns
    int intervalMs = -1;     ///< subscribe's interval_ms, -1 when absent
    qint64 fromTs = -1;      ///< history's from (ms since the epoch), -1 when absent
    qint64 toTs = -1;        ///< history's to, -1 when absent
    qint64 windowMs = -1;    ///< history's window_ms, -1 when absent
    int maxPoints = -1;      ///< history's max_points, -1 when absent
};

/// One `history` answer before encoding: a shared time axis and, per
/// metric, values aligned with it (NaN where a metric has no point).
struct HistoryTable
{
    qint64 fromTs = 0;
    qint64 toTs = 0;   ///< the newest snapshot covered; live frames after this one are newer
    int step = 1;      ///< samples averaged into one point (1: raw samples)
    qint64 stepMs = 0; ///< bucket width in ms when known (store answers); 0: see step
    QString tier = QStringLiteral("memory"); ///< "memory", or the store tier: raw, minute, hour
    QList<qint64> ts;                        ///< oldest first
    QStringList ids;
    QList<QList<double>> values; ///< values[i] belongs to ids[i], aligned with ts
    QList<QList<double>> min;    ///< per-bucket envelopes, like values; empty: none (step 1)
    QList<QList<double>> max;
};

/// Encodes the server's JSON messages and decodes the client's commands.
/// See docs/protocol.md for every message.
class FeedCodec final
{
public:
    static constexpr int MaxPatterns = 64;
    static constexpr int MaxPatternLength = 256;
    static constexpr int MaxNesting = 32;

    static QByteArray connectionMessage(const QString &host, int clientCount);
    static QByteArray helloMessage(const QString &version, const QString &host, int intervalMs,
                                   const MetricCatalog *catalog);
    static QByteArray clientCountMessage(int count);
    static QByteArray pongMessage(qint64 ts);
    static QByteArray errorMessage(QStringView code, QStringView message);
    /// `metrics` null means the default set.
    static QByteArray subscribedMessage(const QStringList *metrics, int intervalMs);
    static QByteArray historyMessage(const HistoryTable &table);
    /// The same answer as /api/v1/history serves it: no "type".
    static QByteArray historyJson(const HistoryTable &table);
    /// A store answer as a table, the store's tier named.
    static HistoryTable historyTable(const HistoryResult &result);
    /// The latest snapshot as /api/v1/snapshot serves it.
    static QByteArray snapshotJson(const Snapshot &snapshot);

    /// Catalog indices a subscription sends: with no patterns, every gauge
    /// and rate (counters only when a pattern names them).
    static QList<qsizetype> selectMetrics(const MetricCatalog &catalog, const QStringList &patterns,
                                          bool usePatterns);

    static FeedCommand parseCommand(QByteArrayView message);
};

/// Builds the per-tick "metrics" message. The parts every subscription
/// shares (simple fields, timestamp, processes) are encoded once in
/// setSnapshot(); encode() adds one subscription's values.
class MetricsFrameEncoder final
{
public:
    void setSnapshot(const SnapshotPtr &snapshot);
    const SnapshotPtr &snapshot() const { return m_snapshot; }
    /// The message for the catalog indices `indices` (from selectMetrics).
    QByteArray encode(const QList<qsizetype> &indices) const;

private:
    SnapshotPtr m_snapshot;
    CatalogPtr m_keysCatalog;
    QList<QByteArray> m_keys; ///< "\"id\":" per catalog index, escaped once per catalog
    QByteArray m_prefix;      ///< up to and including "values":{
    QByteArray m_suffix;      ///< from }, "processes" to the end
};

} // namespace tidewatch
