// SPDX-License-Identifier: GPL-3.0-or-later
#include "BlockCodec.h"

#include <QtEndian>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

using namespace Qt::StringLiterals;

namespace tidewatch {

namespace {

// Timestamp buckets: a unary prefix selects how many bits the signed
// delta-of-delta takes. Sampler ticks are wall-clock aligned with a few ms
// of jitter, so most points land in the first two buckets.
struct TsBucket
{
    int prefixBits;
    quint64 prefix;
    int valueBits;
};
constexpr TsBucket TsBuckets[] = {
    {2, 0b10, 5}, {3, 0b110, 9}, {4, 0b1110, 13}, {5, 0b11110, 32}, {5, 0b11111, 64},
};

// Version 2 value buckets: the signed change of q, after a unary prefix of
// 1..4 ones ended by a zero; five ones escape to the value's 64 bits.
constexpr int QBucketBits[] = {6, 11, 18, 32, 64};
constexpr int QEscapeOnes = 6; // '111110' + 64-bit delta, '111111' + 64 raw bits

constexpr double Pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

// q such that q / 10^d is exactly v, if there is one.
bool decimalOf(double v, int d, qint64 *q)
{
    const double scaled = v * Pow10[d];
    if (!(std::fabs(scaled) < 4.0e15)) // NaN and infinities fail this too
        return false;
    const qint64 n = std::llround(scaled);
    if (std::bit_cast<quint64>(double(n) / Pow10[d]) != std::bit_cast<quint64>(v))
        return false;
    *q = n;
    return true;
}

constexpr int NoWindow = 65; // no leading/trailing window yet: forces the long form

bool fitsSigned(qint64 v, int bits)
{
    if (bits >= 64)
        return true;
    const qint64 lo = -(qint64(1) << (bits - 1));
    const qint64 hi = (qint64(1) << (bits - 1)) - 1;
    return v >= lo && v <= hi;
}

quint64 lowMask(int bits)
{
    return bits >= 64 ? ~quint64(0) : (quint64(1) << bits) - 1;
}

qint64 signExtend(quint64 v, int bits)
{
    if (bits >= 64)
        return qint64(v);
    const quint64 sign = quint64(1) << (bits - 1);
    return qint64((v ^ sign) - sign);
}

class BitReader final
{
public:
    BitReader(const uchar *data, qsizetype size)
        : m_data(data)
        , m_bits(quint64(size) * 8)
    {}

    quint64 remaining() const { return m_bits - m_pos; }
    quint64 position() const { return m_pos; }

    bool read(int bits, quint64 *out)
    {
        if (bits == 0) {
            *out = 0;
            return true;
        }
        if (quint64(bits) > remaining())
            return false;
        quint64 v = 0;
        int left = bits;
        while (left > 0) {
            const quint64 byte = m_data[m_pos >> 3];
            const int used = int(m_pos & 7);
            const int avail = 8 - used;
            const int take = left < avail ? left : avail;
            const quint64 chunk = (byte >> (avail - take)) & lowMask(take);
            v = (take == 64 ? 0 : v << take) | chunk;
            left -= take;
            m_pos += quint64(take);
        }
        *out = v;
        return true;
    }

