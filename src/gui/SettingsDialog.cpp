// SPDX-License-Identifier: GPL-3.0-or-later
#include "SettingsDialog.h"

#include "ui_settingsdialog.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHostAddress>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QToolButton>

namespace tidewatch {

using namespace Qt::StringLiterals;

SettingsDialog::SettingsDialog(const AppSettings &current, QSettings *store, Applier apply,
                               QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SettingsDialog>())
    , m_current(current)
    , m_store(store)
    , m_apply(std::move(apply))
{
    m_ui->setupUi(this);
    m_ui->themeCombo->addItem(tr("Follow the system"),
                              AppSettings::themeName(AppSettings::Theme::System));
    m_ui->themeCombo->addItem(tr("Light"), AppSettings::themeName(AppSettings::Theme::Light));
    m_ui->themeCombo->addItem(tr("Dark"), AppSettings::themeName(AppSettings::Theme::Dark));
    m_ui->languageCombo->addItem(tr("System language"), QString());
    // Languages are named in themselves, so a user can find their own.
    m_ui->languageCombo->addItem(u"English"_s, u"en"_s);
    m_ui->languageCombo->addItem(u"Deutsch"_s, u"de"_s);
    m_ui->languageCombo->addItem(u"Español"_s, u"es"_s);
    m_ui->languageCombo->addItem(u"Français"_s, u"fr"_s);
    m_ui->languageCombo->addItem(u"简体中文"_s, u"zh_CN"_s);

    m_ui->feedEnabledCheck->setChecked(current.feedEnabled);
    m_ui->bindEdit->setText(current.bind);
    m_ui->portEdit->setText(QString::number(current.port));
    m_ui->intervalSpin->setValue(current.intervalMs);
    m_ui->themeCombo->setCurrentIndex(
        std::max(0, m_ui->themeCombo->findData(AppSettings::themeName(current.theme))));
    m_ui->languageCombo->setCurrentIndex(
        std::max(0, m_ui->languageCombo->findData(current.language)));
    m_ui->startMinimizedCheck->setChecked(current.startMinimized);
    m_ui->closeToTrayCheck->setChecked(current.closeToTray);
    m_ui->requireTokenCheck->setChecked(current.requireToken);
    connectTokenRow();
    m_ui->languageNote->setVisible(false);
    m_ui->errorLabel->setVisible(false);

    const auto updateFeedFields = [this] {
        const bool on = m_ui->feedEnabledCheck->isChecked();
        m_ui->bindEdit->setEnabled(on);
        m_ui->portEdit->setEnabled(on);
        m_ui->requireTokenCheck->setEnabled(on);
        updateTokenRow();
    };
    updateFeedFields();
    connect(m_ui->feedEnabledCheck, &QCheckBox::toggled, this, updateFeedFields);
    connect(m_ui->languageCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_ui->languageNote->setVisible(m_ui->languageCombo->currentData().toString() !=
                                       m_current.language);
    });
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
}

SettingsDialog::~SettingsDialog() = default;

bool SettingsDialog::formSettings(AppSettings *settings, QString *error) const
{
    AppSettings s = m_current;
    s.feedEnabled = m_ui->feedEnabledCheck->isChecked();

    QString bind = m_ui->bindEdit->text().trimmed();
    if (bind.isEmpty() || bind == "localhost"_L1)
        bind = u"127.0.0.1"_s;
    else if (bind == "*"_L1)
        bind = u"0.0.0.0"_s;
    if (QHostAddress(bind).isNull()) {
        *error = tr("\"%1\" is not an IP address. Use 127.0.0.1 for this computer only, or "
                    "0.0.0.0 for every network.")
                     .arg(m_ui->bindEdit->text().trimmed());
        return false;
    }
    s.bind = bind;

    bool ok = false;
    const QString portText = m_ui->portEdit->text().trimmed();
    const int port = portText.toInt(&ok);
    if (!ok || port < 0 || port > 65535) {
        *error = tr("\"%1\" is not a valid port. Enter a whole number from 1 to 65535 "
                    "(or 0 for any free port).")
                     .arg(portText);
        return false;
    }
    s.port = port;
    s.requireToken = m_ui->requireTokenCheck->isChecked();
    s.intervalMs = m_ui->intervalSpin->value();
    s.theme = AppSettings::themeFromName(m_ui->themeCombo->currentData().toString());
    s.language = m_ui->languageCombo->currentData().toString();
    s.startMinimized = m_ui->startMinimizedCheck->isChecked();
    s.closeToTray = m_ui->closeToTrayCheck->isChecked();
    *settings = s;
    return true;
}

