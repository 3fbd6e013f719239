// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"

#include "Appearance.h"
#include "EmbeddedFeed.h"
#include "Hub.h"
#include "OverviewPage.h"
#include "ProcessTableModel.h"
#include "QrCodeDialog.h"
#include "Sampler.h"
#include "SettingsDialog.h"
#include "TrayIcon.h"
#include "ui_mainwindow.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QHostAddress>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSvgRenderer>
#include <QSysInfo>
#include <QToolBar>
#include <QUrl>

namespace tidewatch {

using namespace Qt::StringLiterals;

namespace {

// A theme icon where the desktop has one (Breeze on Plasma), otherwise our
// SVG drawn in the palette's text colour, so it reads on light and dark.
QIcon themedIcon(const QString &themeName, const QString &file, const QColor &color)
{
    if (QIcon::hasThemeIcon(themeName))
        return QIcon::fromTheme(themeName);
    QSvgRenderer renderer(u":/icons/"_s + file);
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48}) {
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter p(&image);
        renderer.render(&p);
        p.setCompositionMode(QPainter::CompositionMode_SourceIn);
        p.fillRect(image.rect(), color);
        p.end();
        icon.addPixmap(QPixmap::fromImage(image));
    }
    return icon;
}

bool isStoreWindow(int seconds)
{
    return seconds > MainWindow::LongestLiveWindowSeconds;
}

QString intervalText(int ms)
{
    if (ms % 1000 == 0)
        return MainWindow::tr("%n s", nullptr, ms / 1000);
    return MainWindow::tr("%1 ms").arg(ms);
}

} // namespace

