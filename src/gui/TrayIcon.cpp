// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrayIcon.h"

#include "ValueFormat.h"

#include <QAction>
#include <QMenu>

namespace tidewatch {

using namespace Qt::StringLiterals;

TrayIcon::TrayIcon(QAction *toggleWindow, QAction *openDashboard, QAction *quit, QObject *parent)
    : QSystemTrayIcon(QIcon(u":/icons/tidewatch.svg"_s), parent)
    , m_menu(std::make_unique<QMenu>())
{
    m_menu->addAction(toggleWindow);
    m_menu->addAction(openDashboard);
    m_menu->addSeparator();
    m_menu->addAction(quit);
    setContextMenu(m_menu.get());
    m_toolTip = tr("Tidewatch");
    setToolTip(m_toolTip);
    connect(this, &QSystemTrayIcon::activated, this, [this](ActivationReason reason) {
        if (reason == Trigger || reason == DoubleClick)
            Q_EMIT toggleWindowRequested();
    });
}

TrayIcon::~TrayIcon() = default;

void TrayIcon::updateFromSnapshot(const Snapshot &snapshot)
{
    const QString text =
        tr("Tidewatch — CPU %1, memory %2")
            .arg(ValueFormat::format(snapshot.value(u"cpu.total"_s), ValueUnit::Percent),
                 ValueFormat::format(snapshot.value(u"mem.percent"_s), ValueUnit::Percent));
    if (text != m_toolTip) {
        m_toolTip = text;
        setToolTip(text);
    }
}

} // namespace tidewatch
