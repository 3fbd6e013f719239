// SPDX-License-Identifier: GPL-3.0-or-later
#include "SettingsDialog.h"

#include "ui_settingsdialog.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
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
    buildTokenRow();
    m_requireToken->setChecked(current.requireToken);
    m_ui->languageNote->setVisible(false);
    m_ui->errorLabel->setVisible(false);

    const auto updateFeedFields = [this] {
        const bool on = m_ui->feedEnabledCheck->isChecked();
        m_ui->bindEdit->setEnabled(on);
        m_ui->portEdit->setEnabled(on);
        m_requireToken->setEnabled(on);
        updateTokenRow();
    };
    updateFeedFields();
    connect(m_ui->feedEnabledCheck, &QCheckBox::toggled, this, updateFeedFields);
    connect(m_ui->bindEdit, &QLineEdit::textChanged, this, &SettingsDialog::updateTokenRow);
    connect(m_requireToken, &QCheckBox::toggled, this, &SettingsDialog::updateTokenRow);
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
    s.requireToken = m_requireToken->isChecked();
    s.intervalMs = m_ui->intervalSpin->value();
    s.theme = AppSettings::themeFromName(m_ui->themeCombo->currentData().toString());
    s.language = m_ui->languageCombo->currentData().toString();
    s.startMinimized = m_ui->startMinimizedCheck->isChecked();
    s.closeToTray = m_ui->closeToTrayCheck->isChecked();
    *settings = s;
    return true;
}

void SettingsDialog::buildTokenRow()
{
    m_requireToken = new QCheckBox(tr("Ask for the access token on this computer too"), this);
    m_requireToken->setObjectName(u"requireTokenCheck"_s);
    m_ui->feedLayout->addRow(m_requireToken);

    m_tokenRow = new QWidget(this);
    auto *row = new QHBoxLayout(m_tokenRow);
    row->setContentsMargins(0, 0, 0, 0);
    m_tokenEdit = new QLineEdit(m_tokenRow);
    m_tokenEdit->setObjectName(u"tokenEdit"_s);
    m_tokenEdit->setReadOnly(true);
    m_tokenEdit->setEchoMode(QLineEdit::Password);
    m_tokenEdit->setMinimumWidth(m_tokenEdit->fontMetrics().averageCharWidth() * 24);
    row->addWidget(m_tokenEdit, 1);
    m_tokenShow = new QToolButton(m_tokenRow);
    m_tokenShow->setObjectName(u"tokenShowButton"_s);
    m_tokenShow->setText(tr("Show"));
    m_tokenShow->setCheckable(true);
    row->addWidget(m_tokenShow);
    auto *copy = new QToolButton(m_tokenRow);
    copy->setObjectName(u"tokenCopyButton"_s);
    copy->setText(tr("Copy"));
    row->addWidget(copy);
    m_regenerate = new QPushButton(tr("Regenerate…"), m_tokenRow);
    m_regenerate->setObjectName(u"tokenRegenerateButton"_s);
    m_regenerate->setAutoDefault(false);
    row->addWidget(m_regenerate);
    m_tokenLabel = new QLabel(tr("Access token:"), this);
    m_tokenLabel->setBuddy(m_tokenEdit);
    m_ui->feedLayout->addRow(m_tokenLabel, m_tokenRow);

    // One short line: wrapped, a form row's label picks a cramped width.
    m_tokenNote = new QLabel(
        tr("Other devices sign in with this token, or simply by scanning the QR code."), this);
    m_tokenNote->setObjectName(u"tokenNote"_s);
    m_ui->feedLayout->addRow(QString(), m_tokenNote);

    connect(m_tokenShow, &QToolButton::toggled, this, [this](bool shown) {
        m_tokenEdit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_tokenShow->setText(shown ? tr("Hide") : tr("Show"));
    });
    connect(copy, &QToolButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_tokenEdit->text()); });
    connect(m_regenerate, &QPushButton::clicked, this, &SettingsDialog::confirmRegenerate);
    updateTokenRow();
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
    if (m_requireToken && m_requireToken->isChecked())
        return true;
    const QString bind = m_ui->bindEdit->text().trimmed();
    if (bind.isEmpty() || bind == "localhost"_L1)
        return false;
    const QHostAddress address(bind == "*"_L1 ? u"0.0.0.0"_s : bind);
    return !address.isNull() && !address.isLoopback();
}

void SettingsDialog::updateTokenRow()
{
    if (!m_tokenRow)
        return;
    const bool shown = m_currentToken && formExposed();
    m_ui->feedLayout->setRowVisible(m_tokenRow, shown);
    m_ui->feedLayout->setRowVisible(m_tokenNote, shown);
    // Only now: asking for the token makes it on first need.
    if (shown && m_tokenEdit->text().isEmpty())
        setToken(m_currentToken());
}

void SettingsDialog::setToken(const QByteArray &token)
{
    m_tokenEdit->setText(QString::fromLatin1(token));
    m_tokenEdit->setCursorPosition(0); // show its start, not a cut-off end
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
