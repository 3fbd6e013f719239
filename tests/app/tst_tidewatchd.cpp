// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWebSocket>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

// Every daemon of this test keeps its default files (the history database)
// here, not in the user's data folder.
QTemporaryDir &dataHome()
{
    static QTemporaryDir dir;
    return dir;
}

void isolate(QProcess &process)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_DATA_HOME"_s, dataHome().path());
    env.remove(u"DATABASE_URL"_s);
    process.setProcessEnvironment(env);
}

QJsonObject getJson(const QUrl &url)
{
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(QNetworkRequest(url));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

// The names of a process's threads (/proc/PID/task/*/comm, at most 15
// characters each).
QStringList threadNames(qint64 pid)
{
    QStringList names;
    const QDir tasks(u"/proc/%1/task"_s.arg(pid));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + u"/comm"_s));
        if (comm.open(QIODevice::ReadOnly))
            names.append(QString::fromUtf8(comm.readAll()).trimmed());
    }
    return names;
}

bool stopDaemon(QProcess &daemon)
{
    daemon.terminate();
    return (daemon.state() == QProcess::NotRunning || daemon.waitForFinished(10'000)) &&
           daemon.exitStatus() == QProcess::NormalExit && daemon.exitCode() == 0;
}

// Starts tidewatchd on a free port and returns the URL it prints; `printed`
// gets what it wrote to stdout up to there.
QUrl startDaemon(QProcess &process, const QStringList &extraArgs = {},
                 const QProcessEnvironment &extraEnv = {}, QByteArray *printed = nullptr)
{
    isolate(process);
    if (!extraEnv.isEmpty()) {
        QProcessEnvironment env = process.processEnvironment();
        env.insert(extraEnv);
        process.setProcessEnvironment(env);
    }
    process.setProgram(QStringLiteral(TIDEWATCHD_PATH));
    process.setArguments(QStringList{u"--port"_s, u"0"_s, u"--interval"_s, u"200"_s} + extraArgs);
    process.start();
    if (!process.waitForStarted(10'000))
        return {};
    static const QRegularExpression urlPattern(u"serving (https?://\\S+/)"_s);
    QByteArray out;
    // Other lines (the TLS certificate) may come first.
    for (int i = 0; i < 100 && !urlPattern.match(QString::fromUtf8(out)).hasMatch(); ++i) {
        if (!process.waitForReadyRead(200) && process.state() != QProcess::Running)
            break;
        out += process.readAllStandardOutput();
    }
    const auto match = urlPattern.match(QString::fromUtf8(out));
    if (printed)
        *printed = out;
    return match.hasMatch() ? QUrl(match.captured(1)) : QUrl();
}

// A throwaway self-signed pair for 127.0.0.1: `name`.crt and `name`.key in `dir`.
bool makeCertificate(const QTemporaryDir &dir, const QString &name)
{
    QProcess p;
    p.start(u"openssl"_s,
            {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s,
             dir.filePath(name + u".key"_s), u"-out"_s, dir.filePath(name + u".crt"_s), u"-days"_s,
             u"1"_s, u"-subj"_s, u"/CN=localhost"_s, u"-addext"_s,
             u"subjectAltName=IP:127.0.0.1,DNS:localhost"_s});
    return p.waitForFinished(60'000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// GET over https, trusting only the certificate in `caFile`; the body, and
// the certificate the server showed.
QByteArray getHttps(const QUrl &url, const QString &caFile, QSslCertificate *peer)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(url);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromPath(caFile));
    request.setSslConfiguration(tls);
    QNetworkReply *reply = nam.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    if (peer)
        *peer = reply->sslConfiguration().peerCertificate();
    return reply->error() == QNetworkReply::NoError ? reply->readAll() : QByteArray();
}

QByteArray fingerprint(const QString &certFile)
{
    const QList<QSslCertificate> c = QSslCertificate::fromPath(certFile);
    return c.isEmpty() ? QByteArray() : c.first().digest(QCryptographicHash::Sha256);
}

bool replaceFile(const QString &from, const QString &to)
{
    QFile::remove(to);
    return QFile::copy(from, to);
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
        // Idle, it keeps no thread that waits for clients or queries: the
        // feed's writer threads and the store's reader start when needed.
        const auto started = [&](const QString &prefix) {
            const QStringList names = threadNames(daemon.processId());
            return std::any_of(names.begin(), names.end(),
                               [&](const QString &n) { return n.startsWith(prefix); });
        };
        QVERIFY(started(u"store-writer"_s));
        QVERIFY(!started(u"store-reader"_s));
        QVERIFY(!started(u"tidewatch-feed"_s));

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
        if (QThread::idealThreadCount() > 1) // one core: no writer threads
            QVERIFY(started(u"tidewatch-feed"_s));
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
        isolate(daemon);
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
        QTest::newRow("database") << QStringList{u"--database"_s, u"mysql://h/db"_s}
                                  << u"mysql://h/db"_s;
        QTest::newRow("retention")
            << QStringList{u"--raw-retention"_s, u"forever"_s} << u"--raw-retention"_s;
        // Exposure without credentials is refused before anything listens.
        QTest::newRow("any address, no auth")
            << QStringList{u"--bind"_s, u"0.0.0.0"_s} << u"--token-file"_s;
        QTest::newRow("any v6 address, no auth")
            << QStringList{u"--bind"_s, u"::"_s} << u"--insecure-no-auth"_s;
        QTest::newRow("missing token file")
            << QStringList{u"--token-file"_s, u"/nonexistent/tokens"_s} << u"/nonexistent/tokens"_s;
        QTest::newRow("bad origin")
            << QStringList{u"--allow-origin"_s, u"evil.example/x"_s} << u"evil.example/x"_s;
        QTest::newRow("cert without key")
            << QStringList{u"--tls-cert"_s, u"/tmp/c.pem"_s} << u"--tls-key"_s;
    }
    void badConfigExitsWithTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QProcess daemon;
        isolate(daemon);
        daemon.start(QStringLiteral(TIDEWATCHD_PATH), args);
        QVERIFY(daemon.waitForFinished(10'000));
        QCOMPARE(daemon.exitCode(), 2);
        const QString err = QString::fromUtf8(daemon.readAllStandardError()).trimmed();
        QVERIFY2(err.contains(mentions) && !err.contains(u'\n'), qPrintable(err));
    }

    // History outlives the process: what one run sampled, the next run
    // serves from the store, and /healthz reports the store.
    void historySurvivesRestart()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(u"history.sqlite"_s);
        const QStringList args{u"--database"_s, db, u"--history"_s, u"1"_s};

        QProcess first;
        QUrl http = startDaemon(first, args);
        QVERIFY2(http.isValid(), first.readAllStandardError().constData());
        QJsonObject store;
        QTRY_VERIFY_WITH_TIMEOUT(
            (store = getJson(http.resolved(QUrl(u"/healthz"_s))).value(u"store"_s).toObject(),
             store.value(u"state"_s) == u"ok"_s),
            10'000);
        QCOMPARE(store.value(u"backend"_s).toString(), u"sqlite"_s);
        QCOMPARE(store.value(u"location"_s).toString(), db);
        // A few samples at 200 ms, then a clean stop writes them.
        QTRY_VERIFY_WITH_TIMEOUT(
            getJson(http.resolved(QUrl(u"/api/v1/snapshot"_s))).value(u"seq"_s).toInt() >= 5,
            10'000);
        const qint64 firstRunEnd =
            getJson(http.resolved(QUrl(u"/api/v1/snapshot"_s))).value(u"ts"_s).toInteger();
        QVERIFY(stopDaemon(first));
        QVERIFY(QFile::exists(db));

        QProcess second;
        http = startDaemon(second, args);
        QVERIFY2(http.isValid(), second.readAllStandardError().constData());
        // The range starts before this run's memory: the store answers,
        // with the first run's samples in it.
        const QJsonObject answer = getJson(
            http.resolved(QUrl(u"/api/v1/history?metric=cpu.total&from=-1h&points=10000"_s)));
        QVERIFY2(answer.value(u"tier"_s) == u"raw"_s, QJsonDocument(answer).toJson().constData());
        const QJsonArray ts = answer.value(u"ts"_s).toArray();
        const qsizetype before = std::count_if(ts.cbegin(), ts.cend(), [&](const QJsonValue &t) {
            return t.toInteger() <= firstRunEnd;
        });
        QVERIFY2(before >= 5, qPrintable(QString::number(before)));
        QVERIFY(stopDaemon(second));
    }

    void noHistory()
    {
        QProcess daemon;
        const QUrl http = startDaemon(daemon, {u"--no-history"_s});
        QVERIFY2(http.isValid(), daemon.readAllStandardError().constData());
        const QJsonObject health = getJson(http.resolved(QUrl(u"/healthz"_s)));
        QCOMPARE(health.value(u"store"_s).toObject().value(u"state"_s).toString(), u"off"_s);
        QVERIFY(stopDaemon(daemon));
    }

    // A file that is not a Tidewatch database stops the daemon with one line
    // naming it, and the file is left exactly as it was.
    void foreignDatabaseExitsWithTwo_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("garbage") << QByteArray(8192, 'x');
        QTest::newRow("text") << QByteArray("my notes\n");
    }
    void foreignDatabaseExitsWithTwo()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const QString db = dir.filePath(u"notes.sqlite"_s);
        QFile f(db);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();

        QProcess daemon;
        isolate(daemon);
        daemon.start(QStringLiteral(TIDEWATCHD_PATH), {u"--port"_s, u"0"_s, u"--database"_s, db});
        QVERIFY(daemon.waitForFinished(10'000));
        QCOMPARE(daemon.exitCode(), 2);
        const QString err = QString::fromUtf8(daemon.readAllStandardError()).trimmed();
        QVERIFY2(err.contains(db) && !err.contains(u'\n'), qPrintable(err));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), content);
    }

    // `tidewatchd token issue` signs a JWT that a daemon with the same
    // JWT_SECRET accepts, and nothing but /healthz is served without it.
    void tokenIssueAndAuthenticatedDaemon()
    {
        const QString secret = u"ci-secret-0123456789abcdef-0123"_s;
        QProcess issue;
        isolate(issue);
        QProcessEnvironment env = issue.processEnvironment();
        env.insert(u"JWT_SECRET"_s, secret);
        issue.setProcessEnvironment(env);
        issue.start(QStringLiteral(TIDEWATCHD_PATH),
                    {u"token"_s, u"issue"_s, u"--ttl"_s, u"10m"_s, u"--sub"_s, u"ci"_s});
        QVERIFY(issue.waitForFinished(10'000));
        QCOMPARE(issue.exitCode(), 0);
        const QByteArray token = issue.readAllStandardOutput().trimmed();
        QCOMPARE(token.count('.'), 2);

        QProcess daemon;
        QProcessEnvironment secretEnv;
        secretEnv.insert(u"JWT_SECRET"_s, secret);
        const QUrl url = startDaemon(daemon, {u"--no-history"_s}, secretEnv);
        QVERIFY(url.isValid());
        QNetworkAccessManager nam;
        const auto status = [&](const QString &path, const QByteArray &bearer) {
            QNetworkRequest request(url.resolved(QUrl(path)));
            if (!bearer.isEmpty())
                request.setRawHeader("Authorization", "Bearer " + bearer);
            QNetworkReply *reply = nam.get(request);
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            reply->deleteLater();
            return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        };
        QCOMPARE(status(u"/healthz"_s, {}), 200);
        QCOMPARE(status(u"/metrics"_s, {}), 401);
        QCOMPARE(status(u"/metrics"_s, "not-the-token-0123456789"), 401);
        QCOMPARE(status(u"/metrics"_s, token), 200);
        QVERIFY(stopDaemon(daemon));
    }

    // https on the one port; SIGHUP swaps the certificate under a running
    // daemon, and a reload that fails keeps the one in use.
    void tlsServesAndReloadsOnSighup()
    {
        if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
            QSKIP("the openssl binary is not installed: it makes this test's certificates");
        QTemporaryDir dir;
        QVERIFY(makeCertificate(dir, u"a"_s) && makeCertificate(dir, u"b"_s));
        const QString cert = dir.filePath(u"live.crt"_s);
        const QString key = dir.filePath(u"live.key"_s);
        QVERIFY(replaceFile(dir.filePath(u"a.crt"_s), cert));
        QVERIFY(replaceFile(dir.filePath(u"a.key"_s), key));

        QProcess daemon;
        const QUrl url = startDaemon(daemon, {u"--tls-cert"_s, cert, u"--tls-key"_s, key});
        QCOMPARE(url.scheme(), u"https"_s);
        const QUrl health = url.resolved(QUrl(u"/healthz"_s));
        QSslCertificate peer;
        QByteArray body = getHttps(health, dir.filePath(u"a.crt"_s), &peer);
        QVERIFY2(QJsonDocument::fromJson(body).object().contains(u"status"), body.constData());
        QCOMPARE(peer.digest(QCryptographicHash::Sha256), fingerprint(dir.filePath(u"a.crt"_s)));

        QVERIFY(replaceFile(dir.filePath(u"b.crt"_s), cert));
        QVERIFY(replaceFile(dir.filePath(u"b.key"_s), key));
        QByteArray out;
        QCOMPARE(::kill(pid_t(daemon.processId()), SIGHUP), 0);
        QTRY_VERIFY((out += daemon.readAllStandardOutput()).contains("reloaded TLS certificate"));
        body = getHttps(health, dir.filePath(u"b.crt"_s), &peer);
        QVERIFY2(QJsonDocument::fromJson(body).object().contains(u"status"), body.constData());
        QCOMPARE(peer.digest(QCryptographicHash::Sha256), fingerprint(dir.filePath(u"b.crt"_s)));

        // A broken file: one line on stderr, and the daemon keeps serving b.
        QFile broken(cert);
        QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
        broken.write("garbage\n");
        broken.close();
        QByteArray err;
        QCOMPARE(::kill(pid_t(daemon.processId()), SIGHUP), 0);
        QTRY_VERIFY((err += daemon.readAllStandardError()).contains("TLS reload failed"));
        QVERIFY2(err.contains(cert.toUtf8()), err.constData());
        body = getHttps(health, dir.filePath(u"b.crt"_s), &peer);
        QVERIFY(!body.isEmpty());
        QVERIFY(daemon.state() == QProcess::Running);
        QVERIFY(stopDaemon(daemon));
    }

    // --tls-self-signed: the printed fingerprint is the certificate served,
    // and a restart keeps the same pair.
    void selfSignedTlsIsMadeOnceAndKept()
    {
        const QString certFile = dataHome().filePath(u"tidewatch/tidewatchd/tls/cert.pem"_s);
        QFile::remove(certFile);
        static const QRegularExpression fingerprintPattern(u"SHA-256 ([0-9A-F:]{95})"_s);
        QString printed;
        for (const char *expected : {"made a self-signed", "using the self-signed"}) {
            QProcess daemon;
            QByteArray out;
            const QUrl url = startDaemon(daemon, {u"--tls-self-signed"_s}, {}, &out);
            QCOMPARE(url.scheme(), u"https"_s);
            QVERIFY(stopDaemon(daemon));
            QVERIFY2(out.contains(expected), out.constData());
            const auto match = fingerprintPattern.match(QString::fromUtf8(out));
            QVERIFY2(match.hasMatch(), out.constData());
            if (printed.isEmpty())
                printed = match.captured(1);
            QCOMPARE(match.captured(1), printed);
        }
        QCOMPARE(QString::fromLatin1(fingerprint(certFile).toHex(':').toUpper()), printed);

        QProcess daemon;
        const QUrl url = startDaemon(daemon, {u"--tls-self-signed"_s});
        QSslCertificate peer;
        const QByteArray body = getHttps(url.resolved(QUrl(u"/healthz"_s)), certFile, &peer);
        QVERIFY2(QJsonDocument::fromJson(body).object().contains(u"status"), body.constData());
        QCOMPARE(QString::fromLatin1(peer.digest(QCryptographicHash::Sha256).toHex(':').toUpper()),
                 printed);
        QVERIFY(stopDaemon(daemon));

        // Two certificates named at once is a config error.
        QProcess both;
        isolate(both);
        both.start(QStringLiteral(TIDEWATCHD_PATH),
                   {u"--port"_s, u"0"_s, u"--tls-self-signed"_s, u"--tls-cert"_s, certFile,
                    u"--tls-key"_s, certFile});
        QVERIFY(both.waitForFinished(10'000));
        QCOMPARE(both.exitCode(), 2);
        QVERIFY(both.readAllStandardError().contains("choose one"));
    }

    void badTlsFilesExitWithTwo_data()
    {
        QTest::addColumn<QString>("certName");
        QTest::addColumn<QString>("keyName");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("missing cert") << u"none.crt"_s << u"a.key"_s << u"none.crt"_s;
        QTest::newRow("key of another cert") << u"a.crt"_s << u"b.key"_s << u"does not match"_s;
    }
    void badTlsFilesExitWithTwo()
    {
        if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
            QSKIP("the openssl binary is not installed: it makes this test's certificates");
        QFETCH(QString, certName);
        QFETCH(QString, keyName);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        QVERIFY(makeCertificate(dir, u"a"_s) && makeCertificate(dir, u"b"_s));
        QProcess daemon;
        isolate(daemon);
        daemon.start(QStringLiteral(TIDEWATCHD_PATH),
                     {u"--port"_s, u"0"_s, u"--tls-cert"_s, dir.filePath(certName), u"--tls-key"_s,
                      dir.filePath(keyName)});
        QVERIFY(daemon.waitForFinished(10'000));
        QCOMPARE(daemon.exitCode(), 2);
        const QString err = QString::fromUtf8(daemon.readAllStandardError()).trimmed();
        QVERIFY2(err.contains(mentions) && !err.contains(u'\n'), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestTidewatchd)
#include "tst_tidewatchd.moc"
