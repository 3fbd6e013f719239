// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AppSettings.h"

#include <QDialog>

#include <functional>
#include <memory>

class QLineEdit;
class QPushButton;
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

    /// Shows the access token row, which reads the token with `current` and
    /// makes a new one with `regenerate`. Without them the row stays hidden.
    void setAccessTokenFunctions(std::function<QByteArray()> current,
                                 std::function<QByteArray()> regenerate);
    /// Whether the form's bind (or "require a token") exposes the feed.
    bool formExposed() const;
    QLineEdit *tokenEdit() const;
    QPushButton *regenerateButton() const;

public Q_SLOTS:
    void accept() override;

private:
    void showError(const QString &message);
    void connectTokenRow();
    void updateTokenRow();
    void confirmRegenerate();
    void setToken(const QByteArray &token);

    std::unique_ptr<Ui::SettingsDialog> m_ui;
    AppSettings m_current;
    QSettings *m_store;
    Applier m_apply;
    std::function<QByteArray()> m_currentToken;
    std::function<QByteArray()> m_regenerateToken;
};

} // namespace tidewatch