MainWindow::MainWindow(Hub *hub, Sampler *sampler, EmbeddedFeed *feed, QSettings *store,
                       const AppSettings &settings, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_hub(hub)
    , m_sampler(sampler)
    , m_feed(feed)
    , m_store(store)
    , m_settings(settings)
{
    m_ui->setupUi(this);
    setWindowIcon(QIcon(u":/icons/tidewatch.svg"_s));
    m_host = sampler && !sampler->host().isEmpty() ? sampler->host() : QSysInfo::machineHostName();
    setWindowTitle(tr("Tidewatch — %1").arg(m_host));

    // Overview page.
    m_overview = new OverviewPage(hub);
    m_overview->setObjectName(u"overviewPage"_s);
    m_ui->overviewScroll->setWidget(m_overview);

    // Processes page.
    m_processModel = new ProcessTableModel(this);
    m_processProxy = new QSortFilterProxyModel(this);
    m_processProxy->setSourceModel(m_processModel);
    m_processProxy->setSortRole(ProcessTableModel::SortRole);
    m_processProxy->setFilterKeyColumn(ProcessTableModel::Name);
    m_processProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_processProxy->setDynamicSortFilter(true);
    m_ui->processView->setModel(m_processProxy);
    m_ui->processView->sortByColumn(ProcessTableModel::Cpu, Qt::DescendingOrder);
    m_ui->processView->verticalHeader()->hide();
    m_ui->processView->horizontalHeader()->setSectionResizeMode(ProcessTableModel::Name,
                                                                QHeaderView::Stretch);
    m_ui->processView->horizontalHeader()->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_ui->processView->setColumnWidth(ProcessTableModel::Pid, 90);
    m_ui->processView->setColumnWidth(ProcessTableModel::Cpu, 110);
    m_ui->processView->setColumnWidth(ProcessTableModel::Memory, 130);
    connect(m_ui->processFilter, &QLineEdit::textChanged, m_processProxy,
            &QSortFilterProxyModel::setFilterFixedString);

    // Toolbar: time window, then settings at the far right.
    auto *windowLabel = new QLabel(tr("Time window:"), this);
    windowLabel->setContentsMargins(8, 0, 4, 0);
    m_timeWindow = new QComboBox(this);
    m_timeWindow->setObjectName(u"timeWindowCombo"_s);
    m_timeWindow->addItem(tr("1 minute"), 60);
    m_timeWindow->addItem(tr("5 minutes"), 300);
    m_timeWindow->addItem(tr("15 minutes"), 900);
    m_timeWindow->addItem(tr("1 hour"), 3600);
    // From the history store; enabled by updateRangeChoices.
    m_timeWindow->addItem(tr("6 hours"), 6 * 3600);
    m_timeWindow->addItem(tr("24 hours"), 24 * 3600);
    m_timeWindow->addItem(tr("7 days"), 7 * 24 * 3600);
    m_timeWindow->addItem(tr("30 days"), 30 * 24 * 3600);
    m_timeWindow->setToolTip(
        tr("Up to 1 hour from memory; longer windows from the history store. Drag across a "
           "chart to zoom in."));
    windowLabel->setBuddy(m_timeWindow);
    m_ui->mainToolBar->addSeparator();
    m_ui->mainToolBar->addWidget(windowLabel);
    m_ui->mainToolBar->addWidget(m_timeWindow);
    m_ui->mainToolBar->addAction(m_ui->actionResetZoom);
    auto *spacer = new QWidget(this);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_ui->mainToolBar->addWidget(spacer);
    m_ui->mainToolBar->addAction(m_ui->actionSettings);
    connect(m_timeWindow, &QComboBox::currentIndexChanged, this,
            [this](int index) { setTimeWindowSeconds(m_timeWindow->itemData(index).toInt()); });

    // Status bar.
    m_feedUrl = new QLabel(this);
    m_feedUrl->setObjectName(u"feedUrlLabel"_s);
    m_feedUrl->setTextFormat(Qt::RichText);
    m_feedUrl->setOpenExternalLinks(true);
    m_clientCount = new QLabel(this);
    m_clientCount->setObjectName(u"clientCountLabel"_s);
    m_interval = new QLabel(this);
    m_interval->setObjectName(u"intervalLabel"_s);
    m_storeLabel = new QLabel(this);
    m_storeLabel->setObjectName(u"storeStatusLabel"_s);
    statusBar()->addWidget(m_feedUrl, 1);
    statusBar()->addPermanentWidget(m_storeLabel);
    statusBar()->addPermanentWidget(m_clientCount);
    statusBar()->addPermanentWidget(m_interval);

    // Actions.
    m_toggleWindow = new QAction(tr("Show/Hide Tidewatch"), this);
    connect(m_toggleWindow, &QAction::triggered, this, &MainWindow::toggleVisible);
    connect(m_ui->actionOpenDashboard, &QAction::triggered, this, &MainWindow::openDashboard);
    connect(m_ui->actionCopyUrl, &QAction::triggered, this, &MainWindow::copyUrl);
    connect(m_ui->actionShowQrCode, &QAction::triggered, this, &MainWindow::showQrCode);
    connect(m_ui->actionPause, &QAction::toggled, this, &MainWindow::setPaused);
    connect(m_ui->actionSettings, &QAction::triggered, this, &MainWindow::openSettings);
    connect(m_ui->actionQuit, &QAction::triggered, this, &MainWindow::quit);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->actionResetZoom, &QAction::triggered, m_overview, &OverviewPage::resetZoom);
    connect(m_ui->actionExportCsv, &QAction::triggered, this, &MainWindow::exportCsvInteractively);
    connect(m_overview, &OverviewPage::zoomChanged, this, &MainWindow::onZoomChanged);
    // The shortcuts work with the toolbar hidden too.
    addAction(m_ui->actionPause);
    addAction(m_ui->actionResetZoom);
    addAction(m_ui->actionExportCsv);

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new TrayIcon(m_toggleWindow, m_ui->actionOpenDashboard, m_ui->actionQuit, this);
        connect(m_tray, &TrayIcon::toggleWindowRequested, this, &MainWindow::toggleVisible);
        m_tray->show();
    }

    connect(hub, &Hub::snapshotPublished, this, &MainWindow::onSnapshot);
    if (m_feed) {
        connect(m_feed, &EmbeddedFeed::stateChanged, this, &MainWindow::updateFeedStatus);
        connect(m_feed, &EmbeddedFeed::clientCountChanged, this, &MainWindow::updateClientCount);
    }
    if (m_sampler)
        connect(m_sampler, &Sampler::intervalChanged, this, &MainWindow::updateInterval);

    updateRangeChoices();
    updateStoreLabel();
    // A remembered store window waits for setHistorySource; until then, 5 min.
    const int saved = settings.timeWindowSeconds;
    const bool savedIsLive = !isStoreWindow(saved) && m_timeWindow->findData(saved) >= 0;
    showWindow(savedIsLive ? saved : 300, savedIsLive);
    updateFeedStatus();
    updateInterval(m_sampler ? m_sampler->intervalMs() : settings.intervalMs);
    updateIcons();
    if (hub->latest())
        onSnapshot(hub->latest());

    resize(1280, 800);
    if (m_store) {
        restoreGeometry(m_store->value(u"window/geometry"_s).toByteArray());
        restoreState(m_store->value(u"window/state"_s).toByteArray());
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::onSnapshot(const SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    // Per-process CPU % is noisy at 10 Hz and a table that reshuffles ten
    // times a second is unreadable: refresh it at most once a second.
    if (!m_paused && snapshot->ts - m_processesTs >= 1000) {
        m_processesTs = snapshot->ts;
        m_processModel->setProcesses(snapshot->processes);
    }
    if (m_tray)
        m_tray->updateFromSnapshot(*snapshot);
}

bool MainWindow::setTimeWindowSeconds(int seconds)
{
    return showWindow(seconds, true);
}

// `remember`: the user's choice, kept for the next start. Not when the app
// falls back to a live window because the store is not (yet) there.
bool MainWindow::showWindow(int seconds, bool remember)
{
    const int index = m_timeWindow->findData(seconds);
    if (index < 0 || (isStoreWindow(seconds) && !isHistoryAvailable())) {
        // Put the combo back on what is shown (it may have been moved there).
        const QSignalBlocker blocker(m_timeWindow);
        m_timeWindow->setCurrentIndex(m_timeWindow->findData(m_shownWindowSeconds));
        return false;
    }
    if (m_timeWindow->currentIndex() != index) {
        const QSignalBlocker blocker(m_timeWindow);
        m_timeWindow->setCurrentIndex(index);
    }
    if (m_shownWindowSeconds != seconds) {
        m_shownWindowSeconds = seconds;
        if (isStoreWindow(seconds))
            m_overview->showStoredWindow(qint64(seconds) * 1000);
        else
            m_overview->setTimeWindow(qint64(seconds) * 1000);
    }
    if (remember && m_settings.timeWindowSeconds != seconds) {
        m_settings.timeWindowSeconds = seconds;
        if (m_store)
            m_store->setValue(u"gui/time_window_s"_s, seconds);
    }
    return true;
}

bool MainWindow::isHistoryAvailable() const
{
    return m_history && m_storeStatus.state != StoreStatus::State::Off &&
           m_storeStatus.state != StoreStatus::State::Failed;
}

void MainWindow::setHistorySource(HistorySource *source)
{
    m_history = source;
    m_overview->setHistorySource(source);
    setStoreStatus(source ? source->status() : StoreStatus());
    // The window remembered from the last run, once it can be shown.
    if (isHistoryAvailable() && isStoreWindow(m_settings.timeWindowSeconds) &&
        m_shownWindowSeconds != m_settings.timeWindowSeconds)
        showWindow(m_settings.timeWindowSeconds, false);
}

void MainWindow::setStoreStatus(const StoreStatus &status)
{
    m_storeStatus = status;
    updateStoreLabel();
    updateRangeChoices();
    // The remembered choice stays: it comes back with the store.
    if (isStoreWindow(m_shownWindowSeconds) && !isHistoryAvailable())
        showWindow(LongestLiveWindowSeconds, false);
}

void MainWindow::updateRangeChoices()
{
    QString why;
    if (m_storeStatus.state == StoreStatus::State::Failed)
        why = tr("The history store failed: %1").arg(m_storeStatus.message);
    else if (!m_history || m_storeStatus.state == StoreStatus::State::Off)
        why = tr("History is off, so only the last hour (kept in memory) can be shown. Start "
                 "Tidewatch without --no-history to keep history.");
    auto *model = qobject_cast<QStandardItemModel *>(m_timeWindow->model());
    for (int i = 0; i < m_timeWindow->count(); ++i) {
        if (!isStoreWindow(m_timeWindow->itemData(i).toInt()))
            continue;
        if (QStandardItem *item = model ? model->item(i) : nullptr)
            item->setEnabled(why.isEmpty());
        m_timeWindow->setItemData(i, why.isEmpty() ? tr("From the history store") : why,
                                  Qt::ToolTipRole);
    }
}

void MainWindow::updateStoreLabel()
{
    const StoreStatus &s = m_storeStatus;
    const QString backend = s.backend == "postgresql"_L1 ? u"PostgreSQL"_s
                            : s.backend == "sqlite"_L1   ? u"SQLite"_s
                                                         : s.backend;
    QString text;
    QString tip;
    QColor color;
    switch (s.state) {
    case StoreStatus::State::Off:
        text = tr("History off");
        tip = tr("No history is kept: windows longer than an hour are not available.");
        break;
    case StoreStatus::State::Ok:
        text = backend.isEmpty() ? tr("History") : tr("History: %1").arg(backend);
        tip = tr("History kept in %1").arg(s.location) + u'\n' +
              tr("%1 points written, %2 waiting").arg(s.writtenPoints).arg(s.pendingPoints);
        break;
    case StoreStatus::State::Degraded:
        text = tr("History degraded");
        tip = s.message;
        if (s.spooledBlocks > 0 || s.droppedPoints > 0)
            tip += u'\n' + tr("%1 blocks spooled, %2 points dropped")
                               .arg(s.spooledBlocks)
                               .arg(s.droppedPoints);
        color = QColor(0xf6, 0x74, 0x00);
        break;
    case StoreStatus::State::Failed:
        text = tr("History failed");
        tip = s.message;
        color = QColor(0xda, 0x44, 0x53);
        break;
    }
    m_storeLabel->setProperty("state", int(s.state));
    m_storeLabel->setText(text);
    m_storeLabel->setToolTip(tip);
    QPalette pal = palette();
    if (color.isValid())
        pal.setColor(QPalette::WindowText, color);
    m_storeLabel->setPalette(pal);
}

void MainWindow::onZoomChanged(bool zoomed)
{
    m_ui->actionResetZoom->setEnabled(zoomed);
    if (zoomed)
        statusBar()->showMessage(tr("Zoomed in: live drawing stops until you reset the zoom "
                                    "(Esc, or double-click a chart)."));
    else if (!m_paused)
        statusBar()->clearMessage();
}

QAction *MainWindow::resetZoomAction() const
{
    return m_ui->actionResetZoom;
}

QAction *MainWindow::exportCsvAction() const
{
    return m_ui->actionExportCsv;
}

TimeTable MainWindow::visibleTable() const
{
    TimeTable table = m_overview->visibleTable();
    table.host = m_host;
    return table;
}

QString MainWindow::proposedCsvName() const
{
    const TimeTable table = visibleTable();
    return proposedCsvFileName(m_host, table.fromTs, table.toTs);
}

bool MainWindow::exportCsv(const QString &path, QString *error)
{
    return writeTimeTableCsv(visibleTable(), path, error);
}

void MainWindow::exportCsvInteractively()
{
    // Take the table now: the charts move on while the dialog is open.
    const TimeTable table = visibleTable();
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Visible Range as CSV"),
        QDir(dir).filePath(proposedCsvFileName(m_host, table.fromTs, table.toTs)),
        tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!writeTimeTableCsv(table, path, &error)) {
        QMessageBox::warning(this, tr("Export failed"), error);
        return;
    }
    statusBar()->showMessage(
        tr("Exported %n row(s) to %1", nullptr, int(table.ts.size())).arg(path), 5000);
}

