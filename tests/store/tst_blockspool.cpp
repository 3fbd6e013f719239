// SPDX-License-Identifier: GPL-3.0-or-later
#include "BlockSpool.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace tidewatch;

namespace {

/// A block whose payload tells which key and version it is, with every byte value in it.
StoredBlock block(int i, int version = 0, int points = 10, const QString &host = u"h1"_s)
{
    StoredBlock b;
    b.host = host;
    b.metric = u"cpu.core.%1"_s.arg(i % 3);
    b.tier = StoreTier(i % 2);
    b.startTs = 1'700'000'000'000 + qint64(i) * 60'000;
    b.endTs = b.startTs + points * 1000 - 1000;
    b.count = points;
    b.data = QByteArray::number(i) + '/' + QByteArray::number(version) + '\0';
    for (int c = 0; c < 256; ++c)
        b.data.append(char(c ^ i ^ version));
    return b;
}

QStringList describe(const StoredBlockList &blocks)
{
    QStringList out;
    for (const StoredBlock &b : blocks) {
        const qsizetype slash = b.data.indexOf('\0');
        out.append(QString::fromLatin1(b.data.left(slash)));
    }
    return out;
}

bool same(const StoredBlock &a, const StoredBlock &b)
{
    return a.sameKey(b) && a.endTs == b.endTs && a.count == b.count && a.data == b.data;
}

qint64 rowsInFile(const QString &path)
{
    qint64 rows = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"inspect"_s);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"SELECT count(*) FROM spool"_s) && q.next())
                rows = q.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"inspect"_s);
    return rows;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

constexpr qint64 Big = 1 << 30;

} // namespace

