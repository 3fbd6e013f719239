// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AppSettings.h"

#include <QDialog>

#include <functional>
#include <memory>

class QSettings;

namespace Ui {
class SettingsDialog;
}

namespace tidewatch {

/// Edits AppSettings (the form is ui/settingsdialog.ui). OK validates the
/// form, asks the app to apply it (which may fail: a port in use), and only
/// then stores it and closes; any failure is shown in the dialog.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
public:
    /// Applies settings live; returns false with a message when it cannot.
    using Applier = std::function<bool(const AppSettings &settings, QString *error)>;

    SettingsDialog(const AppSettings &current, QSettings *store, Applier apply,
                   QWidget *parent = nullptr);
    ~SettingsDialog() override;

    /// The settings as the form shows them; `error` explains invalid input.
    bool formSettings(AppSettings *settings, QString *error) const;
    QString errorText() const;

public Q_SLOTS:
    void accept() override;

private:
    void showError(const QString &message);

    std::unique_ptr<Ui::SettingsDialog> m_ui;
    AppSettings m_current;
    QSettings *m_store;
    Applier m_apply;
};

} // namespace tidewatch
