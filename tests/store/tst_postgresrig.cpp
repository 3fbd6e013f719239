// SPDX-License-Identifier: GPL-3.0-or-later
// The PostgreSQL rig and the QPSQL driver end to end: connect to the private
// server, upsert BYTEA blocks as the store does, lose the server, get it back.
#include "PgRig.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using tidewatch::test::PgRig;

class TestPostgresRig final : public QObject
{
    Q_OBJECT

private:
    static QByteArray allBytes(char salt)
    {
        QByteArray b;
        for (int i = 0; i < 512; ++i)
            b.append(char(i ^ salt)); // every byte value, NUL and 0xff included
        return b;
    }
    static bool upsert(QSqlDatabase &db, qint64 startTs, const QByteArray &data, QString *error)
    {
        QSqlQuery q(db);
        q.prepare(u"INSERT INTO rig_blocks (host, metric, tier, start_ts, end_ts, count, data) "
                  u"VALUES (?, ?, ?, ?, ?, ?, ?) "
                  u"ON CONFLICT (host, metric, tier, start_ts) DO UPDATE SET "
                  u"end_ts = EXCLUDED.end_ts, count = EXCLUDED.count, data = EXCLUDED.data"_s);
        q.addBindValue(u"host-ä"_s);
        q.addBindValue(u"cpu.total"_s);
        q.addBindValue(0);
        q.addBindValue(startTs);
        q.addBindValue(startTs + data.size());
        q.addBindValue(int(data.size()));
        q.addBindValue(data);
        if (!q.exec()) {
            *error = q.lastError().text();
            return false;
        }
        return true;
    }
    static QByteArray stored(QSqlDatabase &db, qint64 startTs, int *rows)
    {
        QSqlQuery q(db);
        q.prepare(u"SELECT data FROM rig_blocks WHERE start_ts = ?"_s);
        q.addBindValue(startTs);
        *rows = 0;
        QByteArray data;
        if (!q.exec())
            return {};
        while (q.next()) {
            ++*rows;
            data = q.value(0).toByteArray();
        }
        return data;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString missing = PgRig::missing();
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        QVERIFY2(QSqlDatabase::isDriverAvailable(u"QPSQL"_s),
                 "the Qt PostgreSQL driver is missing (Debian: libqt6sql6-psql)");
        QSqlDatabase db = PgRig::addDatabase(u"rig"_s);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY2(q.exec(u"DROP TABLE IF EXISTS rig_blocks"_s), qPrintable(q.lastError().text()));
        QVERIFY2(q.exec(u"CREATE TABLE rig_blocks (host TEXT NOT NULL, metric TEXT NOT NULL, "
                        u"tier INTEGER NOT NULL, start_ts BIGINT NOT NULL, end_ts BIGINT NOT NULL, "
                        u"count INTEGER NOT NULL, data BYTEA NOT NULL, "
                        u"PRIMARY KEY (host, metric, tier, start_ts))"_s),
                 qPrintable(q.lastError().text()));
    }

    void cleanupTestCase()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(u"rig"_s, false);
            if (db.isValid() && db.isOpen())
                QSqlQuery(db).exec(u"DROP TABLE IF EXISTS rig_blocks"_s);
            db.close();
        }
        QSqlDatabase::removeDatabase(u"rig"_s);
    }

    void upsertReplacesBytea()
    {
        QSqlDatabase db = QSqlDatabase::database(u"rig"_s);
        QString error;
        const QByteArray first = allBytes(0);
        QVERIFY2(upsert(db, 1000, first, &error), qPrintable(error));
        int rows = 0;
        QCOMPARE(stored(db, 1000, &rows), first);
        QCOMPARE(rows, 1);

        // The same key again: the newer version replaces the row, no duplicate.
        const QByteArray second = allBytes(0x5a) + QByteArray(3, '\0');
        QVERIFY2(upsert(db, 1000, second, &error), qPrintable(error));
        QCOMPARE(stored(db, 1000, &rows), second);
        QCOMPARE(rows, 1);

        // Bad input gets a clear error and changes nothing.
        QSqlQuery bad(db);
        QVERIFY(!bad.exec(u"INSERT INTO rig_blocks (host) VALUES ('only a host')"_s));
        QVERIFY2(bad.lastError().text().contains(u"null"_s, Qt::CaseInsensitive),
                 qPrintable(bad.lastError().text()));
        QSqlQuery count(db);
        QVERIFY(count.exec(u"SELECT count(*) FROM rig_blocks"_s) && count.next());
        QCOMPARE(count.value(0).toInt(), 1);
    }

    void serverOutageAndReturn()
    {
        QSqlDatabase db = QSqlDatabase::database(u"rig"_s);
        QString error;
        QVERIFY2(upsert(db, 2000, allBytes(1), &error), qPrintable(error));

        const QString stop = PgRig::stopServer();
        QVERIFY2(stop.isEmpty(), qPrintable(stop));

        // The open connection fails with a clear error, not a hang or a crash.
        QVERIFY(!upsert(db, 3000, allBytes(2), &error));
        qInfo("with the server stopped, the statement failed: %s", qPrintable(error));
        QVERIFY(!error.isEmpty());

        // A new connection is refused, and says so.
        {
            QSqlDatabase fresh = PgRig::addDatabase(u"fresh"_s);
            QVERIFY(!fresh.open());
            const QString refused = fresh.lastError().text();
            qInfo("with the server stopped, connecting failed: %s", qPrintable(refused));
            QVERIFY2(refused.contains(u"connect"_s, Qt::CaseInsensitive), qPrintable(refused));
        }
        QSqlDatabase::removeDatabase(u"fresh"_s);

        const QString start = PgRig::startServer();
        QVERIFY2(start.isEmpty(), qPrintable(start));

        // Reconnect: what was committed before the stop is there, writes work again.
        db.close();
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        int rows = 0;
        QCOMPARE(stored(db, 2000, &rows), allBytes(1));
        QCOMPARE(rows, 1);
        QVERIFY2(upsert(db, 3000, allBytes(2), &error), qPrintable(error));
        QCOMPARE(stored(db, 3000, &rows), allBytes(2));
        QCOMPARE(rows, 1);
    }
};

QTEST_GUILESS_MAIN(TestPostgresRig)
#include "tst_postgresrig.moc"
