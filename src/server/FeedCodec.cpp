// SPDX-License-Identifier: GPL-3.0-or-later
#include "FeedCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <charconv>
#include <cmath>

namespace tidewatch {

namespace json {

namespace {
constexpr char HexDigits[] = "0123456789abcdef";

void appendEscapedByte(QByteArray &out, unsigned char c)
{
    switch (c) {
    case '"':
        out.append("\\\"", 2);
        return;
    case '\\':
        out.append("\\\\", 2);
        return;
    case '\n':
        out.append("\\n", 2);
        return;
    case '\r':
        out.append("\\r", 2);
        return;
    case '\t':
        out.append("\\t", 2);
        return;
    default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
        const char esc[6] = {'\\', 'u', '0', '0', HexDigits[c >> 4], HexDigits[c & 0xf]};
        out.append(esc, 6);
    } else {
        out.append(char(c));
    }
}
} // namespace

void appendString(QByteArray &out, QByteArrayView utf8)
{
    out.append('"');
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            continue;
        out.append(utf8.data() + runStart, i - runStart);
        appendEscapedByte(out, c);
        runStart = i + 1;
    }
    out.append(utf8.data() + runStart, utf8.size() - runStart);
    out.append('"');
}

void appendString(QByteArray &out, QStringView s)
{
    // Fast path: ids, hosts and most process names are ASCII.
    bool ascii = true;
    for (QChar ch : s) {
        if (ch.unicode() >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        out.append('"');
        for (QChar ch : s) {
            const auto c = static_cast<unsigned char>(ch.unicode());
            if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
                out.append(char(c));
            else
                appendEscapedByte(out, c);
        }
        out.append('"');
        return;
    }
    appendString(out, QByteArrayView(s.toUtf8())); // lone surrogates become U+FFFD
}

void appendNumber(QByteArray &out, double v)
{
    if (!std::isfinite(v)) {
        out.append("null", 4);
        return;
    }
    char buf[32];
    // Shortest representation that reads back to the same double: "12.5",
    // "1e+21"; all valid JSON and valid Prometheus floats.
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr - buf);
}

void appendInteger(QByteArray &out, qint64 v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr - buf);
}

} // namespace json

using json::appendInteger;
using json::appendNumber;
using json::appendString;

QByteArray webSocketFrame(QByteArrayView payload, quint8 opcode)
{
    QByteArray frame;
    const auto size = quint64(payload.size());
    frame.reserve(payload.size() + 10);
    frame.append(char(0x80 | (opcode & 0x0f)));
    if (size < 126) {
        frame.append(char(size));
    } else if (size <= 0xffff) {
        frame.append(char(126));
        frame.append(char(size >> 8));
        frame.append(char(size & 0xff));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((size >> shift) & 0xff));
    }
    frame.append(payload);
    return frame;
}

namespace {

// "2024-05-01T12:00:00.123Z" from ms since the epoch, without QDateTime:
// this runs every tick and needs no time zone database.
void appendIsoTimestamp(QByteArray &out, qint64 ms)
{
    qint64 secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    const int millis = int(ms - secs * 1000);
    qint64 days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    const int secOfDay = int(secs - days * 86400);
    // Howard Hinnant's civil_from_days.
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = unsigned(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned day = doy - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = qint64(yoe) + era * 400 + (month <= 2 ? 1 : 0);
    char buf[40];
    const int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                                static_cast<long long>(year), month, day, secOfDay / 3600,
                                (secOfDay / 60) % 60, secOfDay % 60, millis);
    out.append(buf, n);
}

void appendProcessList(QByteArray &out, const QList<ProcessInfo> &list)
{
    out.append('[');
    bool first = true;
    for (const ProcessInfo &p : list) {
        if (!first)
            out.append(',');
        first = false;
        out.append("{\"pid\":");
        appendInteger(out, p.pid);
        out.append(",\"name\":");
        appendString(out, p.name);
        out.append(",\"cpu\":");
        appendNumber(out, p.cpuPercent);
        out.append(",\"rss\":");
        appendInteger(out, p.rssBytes);
        out.append('}');
    }
    out.append(']');
}

void appendProcesses(QByteArray &out, const ProcessSummary &processes)
{
    out.append("{\"count\":");
    appendInteger(out, processes.count);
    out.append(",\"top_cpu\":");
    appendProcessList(out, processes.topCpu);
    out.append(",\"top_rss\":");
    appendProcessList(out, processes.topRss);
    out.append('}');
}

FeedCommand invalid(const char *code, const QString &message)
{
    FeedCommand c;
    c.errorCode = QString::fromLatin1(code);
    c.errorMessage = message;
    return c;
}

// Depth of the deepest array/object, stopping as soon as it passes `limit`,
// so hostile nesting is refused before any recursive parser sees it.
bool nestingWithin(QByteArrayView text, int limit)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (char c : text) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit)
                return false;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return true;
}

} // namespace

