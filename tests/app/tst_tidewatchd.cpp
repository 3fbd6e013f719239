// SPDX-License-Identifier: GPL-3.0-or-later
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace {

// Starts tidewatchd on a free port and returns the URL it prints.
QUrl startDaemon(QProcess &process, const QStringList &extraArgs = {})
{
    process.setProgram(QStringLiteral(TIDEWATCHD_PATH));
    process.setArguments(QStringList{u"--port"_s, u"0"_s, u"--interval"_s, u"200"_s} + extraArgs);
    process.start();
    if (!process.waitForStarted(10'000))
        return {};
    static const QRegularExpression urlPattern(u"serving (http://\\S+/)"_s);
    QByteArray out;
    for (int i = 0; i < 100 && !out.contains('\n'); ++i) {
        if (!process.waitForReadyRead(200) && process.state() != QProcess::Running)
            break;
        out += process.readAllStandardOutput();
    }
    const auto match = urlPattern.match(QString::fromUtf8(out));
    return match.hasMatch() ? QUrl(match.captured(1)) : QUrl();
}

} // namespace

class TestTidewatchd final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void feedThenCleanShutdown()
    {
        QProcess daemon;
        const QUrl http = startDaemon(daemon);
        QVERIFY2(http.isValid(), daemon.readAllStandardError().constData());

        QUrl ws = http;
        ws.setScheme(u"ws"_s);
        ws.setPath(u"/ws"_s);
        QWebSocket client;
        QList<QJsonObject> messages;
        connect(&client, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
            messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
        });
        QSignalSpy disconnected(&client, &QWebSocket::disconnected);
        client.open(ws);

        auto countType = [&](const QString &type) {
            return std::count_if(messages.cbegin(), messages.cend(),
                                 [&](const QJsonObject &o) { return o.value(u"type"_s) == type; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(countType(u"metrics"_s) >= 2, 10'000);
        QCOMPARE(messages.first().value(u"type"_s).toString(), u"connection"_s);
        // A client that connects before the first sample gets a hello with
        // an empty catalogue and a second one when the catalogue arrives.
        QVERIFY(countType(u"hello"_s) >= 1);
        QJsonObject hello;
        for (const auto &m : std::as_const(messages)) {
            if (m.value(u"type"_s) == u"hello"_s)
                hello = m;
        }
        QVERIFY(hello.value(u"metrics"_s).toArray().size() > 10);

        // The feed carries real samples of this machine.
        QJsonObject metrics;
        for (const auto &m : std::as_const(messages)) {
            if (m.value(u"type"_s) == u"metrics"_s)
                metrics = m;
        }
        const double cpu = metrics.value(u"cpu"_s).toDouble(-1);
        QVERIFY2(cpu >= 0 && cpu <= 100, qPrintable(QString::number(cpu)));
        const double memory = metrics.value(u"memory"_s).toDouble(-1);
        QVERIFY(memory > 0 && memory < 100);
        QVERIFY(metrics.value(u"network_recv"_s).isDouble());
        QVERIFY(metrics.value(u"seq"_s).toInteger() >= 2);
        QVERIFY(metrics.value(u"values"_s).toObject().contains(u"cpu.total"_s));

        daemon.terminate(); // SIGTERM
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 10'000);
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        // The event loop may already have seen it exit.
        QVERIFY(daemon.state() == QProcess::NotRunning || daemon.waitForFinished(10'000));
        QCOMPARE(daemon.exitStatus(), QProcess::NormalExit);
        QCOMPARE(daemon.exitCode(), 0);
    }

    void occupiedPortExitsWithTwo()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        QProcess daemon;
        daemon.start(QStringLiteral(TIDEWATCHD_PATH),
                     {u"--port"_s, QString::number(squatter.serverPort())});
        QVERIFY(daemon.waitForFinished(10'000));
        QCOMPARE(daemon.exitCode(), 2);
        const QString err = QString::fromUtf8(daemon.readAllStandardError()).trimmed();
        QVERIFY2(!err.contains(u'\n'), qPrintable(err)); // one clear line
        QVERIFY2(err.contains(QString::number(squatter.serverPort())), qPrintable(err));
        QVERIFY2(err.contains(u"in use"_s, Qt::CaseInsensitive), qPrintable(err));
    }

    void badConfigExitsWithTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("port") << QStringList{u"--port"_s, u"eighty"_s} << u"eighty"_s;
        QTest::newRow("interval") << QStringList{u"--interval"_s, u"5"_s} << u"--interval"_s;
        QTest::newRow("bind") << QStringList{u"--bind"_s, u"nowhere"_s} << u"nowhere"_s;
    }
    void badConfigExitsWithTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QProcess daemon;
        daemon.start(QStringLiteral(TIDEWATCHD_PATH), args);
        QVERIFY(daemon.waitForFinished(10'000));
        QCOMPARE(daemon.exitCode(), 2);
        const QString err = QString::fromUtf8(daemon.readAllStandardError()).trimmed();
        QVERIFY2(err.contains(mentions) && !err.contains(u'\n'), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestTidewatchd)
#include "tst_tidewatchd.moc"
