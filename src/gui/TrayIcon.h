// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Snapshot.h"

#include <QSystemTrayIcon>

class QAction;
class QMenu;

namespace tidewatch {

/// The system tray entry: a tooltip with CPU and memory, and a menu with
/// show/hide, open dashboard and quit. Only shown where the platform has a tray.
class TrayIcon final : public QSystemTrayIcon
{
    Q_OBJECT
public:
    TrayIcon(QAction *toggleWindow, QAction *openDashboard, QAction *quit,
             QObject *parent = nullptr);
    ~TrayIcon() override;

    void updateFromSnapshot(const Snapshot &snapshot);
    QString toolTipText() const { return m_toolTip; }

Q_SIGNALS:
    void toggleWindowRequested();

private:
    std::unique_ptr<QMenu> m_menu; // QMenu is a widget and QSystemTrayIcon no widget parent
    QString m_toolTip;
};

} // namespace tidewatch
