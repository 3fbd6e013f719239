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
///   byte 0      format version (1)
///   byte 1      columns (1 = raw, 3 = min/max/avg of aggregate tiers)
///   bytes 2..5  count of points (uint32)
///   bytes 6..13 timestamp of the first point (int64, ms since the epoch)
///   then a bit stream, most significant bit first, zero padded to a byte.
/// The first point stores each column's 64 bits as they are; each later
/// point stores its delta-of-delta timestamp, then each column's XOR code.
class BlockEncoder final
{
public:
    static constexpr int MaxColumns = 8;
    static constexpr int HeaderBytes = 14;
    static constexpr quint8 FormatVersion = 1;

    /// `columns` is clamped to 1..MaxColumns.
    explicit BlockEncoder(int columns = 1);

    /// Adds one point. Timestamps must increase strictly: a point at or
    /// before lastTs() is refused (returns false) and the block is unchanged.
    bool append(qint64 ts, const double *values);
    bool append(qint64 ts, double value); ///< columns() == 1

    int count() const { return m_count; }
    qint64 firstTs() const { return m_firstTs; }
    qint64 lastTs() const { return m_lastTs; }
    int columns() const { return m_columns; }
    /// Size data() would have now, without building it.
    qsizetype encodedSize() const { return HeaderBytes + m_bytes.size() + (m_accBits + 7) / 8; }

    /// The encoded block so far: a copy, so an open block can be written,
    /// appended to and written again without re-encoding its points.
    QByteArray data() const;
    void clear();

private:
    void writeBits(quint64 value, int bits);
    void encodeValue(int column, double value);

    int m_columns = 1;
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
};

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
