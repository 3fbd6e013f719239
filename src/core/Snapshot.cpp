// SPDX-License-Identifier: GPL-3.0-or-later
#include "Snapshot.h"

#include <QtNumeric>

namespace tidewatch {

MetricCatalog::MetricCatalog(QList<MetricInfo> metrics)
    : m_metrics(std::move(metrics))
{
    m_index.reserve(m_metrics.size());
    for (qsizetype i = 0; i < m_metrics.size(); ++i)
        m_index.insert(m_metrics.at(i).id, i);
}

double Snapshot::value(const QString &id) const
{
    if (!catalog)
        return qQNaN();
    const qsizetype i = catalog->indexOf(id);
    return i >= 0 && i < values.size() ? values.at(i) : qQNaN();
}

Snapshot SnapshotBuilder::build(const CatalogPtr &previous)
{
    Snapshot s;
    if (previous && previous->metrics() == m_infos)
        s.catalog = previous;
    else
        s.catalog = std::make_shared<const MetricCatalog>(m_infos);
    s.values = std::move(m_values);
    s.processes = std::move(m_processes);
    clear();
    return s;
}

void SnapshotBuilder::clear()
{
    m_infos.clear();
    m_values.clear();
    m_processes = {};
}

} // namespace tidewatch