QByteArray FeedCodec::connectionMessage(const QString &host, int clientCount)
{
    QByteArray out;
    out.append("{\"type\":\"connection\",\"message\":");
    appendString(out, QString(u"Connected to Tidewatch on " + host));
    out.append(",\"client_count\":");
    appendInteger(out, clientCount);
    out.append('}');
    return out;
}

QByteArray FeedCodec::helloMessage(const QString &version, const QString &host, int intervalMs,
                                   const MetricCatalog *catalog)
{
    QByteArray out;
    out.reserve(catalog ? catalog->size() * 120 + 128 : 128);
    out.append("{\"type\":\"hello\",\"version\":");
    appendString(out, version);
    out.append(",\"host\":");
    appendString(out, host);
    out.append(",\"interval_ms\":");
    appendInteger(out, intervalMs);
    out.append(",\"metrics\":[");
    if (catalog) {
        bool first = true;
        for (const MetricInfo &m : catalog->metrics()) {
            if (!first)
                out.append(',');
            first = false;
            out.append("{\"id\":");
            appendString(out, m.id);
            out.append(",\"label\":");
            appendString(out, m.label);
            out.append(",\"unit\":");
            appendString(out, m.unit);
            out.append(",\"min\":");
            appendNumber(out, m.min);
            out.append(",\"max\":");
            appendNumber(out, m.max);
            out.append(",\"kind\":");
            appendString(out, metricKindName(m.kind));
            out.append(",\"attributes\":{");
            bool firstAttr = true;
            for (const auto &[key, value] : m.attributes) {
                if (!firstAttr)
                    out.append(',');
                firstAttr = false;
                appendString(out, key);
                out.append(':');
                appendString(out, value);
            }
            out.append("}}");
        }
    }
    out.append("]}");
    return out;
}

QByteArray FeedCodec::clientCountMessage(int count)
{
    QByteArray out("{\"type\":\"client_count\",\"count\":");
    appendInteger(out, count);
    out.append('}');
    return out;
}

QByteArray FeedCodec::pongMessage(qint64 ts)
{
    QByteArray out("{\"type\":\"pong\",\"ts\":");
    appendInteger(out, ts);
    out.append('}');
    return out;
}

QByteArray FeedCodec::errorMessage(QStringView code, QStringView message)
{
    QByteArray out("{\"type\":\"error\",\"code\":");
    appendString(out, code);
    out.append(",\"message\":");
    appendString(out, message);
    out.append('}');
    return out;
}

QByteArray FeedCodec::subscribedMessage(const QStringList *metrics, int intervalMs)
{
    QByteArray out("{\"type\":\"subscribed\",\"metrics\":");
    if (!metrics) {
        out.append("null");
    } else {
        out.append('[');
        for (qsizetype i = 0; i < metrics->size(); ++i) {
            if (i)
                out.append(',');
            appendString(out, metrics->at(i));
        }
        out.append(']');
    }
    out.append(",\"interval_ms\":");
    appendInteger(out, intervalMs);
    out.append('}');
    return out;
}