void SettingsDialog::connectTokenRow()
{
    // Room for the start of a token; the rest scrolls, masked or not.
    m_ui->tokenEdit->setMinimumWidth(m_ui->tokenEdit->fontMetrics().averageCharWidth() * 24);
    connect(m_ui->tokenShowButton, &QToolButton::toggled, this, [this](bool shown) {
        m_ui->tokenEdit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_ui->tokenShowButton->setText(shown ? tr("Hide") : tr("Show"));
    });
    connect(m_ui->tokenCopyButton, &QToolButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_ui->tokenEdit->text()); });
    connect(m_ui->tokenRegenerateButton, &QPushButton::clicked, this,
            &SettingsDialog::confirmRegenerate);
    connect(m_ui->bindEdit, &QLineEdit::textChanged, this, &SettingsDialog::updateTokenRow);
    connect(m_ui->requireTokenCheck, &QCheckBox::toggled, this, &SettingsDialog::updateTokenRow);
}

QLineEdit *SettingsDialog::tokenEdit() const
{
    return m_ui->tokenEdit;
}

QPushButton *SettingsDialog::regenerateButton() const
{
    return m_ui->tokenRegenerateButton;
}

void SettingsDialog::setAccessTokenFunctions(std::function<QByteArray()> current,
                                             std::function<QByteArray()> regenerate)
{
    m_currentToken = std::move(current);
    m_regenerateToken = std::move(regenerate);
    updateTokenRow();
}

bool SettingsDialog::formExposed() const
{
    if (!m_ui->feedEnabledCheck->isChecked())
        return false;
    if (m_ui->requireTokenCheck->isChecked())
        return true;
    const QString bind = m_ui->bindEdit->text().trimmed();
    if (bind.isEmpty() || bind == "localhost"_L1)
        return false;
    const QHostAddress address(bind == "*"_L1 ? u"0.0.0.0"_s : bind);
    return !address.isNull() && !address.isLoopback();
}

void SettingsDialog::updateTokenRow()
{
    const bool shown = m_currentToken && formExposed();
    m_ui->feedLayout->setRowVisible(m_ui->tokenRow, shown);
    m_ui->feedLayout->setRowVisible(m_ui->tokenNote, shown);
    // Only now: asking for the token makes it on first need.
    if (shown && m_ui->tokenEdit->text().isEmpty())
        setToken(m_currentToken());
}

void SettingsDialog::setToken(const QByteArray &token)
{
    m_ui->tokenEdit->setText(QString::fromLatin1(token));
    m_ui->tokenEdit->setCursorPosition(0); // show its start, not a cut-off end
}

void SettingsDialog::confirmRegenerate()
{
    if (!m_regenerateToken)
        return;
    QMessageBox box(QMessageBox::Warning, tr("Regenerate the access token?"),
                    tr("Browsers signed in with the current token must sign in again, with "
                       "the new token or a new QR code."),
                    QMessageBox::NoButton, this);
    box.setObjectName(u"regenerateConfirm"_s);
    QPushButton *yes = box.addButton(tr("Regenerate"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != yes)
        return;
    setToken(m_regenerateToken());
}

QString SettingsDialog::errorText() const
{
    return m_ui->errorLabel->isVisibleTo(this) ? m_ui->errorLabel->text() : QString();
}

void SettingsDialog::showError(const QString &message)
{
    m_ui->errorLabel->setText(message);
    QPalette pal = m_ui->errorLabel->palette();
    pal.setColor(QPalette::WindowText, QColor(0xda, 0x44, 0x53));
    m_ui->errorLabel->setPalette(pal);
    m_ui->errorLabel->setVisible(true);
}

void SettingsDialog::accept()
{
    AppSettings next;
    QString error;
    if (!formSettings(&next, &error)) {
        showError(error);
        m_ui->portEdit->setFocus();
        return;
    }
    if (m_apply && !m_apply(next, &error)) {
        showError(error);
        return;
    }
    if (m_store) {
        next.save(*m_store);
        m_store->sync();
    }
    m_current = next;
    m_ui->errorLabel->setVisible(false);
    QDialog::accept();
}

} // namespace tidewatch
