// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace tidewatch {

/// Gorilla-style compression of one metric's points (Pelkonen et al., VLDB
/// 2015): delta-of-delta timestamps in variable-length bit buckets, values
/// XOR'd with the previous value of the same column with a leading/trailing
/// zero window. Round trips every double bit-exactly (NaN payloads, ±inf,
/// denormals, -0.0).
///
/// Block layout (all integers little endian):
///   byte 0      format version: 1 = XOR'd doubles, 2 = decimal values
///   byte 1      columns (1 = raw, 3 = min/max/avg of aggregate tiers)
///   bytes 2..5  count of points (uint32)
///   bytes 6..13 timestamp of the first point (int64, ms since the epoch)
///   byte 14     version 2 only: decimals d (0..9) | binary shift s << 4 (0..15)
///   then a bit stream, most significant bit first, zero padded to a byte.
/// Each point after the first stores its delta-of-delta timestamp, then one
/// code per column. Version 1: the first point's 64 bits as they are, then
/// Gorilla's XOR codes. Version 2 (for values the store rounded to d
/// decimals): the change of the integer q = v * 10^d / 2^s in
/// variable-length buckets (s > 0 for values that are whole multiples of
/// 2^s, like the kB of /proc/meminfo), and an escape with the 64 bits for any value that is not
/// exactly q / 10^d (NaN, infinities, -0.0, huge or unrounded values), so
/// every double still round trips bit-exactly.
class BlockEncoder final
{
public:
    static constexpr int MaxColumns = 8;
    static constexpr int MaxDecimals = 9;
    static constexpr int HeaderBytes = 14; ///< version 1; version 2 adds one byte
    static constexpr quint8 FormatVersion = 1;
    static constexpr quint8 DecimalFormatVersion = 2;

    static constexpr int MaxShift = 15;

    /// `columns` is clamped to 1..MaxColumns. `decimals` < 0 selects XOR'd
    /// doubles (version 1), 0..MaxDecimals the decimal coding (version 2).
    /// With `maxShift` > 0 (version 2), a block whose first value is a
    /// multiple of 2^k codes its values divided by 2^min(k, maxShift);
    /// values that are not such multiples then take the escape.
    explicit BlockEncoder(int columns = 1, int decimals = -1, int maxShift = 0);

    /// Adds one point. Timestamps must increase strictly: a point at or
    /// before lastTs() is refused (returns false) and the block is unchanged.
    bool append(qint64 ts, const double *values);
    bool append(qint64 ts, double value); ///< columns() == 1

    int count() const { return m_count; }
    qint64 firstTs() const { return m_firstTs; }
    qint64 lastTs() const { return m_lastTs; }
    int columns() const { return m_columns; }
    int decimals() const { return m_decimals; }
    int shift() const { return m_shift; } ///< chosen at the first point
    /// Size data() would have now, without building it.
    qsizetype encodedSize() const
    {
        return HeaderBytes + (m_decimals >= 0 ? 1 : 0) + m_bytes.size() + (m_accBits + 7) / 8;
    }

    /// The encoded block so far: a copy, so an open block can be written,
    /// appended to and written again without re-encoding its points.
    QByteArray data() const;
    void clear();

private:
    void writeBits(quint64 value, int bits);
    void encodeValue(int column, double value);
    void encodeDecimal(int column, double value);

    int m_columns = 1;
    int m_decimals = -1;
    int m_maxShift = 0;
    int m_shift = 0;
    int m_count = 0;
    qint64 m_firstTs = 0;
    qint64 m_lastTs = 0;
    qint64 m_lastDelta = 0;
    QByteArray m_bytes; ///< completed bytes of the bit stream
    quint64 m_acc = 0;  ///< pending bits, right aligned
    int m_accBits = 0;  ///< 0..7 after each writeBits
    quint64 m_prevValue[MaxColumns] = {};
    int m_prevLeading[MaxColumns] = {};
    int m_prevTrailing[MaxColumns] = {};
    qint64 m_prevQ[MaxColumns] = {};
};

/// v rounded to `decimals` places such that the version 2 coding stores it
/// compactly: exactly q / 10^decimals. Values it cannot round (NaN,
/// infinities, beyond 2^53 / 10^decimals) come back unchanged.
double roundToDecimals(double v, int decimals);

/// The points of one block. values is row-major: values[i * columns + c].
struct DecodedBlock
{
    int columns = 1;
    QList<qint64> ts;
    QList<double> values;
};

/// Decodes a block made by BlockEncoder. Returns false with a one-line
/// error for anything malformed (truncated, bad header, non-increasing
/// timestamps, trailing bytes). Never reads out of bounds and never
/// allocates more than the input can describe, whatever the input.
bool decodeBlock(QByteArrayView data, DecodedBlock *out, QString *error);

} // namespace tidewatch
