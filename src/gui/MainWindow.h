// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AppSettings.h"
#include "Snapshot.h"

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
class SettingsDialog;
class TrayIcon;

/// The desktop app's window: the overview and processes pages, the feed's
/// URL and client count in the status bar, and the actions around them.
/// It only watches: the Sampler feeds the Hub, the Hub feeds this window
/// and the EmbeddedFeed alike. `sampler` and `feed` may be null (tests).
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(Hub *hub, Sampler *sampler, EmbeddedFeed *feed, QSettings *store,
               const AppSettings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    const AppSettings &settings() const { return m_settings; }
    /// Applies settings live. The feed is moved first; if that fails nothing
    /// else changes and `error` says why.
    bool applySettings(const AppSettings &settings, QString *error);
    /// Opens the settings dialog (window-modal) and returns it.
    SettingsDialog *openSettings();

    void setTimeWindowSeconds(int seconds);
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    /// Shown at start-up in the status bar when the feed could not start.
    void setFeedError(const QString &error);

    OverviewPage *overview() const { return m_overview; }
    ProcessTableModel *processModel() const { return m_processModel; }
    QSortFilterProxyModel *processProxy() const { return m_processProxy; }
    QLabel *clientCountLabel() const { return m_clientCount; }
    QLabel *feedUrlLabel() const { return m_feedUrl; }
    QLabel *intervalLabel() const { return m_interval; }
    TrayIcon *trayIcon() const { return m_tray; }
    QComboBox *timeWindowCombo() const { return m_timeWindow; }

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
    void openDashboard();
    void copyUrl();
    void showQrCode();
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
    QAction *m_toggleWindow = nullptr;
    TrayIcon *m_tray = nullptr;
    QPointer<SettingsDialog> m_settingsDialog;
    QString m_feedError;
    qint64 m_processesTs = 0;
    bool m_paused = false;
    bool m_quitting = false;
};

} // namespace tidewatch
