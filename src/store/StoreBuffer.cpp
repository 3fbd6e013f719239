// SPDX-License-Identifier: GPL-3.0-or-later
#include "StoreBuffer.h"

#include "StoreDatabase.h"

#include <QHashFunctions>
#include <QMutexLocker>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace tidewatch::store {

size_t qHash(const BlockKey &key, size_t seed)
{
    return qHashMulti(seed, key.host, key.metric, int(key.tier), key.startTs);
}

namespace {

qint64 floorTo(qint64 ts, qint64 step)
{
    qint64 q = ts / step;
    if (ts % step < 0)
        --q;
    return q * step;
}

int blockPoints(StoreTier tier)
{
    switch (tier) {
    case StoreTier::Raw:
        return StoreBuffer::RawBlockPoints;
    case StoreTier::Minute:
        return StoreBuffer::MinuteBlockPoints;
    case StoreTier::Hour:
        return StoreBuffer::HourBlockPoints;
    }
    return StoreBuffer::RawBlockPoints;
}

} // namespace

StoreBuffer::StoreBuffer(QString defaultHost, qint64 memoryCapBytes)
    : m_defaultHost(std::move(defaultHost))
    , m_memoryCap(memoryCapBytes)
{}

int StoreBuffer::seriesIndex(const QString &host, const MetricInfo &info)
{
    const QString key = host + u'\n' + info.id;
    auto it = m_seriesIndex.constFind(key);
    if (it != m_seriesIndex.constEnd())
        return it.value();
    Series s;
    s.host = host;
    s.metric = info.id;
    s.unit = info.unit;
    s.kind = metricKindName(info.kind);
    s.decimals = historyDecimals(info.unit); // as the Hub rounds
    // Byte levels come in kB (/proc/meminfo) or filesystem blocks: code them
    // without their zero low bits. Rates are not multiples of anything.
    const int shift = info.unit == u"B"_s ? 12 : 0;
    s.open = {BlockEncoder(1, s.decimals, shift), BlockEncoder(3, s.decimals, shift),
              BlockEncoder(3, s.decimals, shift)};
    m_series.append(std::move(s));
    const int index = int(m_series.size() - 1);
    m_seriesIndex.insert(key, index);
    m_newSeries = true;
    return index;
}

void StoreBuffer::append(const Snapshot &snapshot)
{
    if (!snapshot.catalog)
        return;
    const MetricCatalog &catalog = *snapshot.catalog;
    const QString &host = snapshot.host.isEmpty() ? m_defaultHost : snapshot.host;
    QMutexLocker lock(&m_mutex);
    if (m_lastCatalog != &catalog || m_lastHost != host) {
        // Counters are not stored (like the Hub): -1 skips them.
        m_lastMap.resize(catalog.size());
        for (qsizetype i = 0; i < catalog.size(); ++i) {
            const MetricInfo &info = catalog.at(i);
            m_lastMap[i] = info.kind == MetricKind::Counter ? -1 : seriesIndex(host, info);
        }
        m_lastCatalog = &catalog;
        m_lastHost = host;
    }
    const qsizetype n = std::min(snapshot.values.size(), m_lastMap.size());
    for (qsizetype i = 0; i < n; ++i) {
        const int index = m_lastMap.at(i);
        const double v = snapshot.values.at(i);
        if (index < 0 || std::isnan(v)) // NaN = no value yet: nothing to keep
            continue;
        appendPoint(m_series[index], snapshot.ts, v);
    }
    m_newestTs = std::max(m_newestTs, snapshot.ts);
    if (m_pendingBytes > m_memoryCap)
        trimLocked(m_memoryCap);
}

qint64 StoreBuffer::roundRawTs(qint64 exactTs)
{
    return floorTo(exactTs + TimeResolutionMs / 2, TimeResolutionMs);
}