namespace {

void appendSeriesObject(QByteArray &out, const char *name, const QStringList &ids,
                        const QList<QList<double>> &columns)
{
    out.append(",\"").append(name).append("\":{");
    for (qsizetype s = 0; s < ids.size() && s < columns.size(); ++s) {
        if (s)
            out.append(',');
        appendString(out, ids.at(s));
        out.append(":[");
        const QList<double> &v = columns.at(s);
        for (qsizetype i = 0; i < v.size(); ++i) {
            if (i)
                out.append(',');
            appendNumber(out, v.at(i));
        }
        out.append(']');
    }
    out.append('}');
}

QByteArray encodeHistory(const HistoryTable &table, bool withType)
{
    QByteArray out;
    const qsizetype columns = 1 + table.ids.size() * (table.min.isEmpty() ? 1 : 3);
    out.reserve(96 + table.ts.size() * 15 * columns);
    out.append(withType ? "{\"type\":\"history\",\"from\":" : "{\"from\":");
    appendInteger(out, table.fromTs);
    out.append(",\"to\":");
    appendInteger(out, table.toTs);
    out.append(",\"step\":");
    appendInteger(out, table.step);
    out.append(",\"step_ms\":");
    appendInteger(out, table.stepMs);
    out.append(",\"tier\":");
    appendString(out, table.tier);
    out.append(",\"ts\":[");
    for (qsizetype i = 0; i < table.ts.size(); ++i) {
        if (i)
            out.append(',');
        appendInteger(out, table.ts.at(i));
    }
    out.append(']');
    appendSeriesObject(out, "values", table.ids, table.values);
    if (!table.min.isEmpty()) {
        appendSeriesObject(out, "min", table.ids, table.min);
        appendSeriesObject(out, "max", table.ids, table.max);
    }
    out.append('}');
    return out;
}

} // namespace

QByteArray FeedCodec::historyMessage(const HistoryTable &table)
{
    return encodeHistory(table, true);
}

QByteArray FeedCodec::historyJson(const HistoryTable &table)
{
    return encodeHistory(table, false);
}

HistoryTable FeedCodec::historyTable(const HistoryResult &result)
{
    HistoryTable table;
    table.fromTs = result.fromTs;
    table.toTs = result.toTs;
    table.stepMs = result.stepMs;
    switch (result.tier) {
    case StoreTier::Raw:
        table.tier = QStringLiteral("raw");
        break;
    case StoreTier::Minute:
        table.tier = QStringLiteral("minute");
        break;
    case StoreTier::Hour:
        table.tier = QStringLiteral("hour");
        break;
    }
    table.ts = result.ts;
    const bool envelopes = result.stepMs > 0;
    for (const HistorySeries &series : result.series) {
        table.ids.append(series.id);
        table.values.append(series.avg);
        if (envelopes) {
            table.min.append(series.min);
            table.max.append(series.max);
        }
    }
    return table;
}

QByteArray FeedCodec::snapshotJson(const Snapshot &snapshot)
{
    QByteArray out;
    out.reserve(snapshot.values.size() * 32 + 2048);
    out.append("{\"host\":");
    appendString(out, snapshot.host);
    out.append(",\"ts\":");
    appendInteger(out, snapshot.ts);
    out.append(",\"timestamp\":\"");
    appendIsoTimestamp(out, snapshot.ts);
    out.append("\",\"seq\":");
    appendInteger(out, qint64(snapshot.seq));
    out.append(",\"values\":{");
    if (snapshot.catalog) {
        const qsizetype n = qMin(snapshot.catalog->size(), snapshot.values.size());
        for (qsizetype i = 0; i < n; ++i) {
            if (i)
                out.append(',');
            appendString(out, snapshot.catalog->at(i).id);
            out.append(':');
            appendNumber(out, snapshot.values.at(i));
        }
    }
    out.append("},\"processes\":");
    appendProcesses(out, snapshot.processes);
    out.append('}');
    return out;
}

