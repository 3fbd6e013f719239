// SPDX-License-Identifier: GPL-3.0-or-later
#include "Config.h"
#include "EmbeddedFeed.h"
#include "Hub.h"
#include "MainWindow.h"
#include "SettingsDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort(); // closed again when probe goes away
}

bool connectsTo(quint16 port)
{
    QWebSocket socket;
    QSignalSpy connected(&socket, &QWebSocket::connected);
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    QSignalSpy failed(&socket, &QWebSocket::errorOccurred);
#else
    QSignalSpy failed(&socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
#endif
    socket.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(port)));
    if (!QTest::qWaitFor([&] { return connected.count() > 0 || failed.count() > 0; }, 5000))
        return false;
    const bool ok = connected.count() > 0;
    socket.close();
    return ok;
}

} // namespace

class TestSettingsDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(m_dir.isValid());
    }

    void persistsValues()
    {
        const QString file = m_dir.filePath(u"persist.conf"_s);
        Hub hub;
        QSettings store(file, QSettings::IniFormat);
        MainWindow window(&hub, nullptr, nullptr, &store, AppSettings());
        SettingsDialog *dialog = window.openSettings();
        QVERIFY(dialog->isVisible());
        dialog->findChild<QCheckBox *>(u"feedEnabledCheck"_s)->setChecked(false);
        dialog->findChild<QLineEdit *>(u"portEdit"_s)->setText(u"9123"_s);
        dialog->findChild<QSpinBox *>(u"intervalSpin"_s)->setValue(250);
        auto *theme = dialog->findChild<QComboBox *>(u"themeCombo"_s);
        theme->setCurrentIndex(theme->findData(u"dark"_s));
        auto *language = dialog->findChild<QComboBox *>(u"languageCombo"_s);
        language->setCurrentIndex(language->findData(u"de"_s));
        dialog->findChild<QCheckBox *>(u"closeToTrayCheck"_s)->setChecked(true);
        dialog->findChild<QCheckBox *>(u"startMinimizedCheck"_s)->setChecked(true);
        QSignalSpy accepted(dialog, &QDialog::accepted);
        dialog->accept();
        QCOMPARE(accepted.count(), 1);

        // Applied live ...
        QCOMPARE(window.settings().intervalMs, 250);
        QCOMPARE(window.settings().theme, AppSettings::Theme::Dark);
        QVERIFY(window.findChild<QLabel *>(u"intervalLabel"_s)->text().contains(u"250"_s));
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
        QTRY_VERIFY(window.palette().color(QPalette::Window).lightness() < 100);
        window.applySettings(
            [&] {
                AppSettings s = window.settings();
                s.theme = AppSettings::Theme::System;
                return s;
            }(),
            nullptr);

        // ... and stored: a fresh load of the same file gives the same values,
        // with the shared keys where ConfigLoader (and tidewatchd) read them.
        QSettings reread(file, QSettings::IniFormat);
        QCOMPARE(reread.value(u"feed/port"_s).toInt(), 9123);
        QCOMPARE(reread.value(u"sampler/interval_ms"_s).toInt(), 250);
        Config config;
        config.port = reread.value(u"feed/port"_s).toInt();
        config.intervalMs = reread.value(u"sampler/interval_ms"_s).toInt();
        const AppSettings loaded = AppSettings::load(reread, config);
        QCOMPARE(loaded.feedEnabled, false);
        QCOMPARE(loaded.port, 9123);
        QCOMPARE(loaded.theme, AppSettings::Theme::Dark);
        QCOMPARE(loaded.language, u"de"_s);
        QCOMPARE(loaded.closeToTray, true);
        QCOMPARE(loaded.startMinimized, true);
    }

    void rejectsInvalidPort_data()
    {
        QTest::addColumn<QString>("port");
        QTest::newRow("too big") << u"70000"_s;
        QTest::newRow("negative") << u"-1"_s;
        QTest::newRow("not a number") << u"http"_s;
        QTest::newRow("empty") << QString();
    }

    void rejectsInvalidPort()
    {
        QFETCH(QString, port);
        const QString file = m_dir.filePath(u"invalid.conf"_s);
        Hub hub;
        QSettings store(file, QSettings::IniFormat);
        MainWindow window(&hub, nullptr, nullptr, &store, AppSettings());
        SettingsDialog *dialog = window.openSettings();
        dialog->findChild<QLineEdit *>(u"portEdit"_s)->setText(port);
        QSignalSpy accepted(dialog, &QDialog::accepted);
        dialog->accept();
        QCOMPARE(accepted.count(), 0);
        QVERIFY(dialog->isVisible());
        QVERIFY2(dialog->errorText().contains(u"not a valid port"_s),
                 qPrintable(dialog->errorText()));
        QVERIFY(dialog->findChild<QLabel *>(u"errorLabel"_s)->isVisible());
        QVERIFY(!store.contains(u"feed/port"_s));
        QCOMPARE(window.settings().port, 8765);
    }

    void changingThePortMovesTheServer()
    {
        Hub hub;
        EmbeddedFeed feed(&hub, {});
        QString error;
        QVERIFY2(feed.start(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        const quint16 oldPort = feed.port();
        AppSettings settings;
        settings.port = 0;
        QSettings store(m_dir.filePath(u"move.conf"_s), QSettings::IniFormat);
        MainWindow window(&hub, nullptr, &feed, &store, settings);

        const quint16 newPort = freePort();
        QVERIFY(newPort != 0 && newPort != oldPort);
        SettingsDialog *dialog = window.openSettings();
        dialog->findChild<QLineEdit *>(u"portEdit"_s)->setText(QString::number(newPort));
        QSignalSpy accepted(dialog, &QDialog::accepted);
        dialog->accept();
        QVERIFY2(accepted.count() == 1, qPrintable(dialog->errorText()));

        QCOMPARE(feed.port(), newPort);
        QVERIFY(connectsTo(newPort));
        QVERIFY(!connectsTo(oldPort));
        QVERIFY(window.findChild<QLabel *>(u"feedUrlLabel"_s)
                    ->text()
                    .contains(QString::number(newPort)));
        QCOMPARE(store.value(u"feed/port"_s).toInt(), int(newPort));
    }

    void portInUseKeepsTheOldServer()
    {
        Hub hub;
        EmbeddedFeed feed(&hub, {});
        QString error;
        QVERIFY2(feed.start(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        const quint16 oldPort = feed.port();
        AppSettings settings;
        settings.port = 0;
        QSettings store(m_dir.filePath(u"busy.conf"_s), QSettings::IniFormat);
        MainWindow window(&hub, nullptr, &feed, &store, settings);

        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        SettingsDialog *dialog = window.openSettings();
        dialog->findChild<QLineEdit *>(u"portEdit"_s)
            ->setText(QString::number(squatter.serverPort()));
        QSignalSpy accepted(dialog, &QDialog::accepted);
        dialog->accept();
        QCOMPARE(accepted.count(), 0);
        QVERIFY(dialog->isVisible());
        const QString message = dialog->errorText();
        QVERIFY2(message.contains(QString::number(squatter.serverPort())) &&
                     message.contains(u"keeps running"_s),
                 qPrintable(message));
        QCOMPARE(feed.port(), oldPort);
        QVERIFY(connectsTo(oldPort));
        QVERIFY(!store.contains(u"feed/port"_s));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
