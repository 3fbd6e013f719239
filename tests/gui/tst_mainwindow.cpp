// SPDX-License-Identifier: GPL-3.0-or-later
#include "Appearance.h"
#include "ChartPanel.h"
#include "EmbeddedFeed.h"
#include "Hub.h"
#include "MainWindow.h"
#include "OverviewPage.h"
#include "ProcessTableModel.h"
#include "QrCodeDialog.h"
#include "SnapshotFactory.h"

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLabel>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

using namespace tidewatch;
using namespace tidewatch::testing;
using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        // English plurals ("1 browser", "2 browsers") come from tidewatch_en.qm.
        QCOMPARE(Appearance::installTranslations(u"en"_s), u"en"_s);
        QVERIFY(m_dir.isValid());
    }

    void clientCountFollowsRealClients()
    {
        Hub hub;
        EmbeddedFeed feed(&hub, {});
        QString error;
        QVERIFY2(feed.start(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        QSettings store(m_dir.filePath(u"count.conf"_s), QSettings::IniFormat);
        MainWindow window(&hub, nullptr, &feed, &store, AppSettings());
        window.show();

        QLabel *label = window.findChild<QLabel *>(u"clientCountLabel"_s);
        QVERIFY(label);
        QCOMPARE(label->property("count").toInt(), 0);
        QLabel *url = window.findChild<QLabel *>(u"feedUrlLabel"_s);
        QVERIFY2(url->text().contains(feed.url()), qPrintable(url->text()));

        const QUrl wsUrl(u"ws://127.0.0.1:%1/"_s.arg(feed.port()));
        QWebSocket first;
        first.open(wsUrl);
        QTRY_COMPARE(label->property("count").toInt(), 1);
        QVERIFY2(label->text().contains(u"1 browser connected"_s), qPrintable(label->text()));

        QWebSocket second;
        second.open(wsUrl);
        QTRY_COMPARE(label->property("count").toInt(), 2);
        QVERIFY2(label->text().contains(u"2 browsers"_s), qPrintable(label->text()));

        first.close();
        QTRY_COMPARE(label->property("count").toInt(), 1);
        second.close();
        QTRY_COMPARE(label->property("count").toInt(), 0);
        QVERIFY2(label->text().contains(u"0"_s), qPrintable(label->text()));
    }

    void timeWindowComboChangesAxes()
    {
        Hub hub(60 * 60 * 1000);
        const CatalogPtr catalog = machineCatalog();
        const qint64 t0 = 1'700'000'000'000;
        for (int i = 0; i < 10; ++i)
            hub.publish(
                snapshotAt(catalog, t0 + i * 1000, quint64(i + 1), {{u"cpu.total"_s, 5.0}}));
        QSettings store(m_dir.filePath(u"window.conf"_s), QSettings::IniFormat);
        MainWindow window(&hub, nullptr, nullptr, &store, AppSettings());
        QComboBox *combo = window.findChild<QComboBox *>(u"timeWindowCombo"_s);
        QVERIFY(combo);
        QDateTimeAxis *axis = window.overview()->cpuPanel()->timeAxis();
        const auto span = [axis] {
            return axis->max().toMSecsSinceEpoch() - axis->min().toMSecsSinceEpoch();
        };
        QCOMPARE(span(), 300'000);
        combo->setCurrentIndex(combo->findData(60));
        QCOMPARE(span(), 60'000);
        combo->setCurrentIndex(combo->findData(3600));
        QCOMPARE(span(), 3'600'000);
        QCOMPARE(window.overview()->diskPanel()->timeAxis()->min(), axis->min());
        QCOMPARE(store.value(u"gui/time_window_s"_s).toInt(), 3600); // remembered
    }

    void processesFollowSnapshots()
    {
        Hub hub;
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        ProcessSummary processes;
        processes.topCpu = {{7, u"stress"_s, 180.0, 1000}, {8, u"idle"_s, 0.5, 2000}};
        hub.publish(snapshotAt(machineCatalog(), 1'700'000'000'000, 1, {}, processes));
        QCOMPARE(window.processModel()->rowCount(), 2);
        QSortFilterProxyModel *proxy = window.processProxy();
        QCOMPARE(proxy->index(0, ProcessTableModel::Name).data().toString(), u"stress"_s);
        proxy->sort(ProcessTableModel::Memory, Qt::DescendingOrder);
        QCOMPARE(proxy->index(0, ProcessTableModel::Name).data().toString(), u"idle"_s);
    }

    void geometryIsRemembered()
    {
        Hub hub;
        const QString file = m_dir.filePath(u"geometry.conf"_s);
        {
            QSettings store(file, QSettings::IniFormat);
            MainWindow window(&hub, nullptr, nullptr, &store, AppSettings());
            window.resize(900, 640);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.saveWindowState();
        }
        QSettings store(file, QSettings::IniFormat);
        MainWindow again(&hub, nullptr, nullptr, &store, AppSettings());
        QCOMPARE(again.size(), QSize(900, 640));
    }

    void qrCodeEncodesTheUrl()
    {
        const QImage code = qrCodeImage(u"http://192.168.1.20:8765/"_s);
        QVERIFY(!code.isNull());
        QCOMPARE(code.width(), code.height());
        QVERIFY(code.width() >= 21 + 8);    // version 1 at least, plus the quiet zone
        QCOMPARE(code.pixelIndex(0, 0), 0); // quiet zone is white
        QCOMPARE(code.pixelIndex(4, 4), 1); // finder pattern corner is black
    }

    // Last: it installs the German catalogue for the rest of the process.
    void germanIsLoaded()
    {
        QCOMPARE(Appearance::installTranslations(u"de"_s), u"de"_s);
        QCOMPARE(QCoreApplication::translate("tidewatch::OverviewPage", "Network"), u"Netzwerk"_s);
        Hub hub;
        MainWindow window(&hub, nullptr, nullptr, nullptr, AppSettings());
        QCOMPARE(window.timeWindowCombo()->itemText(0), u"1 Minute"_s);
        QCOMPARE(window.findChild<QLabel *>(u"clientCountLabel"_s)->text(),
                 u"0 Browser verbunden"_s);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
