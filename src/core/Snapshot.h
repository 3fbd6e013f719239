// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Metric.h"

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>

#include <memory>

namespace tidewatch {

/// The set of metrics a sampler currently produces, in a fixed order.
/// Immutable once built; a new catalog is made only when the set changes
/// (a disk or interface appears), so consumers can compare pointers.
class MetricCatalog final
{
public:
    MetricCatalog() = default;
    explicit MetricCatalog(QList<MetricInfo> metrics);

    const QList<MetricInfo> &metrics() const { return m_metrics; }
    qsizetype size() const { return m_metrics.size(); }
    const MetricInfo &at(qsizetype i) const { return m_metrics.at(i); }
    /// Index of the metric, or -1.
    qsizetype indexOf(const QString &id) const { return m_index.value(id, -1); }

private:
    QList<MetricInfo> m_metrics;
    QHash<QString, qsizetype> m_index;
};
using CatalogPtr = std::shared_ptr<const MetricCatalog>;

struct ProcessInfo
{
    qint64 pid = 0;
    QString name;
    double cpuPercent = 0.0; ///< of one core, as top shows it (may exceed 100)
    qint64 rssBytes = 0;
    friend bool operator==(const ProcessInfo &, const ProcessInfo &) = default;
};

struct ProcessSummary
{
    int count = 0;
    QList<ProcessInfo> topCpu; ///< highest CPU first
    QList<ProcessInfo> topRss; ///< highest RSS first
};

/// One tick of the sampler: immutable, shared between threads by pointer.
struct Snapshot
{
    QString host;
    qint64 ts = 0;   ///< wall clock, ms since the epoch
    quint64 seq = 0; ///< 1 for the first snapshot of a sampler, then +1 per tick
    CatalogPtr catalog;
    QList<double> values; ///< values[i] belongs to catalog->at(i); NaN = no value yet
    ProcessSummary processes;
    qint64 sampleCpuUs = 0;  ///< CPU time the sampling pass took, µs
    qint64 sampleWallUs = 0; ///< wall time the sampling pass took, µs

    /// Value of `id`, or NaN when absent.
    double value(const QString &id) const;
};
using SnapshotPtr = std::shared_ptr<const Snapshot>;

/// What collectors write into during one sampling pass.
class SnapshotBuilder final
{
public:
    void add(const MetricInfo &info, double value)
    {
        m_infos.append(info);
        m_values.append(value);
    }
    ProcessSummary &processes() { return m_processes; }

    qsizetype size() const { return m_values.size(); }
    const QList<MetricInfo> &infos() const { return m_infos; }
    const QList<double> &values() const { return m_values; }

    /// Moves the gathered values into a snapshot. Reuses `previous` as the
    /// catalog when the metric set is unchanged.
    Snapshot build(const CatalogPtr &previous);
    void clear();

private:
    QList<MetricInfo> m_infos;
    QList<double> m_values;
    ProcessSummary m_processes;
};

} // namespace tidewatch

Q_DECLARE_METATYPE(tidewatch::SnapshotPtr)
Q_DECLARE_METATYPE(tidewatch::CatalogPtr)