void StoreBuffer::appendPoint(Series &s, qint64 exactTs, double exactV)
{
    BlockEncoder &raw = s.open[0];
    const double v = roundToDecimals(exactV, s.decimals);
    qint64 ts = roundRawTs(exactTs);
    if (raw.count() > 0 && ts <= raw.lastTs())
        ts = exactTs; // two samples within one step: keep both, exactly
    if (raw.count() > 0 &&
        (raw.count() >= RawBlockPoints || ts - raw.firstTs() >= maxBlockSpanMs(StoreTier::Raw)) &&
        ts > raw.lastTs())
        seal(s, StoreTier::Raw);
    if (!raw.append(ts, v)) {
        ++m_dropped; // time went backwards (clock step, replayed feed)
        return;
    }
    ++m_appended;
    s.dirty[0] = true;
    for (int t = 0; t < 2; ++t) {
        const StoreTier tier = t == 0 ? StoreTier::Minute : StoreTier::Hour;
        const qint64 bucket = floorTo(ts, tierResolutionMs(tier));
        Aggregate &a = s.agg[t];
        if (a.n > 0 && bucket != a.bucket) {
            const double mmv[3] = {a.min, a.max, roundToDecimals(a.sum / double(a.n), s.decimals)};
            appendAggregate(s, tier, a.bucket, mmv);
            a.n = 0;
        }
        if (a.n == 0) {
            a.bucket = bucket;
            a.min = a.max = v;
            a.sum = 0;
        }
        a.min = std::min(a.min, v);
        a.max = std::max(a.max, v);
        a.sum += v;
        ++a.n;
    }
}

void StoreBuffer::appendAggregate(Series &s, StoreTier tier, qint64 bucket, const double *mmv)
{
    BlockEncoder &enc = s.open[int(tier)];
    if (enc.count() > 0 &&
        (enc.count() >= blockPoints(tier) || bucket - enc.firstTs() >= maxBlockSpanMs(tier)))
        seal(s, tier);
    if (enc.append(bucket, mmv))
        s.dirty[int(tier)] = true;
}

void StoreBuffer::putPending(Series &s, StoreTier tier, bool sealed)
{
    const BlockEncoder &enc = s.open[int(tier)];
    PendingBlock p;
    p.block.host = s.host;
    p.block.metric = s.metric;
    p.block.tier = tier;
    p.block.startTs = enc.firstTs();
    p.block.endTs = enc.lastTs();
    p.block.count = enc.count();
    p.block.data = enc.data();
    p.version = m_nextVersion++;
    p.sealed = sealed;
    const BlockKey key{s.host, s.metric, tier, enc.firstTs()};
    auto it = m_pending.find(key);
    if (it != m_pending.end()) {
        m_pendingBytes -= it->block.data.size();
        *it = std::move(p);
        m_pendingBytes += it->block.data.size();
    } else {
        m_pendingBytes += p.block.data.size();
        m_pending.insert(key, std::move(p));
    }
}

void StoreBuffer::seal(Series &s, StoreTier tier)
{
    putPending(s, tier, true);
    s.open[int(tier)].clear();
    s.dirty[int(tier)] = false;
}

void StoreBuffer::snapshotDirtyLocked()
{
    for (Series &s : m_series) {
        for (int t = 0; t < 3; ++t) {
            if (s.dirty[t] && s.open[t].count() > 0) {
                putPending(s, StoreTier(t), false);
                s.dirty[t] = false;
            }
        }
    }
}

QList<PendingBlock> StoreBuffer::takeBatch(int maxBlocks)
{
    QMutexLocker lock(&m_mutex);
    snapshotDirtyLocked();
    QList<PendingBlock> batch;
    batch.reserve(m_pending.size());
    for (const PendingBlock &p : std::as_const(m_pending))
        batch.append(p);
    std::sort(batch.begin(), batch.end(), [](const PendingBlock &a, const PendingBlock &b) {
        return a.block.startTs < b.block.startTs;
    });
    if (batch.size() > maxBlocks)
        batch.resize(maxBlocks);
    return batch;
}

