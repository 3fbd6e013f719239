// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HistorySource.h"
#include "Snapshot.h"
#include "TimeTable.h"

#include <QWidget>

class QBoxLayout;
class QComboBox;
class QGridLayout;
class QLabel;
class QTimer;

namespace tidewatch {

class Card;
class ChartPanel;
class CoreGrid;
class FilesystemBars;
class Hub;

/// The overview: one live chart per area (CPU with a core grid, memory,
/// load, network, disks, temperatures) and filesystem bars. Follows the
/// Hub: the catalogue decides which series exist, each snapshot adds points.
///
/// Windows longer than the Hub keeps come from a HistorySource instead: one
/// asynchronous query for every series on the page, refreshed while shown.
/// A zoom narrows all charts to one time range, like a shared x axis.
class OverviewPage final : public QWidget
{
    Q_OBJECT
public:
    enum class HistoryState {
        None,    ///< live data; no store range on show
        Loading, ///< a query is on its way
        Ready,   ///< the store's answer is drawn
        Empty,   ///< the store has nothing in the range
        Failed,  ///< the query failed; message() says why
    };
    /// Refresh cadence of a long window: the bucket width, within these bounds.
    static constexpr int MinRefreshMs = 10'000;
    static constexpr int MaxRefreshMs = 60'000;

    explicit OverviewPage(Hub *hub, QWidget *parent = nullptr);

    /// A live window, from the Hub. Leaves a store window and any zoom.
    void setTimeWindow(qint64 ms);
    qint64 timeWindow() const { return m_windowMs; }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }

    /// Where long windows come from; may be null. It must outlive this page
    /// or be replaced first.
    void setHistorySource(HistorySource *source);
    HistorySource *historySource() const { return m_source; }
    /// Shows the last `ms` from the history source, refreshed while shown.
    /// Does nothing without a source.
    void showStoredWindow(qint64 ms);
    qint64 storedWindow() const { return m_storedWindowMs; }
    bool isStoredWindow() const { return m_storedWindowMs > 0; }
    /// Asks the store for the current store window again (the refresh timer does this).
    void refreshStored();
    QTimer *refreshTimer() const { return m_refresh; }
    HistoryState historyState() const { return m_historyState; }
    /// The last answer applied (stale ones are dropped).
    const HistoryResult &storedResult() const { return m_result; }

    /// Every chart shows [fromTs, toTs]. On a live window the live drawing
    /// stops until resetZoom(); on a store window the store is asked for the
    /// range at full resolution.
    void zoomTo(qint64 fromTs, qint64 toTs);
    void resetZoom();
    bool isZoomed() const { return m_zoomed; }

    /// What the charts show, for the CSV export: the live buffers on live
    /// windows, the store's answer (with min/max) on store windows.
    TimeTable visibleTable() const;
    /// The ids of every series on the page, in page order, once each.
    QStringList seriesIds() const;

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

Q_SIGNALS:
    void zoomChanged(bool zoomed);
    void historyStateChanged(tidewatch::OverviewPage::HistoryState state);

private:
    void requestStored(qint64 fromTs, qint64 toTs, bool showLoading);
    void requestStoredIfSeriesChanged();
    void applyStored(const HistoryResult &result, qint64 fromTs, qint64 toTs);
    void setHistoryState(HistoryState state, const QString &message);
    qint64 nowTs() const;
    int pointsWanted() const;
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
    HistorySource *m_source = nullptr;
    QTimer *m_refresh = nullptr;
    HistoryResult m_result;
    HistoryResult m_windowResult; // the whole store window's answer, kept while zoomed
    qint64 m_windowFrom = 0;
    qint64 m_windowTo = 0;
    QStringList m_requestedIds;
    HistoryState m_historyState = HistoryState::None;
    quint64 m_generation = 0; // answers to an older generation are stale
    qint64 m_storedWindowMs = 0;
    qint64 m_zoomFrom = 0;
    qint64 m_zoomTo = 0;
    bool m_zoomed = false;
    bool m_changingCatalog = false;
    qint64 m_summaryTs = 0; // ts of the snapshot the text was last updated from
    bool m_paused = false;
    bool m_hasTemperatures = false;
};

} // namespace tidewatch