void MainWindow::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    m_ui->actionPause->setChecked(paused);
    m_ui->actionPause->setText(paused ? tr("&Resume") : tr("&Pause"));
    m_overview->setPaused(paused);
    updateIcons();
    if (paused)
        statusBar()->showMessage(tr("Paused: the charts are frozen; sampling and the feed go on."));
    else
        statusBar()->clearMessage();
}

void MainWindow::setFeedError(const QString &error)
{
    m_feedError = error;
    updateFeedStatus();
}

void MainWindow::updateFeedStatus()
{
    const bool running = m_feed && m_feed->isRunning();
    if (running) {
        const QString url = m_feed->url();
        m_feedUrl->setText(tr("Feed: %1").arg(u"<a href=\"%1\">%1</a>"_s.arg(url.toHtmlEscaped())));
        m_feedUrl->setToolTip(tr("Open this address in any browser to see the live dashboard."));
        m_feedError.clear();
    } else if (!m_feedError.isEmpty()) {
        m_feedUrl->setText(tr("Feed not running: %1").arg(m_feedError.toHtmlEscaped()));
        m_feedUrl->setToolTip(QString());
    } else {
        m_feedUrl->setText(tr("Feed off"));
        m_feedUrl->setToolTip(QString());
    }
    for (QAction *a : {m_ui->actionOpenDashboard, m_ui->actionCopyUrl, m_ui->actionShowQrCode})
        a->setEnabled(running);
    m_clientCount->setVisible(running);
    updateClientCount(running ? m_feed->clientCount() : 0);
}