QList<qsizetype> FeedCodec::selectMetrics(const MetricCatalog &catalog, const QStringList &patterns,
                                          bool usePatterns)
{
    QList<qsizetype> indices;
    for (qsizetype i = 0; i < catalog.size(); ++i) {
        const MetricInfo &m = catalog.at(i);
        if (!usePatterns) {
            if (m.kind != MetricKind::Counter)
                indices.append(i);
            continue;
        }
        for (const QString &p : patterns) {
            if (metricIdMatches(p, m.id)) {
                indices.append(i);
                break;
            }
        }
    }
    return indices;
}

FeedCommand FeedCodec::parseCommand(QByteArrayView message)
{
    if (!nestingWithin(message, MaxNesting))
        return invalid("bad_json",
                       QStringLiteral("JSON nested deeper than %1 levels").arg(MaxNesting));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(message.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError) {
        // QJsonDocument accepts only an object or array at the top; a bare
        // scalar (null, 42, "x") is still valid JSON, just not a command.
        QJsonParseError wrapped{};
        const QJsonDocument array =
            QJsonDocument::fromJson("[" + message.toByteArray() + "]", &wrapped);
        if (wrapped.error == QJsonParseError::NoError && array.array().size() == 1)
            return invalid("not_an_object", QStringLiteral("expected a JSON object"));
    }
    if (error.error != QJsonParseError::NoError)
        return invalid("bad_json", QStringLiteral("invalid JSON at offset %1: %2")
                                       .arg(error.offset)
                                       .arg(error.errorString()));
    if (!doc.isObject())
        return invalid("not_an_object", QStringLiteral("expected a JSON object"));
    const QJsonObject obj = doc.object();
    const QJsonValue type = obj.value(QLatin1StringView("type"));
    if (!type.isString())
        return invalid("bad_request", QStringLiteral("\"type\" must be a string"));
    const QString name = type.toString();
    FeedCommand cmd;
    if (name == u"ping") {
        cmd.type = FeedCommand::Type::Ping;
        return cmd;
    }
    if (name == u"request_metrics") {
        cmd.type = FeedCommand::Type::RequestMetrics;
        return cmd;
    }
    const bool history = name == u"history";
    if (name != u"subscribe" && !history) {
        return invalid("unknown_type",
                       QStringLiteral("unknown message type \"%1\"").arg(name.left(64)));
    }

    const QJsonValue metrics = obj.value(QLatin1StringView("metrics"));
    if (!metrics.isUndefined() && !metrics.isNull()) {
        if (!metrics.isArray())
            return invalid("bad_request",
                           QStringLiteral("\"metrics\" must be an array of strings"));
        const QJsonArray list = metrics.toArray();
        if (list.size() > MaxPatterns)
            return invalid("bad_request",
                           QStringLiteral("at most %1 metric patterns").arg(MaxPatterns));
        for (const QJsonValue &v : list) {
            if (!v.isString() || v.toString().isEmpty())
                return invalid("bad_request",
                               QStringLiteral("\"metrics\" must be an array of non-empty strings"));
            if (v.toString().size() > MaxPatternLength)
                return invalid("bad_request", QStringLiteral("a metric pattern is longer than %1 "
                                                             "characters")
                                                  .arg(MaxPatternLength));
            cmd.metrics.append(v.toString());
        }
        cmd.hasMetrics = true;
    }
    if (history) {
        // Whole non-negative numbers; JSON doubles hold ms timestamps exactly.
        const auto field = [&obj](const char *key, double max, qint64 *out) {
            const QJsonValue v = obj.value(QLatin1StringView(key));
            if (v.isUndefined() || v.isNull())
                return true;
            const double d = v.toDouble(-1);
            if (!v.isDouble() || !std::isfinite(d) || d < 0 || d > max)
                return false;
            *out = qint64(std::floor(d));
            return true;
        };
        constexpr double MaxTs = 9007199254740991.0; // 2^53 - 1
        qint64 maxPoints = -1;
        if (!field("from", MaxTs, &cmd.fromTs))
            return invalid("bad_request", QStringLiteral("\"from\" must be ms since the epoch"));
        if (!field("to", MaxTs, &cmd.toTs))
            return invalid("bad_request", QStringLiteral("\"to\" must be ms since the epoch"));
        if (!field("window_ms", MaxTs, &cmd.windowMs))
            return invalid("bad_request",
                           QStringLiteral("\"window_ms\" must be a number of milliseconds"));
        if (!field("max_points", 1e9, &maxPoints) || maxPoints == 0)
            return invalid("bad_request",
                           QStringLiteral("\"max_points\" must be a positive number"));
        cmd.maxPoints = int(maxPoints);
        cmd.type = FeedCommand::Type::History;
        return cmd;
    }
    const QJsonValue interval = obj.value(QLatin1StringView("interval_ms"));
    if (!interval.isUndefined() && !interval.isNull()) {
        const double ms = interval.toDouble(-1);
        if (!interval.isDouble() || !std::isfinite(ms) || ms < 0 || ms > 1e9)
            return invalid("bad_request",
                           QStringLiteral("\"interval_ms\" must be a number of milliseconds"));
        cmd.intervalMs = int(std::ceil(ms));
    }
    cmd.type = FeedCommand::Type::Subscribe;
    return cmd;
}

