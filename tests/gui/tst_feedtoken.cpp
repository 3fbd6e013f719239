// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app's access token: made once and kept, required by the
// embedded feed when exposed, replaced live, and handed out as one-time
// login links by Copy URL and the QR dialog.
//
// "Exposed" normally means a non-loopback bind, but a test must never bind
// 0.0.0.0. AppSettings::requireToken (EmbeddedFeed::setRequireToken) asks
// for the token on loopback too, so every server here is on 127.0.0.1 and
// still behaves as an exposed one.
#include "AppSettings.h"
#include "Config.h"
#include "EmbeddedFeed.h"
#include "Hub.h"
#include "MainWindow.h"
#include "QrCodeDialog.h"
#include "ServerSecurity.h"
#include "SettingsDialog.h"

#include <QCheckBox>
#include <QClipboard>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

// After Qt: it needs QList complete.
#include "../server/RawHttp.h"

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

int getMetrics(quint16 port, const QByteArray &token)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(port)));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    std::unique_ptr<QNetworkReply> reply(nam.get(request));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!finished.wait(5000))
        return -1;
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

test::RawResponse rawGet(quint16 port, const QByteArray &target)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
                 "\r\nConnection: close\r\n\r\n");
    QByteArray buffer;
    test::RawResponse response;
    const bool complete = QTest::qWaitFor(
        [&] {
            buffer += socket.readAll();
            return test::takeResponse(buffer, &response);
        },
        5000);
    return complete ? response : test::RawResponse();
}

/// The path and query of a login link, checked to be one.
QByteArray loginTarget(const QString &link)
{
    const QUrl url(link);
    if (url.path() != "/login"_L1 || !url.query().startsWith("code="_L1))
        return {};
    return url.path(QUrl::FullyEncoded).toLatin1() + '?' + url.query(QUrl::FullyEncoded).toLatin1();
}

} // namespace