void MainWindow::updateClientCount(int count)
{
    m_clientCount->setProperty("count", count);
    m_clientCount->setText(tr("%n browser(s) connected", nullptr, count));
}

void MainWindow::updateInterval(int ms)
{
    m_interval->setText(tr("Sampling every %1").arg(intervalText(ms)));
}

void MainWindow::updateIcons()
{
    const QColor color = palette().color(QPalette::ButtonText);
    m_ui->actionOpenDashboard->setIcon(
        themedIcon(u"internet-web-browser"_s, u"open-dashboard.svg"_s, color));
    m_ui->actionCopyUrl->setIcon(themedIcon(u"edit-copy"_s, u"copy.svg"_s, color));
    m_ui->actionShowQrCode->setIcon(themedIcon(u"view-barcode-qr"_s, u"qr-code.svg"_s, color));
    m_ui->actionPause->setIcon(m_paused
                                   ? themedIcon(u"media-playback-start"_s, u"resume.svg"_s, color)
                                   : themedIcon(u"media-playback-pause"_s, u"pause.svg"_s, color));
    m_ui->actionSettings->setIcon(themedIcon(u"configure"_s, u"settings.svg"_s, color));
    m_ui->actionResetZoom->setIcon(themedIcon(u"zoom-original"_s, u"zoom-reset.svg"_s, color));
    m_ui->actionExportCsv->setIcon(themedIcon(u"document-export"_s, u"export.svg"_s, color));
    m_ui->actionQuit->setIcon(themedIcon(u"application-exit"_s, u"quit.svg"_s, color));
    m_ui->actionAbout->setIcon(QIcon(u":/icons/tidewatch.svg"_s));
}

