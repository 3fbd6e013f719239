// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QtNumeric>

#include <utility>

namespace tidewatch {

/// How a metric's value behaves over time.
enum class MetricKind : quint8 {
    Gauge,   ///< a level that goes up and down (%, bytes, °C)
    Rate,    ///< per second, computed by the collector from counter deltas
    Counter, ///< monotonically increasing total since boot (bytes, seconds)
};

QString metricKindName(MetricKind kind);

/// One named attribute of a metric, e.g. {"device", "eth0"}.
using MetricAttribute = std::pair<QString, QString>;

/// Metadata of one metric: described once, separately from its values.
struct MetricInfo
{
    QString id;    ///< stable dotted id, e.g. "net.eth0.rx"
    QString label; ///< human readable, e.g. "eth0 received"
    QString unit;  ///< "%", "B", "B/s", "/s", "°C", "Hz", "s" or "" for a count
    double min = 0.0;
    double max = qQNaN(); ///< NaN when unbounded
    MetricKind kind = MetricKind::Gauge;
    QList<MetricAttribute> attributes; ///< e.g. device, mountpoint, fstype, chip

    QString attribute(const QString &key) const;

    friend bool operator==(const MetricInfo &a, const MetricInfo &b);
};

/// True when `id` matches `pattern`: '*' matches any run of characters
/// (dots included), everything else literally. "cpu.*" matches "cpu.core.0".
bool metricIdMatches(QStringView pattern, QStringView id);

/// Decimal places a metric's history is kept to, by unit: 2 for "%", "/s"
/// and "°C", 0 for "B", "B/s" and "Hz", 3 otherwise. The Hub's in-memory
/// history and the history store both round to these (docs/store.md).
int historyDecimals(const QString &unit);

} // namespace tidewatch
