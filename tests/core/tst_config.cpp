// SPDX-License-Identifier: GPL-3.0-or-later
#include "Config.h"

#include <QCommandLineParser>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

struct Result
{
    bool ok = false;
    Config config;
    QString error;
};

Result load(QStringList args, const QHash<QString, QString> &env = {})
{
    QCommandLineParser parser;
    ConfigLoader::addOptions(parser);
    args.prepend(u"tidewatchd"_s);
    if (!parser.parse(args))
        return {false, {}, parser.errorText()};
    QProcessEnvironment e;
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        e.insert(it.key(), it.value());
    Result r;
    r.ok = ConfigLoader::load(parser, e, &r.config, &r.error);
    return r;
}

} // namespace

class TestConfig final : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString writeIni(const QByteArray &text)
    {
        const QString path = m_dir.filePath(u"tidewatch.conf"_s);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        f.write(text);
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void defaults()
    {
        const Result r = load({});
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.config.bind, u"127.0.0.1"_s); // loopback unless told otherwise
        QCOMPARE(r.config.port, 8765);
        QCOMPARE(r.config.intervalMs, 1000);
    }

    void precedence()
    {
        const QString ini = writeIni("[feed]\nport=9000\nbind=::1\n[sampler]\ninterval_ms=250\n");
        Result r = load({u"--config"_s, ini});
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.config.port, 9000);
        QCOMPARE(r.config.bind, u"::1"_s);
        QCOMPARE(r.config.intervalMs, 250);

        r = load({u"--config"_s, ini}, {{u"WS_PORT"_s, u"9100"_s}});
        QCOMPARE(r.config.port, 9100); // environment beats the file
        QCOMPARE(r.config.bind, u"::1"_s);

        r = load({u"--config"_s, ini, u"--port"_s, u"9200"_s}, {{u"WS_PORT"_s, u"9100"_s}});
        QCOMPARE(r.config.port, 9200); // command line beats both
        r = load({u"--bind"_s, u"localhost"_s}, {{u"WS_HOST"_s, u"0.0.0.0"_s}});
        QCOMPARE(r.config.bind, u"127.0.0.1"_s);
        r = load({}, {{u"WS_HOST"_s, u"0.0.0.0"_s}});
        QCOMPARE(r.config.bind, u"0.0.0.0"_s);
    }

    void badValues_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("envName");
        QTest::addColumn<QString>("envValue");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("port text")
            << QStringList{u"--port"_s, u"http"_s} << QString() << QString() << u"--port"_s;
        QTest::newRow("port range")
            << QStringList{u"--port"_s, u"70000"_s} << QString() << QString() << u"70000"_s;
        QTest::newRow("env port") << QStringList{} << u"WS_PORT"_s << u"-1"_s << u"WS_PORT"_s;
        QTest::newRow("interval low")
            << QStringList{u"--interval"_s, u"10"_s} << QString() << QString() << u"--interval"_s;
        QTest::newRow("bind name") << QStringList{u"--bind"_s, u"example.org"_s} << QString()
                                   << QString() << u"example.org"_s;
        QTest::newRow("missing config") << QStringList{u"--config"_s, u"/nonexistent/x.conf"_s}
                                        << QString() << QString() << u"/nonexistent/x.conf"_s;
        QTest::newRow("root not dir")
            << QStringList{u"--root"_s, u"/nonexistent"_s} << QString() << QString() << u"--root"_s;
        QTest::newRow("database scheme") << QStringList{u"--database"_s, u"mysql://u@h/db"_s}
                                         << QString() << QString() << u"mysql://u@h/db"_s;
        QTest::newRow("env database hides password")
            << QStringList{} << u"DATABASE_URL"_s << u"redis://u:secret@h/db"_s
            << u"redis://u:***@h/db"_s;
        QTest::newRow("retention unit") << QStringList{u"--raw-retention"_s, u"24x"_s} << QString()
                                        << QString() << u"--raw-retention"_s;
        QTest::newRow("retention too short") << QStringList{u"--hour-retention"_s, u"30m"_s}
                                             << QString() << QString() << u"at least 1h"_s;
        QTest::newRow("no-history env") << QStringList{} << u"TIDEWATCH_NO_HISTORY"_s << u"maybe"_s
                                        << u"TIDEWATCH_NO_HISTORY"_s;
        QTest::newRow("origin with path") << QStringList{u"--allow-origin"_s, u"https://a.b/c"_s}
                                          << QString() << QString() << u"https://a.b/c"_s;
        QTest::newRow("origin scheme") << QStringList{u"--allow-origin"_s, u"ftp://a.b"_s}
                                       << QString() << QString() << u"ftp://a.b"_s;
        QTest::newRow("env origin") << QStringList{} << u"TIDEWATCH_ALLOW_ORIGIN"_s
                                    << u"https://ok.example,bad"_s << u"TIDEWATCH_ALLOW_ORIGIN"_s;
        QTest::newRow("key without cert") << QStringList{u"--tls-key"_s, u"/k.pem"_s} << QString()
                                          << QString() << u"--tls-cert"_s;
        QTest::newRow("two jwt secrets")
            << QStringList{u"--jwt-secret-file"_s, u"/s"_s} << u"JWT_SECRET"_s
            << u"0123456789abcdef0123"_s << u"choose one"_s;
        QTest::newRow("newline in a value")
            << QStringList{} << u"WS_PORT"_s << u"80\nx"_s << u"80\\nx"_s;
        QTest::newRow("insecure env") << QStringList{} << u"TIDEWATCH_INSECURE_NO_AUTH"_s
                                      << u"perhaps"_s << u"TIDEWATCH_INSECURE_NO_AUTH"_s;
    }

    void security()
    {
        const QString ini = writeIni("[auth]\ntoken_file=/etc/t\njwt_audience=aud\n"
                                     "[feed]\nallow_origin=https://A.example/, http://b:8080\n"
                                     "[tls]\ncert=/c.pem\nkey=/k.pem\n");
        Result r = load({u"--config"_s, ini}, {{u"TIDEWATCH_TOKEN"_s, u" tok-0123456789abcdef "_s},
                                               {u"JWT_SECRET"_s, u"s3cret"_s}});
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.config.tokenFile, u"/etc/t"_s);
        QCOMPARE(r.config.token, u"tok-0123456789abcdef"_s);
        QCOMPARE(r.config.jwtSecret, u"s3cret"_s);
        QCOMPARE(r.config.jwtAudience, u"aud"_s);
        QCOMPARE(r.config.allowOrigins, (QStringList{u"https://a.example"_s, u"http://b:8080"_s}));
        QCOMPARE(r.config.tlsCert, u"/c.pem"_s);
        QVERIFY(r.config.tlsEnabled());
        QVERIFY(r.config.hasCredentials());
        QVERIFY(!r.config.insecureNoAuth);
        r = load({u"--allow-origin"_s, u"https://x.example"_s, u"--allow-origin"_s, u"*"_s,
                  u"--insecure-no-auth"_s});
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.config.allowOrigins, (QStringList{u"https://x.example"_s, u"*"_s}));
        QVERIFY(r.config.insecureNoAuth);
        QVERIFY(!r.config.hasCredentials());
        QVERIFY(!r.config.tlsEnabled());
    }
    void badValues()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, envName);
        QFETCH(QString, envValue);
        QFETCH(QString, mentions);
        QHash<QString, QString> env;
        if (!envName.isEmpty())
            env.insert(envName, envValue);
        const Result r = load(args, env);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(mentions), qPrintable(r.error));
        QVERIFY(!r.error.contains(u'\n'));
    }

    void history()
    {
        Result r = load({});
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(r.config.historyEnabled);
        QVERIFY(r.config.databaseUrl.isEmpty()); // the default SQLite file
        QCOMPARE(r.config.rawRetentionMs, qint64(24) * 3600 * 1000);
        QCOMPARE(r.config.hourRetentionMs, qint64(730) * 24 * 3600 * 1000);

        r = load({u"--no-history"_s});
        QVERIFY(!r.config.historyEnabled);

        // DATABASE_URL is the name users already set; the command line wins over it.
        const QString pg = u"postgresql://tw:pw@127.0.0.1:5432/tw"_s;
        r = load({}, {{u"DATABASE_URL"_s, pg}});
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.config.databaseUrl, pg);
        r = load({u"--database"_s, u"/tmp/h.sqlite"_s}, {{u"DATABASE_URL"_s, pg}});
        QCOMPARE(r.config.databaseUrl, u"/tmp/h.sqlite"_s);

        const QString ini = writeIni("[history]\nenabled=false\nraw_retention=2d\n"
                                     "minute_retention=8w\nhour_retention=3y\n");
        r = load({u"--config"_s, ini});
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(!r.config.historyEnabled);
        QCOMPARE(r.config.rawRetentionMs, qint64(2) * 24 * 3600 * 1000);
        QCOMPARE(r.config.minuteRetentionMs, qint64(56) * 24 * 3600 * 1000);
        QCOMPARE(r.config.hourRetentionMs, qint64(3) * 365 * 24 * 3600 * 1000);
    }

    void redactedDatabaseUrl()
    {
        QCOMPARE(Config::redactedDatabaseUrl(u"postgresql://tw:pw@h:5432/db"_s),
                 u"postgresql://tw:***@h:5432/db"_s);
        QCOMPARE(Config::redactedDatabaseUrl(u"postgresql://tw@h/db"_s), u"postgresql://tw@h/db"_s);
        QCOMPARE(Config::redactedDatabaseUrl(u"/var/lib/h.sqlite"_s), u"/var/lib/h.sqlite"_s);
    }

    void badIniValueNamesFileAndKey()
    {
        const QString ini = writeIni("[feed]\nport=lots\n");
        const Result r = load({u"--config"_s, ini});
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(u"tidewatch.conf"_s) && r.error.contains(u"feed/port"_s),
                 qPrintable(r.error));
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
