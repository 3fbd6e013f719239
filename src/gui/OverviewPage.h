// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Snapshot.h"

#include <QWidget>

class QBoxLayout;
class QComboBox;
class QGridLayout;
class QLabel;

namespace tidewatch {

class Card;
class ChartPanel;
class CoreGrid;
class FilesystemBars;
class Hub;

/// The overview: one live chart per area (CPU with a core grid, memory,
/// load, network, disks, temperatures) and filesystem bars. Follows the
/// Hub: the catalogue decides which series exist, each snapshot adds points.
class OverviewPage final : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPage(Hub *hub, QWidget *parent = nullptr);

    void setTimeWindow(qint64 ms);
    qint64 timeWindow() const { return m_windowMs; }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }

    QList<ChartPanel *> panels() const;
    ChartPanel *cpuPanel() const { return m_cpu; }
    ChartPanel *memoryPanel() const { return m_memory; }
    ChartPanel *networkPanel() const { return m_network; }
    ChartPanel *diskPanel() const { return m_disk; }
    ChartPanel *temperaturePanel() const { return m_temperature; }
    ChartPanel *loadPanel() const { return m_load; }
    CoreGrid *coreGrid() const { return m_cores; }
    FilesystemBars *filesystemBars() const { return m_filesystems; }
    QComboBox *networkSelector() const { return m_netSelect; }
    QComboBox *diskSelector() const { return m_diskSelect; }

private:
    void onCatalogChanged(const CatalogPtr &catalog);
    void onSnapshot(const SnapshotPtr &snapshot);
    void relayout();
    void updateSummaries(const Snapshot &snapshot);
    void updateNetworkSeries();
    void updateDiskSeries();

    Hub *m_hub;
    QGridLayout *m_grid = nullptr;
    ChartPanel *m_cpu = nullptr;
    ChartPanel *m_memory = nullptr;
    ChartPanel *m_load = nullptr;
    ChartPanel *m_network = nullptr;
    ChartPanel *m_disk = nullptr;
    ChartPanel *m_temperature = nullptr;
    Card *m_filesystemCard = nullptr;
    Card *m_systemCard = nullptr;
    QWidget *m_side = nullptr;
    QBoxLayout *m_sideLayout = nullptr;
    QComboBox *m_netSelect = nullptr;
    QComboBox *m_diskSelect = nullptr;
    QLabel *m_uptime = nullptr;
    QLabel *m_processes = nullptr;
    QLabel *m_threads = nullptr;
    QLabel *m_switches = nullptr;
    QLabel *m_samplerCost = nullptr;
    CoreGrid *m_cores = nullptr;
    FilesystemBars *m_filesystems = nullptr;

    // Catalogue indices, refreshed when the catalogue changes.
    CatalogPtr m_catalog;
    QList<int> m_coreIds;
    QList<qsizetype> m_coreIndex;
    struct FsIndex
    {
        QString mountPoint;
        qsizetype used = -1, size = -1, percent = -1;
    };
    QList<FsIndex> m_fsIndex;
    QList<qsizetype> m_temperatureIndex;
    QStringList m_interfaces;
    QStringList m_disks;
    qint64 m_windowMs = 5 * 60 * 1000;
    qint64 m_summaryTs = 0; // ts of the snapshot the text was last updated from
    bool m_paused = false;
    bool m_hasTemperatures = false;
};

} // namespace tidewatch
