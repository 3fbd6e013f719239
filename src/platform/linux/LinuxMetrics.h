// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Small pieces every Linux collector shares: metric metadata, rates from
// counter deltas, and paths under the injected root.

#include "Metric.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QString>

#include <functional>

namespace tidewatch::procfs {

inline MetricInfo makeMetric(QString id, QString label, QString unit, MetricKind kind,
                             double max = qQNaN(), QList<MetricAttribute> attributes = {})
{
    MetricInfo info;
    info.id = std::move(id);
    info.label = std::move(label);
    info.unit = std::move(unit);
    info.kind = kind;
    info.max = max;
    info.attributes = std::move(attributes);
    return info;
}

/// Per-second rate of a counter, or NaN when there is no honest answer: no
/// previous value, no time elapsed, or a counter that went backwards (the
/// device was reset or replaced).
inline double ratePerSecond(quint64 previous, quint64 current, double seconds)
{
    if (!(seconds > 0) || current < previous)
        return qQNaN();
    return double(current - previous) / seconds;
}

/// Seconds since the previous pass of one collector, from the monotonic clock.
class PassInterval final
{
public:
    /// Records `monotonicUs` as this pass; returns the seconds since the last
    /// pass, or NaN on the first pass and when the clock did not advance.
    double advance(qint64 monotonicUs)
    {
        const bool had = m_started;
        const qint64 previous = m_lastUs;
        m_started = true;
        m_lastUs = monotonicUs;
        if (!had || monotonicUs <= previous)
            return qQNaN();
        return double(monotonicUs - previous) / 1e6;
    }

private:
    qint64 m_lastUs = 0;
    bool m_started = false;
};

/// `relative` ("proc/stat") under the root path ("/" or a fixture tree), as
/// the bytes open() wants.
inline QByteArray rootedPath(const QString &root, QByteArrayView relative)
{
    QByteArray path = QFile::encodeName(root);
    while (path.size() > 1 && path.endsWith('/'))
        path.chop(1);
    if (!path.endsWith('/'))
        path.append('/');
    path.append(relative);
    return path;
}

/// Hash and equality for std::unordered_map<QByteArray, …> that can be looked
/// up with a QByteArrayView, so the hot path does not allocate a key per line.
struct ByteKeyHash
{
    using is_transparent = void;
    size_t operator()(QByteArrayView v) const noexcept { return qHash(v); }
};
struct ByteKeyEqual
{
    using is_transparent = void;
    bool operator()(QByteArrayView a, QByteArrayView b) const noexcept { return a == b; }
};

} // namespace tidewatch::procfs
