// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AppSettings.h"
#include "HistorySource.h"
#include "Snapshot.h"
#include "TimeTable.h"

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QComboBox;
class QLabel;
class QSettings;
class QSortFilterProxyModel;

namespace Ui {
class MainWindow;
}

namespace tidewatch {

class EmbeddedFeed;
class Hub;
class OverviewPage;
class ProcessTableModel;
class Sampler;
class QrCodeDialog;
class SettingsDialog;
class TrayIcon;

/// The desktop app's window: the overview and processes pages, the feed's
/// URL and client count in the status bar, and the actions around them.
/// It only watches: the Sampler feeds the Hub, the Hub feeds this window
/// and the EmbeddedFeed alike. `sampler` and `feed` may be null (tests).
///
/// Windows up to an hour come from the Hub; longer ones (6 h … 30 d) from a
/// HistorySource, which the app hands over with setHistorySource() together
/// with the store's state (setStoreStatus, also shown in the status bar).
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    /// The longest window the Hub's in-memory history serves.
    static constexpr int LongestLiveWindowSeconds = 3600;

    MainWindow(Hub *hub, Sampler *sampler, EmbeddedFeed *feed, QSettings *store,
               const AppSettings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    const AppSettings &settings() const { return m_settings; }
    /// Applies settings live. The feed is moved first; if that fails nothing
    /// else changes and `error` says why.
    bool applySettings(const AppSettings &settings, QString *error);
    /// Opens the settings dialog (window-modal) and returns it.
    SettingsDialog *openSettings();

    /// Picks a window from the choices; a store window needs history (see
    /// isHistoryAvailable). Returns false when the choice is not available.
    bool setTimeWindowSeconds(int seconds);
    int timeWindowSeconds() const { return m_shownWindowSeconds; }
    /// Where 6 h … 30 d come from; null turns them off. It must outlive the
    /// window or be replaced (with null) first.
    void setHistorySource(HistorySource *source);
    HistorySource *historySource() const { return m_history; }
    /// The store's state for the status bar; Off or Failed also disable the
    /// store windows. Connect HistoryStore::statusChanged here.
    void setStoreStatus(const tidewatch::StoreStatus &status);
    const StoreStatus &storeStatus() const { return m_storeStatus; }
    bool isHistoryAvailable() const;

    /// The visible range of the overview as a table, host included.
    TimeTable visibleTable() const;
    /// Writes the visible range to `path` as CSV (what File › Export does
    /// after asking for a file name).
    bool exportCsv(const QString &path, QString *error);
    QString proposedCsvName() const;
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    /// Shown at start-up in the status bar when the feed could not start.
    void setFeedError(const QString &error);
    /// A new app access token, stored and applied to the live feed at once.
    QByteArray regenerateAccessToken();
    /// The QR code dialog, with a fresh login link; null when the feed is off.
    QrCodeDialog *showQrCode();
    void copyUrl();

    OverviewPage *overview() const { return m_overview; }
    ProcessTableModel *processModel() const { return m_processModel; }
    QSortFilterProxyModel *processProxy() const { return m_processProxy; }
    QLabel *clientCountLabel() const { return m_clientCount; }
    QLabel *feedUrlLabel() const { return m_feedUrl; }
    QLabel *intervalLabel() const { return m_interval; }
    TrayIcon *trayIcon() const { return m_tray; }
    QComboBox *timeWindowCombo() const { return m_timeWindow; }
    QLabel *storeStatusLabel() const { return m_storeLabel; }
    QAction *resetZoomAction() const;
    QAction *exportCsvAction() const;

    /// Stores geometry and state, for the next start.
    void saveWindowState();

Q_SIGNALS:
    /// Quit was chosen, or the window was closed without close-to-tray.
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onSnapshot(const SnapshotPtr &snapshot);
    void updateFeedStatus();
    void updateClientCount(int count);
    void updateInterval(int ms);
    void updateIcons();
    bool showWindow(int seconds, bool remember);
    void updateRangeChoices();
    void updateStoreLabel();
    void onZoomChanged(bool zoomed);
    void exportCsvInteractively();
    void openDashboard();
    void showAbout();
    void toggleVisible();
    void quit();

    std::unique_ptr<Ui::MainWindow> m_ui;
    Hub *m_hub;
    Sampler *m_sampler;
    EmbeddedFeed *m_feed;
    QSettings *m_store;
    AppSettings m_settings;
    OverviewPage *m_overview = nullptr;
    ProcessTableModel *m_processModel = nullptr;
    QSortFilterProxyModel *m_processProxy = nullptr;
    QLabel *m_feedUrl = nullptr;
    QLabel *m_clientCount = nullptr;
    QLabel *m_interval = nullptr;
    QComboBox *m_timeWindow = nullptr;
    QLabel *m_storeLabel = nullptr;
    HistorySource *m_history = nullptr;
    StoreStatus m_storeStatus;
    QString m_host;
    int m_shownWindowSeconds = 0;
    QAction *m_toggleWindow = nullptr;
    TrayIcon *m_tray = nullptr;
    QPointer<SettingsDialog> m_settingsDialog;
    QString m_feedError;
    qint64 m_processesTs = 0;
    bool m_paused = false;
    bool m_quitting = false;
};

} // namespace tidewatch