bool MainWindow::applySettings(const AppSettings &next, QString *error)
{
    // The feed first: it is the part that can fail, and a failure must
    // leave everything as it was.
    if (m_feed) {
        m_feed->setRequireToken(next.requireToken);
        if (next.feedEnabled) {
            const bool moved = !m_feed->isRunning() || next.bind != m_settings.bind ||
                               next.port != m_settings.port;
            if (moved) {
                QString why;
                if (!m_feed->start(QHostAddress(next.bind), quint16(next.port), &why)) {
                    m_feed->setRequireToken(m_settings.requireToken);
                    if (error) {
                        *error = m_feed->isRunning()
                                     ? tr("The feed cannot listen on %1 port %2: %3. It keeps "
                                          "running at %4.")
                                           .arg(next.bind, QString::number(next.port), why,
                                                m_feed->url())
                                     : tr("The feed cannot listen on %1 port %2: %3.")
                                           .arg(next.bind, QString::number(next.port), why);
                    }
                    return false;
                }
            }
        } else {
            m_feed->stop();
        }
    }
    if (next.intervalMs != m_settings.intervalMs ||
        (m_sampler && m_sampler->intervalMs() != next.intervalMs)) {
        if (m_sampler)
            m_sampler->setIntervalMs(next.intervalMs);
        if (m_feed)
            m_feed->setSampleIntervalMs(next.intervalMs);
        updateInterval(next.intervalMs);
    }
    if (next.theme != m_settings.theme)
        Appearance::applyTheme(next.theme);
    m_settings = next;
    updateFeedStatus();
    return true;
}