class TestFeedToken : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(m_dir.isValid());
    }

    void tokenIsMadeOnceAndKept()
    {
        // In a folder that does not exist yet, as on a first start.
        const QString file = m_dir.filePath(u"fresh/once.conf"_s);
        QByteArray first;
        {
            QSettings store(file, QSettings::IniFormat);
            QVERIFY(!store.contains(u"feed/access_token"_s));
            first = AppSettings::accessToken(store);
            QVERIFY(first.size() >= MinTokenLength);
            QCOMPARE(AppSettings::accessToken(store), first);
        }
        QSettings reread(file, QSettings::IniFormat);
        QCOMPARE(AppSettings::accessToken(reread), first);
        // 0600: the owner reads and writes, group and others nothing.
        const QFile::Permissions mode = QFile::permissions(file);
        QVERIFY(mode.testFlags(QFile::ReadOwner | QFile::WriteOwner));
        const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                          QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
        QVERIFY(!(mode & others));
        const QByteArray second = AppSettings::regenerateAccessToken(reread);
        QVERIFY(second != first);
        QCOMPARE(AppSettings::accessToken(reread), second);

        // The Settings dialog's OK rewrites the file: it stays 0600.
        AppSettings settings;
        settings.port = 9999;
        settings.save(reread);
        reread.sync();
        QCOMPARE(reread.status(), QSettings::NoError);
        QCOMPARE(QSettings(file, QSettings::IniFormat).value(u"feed/port"_s).toInt(), 9999);
        QVERIFY(!(QFile::permissions(file) & others));
        QCOMPARE(AppSettings::accessToken(reread), second);
    }

    void existingFileIsTightened()
    {
        // A conf file from an older version, readable by everyone.
        const QString file = m_dir.filePath(u"old.conf"_s);
        {
            QSettings old(file, QSettings::IniFormat);
            old.setValue(u"gui/theme"_s, u"dark"_s);
        }
        QVERIFY(QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner |
                                                QFile::ReadGroup | QFile::ReadOther));
        QSettings store(file, QSettings::IniFormat);
        AppSettings::accessToken(store);
        QCOMPARE(QFile::permissions(file) & ~(QFile::ReadUser | QFile::WriteUser),
                 QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(store.value(u"gui/theme"_s).toString(), u"dark"_s);
    }

    void loopbackStaysOpen()
    {
        Hub hub;
        EmbeddedFeed feed(&hub, {});
        int asked = 0;
        feed.setAccessTokenSource([&asked] {
            ++asked;
            return generateAccessToken();
        });
        QString error;
        QVERIFY2(feed.start(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        QVERIFY(!feed.authRequired());
        QCOMPARE(asked, 0); // no token is made while nobody needs one
        QCOMPARE(getMetrics(feed.port(), {}), 200);
        QCOMPARE(feed.loginLink(true), feed.url());
    }

    void exposedAsksForTheToken()
    {
        QSettings store(m_dir.filePath(u"exposed.conf"_s), QSettings::IniFormat);
        Hub hub;
        EmbeddedFeed feed(&hub, {});
        feed.setAccessTokenSource([&store] { return AppSettings::accessToken(store); });
        feed.setRequireToken(true);
        QString error;
        QVERIFY2(feed.start(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        QVERIFY(feed.authRequired());
        const QByteArray token = AppSettings::accessToken(store);
        QCOMPARE(getMetrics(feed.port(), token), 200);
        QCOMPARE(getMetrics(feed.port(), {}), 401);
        QCOMPARE(getMetrics(feed.port(), "wrong-token-wrong-token"), 401);

        // A move to another port keeps the credentials.
        QVERIFY2(feed.start(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        QTRY_COMPARE(getMetrics(feed.port(), {}), 401);
        QCOMPARE(getMetrics(feed.port(), token), 200);
    }

    void badTokenFileIsOneLine()
    {
        QSettings store(m_dir.filePath(u"badfile.conf"_s), QSettings::IniFormat);
        Hub hub;
        EmbeddedFeed feed(&hub, {});
        feed.setAccessTokenSource([&store] { return AppSettings::accessToken(store); });
        Config config;
        config.tokenFile = m_dir.filePath(u"missing-token-file"_s);
        QString error;
        QVERIFY(!feed.setConfig(config, &error));
        QVERIFY(error.contains(config.tokenFile));
        QVERIFY(!error.contains(u'\n'));
        // The feed still starts, on loopback, but fails closed: the user
        // asked for a credential, so the app token stands in for it.
        QVERIFY(feed.start(QHostAddress::LocalHost, 0, &error));
        QVERIFY(feed.authRequired());
        QCOMPARE(getMetrics(feed.port(), {}), 401);
        QCOMPARE(getMetrics(feed.port(), AppSettings::accessToken(store)), 200);
    }

    void configTokenOnLoopback()
    {
        // TIDEWATCH_TOKEN on a loopback bind: that token, and no app token.
        Hub hub;
        EmbeddedFeed feed(&hub, {});
        int asked = 0;
        feed.setAccessTokenSource([&asked] {
            ++asked;
            return generateAccessToken();
        });
        Config config;
        config.token = u"configured-token-0123456789"_s;
        config.allowOrigins = {u"https://grafana.example"_s};
        QString error;
        QVERIFY2(feed.setConfig(config, &error), qPrintable(error));
        QVERIFY(feed.start(QHostAddress::LocalHost, 0, &error));
        QCOMPARE(asked, 0);
        QCOMPARE(getMetrics(feed.port(), {}), 401);
        QCOMPARE(getMetrics(feed.port(), config.token.toLatin1()), 200);
    }

    void failedMoveKeepsTheOldCredentials()
    {
        QSettings store(m_dir.filePath(u"move.conf"_s), QSettings::IniFormat);
        Hub hub;
        EmbeddedFeed feed(&hub, {});
        feed.setAccessTokenSource([&store] { return AppSettings::accessToken(store); });
        QString error;
        QVERIFY(feed.start(QHostAddress::LocalHost, 0, &error));
        AppSettings settings;
        settings.port = feed.port();
        MainWindow window(&hub, nullptr, &feed, &store, settings);
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));

        AppSettings next = settings;
        next.port = taken.serverPort();
        next.requireToken = true;
        QVERIFY(!window.applySettings(next, &error));
        // Nothing changed: the same open server, and no token required.
        QCOMPARE(feed.port(), quint16(settings.port));
        QVERIFY(!feed.authRequired());
        QCOMPARE(getMetrics(feed.port(), {}), 200);
    }

    void regenerateEndsTheOldToken()
    {
        QSettings store(m_dir.filePath(u"regen.conf"_s), QSettings::IniFormat);
        Hub hub;
        EmbeddedFeed feed(&hub, {});
        feed.setAccessTokenSource([&store] { return AppSettings::accessToken(store); });
        feed.setRequireToken(true);
        QString error;
        QVERIFY(feed.start(QHostAddress::LocalHost, 0, &error));
        const quint16 port = feed.port();
        AppSettings settings;
        settings.requireToken = true;
        MainWindow window(&hub, nullptr, &feed, &store, settings);
        const QByteArray old = AppSettings::accessToken(store);
        QCOMPARE(getMetrics(port, old), 200);
        const QByteArray fresh = window.regenerateAccessToken();
        QVERIFY(fresh != old);
        QCOMPARE(feed.port(), port); // no restart
        QCOMPARE(getMetrics(port, old), 401);
        QCOMPARE(getMetrics(port, fresh), 200);
        QCOMPARE(AppSettings::accessToken(store), fresh);
    }

    void copyUrlAndQrCarryOneTimeLinks()
    {
        QSettings store(m_dir.filePath(u"links.conf"_s), QSettings::IniFormat);
        Hub hub;
        EmbeddedFeed feed(&hub, {});
        feed.setAccessTokenSource([&store] { return AppSettings::accessToken(store); });
        feed.setRequireToken(true);
        QString error;
        QVERIFY(feed.start(QHostAddress::LocalHost, 0, &error));
        AppSettings settings;
        settings.requireToken = true;
        MainWindow window(&hub, nullptr, &feed, &store, settings);
        const quint16 port = feed.port();

        window.copyUrl();
        const QString copied = QGuiApplication::clipboard()->text();
        const QByteArray copiedTarget = loginTarget(copied);
        QVERIFY2(!copiedTarget.isEmpty(), qPrintable(copied));
        QVERIFY(!copied.contains(QString::fromLatin1(AppSettings::accessToken(store))));
        // The status bar keeps the plain URL.
        QVERIFY(!window.feedUrlLabel()->text().contains(u"login"_s));

        QrCodeDialog *dialog = window.showQrCode();
        QVERIFY(dialog);
        const QString shown = dialog->url();
        QVERIFY2(!loginTarget(shown).isEmpty(), qPrintable(shown));
        QVERIFY(shown != copied);
        QVERIFY(dialog->findChild<QLabel *>(u"qrOnceNote"_s));
        auto *renew = dialog->findChild<QPushButton *>(u"newLinkButton"_s);
        QVERIFY(renew);
        renew->click();
        const QString renewed = dialog->url();
        QVERIFY(!loginTarget(renewed).isEmpty());
        QVERIFY(renewed != shown);

        for (const QByteArray &target : {copiedTarget, loginTarget(renewed)}) {
            const test::RawResponse first = rawGet(port, target);
            QCOMPARE(first.status, 200); // a page that moves on to /, not a redirect
            QVERIFY(first.header("set-cookie").startsWith("tidewatch_session="));
            const test::RawResponse second = rawGet(port, target);
            QCOMPARE(second.status, 303);
            QVERIFY2(second.header("location").endsWith("/login#expired"), second.head.constData());
        }
        dialog->close();
    }

    void settingsShowTheToken()
    {
        QSettings store(m_dir.filePath(u"dialog.conf"_s), QSettings::IniFormat);
        Hub hub;
        EmbeddedFeed feed(&hub, {});
        feed.setAccessTokenSource([&store] { return AppSettings::accessToken(store); });
        QString error;
        QVERIFY(feed.start(QHostAddress::LocalHost, 0, &error));
        AppSettings settings;
        settings.port = 0;
        MainWindow window(&hub, nullptr, &feed, &store, settings);
        SettingsDialog *dialog = window.openSettings();
        QLineEdit *tokenEdit = dialog->tokenEdit();
        // Loopback: no token row, and no token made.
        QVERIFY(!tokenEdit->isVisible());
        QVERIFY(!store.contains(u"feed/access_token"_s));

        auto *require = dialog->findChild<QCheckBox *>(u"requireTokenCheck"_s);
        require->setChecked(true);
        QVERIFY(tokenEdit->isVisible());
        QCOMPARE(tokenEdit->echoMode(), QLineEdit::Password);
        const QByteArray token = AppSettings::accessToken(store);
        QCOMPARE(tokenEdit->text().toLatin1(), token);
        dialog->findChild<QToolButton *>(u"tokenShowButton"_s)->click();
        QCOMPARE(tokenEdit->echoMode(), QLineEdit::Normal);
        dialog->findChild<QToolButton *>(u"tokenShowButton"_s)->click();
        dialog->findChild<QToolButton *>(u"tokenCopyButton"_s)->click();
        QCOMPARE(QGuiApplication::clipboard()->text().toLatin1(), token);

        // Leaving the confirmation with Cancel keeps the token ...
        const auto answer = [](bool regenerate) {
            QTimer::singleShot(0, [regenerate] {
                auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
                QVERIFY(box);
                QCOMPARE(box->objectName(), u"regenerateConfirm"_s);
                for (QAbstractButton *b : box->buttons()) {
                    const bool accept = box->buttonRole(b) == QMessageBox::AcceptRole;
                    if (accept == regenerate) {
                        b->click();
                        return;
                    }
                }
            });
        };
        answer(false);
        dialog->regenerateButton()->click();
        QCOMPARE(AppSettings::accessToken(store), token);
        // ... and confirming replaces it, in the form and the store.
        answer(true);
        dialog->regenerateButton()->click();
        const QByteArray fresh = AppSettings::accessToken(store);
        QVERIFY(fresh != token);
        QCOMPARE(tokenEdit->text().toLatin1(), fresh);

        // The picture for docs/: the usual case, a form that opens the feed
        // to the network, with the token masked. Only the form says
        // 0.0.0.0: it is put back before OK, so nothing listens there.
        auto *bind = dialog->findChild<QLineEdit *>(u"bindEdit"_s);
        auto *port = dialog->findChild<QLineEdit *>(u"portEdit"_s);
        bind->setText(u"0.0.0.0"_s);
        port->setText(u"8765"_s);
        require->setChecked(false);
        QVERIFY(dialog->formExposed());
        QVERIFY(tokenEdit->isVisible());
        dialog->adjustSize();
        const QImage picture = dialog->grab().toImage();
        QVERIFY(!picture.isNull());
        const QString docs = qEnvironmentVariable("TIDEWATCH_DOCS_DIR");
        const QString out =
            (docs.isEmpty() ? m_dir.path() : docs) + u"/screenshot-settings-token.png"_s;
        QVERIFY(picture.save(out));
        bind->setText(u"127.0.0.1"_s);
        port->setText(u"0"_s);
        require->setChecked(true);

        // Accepting stores the choice.
        dialog->accept();
        QVERIFY(window.settings().requireToken);
        QSettings reread(store.fileName(), QSettings::IniFormat);
        QVERIFY(reread.value(u"feed/require_token"_s).toBool());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestFeedToken)
#include "tst_feedtoken.moc"
