// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProcessTableModel.h"

#include "ValueFormat.h"

#include <QHash>
#include <QSet>

namespace tidewatch {

ProcessTableModel::ProcessTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ProcessTableModel::setProcesses(const ProcessSummary &summary)
{
    QList<ProcessInfo> incoming;
    QHash<qint64, qsizetype> position;
    for (const QList<ProcessInfo> *list : {&summary.topCpu, &summary.topRss}) {
        for (const ProcessInfo &p : *list) {
            if (!position.contains(p.pid)) {
                position.insert(p.pid, incoming.size());
                incoming.append(p);
            }
        }
    }

    // Remove the rows whose process left, from the bottom up.
    for (qsizetype row = m_rows.size() - 1; row >= 0; --row) {
        if (!position.contains(m_rows.at(row).pid)) {
            beginRemoveRows({}, int(row), int(row));
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    // Update the rows that stayed.
    QSet<qint64> present;
    for (qsizetype row = 0; row < m_rows.size(); ++row) {
        ProcessInfo &mine = m_rows[row];
        present.insert(mine.pid);
        const ProcessInfo &theirs = incoming.at(position.value(mine.pid));
        if (!(mine == theirs)) {
            mine = theirs;
            Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
        }
    }
    // Append the newcomers.
    QList<ProcessInfo> added;
    for (const ProcessInfo &p : std::as_const(incoming)) {
        if (!present.contains(p.pid))
            added.append(p);
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows.append(added);
        endInsertRows();
    }
}

int ProcessTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProcessTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProcessTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const ProcessInfo &p = m_rows.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Pid:
            return QString::number(p.pid);
        case Name:
            return p.name;
        case Cpu:
            return QString(ValueFormat::number(p.cpuPercent, 1) + QStringLiteral(" %"));
        case Memory:
            return ValueFormat::bytes(double(p.rssBytes));
        default:
            return {};
        }
    }
    if (role == SortRole) {
        switch (index.column()) {
        case Pid:
            return p.pid;
        case Name:
            return p.name.toLower();
        case Cpu:
            return p.cpuPercent;
        case Memory:
            return p.rssBytes;
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole)
        return index.column() == Name ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                      : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ProcessTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return section == Name ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                               : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Pid:
        return tr("PID");
    case Name:
        return tr("Name");
    case Cpu:
        return tr("CPU");
    case Memory:
        return tr("Memory");
    default:
        return {};
    }
}

} // namespace tidewatch
