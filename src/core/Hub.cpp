// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hub.h"

#include "Sampler.h"

#include <QtNumeric>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

namespace tidewatch {

namespace {

// Each value is kept as q = llround(v * 10^d), d = historyDecimals(unit),
// and read back as q / 10^d: one correctly rounded division, so a value that
// already had d decimals (12.34 at d = 2) comes back as the same double. Past
// MaxScaled (the bound the store's roundToDecimals uses, so both agree) q
// would lose the value's low digits: such a value is kept raw, exactly.
constexpr double Pow10[] = {1e0, 1e1, 1e2, 1e3};
constexpr int MaxDecimals = 3;
constexpr double MaxScaled = 4.0e15;

// A row's token, as one unsigned LEB128 varint: the escapes below, or
// Escapes + zigzag(q - previous q in the chunk). Raw is followed by the
// double's 8 bytes, little-endian.
enum Code : quint64 {
    AbsentCode = 0, // no value in this row (the metric left the catalog)
    NaNCode = 1,
    PosInfCode = 2,
    NegInfCode = 3,
    RawCode = 4,
    RepeatCode = 5, // then one byte n >= 2: n rows of delta 0 (idle series)
    Escapes = 6,
};
constexpr int MaxTokenBytes = 10; // 1 + 8 raw bytes, or a varint of <= 57 bits
constexpr int GrowBytes = 16;

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

qint64 unzigzag(quint64 z)
{
    return qint64(z >> 1) ^ -qint64(z & 1);
}

} // namespace

// The values of one metric, one token per row of the hub, in a ring of chunks
// of ChunkRows rows. Chunk k holds rows [k * ChunkRows, (k + 1) * ChunkRows)
// from its start on (a series that begins, or comes back, mid-chunk starts
// it there) and sits in slot k % slots. The slots hold the chunks of the
// newest `slots` ids, ending at the one of the last row written; the slots of
// ids a gap skipped are emptied, so a row is held when its chunk id is in that
// range and it is in [start, start + count). Absent rows inside a chunk are
// coded as such, so an old value never shows through a row not written.
class Hub::Series final
{
public:
    static constexpr qint64 ChunkRows = 64;

    /// One row's content, as coded.
    struct Token
    {
        quint64 code = AbsentCode; // a Code below Escapes, else Escapes (a value q)
        qint64 q = 0;              // the quantized value, or the raw bits
    };

    Series(qsizetype capacity, int decimals)
        : m_chunks(slotsFor(capacity))
        , m_decimals(std::clamp(decimals, 0, MaxDecimals))
    {}

    /// Chunks for `capacity` rows: a window of that many rows can start
    /// anywhere in its first chunk, so it spans at most one more.
    static qsizetype slotsFor(qsizetype capacity)
    {
        return qsizetype((capacity + ChunkRows - 1) / ChunkRows + 1);
    }

    int decimals() const { return m_decimals; }

    /// Stores `value` at `row` (rows only grow); rows skipped since the last
    /// one read as absent.
    void write(qint64 row, double value) { writeToken(row, tokenOf(value)); }

    void writeToken(qint64 row, const Token &token)
    {
        Q_ASSERT(row > m_last);
        const qint64 chunkId = row / ChunkRows;
        Chunk &c = slot(chunkId);
        if (m_last < 0 || chunkId != m_last / ChunkRows) {
            if (m_last < 0) {
                m_first = row;
            } else {
                // Empty the slots of the chunks a gap skipped (at most all).
                const qint64 skipFrom =
                    std::max(m_last / ChunkRows + 1, chunkId - qint64(m_chunks.size()) + 1);
                for (qint64 k = skipFrom; k < chunkId; ++k)
                    slot(k).count = 0;
            }
            c.start = quint8(row - chunkId * ChunkRows);
            c.count = 0;
            c.size = 0; // keeps the buffer: a long run reuses it
            m_prevQ = 0;
            m_zeroPos = m_runPos = -1;
        } else if (row > m_last + 1) {
            for (qint64 r = m_last + 1; r < row; ++r)
                put(c, AbsentCode);
            m_zeroPos = m_runPos = -1;
        }
        if (token.code == Escapes) {
            const qint64 delta = token.q - m_prevQ;
            if (delta == 0 && m_runPos >= 0) {
                ++c.data[m_runPos];
            } else if (delta == 0 && m_zeroPos >= 0) {
                // The lone zero delta before becomes a run of two. It was the
                // last byte written, and put() had left room for ten.
                c.data[m_zeroPos] = quint8(RepeatCode);
                c.data[c.size++] = 2;
                m_runPos = c.size - 1;
                m_zeroPos = -1;
            } else {
                put(c, Escapes + zigzag(delta));
                m_zeroPos = delta == 0 ? c.size - 1 : -1;
                m_runPos = -1;
            }
            m_prevQ = token.q;
        } else {
            put(c, token.code);
            if (token.code == RawCode) {
                for (int i = 0; i < 8; ++i)
                    c.data[c.size++] = quint8(quint64(token.q) >> (8 * i));
            }
            m_zeroPos = m_runPos = -1;
        }
        c.count = quint8(row - chunkId * ChunkRows - c.start + 1);
        m_last = row;
    }