void MetricsFrameEncoder::setSnapshot(const SnapshotPtr &snapshot)
{
    m_snapshot = snapshot;
    m_prefix.clear();
    m_suffix.clear();
    if (!snapshot)
        return;
    const Snapshot &s = *snapshot;
    if (s.catalog != m_keysCatalog) {
        m_keysCatalog = s.catalog;
        m_keys.clear();
        if (s.catalog) {
            m_keys.reserve(s.catalog->size());
            for (const MetricInfo &m : s.catalog->metrics()) {
                QByteArray key;
                appendString(key, m.id);
                key.append(':');
                m_keys.append(key);
            }
        }
    }
    // The simple dashboard fields come first, so the message stays readable
    // by clients that only know those.
    m_prefix.reserve(512);
    m_prefix.append("{\"type\":\"metrics\",\"cpu\":");
    appendNumber(m_prefix, s.value(QStringLiteral("cpu.total")));
    m_prefix.append(",\"memory\":");
    appendNumber(m_prefix, s.value(QStringLiteral("mem.percent")));
    m_prefix.append(",\"disk\":");
    appendNumber(m_prefix, s.value(QStringLiteral("fs./.percent")));
    m_prefix.append(",\"network_sent\":");
    appendNumber(m_prefix, s.value(QStringLiteral("net.tx.total")));
    m_prefix.append(",\"network_recv\":");
    appendNumber(m_prefix, s.value(QStringLiteral("net.rx.total")));
    m_prefix.append(",\"timestamp\":\"");
    appendIsoTimestamp(m_prefix, s.ts);
    m_prefix.append("\",\"ts\":");
    appendInteger(m_prefix, s.ts);
    m_prefix.append(",\"seq\":");
    appendInteger(m_prefix, qint64(s.seq));
    m_prefix.append(",\"host\":");
    appendString(m_prefix, s.host);
    m_prefix.append(",\"values\":{");

    m_suffix.append("},\"processes\":");
    appendProcesses(m_suffix, s.processes);
    m_suffix.append('}');
}

QByteArray MetricsFrameEncoder::encode(const QList<qsizetype> &indices) const
{
    QByteArray out;
    if (!m_snapshot)
        return out;
    const QList<double> &values = m_snapshot->values;
    out.reserve(m_prefix.size() + m_suffix.size() + indices.size() * 32);
    out.append(m_prefix);
    bool first = true;
    for (qsizetype i : indices) {
        if (i < 0 || i >= m_keys.size())
            continue;
        if (!first)
            out.append(',');
        first = false;
        out.append(m_keys.at(i));
        appendNumber(out, i < values.size() ? values.at(i) : qQNaN());
    }
    out.append(m_suffix);
    return out;
}

} // namespace tidewatch