    bool readBit(bool *out)
    {
        if (m_pos >= m_bits)
            return false;
        *out = (m_data[m_pos >> 3] >> (7 - (m_pos & 7))) & 1;
        ++m_pos;
        return true;
    }

private:
    const uchar *m_data;
    quint64 m_bits;
    quint64 m_pos = 0;
};

} // namespace

double roundToDecimals(double v, int decimals)
{
    const int d = qBound(0, decimals, BlockEncoder::MaxDecimals);
    const double scaled = v * Pow10[d];
    if (!(std::fabs(scaled) < 4.0e15))
        return v;
    const double r = double(std::llround(scaled)) / Pow10[d];
    return r == 0.0 ? 0.0 : r; // -0.0 would need the escape
}

BlockEncoder::BlockEncoder(int columns, int decimals, int maxShift)
    : m_columns(qBound(1, columns, MaxColumns))
    , m_decimals(decimals < 0 ? -1 : qMin(decimals, MaxDecimals))
    , m_maxShift(decimals < 0 ? 0 : qBound(0, maxShift, MaxShift))
{
    clear();
}

void BlockEncoder::clear()
{
    m_count = 0;
    m_firstTs = 0;
    m_lastTs = 0;
    m_lastDelta = 0;
    m_bytes.clear();
    m_acc = 0;
    m_accBits = 0;
    m_shift = 0;
    for (int c = 0; c < MaxColumns; ++c) {
        m_prevValue[c] = 0;
        m_prevLeading[c] = NoWindow;
        m_prevTrailing[c] = 0;
        m_prevQ[c] = 0;
    }
}

void BlockEncoder::writeBits(quint64 value, int bits)
{
    // The accumulator keeps fewer than 8 bits between calls, so feeding it
    // at most 56 bits at a time never overflows it.
    while (bits > 0) {
        const int take = bits > 56 ? 56 : bits;
        bits -= take;
        const quint64 chunk = (value >> bits) & lowMask(take);
        m_acc = (m_acc << take) | chunk;
        m_accBits += take;
        while (m_accBits >= 8) {
            m_accBits -= 8;
            m_bytes.append(char((m_acc >> m_accBits) & 0xff));
        }
        m_acc &= lowMask(m_accBits);
    }
}

void BlockEncoder::encodeValue(int column, double value)
{
    const quint64 bits = std::bit_cast<quint64>(value);
    const quint64 x = bits ^ m_prevValue[column];
    m_prevValue[column] = bits;
    if (x == 0) {
        writeBits(0, 1);
        return;
    }
    int leading = std::countl_zero(x);
    const int trailing = std::countr_zero(x);
    if (leading > 31)
        leading = 31; // 5 bits on the wire
    if (leading >= m_prevLeading[column] && trailing >= m_prevTrailing[column]) {
        const int meaningful = 64 - m_prevLeading[column] - m_prevTrailing[column];
        writeBits(0b10, 2);
        writeBits(x >> m_prevTrailing[column], meaningful);
        return;
    }
    const int meaningful = 64 - leading - trailing; // 1..64
    writeBits(0b11, 2);
    writeBits(quint64(leading), 5);
    writeBits(quint64(meaningful - 1), 6);
    writeBits(x >> trailing, meaningful);
    m_prevLeading[column] = leading;
    m_prevTrailing[column] = trailing;
}

void BlockEncoder::encodeDecimal(int column, double value)
{
    qint64 q = 0;
    const qint64 mask = (qint64(1) << m_shift) - 1;
    if (!decimalOf(value, m_decimals, &q) || (q & mask) != 0) {
        writeBits(0b111111, 6);
        writeBits(std::bit_cast<quint64>(value), 64);
        return;
    }
    q >>= m_shift;                            // exact: the low bits are zero
    const qint64 delta = q - m_prevQ[column]; // |q| < 2^52: no overflow
    m_prevQ[column] = q;
    if (delta == 0) {
        writeBits(0, 1);
        return;
    }
    for (int b = 0; b < 4; ++b) {
        if (fitsSigned(delta, QBucketBits[b])) {
            writeBits(((quint64(1) << (b + 1)) - 1) << 1, b + 2); // b+1 ones, then a zero
            writeBits(quint64(delta) & lowMask(QBucketBits[b]), QBucketBits[b]);
            return;
        }
    }
    writeBits(0b111110, 6);
    writeBits(quint64(delta), 64);
}

bool BlockEncoder::append(qint64 ts, const double *values)
{
    if (m_count == 0) {
        m_firstTs = ts;
        m_lastTs = ts;
        m_lastDelta = 0;
        if (m_decimals >= 0) {
            qint64 q = 0;
            if (m_maxShift > 0 && decimalOf(values[0], m_decimals, &q) && q != 0)
                m_shift = std::min(std::countr_zero(quint64(q)), m_maxShift);
            for (int c = 0; c < m_columns; ++c)
                encodeDecimal(c, values[c]);
            m_count = 1;
            return true;
        }
        for (int c = 0; c < m_columns; ++c) {
            const quint64 bits = std::bit_cast<quint64>(values[c]);
            writeBits(bits, 64);
            m_prevValue[c] = bits;
        }
        m_count = 1;
        return true;
    }
    if (ts <= m_lastTs || m_count == std::numeric_limits<qint32>::max())
        return false;
    // Wrapping arithmetic: any two increasing qint64 values round trip.
    const qint64 delta = qint64(quint64(ts) - quint64(m_lastTs));
    const qint64 dod = qint64(quint64(delta) - quint64(m_lastDelta));
    if (dod == 0) {
        writeBits(0, 1);
    } else {
        for (const TsBucket &b : TsBuckets) {
            if (fitsSigned(dod, b.valueBits)) {
                writeBits(b.prefix, b.prefixBits);
                writeBits(quint64(dod) & lowMask(b.valueBits), b.valueBits);
                break;
            }
        }
    }
    m_lastDelta = delta;
    m_lastTs = ts;
    for (int c = 0; c < m_columns; ++c) {
        if (m_decimals >= 0)
            encodeDecimal(c, values[c]);
        else
            encodeValue(c, values[c]);
    }
    ++m_count;
    return true;
}

bool BlockEncoder::append(qint64 ts, double value)
{
    if (m_columns != 1)
        return false;
    return append(ts, &value);
}

QByteArray BlockEncoder::data() const
{
    QByteArray out;
    out.reserve(encodedSize());
    char header[HeaderBytes + 1];
    header[0] = char(m_decimals >= 0 ? DecimalFormatVersion : FormatVersion);
    header[1] = char(m_columns);
    qToLittleEndian<quint32>(quint32(m_count), header + 2);
    qToLittleEndian<qint64>(m_firstTs, header + 6);
    header[HeaderBytes] = char(m_decimals | (m_shift << 4));
    out.append(header, HeaderBytes + (m_decimals >= 0 ? 1 : 0));
    out.append(m_bytes);
    if (m_accBits > 0)
        out.append(char((m_acc << (8 - m_accBits)) & 0xff));
    return out;
}

bool decodeBlock(QByteArrayView data, DecodedBlock *out, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        if (out) {
            out->ts.clear();
            out->values.clear();
        }
        return false;
    };
    if (data.size() < BlockEncoder::HeaderBytes)
        return fail(u"block truncated: %1 bytes, header needs %2"_s.arg(data.size())
                        .arg(BlockEncoder::HeaderBytes));
    const auto *bytes = reinterpret_cast<const uchar *>(data.data());
    const bool decimal = bytes[0] == BlockEncoder::DecimalFormatVersion;
    if (bytes[0] != BlockEncoder::FormatVersion && !decimal)
        return fail(u"unknown block format version %1"_s.arg(bytes[0]));
    const int headerBytes = BlockEncoder::HeaderBytes + (decimal ? 1 : 0);
    if (data.size() < headerBytes)
        return fail(
            u"block truncated: %1 bytes, header needs %2"_s.arg(data.size()).arg(headerBytes));
    const int decimals = decimal ? bytes[BlockEncoder::HeaderBytes] & 0x0f : -1;
    const int shift = decimal ? bytes[BlockEncoder::HeaderBytes] >> 4 : 0;
    if (decimals > BlockEncoder::MaxDecimals)
        return fail(u"bad decimals %1"_s.arg(decimals));
    const int columns = bytes[1];
    if (columns < 1 || columns > BlockEncoder::MaxColumns)
        return fail(u"bad column count %1"_s.arg(columns));
    const quint32 count = qFromLittleEndian<quint32>(bytes + 2);
    const qint64 firstTs = qFromLittleEndian<qint64>(bytes + 6);