    double valueOf(const Token &t) const
    {
        switch (t.code) {
        case Escapes:
            return double(t.q) / Pow10[m_decimals];
        case RawCode:
            return std::bit_cast<double>(t.q);
        case PosInfCode:
            return qInf();
        case NegInfCode:
            return -qInf();
        default:
            return qQNaN();
        }
    }

    /// Calls f(row, token) for every held, non-absent row in [from, to], in
    /// order, while f returns true.
    template<typename F> void forEach(qint64 from, qint64 to, F &&f) const
    {
        if (m_last < 0)
            return;
        to = std::min(to, m_last);
        const qint64 lastChunk = m_last / ChunkRows;
        qint64 r = std::max({from, m_first, (lastChunk - qint64(m_chunks.size()) + 1) * ChunkRows});
        while (r <= to) {
            const qint64 chunkId = r / ChunkRows;
            const Chunk &c = slot(chunkId);
            const qint64 start = chunkId * ChunkRows + c.start;
            const qint64 end = std::min(to, start + c.count - 1);
            const quint8 *p = c.data.get();
            qint64 q = 0;
            int repeat = 0; // rows of a run still to come
            for (qint64 cr = start; cr <= end; ++cr) {
                Token t;
                if (repeat > 0) {
                    --repeat;
                    t = {Escapes, q};
                } else if (t.code = readVarint(p); t.code >= Escapes) {
                    q += unzigzag(t.code - Escapes);
                    t.code = Escapes;
                    t.q = q;
                } else if (t.code == RepeatCode) {
                    repeat = *p++ - 1;
                    t = {Escapes, q};
                } else if (t.code == RawCode) {
                    quint64 bits = 0;
                    for (int i = 0; i < 8; ++i)
                        bits |= quint64(*p++) << (8 * i);
                    t.q = qint64(bits);
                }
                if (cr >= r && t.code != AbsentCode && !f(cr, t))
                    return;
            }
            r = (chunkId + 1) * ChunkRows;
        }
    }

    qint64 firstRow() const { return m_first; }
    qint64 lastRow() const { return m_last; } ///< -1 before the first write

    /// Re-codes rows [from, to] into a ring for `capacity` rows at `decimals`.
    void recode(qsizetype capacity, int decimals, qint64 from, qint64 to)
    {
        Series fresh(capacity, decimals);
        const bool sameDecimals = fresh.m_decimals == m_decimals;
        forEach(from, to, [&](qint64 row, const Token &t) {
            if (sameDecimals)
                fresh.writeToken(row, t); // exact: no second rounding
            else
                fresh.write(row, valueOf(t));
            return true;
        });
        *this = std::move(fresh);
    }

    /// Bytes held: the chunk headers and the buffers they allocated.
    qsizetype bytes() const
    {
        qsizetype n = m_chunks.size() * qsizetype(sizeof(Chunk));
        for (const Chunk &c : m_chunks)
            n += c.capacity;
        return n;
    }

private:
    // 16 bytes: the chunk's id is implied by its slot and the newest chunk.
    struct Chunk
    {
        std::unique_ptr<quint8[]> data;
        quint16 size = 0;     ///< bytes coded
        quint16 capacity = 0; ///< bytes allocated
        quint8 start = 0;     ///< first row coded, from the chunk's first row
        quint8 count = 0;     ///< rows coded from `start`; 0 when empty
    };
    static_assert(ChunkRows * (1 + 8) + MaxTokenBytes + GrowBytes <= 0xffff);