void StoreBuffer::markWritten(const QList<PendingBlock> &written, qint64 wallMs)
{
    QMutexLocker lock(&m_mutex);
    for (const PendingBlock &p : written) {
        const BlockKey key{p.block.host, p.block.metric, p.block.tier, p.block.startTs};
        if (p.block.tier == StoreTier::Raw) {
            // Open blocks are written again as they grow: count each point once.
            auto wc = m_writtenCount.find(key);
            const int before = wc == m_writtenCount.end() ? 0 : wc.value();
            m_written += std::max(0, p.block.count - before);
            // A block that came back from the spool has lost its sealed
            // flag: it is sealed when its series has moved on to another.
            // Its count can be forgotten once no later version can follow:
            // not the open block, and no newer version pending.
            bool sealed = p.sealed;
            if (!sealed) {
                auto si = m_seriesIndex.constFind(p.block.host + u'\n' + p.block.metric);
                const bool open = si != m_seriesIndex.constEnd() &&
                                  m_series.at(si.value()).open[0].count() > 0 &&
                                  m_series.at(si.value()).open[0].firstTs() == p.block.startTs;
                auto pi = m_pending.constFind(key);
                const bool newer = pi != m_pending.constEnd() && pi->version != p.version;
                sealed = !open && !newer;
            }
            if (sealed) {
                if (wc != m_writtenCount.end())
                    m_writtenCount.erase(wc);
            } else if (wc != m_writtenCount.end()) {
                wc.value() = std::max(before, p.block.count);
            } else {
                m_writtenCount.insert(key, p.block.count);
            }
        }
        auto it = m_pending.find(key);
        if (it != m_pending.end() && it->version == p.version) {
            m_pendingBytes -= it->block.data.size();
            m_pending.erase(it);
        }
    }
    m_lastWriteWallMs = wallMs;
}

QList<SeriesMeta> StoreBuffer::newSeries()
{
    QMutexLocker lock(&m_mutex);
    QList<SeriesMeta> out;
    if (!m_newSeries)
        return out;
    for (const Series &s : std::as_const(m_series)) {
        if (!s.known)
            out.append({s.host, s.metric, s.unit, s.kind});
    }
    return out;
}

void StoreBuffer::markSeriesKnown(const QList<SeriesMeta> &series)
{
    QMutexLocker lock(&m_mutex);
    for (const SeriesMeta &m : series) {
        auto it = m_seriesIndex.constFind(m.host + u'\n' + m.metric);
        if (it != m_seriesIndex.constEnd())
            m_series[it.value()].known = true;
    }
    m_newSeries =
        std::any_of(m_series.cbegin(), m_series.cend(), [](const Series &s) { return !s.known; });
}