    BitReader in(bytes + headerBytes, data.size() - headerBytes);
    // Every point after the first needs at least one bit for its timestamp
    // and one per column, the first 64 per column: refuse counts the input
    // cannot hold before allocating for them.
    if (count > 0) {
        const quint64 firstBits = (decimal ? 1 : 64) * quint64(columns);
        if (in.remaining() < firstBits ||
            quint64(count - 1) > (in.remaining() - firstBits) / quint64(1 + columns))
            return fail(
                u"block truncated: %1 points do not fit in %2 bytes"_s.arg(count).arg(data.size()));
    }

    DecodedBlock block;
    block.columns = columns;
    block.ts.reserve(count);
    block.values.reserve(qsizetype(count) * columns);
    quint64 prev[BlockEncoder::MaxColumns] = {};
    int prevLeading[BlockEncoder::MaxColumns];
    int prevTrailing[BlockEncoder::MaxColumns] = {};
    for (int c = 0; c < BlockEncoder::MaxColumns; ++c)
        prevLeading[c] = NoWindow;
    qint64 lastTs = firstTs;
    qint64 lastDelta = 0;
    const QString truncated = u"block truncated"_s;
    qint64 prevQ[BlockEncoder::MaxColumns] = {};
    // One version 2 value code; false on truncation.
    auto readDecimal = [&](int c, double *value) {
        int ones = 0;
        bool bit = true;
        while (ones < QEscapeOnes) {
            if (!in.readBit(&bit))
                return false;
            if (!bit)
                break;
            ++ones;
        }
        quint64 raw = 0;
        if (ones == QEscapeOnes) { // 64 bits of the value itself
            if (!in.read(64, &raw))
                return false;
            *value = std::bit_cast<double>(raw);
            return true;
        }
        if (ones > 0) {
            const int bits = QBucketBits[ones - 1];
            if (!in.read(bits, &raw))
                return false;
            prevQ[c] = qint64(quint64(prevQ[c]) + quint64(signExtend(raw, bits)));
        }
        *value = double(qint64(quint64(prevQ[c]) << shift)) / Pow10[decimals];
        return true;
    };
    for (quint32 i = 0; i < count; ++i) {
        if (i == 0 && decimal) {
            block.ts.append(firstTs);
            for (int c = 0; c < columns; ++c) {
                double v = 0;
                if (!readDecimal(c, &v))
                    return fail(truncated);
                block.values.append(v);
            }
            continue;
        }
        if (i == 0) {
            block.ts.append(firstTs);
            for (int c = 0; c < columns; ++c) {
                if (!in.read(64, &prev[c]))
                    return fail(truncated);
                block.values.append(std::bit_cast<double>(prev[c]));
            }
            continue;
        }
        int ones = 0;
        bool bit = true;
        while (ones < 5) {
            if (!in.readBit(&bit))
                return fail(truncated);
            if (!bit)
                break;
            ++ones;
        }
        qint64 dod = 0;
        if (ones > 0) {
            // ones == 1..4 ended with a 0; five ones need no terminator.
            const int valueBits = TsBuckets[ones - 1].valueBits;
            quint64 raw = 0;
            if (!in.read(valueBits, &raw))
                return fail(truncated);
            dod = signExtend(raw, valueBits);
        }
        const qint64 delta = qint64(quint64(lastDelta) + quint64(dod));
        const qint64 ts = qint64(quint64(lastTs) + quint64(delta));
        if (ts <= lastTs)
            return fail(u"corrupt block: timestamps do not increase at point %1"_s.arg(i));
        block.ts.append(ts);
        lastTs = ts;
        lastDelta = delta;
        if (decimal) {
            for (int c = 0; c < columns; ++c) {
                double v = 0;
                if (!readDecimal(c, &v))
                    return fail(truncated);
                block.values.append(v);
            }
            continue;
        }
        for (int c = 0; c < columns; ++c) {
            bool b0 = false;
            if (!in.readBit(&b0))
                return fail(truncated);
            if (b0) {
                bool b1 = false;
                if (!in.readBit(&b1))
                    return fail(truncated);
                quint64 x = 0;
                if (!b1) {
                    if (prevLeading[c] == NoWindow)
                        return fail(u"corrupt block: value window used before it is set"_s);
                    const int meaningful = 64 - prevLeading[c] - prevTrailing[c];
                    if (!in.read(meaningful, &x))
                        return fail(truncated);
                    x <<= prevTrailing[c];
                } else {
                    quint64 leading = 0, lenMinus1 = 0;
                    if (!in.read(5, &leading) || !in.read(6, &lenMinus1))
                        return fail(truncated);
                    const int meaningful = int(lenMinus1) + 1;
                    const int trailing = 64 - int(leading) - meaningful;
                    if (trailing < 0)
                        return fail(u"corrupt block: bad value window"_s);
                    if (!in.read(meaningful, &x))
                        return fail(truncated);
                    x = trailing >= 64 ? 0 : x << trailing;
                    prevLeading[c] = int(leading);
                    prevTrailing[c] = trailing;
                }
                prev[c] ^= x;
            }
            block.values.append(std::bit_cast<double>(prev[c]));
        }
    }
    // The stream must end within its last byte, padded with zeros.
    const quint64 padding = in.remaining();
    if (padding >= 8)
        return fail(u"corrupt block: %1 trailing bytes"_s.arg(padding / 8));
    quint64 pad = 0;
    if (!in.read(int(padding), &pad) || pad != 0)
        return fail(u"corrupt block: non-zero padding"_s);
    if (out)
        *out = std::move(block);
    if (error)
        error->clear();
    return true;
}

} // namespace tidewatch