    Chunk &slot(qint64 chunkId) { return m_chunks[size_t(chunkId % qint64(m_chunks.size()))]; }
    const Chunk &slot(qint64 chunkId) const
    {
        return m_chunks[size_t(chunkId % qint64(m_chunks.size()))];
    }

    Token tokenOf(double v) const
    {
        if (qIsNaN(v))
            return {NaNCode, 0};
        if (qIsInf(v))
            return {v > 0 ? PosInfCode : NegInfCode, 0};
        const double scaled = v * Pow10[m_decimals];
        if (std::fabs(scaled) < MaxScaled)
            return {Escapes, std::llround(scaled)};
        return {RawCode, std::bit_cast<qint64>(v)};
    }

    static void put(Chunk &c, quint64 v)
    {
        // Grow by a little at a time: the slack stays small, and a reused
        // chunk has room already. A token takes at most MaxTokenBytes.
        if (c.capacity - c.size < MaxTokenBytes) {
            const int capacity = c.capacity + GrowBytes;
            auto grown = std::make_unique_for_overwrite<quint8[]>(size_t(capacity));
            if (c.size > 0)
                std::memcpy(grown.get(), c.data.get(), c.size);
            c.data = std::move(grown);
            c.capacity = quint16(capacity);
        }
        while (v >= 0x80) {
            c.data[c.size++] = quint8(v | 0x80);
            v >>= 7;
        }
        c.data[c.size++] = quint8(v);
    }

    static quint64 readVarint(const quint8 *&p)
    {
        quint64 v = 0;
        for (int shift = 0;; shift += 7) {
            const quint8 b = *p++;
            v |= quint64(b & 0x7f) << shift;
            if (!(b & 0x80))
                return v;
        }
    }

