// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Snapshot.h"

#include <QAbstractTableModel>

namespace tidewatch {

/// The top processes of the latest snapshot (the union of the top by CPU
/// and the top by memory), one row per pid. Rows are updated in place and
/// only inserted or removed when processes come and go, so a sorted,
/// filtered view keeps its selection from tick to tick.
class ProcessTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Pid, Name, Cpu, Memory, ColumnCount };
    /// Role with the raw number behind a cell, for sorting.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ProcessTableModel(QObject *parent = nullptr);

    void setProcesses(const ProcessSummary &summary);
    const QList<ProcessInfo> &processes() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<ProcessInfo> m_rows;
};

} // namespace tidewatch