MemoryPoints StoreBuffer::memoryPoints(const QString &host, const QString &metric, StoreTier tier,
                                       qint64 fromTs, qint64 toTs) const
{
    MemoryPoints out;
    QMutexLocker lock(&m_mutex);
    auto it = m_seriesIndex.constFind(host + u'\n' + metric);
    if (it == m_seriesIndex.constEnd())
        return out;
    const Series &s = m_series.at(it.value());
    QList<std::pair<qint64, QByteArray>> found;
    for (auto p = m_pending.cbegin(); p != m_pending.cend(); ++p) {
        const StoredBlock &b = p->block;
        if (b.tier == tier && b.host == host && b.metric == metric && b.endTs >= fromTs &&
            b.startTs <= toTs) {
            // The open encoder supersedes its own earlier snapshot.
            if (!p->sealed && s.open[int(tier)].count() > 0 &&
                s.open[int(tier)].firstTs() == b.startTs)
                continue;
            found.append({b.startTs, b.data});
        }
    }
    const BlockEncoder &enc = s.open[int(tier)];
    if (enc.count() > 0 && enc.lastTs() >= fromTs && enc.firstTs() <= toTs)
        found.append({enc.firstTs(), enc.data()});
    std::sort(found.begin(), found.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    for (auto &[start, data] : found) {
        out.blockStarts.append(start);
        out.blocks.append(std::move(data));
    }
    if (tier != StoreTier::Raw) {
        const Aggregate &a = s.agg[tier == StoreTier::Minute ? 0 : 1];
        if (a.n > 0 && a.bucket >= fromTs && a.bucket <= toTs) {
            out.hasPartial = true;
            out.partialTs = a.bucket;
            out.partial[0] = a.min;
            out.partial[1] = a.max;
            out.partial[2] = roundToDecimals(a.sum / double(a.n), s.decimals);
        }
    }
    return out;
}

QStringList StoreBuffer::metricsOf(const QString &host) const
{
    QMutexLocker lock(&m_mutex);
    QStringList out;
    for (const Series &s : m_series) {
        if (s.host == host)
            out.append(s.metric);
    }
    return out;
}

QStringList StoreBuffer::hosts() const
{
    QMutexLocker lock(&m_mutex);
    QStringList out;
    for (const Series &s : m_series) {
        if (!out.contains(s.host))
            out.append(s.host);
    }
    return out;
}

qint64 StoreBuffer::newestTs() const
{
    QMutexLocker lock(&m_mutex);
    return m_newestTs;
}

qint64 StoreBuffer::pendingBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_pendingBytes;
}

qint64 StoreBuffer::pendingBlocks() const
{
    QMutexLocker lock(&m_mutex);
    return m_pending.size();
}

qint64 StoreBuffer::trimTo(qint64 capBytes)
{
    QMutexLocker lock(&m_mutex);
    return trimLocked(capBytes);
}

qint64 StoreBuffer::trimLocked(qint64 capBytes)
{
    QList<std::pair<qint64, BlockKey>> sealed;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        if (it->sealed)
            sealed.append({it->block.startTs, it.key()});
    }
    std::sort(sealed.begin(), sealed.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    qint64 lost = 0;
    for (const auto &[start, key] : sealed) {
        if (m_pendingBytes <= capBytes)
            break;
        auto it = m_pending.find(key);
        m_pendingBytes -= it->block.data.size();
        if (it->block.tier == StoreTier::Raw) {
            const int before = m_writtenCount.take(key);
            lost += it->block.count - before;
        }
        m_pending.erase(it);
    }
    m_dropped += lost;
    m_trimmed += lost;
    return lost;
}

QList<PendingBlock> StoreBuffer::takePending()
{
    QMutexLocker lock(&m_mutex);
    snapshotDirtyLocked();
    QList<PendingBlock> out;
    out.reserve(m_pending.size());
    for (const PendingBlock &p : std::as_const(m_pending))
        out.append(p);
    std::sort(out.begin(), out.end(), [](const PendingBlock &a, const PendingBlock &b) {
        return a.block.startTs < b.block.startTs;
    });
    m_pending.clear();
    m_pendingBytes = 0;
    return out;
}

qsizetype StoreBuffer::writtenCountEntries() const
{
    QMutexLocker lock(&m_mutex);
    return m_writtenCount.size();
}

qint64 StoreBuffer::appendedPoints() const
{
    QMutexLocker lock(&m_mutex);
    return m_appended;
}

qint64 StoreBuffer::writtenPoints() const
{
    QMutexLocker lock(&m_mutex);
    return m_written;
}

qint64 StoreBuffer::droppedPoints() const
{
    QMutexLocker lock(&m_mutex);
    return m_dropped;
}

qint64 StoreBuffer::trimmedPoints() const
{
    QMutexLocker lock(&m_mutex);
    return m_trimmed;
}

qint64 StoreBuffer::lastWriteWallMs() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastWriteWallMs;
}

} // namespace tidewatch::store