    std::vector<Chunk> m_chunks;
    int m_decimals;
    qint64 m_prevQ = 0; ///< q of the last value coded in the newest chunk
    int m_zeroPos = -1; ///< offset of the newest chunk's last token, if a lone zero delta
    int m_runPos = -1;  ///< offset of the count of its last token, if a run
    qint64 m_first = 0;
    qint64 m_last = -1;
};

namespace {
qsizetype capacityFor(qint64 historyMs, int intervalMs)
{
    const qint64 points = historyMs / std::max(1, intervalMs) + 1;
    return qsizetype(std::clamp<qint64>(points, 1, Hub::MaxPointsPerSeries));
}
} // namespace

Hub::Hub(qint64 historyMs, QObject *parent)
    : QObject(parent)
    , m_historyMs(std::max<qint64>(0, historyMs))
    , m_capacity(capacityFor(m_historyMs, m_intervalMs))
    , m_rowTs(m_capacity, 0)
{}

void Hub::follow(Sampler *sampler)
{
    connect(sampler, &Sampler::snapshotReady, this, &Hub::publish);
    connect(sampler, &Sampler::intervalChanged, this, &Hub::setSampleIntervalMs);
    setSampleIntervalMs(sampler->intervalMs());
}

void Hub::setSampleIntervalMs(int ms)
{
    ms = std::max(1, ms);
    if (ms == m_intervalMs)
        return;
    m_intervalMs = ms;
    const qsizetype capacity = capacityFor(m_historyMs, m_intervalMs);
    if (capacity == m_capacity)
        return;
    // Keep the newest rows that fit; row numbers stay, slots move.
    const qint64 last = m_nextRow - 1;
    const qint64 first = std::max(m_firstRow, m_nextRow - capacity);
    QList<qint64> moved(capacity, 0);
    for (qint64 r = first; r <= last; ++r)
        moved[r % capacity] = rowTs(r);
    for (Series *s : std::as_const(m_series))
        s->recode(capacity, s->decimals(), first, last);
    m_rowTs = std::move(moved);
    m_capacity = capacity;
    m_firstRow = std::max<qint64>(first, 0);
}

Hub::~Hub()
{
    qDeleteAll(m_series);
}

void Hub::rebuildIndex(const CatalogPtr &catalog)
{
    m_seriesByIndex.clear();
    if (!catalog)
        return;
    m_seriesByIndex.resize(catalog->size(), nullptr);
    for (qsizetype i = 0; i < catalog->size(); ++i) {
        const MetricInfo &info = catalog->at(i);
        if (info.kind == MetricKind::Counter)
            continue;
        const int decimals = historyDecimals(info.unit);
        Series *&s = m_series[info.id];
        if (!s) {
            s = new Series(m_capacity, decimals);
            m_order.append(info.id);
        } else if (s->decimals() != decimals) { // its unit changed: round as the store does
            s->recode(m_capacity, decimals, m_firstRow, m_nextRow - 1);
        }
        m_seriesByIndex[i] = s;
    }
    m_indexedCatalog = catalog;
}

void Hub::publish(const SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    const bool catalogChangedNow = snapshot->catalog != m_indexedCatalog;
    if (catalogChangedNow)
        rebuildIndex(snapshot->catalog);

    if (m_historyMs > 0) {
        const qint64 row = m_nextRow++;
        m_rowTs[row % m_capacity] = snapshot->ts;
        const qint64 oldest = snapshot->ts - m_historyMs;
        m_firstRow = std::max(m_firstRow, row - m_capacity + 1);
        while (m_firstRow < row && rowTs(m_firstRow) < oldest)
            ++m_firstRow;
        const qsizetype n = std::min(snapshot->values.size(), m_seriesByIndex.size());
        for (qsizetype i = 0; i < n; ++i) {
            if (Series *s = m_seriesByIndex.at(i))
                s->write(row, snapshot->values.at(i));
        }
    }
    m_latest = snapshot;
    if (catalogChangedNow)
        Q_EMIT catalogChanged(snapshot->catalog);
    Q_EMIT snapshotPublished(snapshot);
}

qint64 Hub::firstValueRow(const Series &s, qint64 from) const
{
    qint64 first = std::numeric_limits<qint64>::max();
    s.forEach(std::max(from, m_firstRow), s.lastRow(), [&](qint64 row, const Series::Token &) {
        first = row;
        return false;
    });
    return first;
}

QList<HistoryPoint> Hub::history(const QString &id, qint64 fromTs, qint64 toTs) const
{
    QList<HistoryPoint> out;
    const Series *s = m_series.value(id);
    if (!s)
        return out;
    // Rows are in time order: binary search for the first row in range and
    // the first past it, then decode forward from the start of its chunk.
    const auto firstRowAfter = [this](qint64 lo, qint64 hi, auto before) {
        while (lo < hi) {
            const qint64 mid = lo + (hi - lo) / 2;
            if (before(rowTs(mid)))
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    };
    const qint64 end = s->lastRow() + 1;
    const qint64 first = firstRowAfter(std::max(m_firstRow, s->firstRow()), end,
                                       [fromTs](qint64 ts) { return ts < fromTs; });
    const qint64 last = firstRowAfter(first, end, [toTs](qint64 ts) { return ts <= toTs; }) - 1;
    if (first > last)
        return out;
    out.reserve(qsizetype(last - first + 1));
    s->forEach(first, last, [&](qint64 row, const Series::Token &t) {
        out.append({rowTs(row), s->valueOf(t)});
        return true;
    });
    return out;
}

qint64 Hub::oldestTs() const
{
    qint64 row = std::numeric_limits<qint64>::max();
    for (const Series *s : m_series)
        row = std::min(row, firstValueRow(*s, 0));
    return row < m_nextRow ? rowTs(row) : 0;
}

QStringList Hub::historyIds() const
{
    return m_order;
}

qsizetype Hub::historyPointCount() const
{
    qsizetype n = 0;
    for (const Series *s : m_series)
        s->forEach(m_firstRow, s->lastRow(), [&](qint64, const Series::Token &) {
            ++n;
            return true;
        });
    return n;
}

qsizetype Hub::historyBytes() const
{
    qsizetype n = m_rowTs.capacity() * qsizetype(sizeof(qint64));
    for (const Series *s : m_series)
        n += s->bytes();
    return n;
}

} // namespace tidewatch
