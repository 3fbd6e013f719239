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