SettingsDialog *MainWindow::openSettings()
{
    if (m_settingsDialog) {
        m_settingsDialog->raise();
        m_settingsDialog->activateWindow();
        return m_settingsDialog;
    }
    auto *dialog = new SettingsDialog(
        m_settings, m_store,
        [this](const AppSettings &s, QString *error) { return applySettings(s, error); }, this);
    if (m_store && m_feed) {
        dialog->setAccessTokenFunctions([this] { return AppSettings::accessToken(*m_store); },
                                        [this] { return regenerateAccessToken(); });
    }
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    m_settingsDialog = dialog;
    dialog->show();
    return dialog;
}

QByteArray MainWindow::regenerateAccessToken()
{
    if (!m_store)
        return {};
    const QByteArray token = AppSettings::regenerateAccessToken(*m_store);
    if (m_feed)
        m_feed->setAccessToken(token);
    return token;
}

void MainWindow::openDashboard()
{
    // The browser here has no session yet: a login link signs it in.
    if (m_feed && m_feed->isRunning())
        QDesktopServices::openUrl(QUrl(m_feed->loginLink(false)));
}

void MainWindow::copyUrl()
{
    if (!m_feed || !m_feed->isRunning())
        return;
    // A fresh one-time link each time: the token itself never leaves the app.
    QGuiApplication::clipboard()->setText(m_feed->loginLink(true));
    if (m_feed->authRequired())
        statusBar()->showMessage(
            tr("Copied a login link for %1: it works once, within 5 minutes").arg(m_feed->url()),
            5000);
    else
        statusBar()->showMessage(tr("Copied %1 to the clipboard").arg(m_feed->url()), 3000);
}

QrCodeDialog *MainWindow::showQrCode()
{
    if (!m_feed || !m_feed->isRunning())
        return nullptr;
    const bool once = m_feed->authRequired();
    auto *dialog = new QrCodeDialog(m_feed->loginLink(true), once, this);
    if (once) {
        connect(dialog, &QrCodeDialog::newLinkRequested, this, [this, dialog] {
            if (m_feed && m_feed->isRunning())
                dialog->setUrl(m_feed->loginLink(true));
        });
    }
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Tidewatch"),
        tr("<h3>Tidewatch %1</h3><p>A system monitor you can both see and share: one sampler "
           "drives this window and every browser that opens the feed.</p>"
           "<p>License: GPL-3.0-or-later</p>")
            .arg(QCoreApplication::applicationVersion()));
}

void MainWindow::toggleVisible()
{
    if (isVisible() && !isMinimized()) {
        hide();
    } else {
        showNormal();
        raise();
        activateWindow();
    }
}

void MainWindow::saveWindowState()
{
    if (!m_store)
        return;
    m_store->setValue(u"window/geometry"_s, saveGeometry());
    m_store->setValue(u"window/state"_s, saveState());
}

void MainWindow::quit()
{
    m_quitting = true;
    saveWindowState();
    Q_EMIT quitRequested();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_quitting && m_settings.closeToTray && m_tray && m_tray->isVisible()) {
        saveWindowState();
        hide();
        event->ignore();
        return;
    }
    saveWindowState();
    event->accept();
    if (!m_quitting) {
        m_quitting = true;
        Q_EMIT quitRequested();
    }
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateIcons();
}

} // namespace tidewatch