class TestBlockSpool final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void fifoOrder()
    {
        BlockSpool spool(path(u"fifo.sqlite"_s), Big, Big);
        QString error;
        QVERIFY2(spool.open(&error), qPrintable(error));
        QVERIFY(spool.isEmpty());
        QVERIFY(spool.peek(10).isEmpty());
        spool.push({block(1), block(2), block(3)});
        spool.push({block(4), block(5)});
        QCOMPARE(spool.blockCount(), 5);
        QVERIFY(!spool.isEmpty());
        QCOMPARE(describe(spool.peek(10)),
                 (QStringList{u"1/0"_s, u"2/0"_s, u"3/0"_s, u"4/0"_s, u"5/0"_s}));
        QCOMPARE(describe(spool.peek(2)), (QStringList{u"1/0"_s, u"2/0"_s}));
        QVERIFY(spool.peek(0).isEmpty());
        const StoredBlockList all = spool.peek(5);
        for (int i = 0; i < 5; ++i)
            QVERIFY(same(all.at(i), block(i + 1)));
        QCOMPARE(spool.droppedPoints(), 0);
    }

    void sameKeyReplacesInPlace()
    {
        BlockSpool spool(path(u"replace.sqlite"_s), Big, Big);
        QString error;
        QVERIFY2(spool.open(&error), qPrintable(error));
        spool.push({block(1), block(2), block(3)});
        const qint64 bytes = spool.memoryBytes();
        // An open block written again: the newer version takes the old one's place.
        spool.push({block(1, 1, 20)});
        QCOMPARE(spool.blockCount(), 3);
        const StoredBlockList all = spool.peek(10);
        QCOMPARE(describe(all), (QStringList{u"1/1"_s, u"2/0"_s, u"3/0"_s}));
        QVERIFY(same(all.at(0), block(1, 1, 20)));
        QCOMPARE(spool.memoryBytes(), bytes + BlockSpool::blockBytes(block(1, 1, 20)) -
                                          BlockSpool::blockBytes(block(1)));
        // A different host is a different key.
        spool.push({block(1, 0, 10, u"h2"_s)});
        QCOMPARE(spool.blockCount(), 4);
        // Two versions in one push: the last wins.
        spool.push({block(7, 0), block(7, 1)});
        QCOMPARE(describe(spool.peek(10)),
                 (QStringList{u"1/1"_s, u"2/0"_s, u"3/0"_s, u"1/0"_s, u"7/1"_s}));
    }

    void peekThenPop()
    {
        BlockSpool spool(path(u"pop.sqlite"_s), Big, Big);
        QString error;
        QVERIFY2(spool.open(&error), qPrintable(error));
        spool.push({block(1), block(2), block(3), block(4)});

        QCOMPARE(describe(spool.peek(2)), (QStringList{u"1/0"_s, u"2/0"_s}));
        spool.pop(2);
        QCOMPARE(describe(spool.peek(10)), (QStringList{u"3/0"_s, u"4/0"_s}));

        // A block replaced between peek and pop keeps its newer, unwritten version.
        QCOMPARE(describe(spool.peek(2)), (QStringList{u"3/0"_s, u"4/0"_s}));
        spool.push({block(3, 1), block(5)});
        spool.pop(2);
        QCOMPARE(describe(spool.peek(10)), (QStringList{u"3/1"_s, u"5/0"_s}));

        // Without a peek, pop takes the oldest; too many empties the spool.
        spool.push({block(6)});
        spool.pop(1);
        QCOMPARE(describe(spool.peek(10)), (QStringList{u"5/0"_s, u"6/0"_s}));
        spool.pop(0);
        QCOMPARE(spool.blockCount(), 2);
        spool.pop(100);
        QVERIFY(spool.isEmpty());
        QCOMPARE(spool.memoryBytes(), 0);
        // A popped key is new again when it comes back.
        spool.push({block(3, 2)});
        QCOMPARE(describe(spool.peek(10)), (QStringList{u"3/2"_s}));
    }

    void memoryCapSpillsToFile()
    {
        const QString file = path(u"spill.sqlite"_s);
        const qint64 one = BlockSpool::blockBytes(block(10)); // the largest of 1..10
        BlockSpool spool(file, 3 * one, Big);
        QString error;
        QVERIFY2(spool.open(&error), qPrintable(error));
        StoredBlockList pushed;
        for (int i = 1; i <= 10; ++i) {
            pushed.append(block(i));
            spool.push({block(i)});
            QVERIFY(spool.memoryBytes() <= 3 * one);
        }
        QCOMPARE(spool.blockCount(), 10);
        QCOMPARE(spool.memoryBlockCount(), 3);
        QCOMPARE(spool.fileBlockCount(), 7);
        QCOMPARE(rowsInFile(file), 7);
        QCOMPARE(spool.droppedPoints(), 0);
        const StoredBlockList all = spool.peek(100);
        QCOMPARE(all.size(), 10);
        for (int i = 0; i < 10; ++i)
            QVERIFY2(same(all.at(i), pushed.at(i)), qPrintable(describe({all.at(i)}).join(u' ')));

        // A spilled block replaced: in place in the file.
        spool.push({block(2, 5, 30)});
        QCOMPARE(spool.blockCount(), 10);
        QCOMPARE(rowsInFile(file), 7);
        QCOMPARE(describe(spool.peek(3)), (QStringList{u"1/0"_s, u"2/5"_s, u"3/0"_s}));
        QVERIFY(same(spool.peek(3).at(1), block(2, 5, 30)));

        // Popping across the file and memory.
        QCOMPARE(spool.peek(8).size(), 8);
        spool.pop(8);
        QCOMPARE(describe(spool.peek(10)), (QStringList{u"9/0"_s, u"10/0"_s}));
        QCOMPARE(rowsInFile(file), 0);
        QCOMPARE(spool.fileBytes(), 0);
    }

    void fileCapDropsOldest()
    {
        const QString file = path(u"filecap.sqlite"_s);
        const qint64 one = BlockSpool::blockBytes(block(10)); // the largest of 1..10
        BlockSpool spool(file, 0, 4 * one);                   // everything goes to the file at once
        QString error;
        QVERIFY2(spool.open(&error), qPrintable(error));
        qint64 expectedDrop = 0;
        for (int i = 1; i <= 10; ++i) {
            spool.push({block(i, 0, i)}); // block i holds i points
            if (i > 4)
                expectedDrop += i - 4;
            QVERIFY(spool.fileBytes() <= 4 * one);
        }
        QCOMPARE(spool.memoryBlockCount(), 0);
        QCOMPARE(spool.blockCount(), 4);
        QCOMPARE(spool.droppedPoints(), expectedDrop); // 1+2+...+6
        QCOMPARE(expectedDrop, 21);
        QCOMPARE(spool.droppedBlocks(), 6);
        QCOMPARE(spool.droppedRawPoints(), 2 + 4 + 6); // block(i) is raw for even i
        QCOMPARE(rowsInFile(file), 4);
        QCOMPARE(describe(spool.peek(10)), (QStringList{u"7/0"_s, u"8/0"_s, u"9/0"_s, u"10/0"_s}));
        // A dropped key that comes back is spooled again, as new.
        spool.push({block(1, 1, 1)});
        QCOMPARE(describe(spool.peek(10)), (QStringList{u"8/0"_s, u"9/0"_s, u"10/0"_s, u"1/1"_s}));
        QCOMPARE(spool.droppedPoints(), 21 + 7);
        QCOMPARE(spool.droppedBlocks(), 7);
    }

    void memoryOnlyDropsOldest()
    {
        const qint64 one = BlockSpool::blockBytes(block(1));
        BlockSpool spool(QString(), 2 * one, Big);
        QString error;
        QVERIFY2(spool.open(&error), qPrintable(error));
        spool.push({block(1, 0, 5), block(2, 0, 6), block(3, 0, 7)});
        QCOMPARE(spool.blockCount(), 2);
        QCOMPARE(spool.droppedPoints(), 5);
        QCOMPARE(spool.droppedRawPoints(), 0); // block(1) is a minute block
        QCOMPARE(spool.droppedBlocks(), 1);
        QCOMPARE(describe(spool.peek(10)), (QStringList{u"2/0"_s, u"3/0"_s}));
        QVERIFY(!spool.sync());
    }

    void survivesReopen()
    {
        const QString file = path(u"reopen.sqlite"_s);
        const qint64 one = BlockSpool::blockBytes(block(1));
        {
            BlockSpool spool(file, 2 * one, Big);
            QString error;
            QVERIFY2(spool.open(&error), qPrintable(error));
            spool.push({block(1), block(2), block(3), block(4), block(5)});
            QCOMPARE(spool.fileBlockCount(), 3);
            QCOMPARE(spool.memoryBlockCount(), 2);
            spool.peek(1);
            spool.pop(1);
        } // the two still in memory go to the file too
        QCOMPARE(rowsInFile(file), 4);
        {
            BlockSpool spool(file, 2 * one, Big);
            QString error;
            QVERIFY2(spool.open(&error), qPrintable(error));
            QCOMPARE(spool.blockCount(), 4);
            QCOMPARE(spool.fileBlockCount(), 4);
            const StoredBlockList all = spool.peek(10);
            QCOMPARE(describe(all), (QStringList{u"2/0"_s, u"3/0"_s, u"4/0"_s, u"5/0"_s}));
            for (int i = 0; i < 4; ++i)
                QVERIFY(same(all.at(i), block(i + 2)));
            // Replayed keys are still known: a newer version replaces, new blocks come after.
            spool.push({block(4, 1), block(6)});
            QCOMPARE(describe(spool.peek(10)),
                     (QStringList{u"2/0"_s, u"3/0"_s, u"4/1"_s, u"5/0"_s, u"6/0"_s}));
            QCOMPARE(spool.peek(10).size(), 5);
            spool.pop(5);
            QVERIFY(spool.isEmpty());
        }
        {
            BlockSpool spool(file, 2 * one, Big);
            QString error;
            QVERIFY2(spool.open(&error), qPrintable(error));
            QVERIFY(spool.isEmpty());
        }
    }

    void corruptFileIsReportedAndKept()
    {
        const QString file = path(u"corrupt.sqlite"_s);
        QByteArray garbage;
        for (int i = 0; i < 8192; ++i)
            garbage.append(char((i * 7919) % 251));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(garbage);
        }
        BlockSpool spool(file, BlockSpool::blockBytes(block(1)), Big);
        QString error;
        QVERIFY(!spool.open(&error));
        qInfo("corrupt spool file: %s", qPrintable(error));
        QVERIFY2(error.contains(file), qPrintable(error));
        QVERIFY2(error.contains(u"not a readable SQLite database"_s), qPrintable(error));
        QCOMPARE(spool.errorString(), error);

        // It still spools, in memory only, and never writes the file.
        spool.push({block(1, 0, 3), block(2)});
        QCOMPARE(spool.blockCount(), 1);
        QCOMPARE(spool.droppedPoints(), 3);
        QVERIFY(!spool.sync());
        QCOMPARE(readAll(file), garbage);
    }

    void damagedSpoolIsReportedAndKept()
    {
        // A real spool file with its pages overwritten in the middle.
        const QString file = path(u"damaged.sqlite"_s);
        {
            BlockSpool spool(file, 0, Big);
            QString error;
            QVERIFY2(spool.open(&error), qPrintable(error));
            StoredBlockList many;
            for (int i = 0; i < 200; ++i)
                many.append(block(i));
            spool.push(many);
        }
        QByteArray bytes = readAll(file);
        QVERIFY(bytes.size() > 16384);
        for (qsizetype i = 4096; i < bytes.size() - 4096; ++i)
            bytes[i] = char(0xA5);
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(bytes);
        }
        QFile::remove(file + u"-wal"_s);
        QFile::remove(file + u"-shm"_s);
        BlockSpool spool(file, Big, Big);
        QString error;
        QVERIFY(!spool.open(&error));
        qInfo("damaged spool file: %s", qPrintable(error));
        QVERIFY2(error.contains(file), qPrintable(error));
        QVERIFY2(error.contains(u"left as it is"_s), qPrintable(error));
        QCOMPARE(readAll(file), bytes);
    }

    void foreignSqliteFileIsReportedAndKept()
    {
        const QString file = path(u"foreign.sqlite"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"foreign"_s);
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE users (name TEXT)"_s));
            QVERIFY(q.exec(u"INSERT INTO users VALUES ('alice')"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"foreign"_s);
        const QByteArray before = readAll(file);

        BlockSpool spool(file, Big, Big);
        QString error;
        QVERIFY(!spool.open(&error));
        qInfo("foreign spool file: %s", qPrintable(error));
        QVERIFY2(error.contains(file), qPrintable(error));
        QVERIFY2(error.contains(u"not a Tidewatch spool file"_s), qPrintable(error));
        QCOMPARE(readAll(file), before);
    }

    void emptyFileIsNew()
    {
        const QString file = path(u"empty.sqlite"_s);
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        BlockSpool spool(file, 0, Big);
        QString error;
        QVERIFY2(spool.open(&error), qPrintable(error));
        spool.push({block(1)});
        QCOMPARE(rowsInFile(file), 1);
    }

    void unwritableDirectoryIsReported()
    {
        const QString file = path(u"not-a-dir/sub/spool.sqlite"_s);
        {
            QFile f(path(u"not-a-dir"_s));
            QVERIFY(f.open(QIODevice::WriteOnly)); // a file where the directory should be
        }
        BlockSpool spool(file, Big, Big);
        QString error;
        QVERIFY(!spool.open(&error));
        QVERIFY2(error.contains(file), qPrintable(error));
    }

    void connectionsAreUniquePerInstance()
    {
        const qsizetype before = QSqlDatabase::connectionNames().size();
        {
            auto a = std::make_unique<BlockSpool>(path(u"a.sqlite"_s), 0, Big);
            auto b = std::make_unique<BlockSpool>(path(u"b.sqlite"_s), 0, Big);
            QString error;
            QVERIFY2(a->open(&error), qPrintable(error));
            QVERIFY2(b->open(&error), qPrintable(error));
            QCOMPARE(QSqlDatabase::connectionNames().size(), before + 2);
            a->push({block(1)});
            b->push({block(2), block(3)});
            QCOMPARE(describe(a->peek(10)), (QStringList{u"1/0"_s}));
            QCOMPARE(describe(b->peek(10)), (QStringList{u"2/0"_s, u"3/0"_s}));
        }
        QCOMPARE(QSqlDatabase::connectionNames().size(), before);
        QCOMPARE(rowsInFile(path(u"a.sqlite"_s)), 1);
        QCOMPARE(rowsInFile(path(u"b.sqlite"_s)), 2);
    }
};

QTEST_GUILESS_MAIN(TestBlockSpool)
#include "tst_blockspool.moc"
