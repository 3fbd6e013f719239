// SPDX-License-Identifier: GPL-3.0-or-later
#include "BlockCodec.h"
#include "Hub.h"

#include <QRandomGenerator>
#include <QTest>

#include <bit>
#include <cmath>
#include <limits>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

struct Series
{
    int columns = 1;
    int decimals = -1; // < 0: XOR'd doubles
    int maxShift = 0;
    QList<qint64> ts;
    QList<double> values; // row-major
};

double fromBits(quint64 bits)
{
    return std::bit_cast<double>(bits);
}

BlockEncoder encode(const Series &s)
{
    BlockEncoder enc(s.columns, s.decimals, s.maxShift);
    for (qsizetype i = 0; i < s.ts.size(); ++i) {
        if (!enc.append(s.ts.at(i), s.values.constData() + i * s.columns))
            qFatal("append refused a valid point");
    }
    return enc;
}

// Compares bit patterns, so NaN payloads and -0.0 count.
bool sameBits(const QList<double> &a, const QList<double> &b, QString *why)
{
    if (a.size() != b.size()) {
        *why = u"size %1 != %2"_s.arg(a.size()).arg(b.size());
        return false;
    }
    for (qsizetype i = 0; i < a.size(); ++i) {
        const quint64 x = std::bit_cast<quint64>(a.at(i));
        const quint64 y = std::bit_cast<quint64>(b.at(i));
        if (x != y) {
            *why = u"value %1: %2 != %3"_s.arg(i)
                       .arg(x, 16, 16, QChar(u'0'))
                       .arg(y, 16, 16, QChar(u'0'));
            return false;
        }
    }
    return true;
}

void checkRoundTrip(const Series &s)
{
    const BlockEncoder enc = encode(s);
    QCOMPARE(enc.count(), s.ts.size());
    const QByteArray data = enc.data();
    QCOMPARE(data.size(), enc.encodedSize());
    DecodedBlock out;
    QString error;
    QVERIFY2(decodeBlock(data, &out, &error), qPrintable(error));
    QCOMPARE(out.columns, s.columns);
    QCOMPARE(out.ts, s.ts);
    QString why;
    QVERIFY2(sameBits(out.values, s.values, &why), qPrintable(why));
}

Series regular(int n, double value, qint64 start = 1'700'000'000'000, qint64 step = 1000)
{
    Series s;
    for (int i = 0; i < n; ++i) {
        s.ts.append(start + i * step);
        s.values.append(value);
    }
    return s;
}

// What a valid decode must look like, whatever the input was.
void checkWellFormed(const DecodedBlock &b)
{
    QVERIFY(b.columns >= 1 && b.columns <= BlockEncoder::MaxColumns);
    QCOMPARE(b.values.size(), b.ts.size() * b.columns);
    for (qsizetype i = 1; i < b.ts.size(); ++i)
        QVERIFY(b.ts.at(i) > b.ts.at(i - 1));
}

Series randomSeries(QRandomGenerator &rng, int n)
{
    Series s;
    s.columns = rng.bounded(3) == 0 ? 3 : 1;
    s.decimals = rng.bounded(4) - 1; // -1 (XOR) or 0..2
    s.maxShift = rng.bounded(2) ? 12 : 0;
    qint64 ts = qint64(rng.generate64() >> 2) - (qint64(1) << 61);
    const int style = rng.bounded(5);
    double walk = rng.generateDouble() * 100;
    for (int i = 0; i < n; ++i) {
        s.ts.append(ts);
        // Mostly 1 s with jitter, sometimes a gap, sometimes a huge jump.
        const int kind = rng.bounded(100);
        qint64 step = 1000 + rng.bounded(-5, 6);
        if (kind < 5)
            step = rng.bounded(1, 100000);
        else if (kind < 7)
            step = qint64(rng.generate64() >> 20) + 1;
        if (ts > std::numeric_limits<qint64>::max() - step)
            break; // stop before overflowing the time axis
        ts += step;
        for (int c = 0; c < s.columns; ++c) {
            double v = 0;
            switch (style) {
            case 0: // random bit patterns, NaNs and denormals included
                v = fromBits(rng.generate64());
                break;
            case 1: // noisy random walk
                walk += rng.generateDouble() - 0.5;
                v = walk;
                break;
            case 2: // mostly constant with rare changes
                if (rng.bounded(50) == 0)
                    walk = double(rng.bounded(1000));
                v = walk;
                break;
            case 3: // small integers, like byte counts per second
                v = double(rng.bounded(0, 1 << 20));
                break;
            default: // mixed specials
                switch (rng.bounded(6)) {
                case 0:
                    v = std::numeric_limits<double>::quiet_NaN();
                    break;
                case 1:
                    v = -std::numeric_limits<double>::infinity();
                    break;
                case 2:
                    v = std::numeric_limits<double>::denorm_min() * rng.bounded(1, 1000);
                    break;
                case 3:
                    v = -0.0;
                    break;
                default:
                    v = rng.generateDouble();
                }
            }
            s.values.append(v);
        }
    }
    return s;
}

} // namespace

class TestBlockCodec final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<int>("columns");
        QTest::addColumn<QList<qint64>>("ts");
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<int>("decimals");

        const double inf = std::numeric_limits<double>::infinity();
        const double qnan = std::numeric_limits<double>::quiet_NaN();
        const double dmin = std::numeric_limits<double>::denorm_min();

        // Every series in both codings: XOR'd doubles, and decimals (2),
        // where values that are not exact decimals take the escape.
        auto add = [](const char *name, const Series &s) {
            QTest::addRow("%s", name) << s.columns << s.ts << s.values << -1;
            QTest::addRow("%s, decimal", name) << s.columns << s.ts << s.values << 2;
            QTest::addRow("%s, decimal shifted", name) << s.columns << s.ts << s.values << 102;
        };
        add("empty", Series{});
        add("single point", regular(1, 42.5));
        add("constant", regular(1000, 3.25));
        add("constant zero", regular(500, 0.0));
        {
            Series s = regular(12, 0);
            s.values = {qnan,
                        -qnan,
                        fromBits(0x7ff0000000000001ULL), // signalling NaN payload
                        fromBits(0x7ff8dead0000beefULL), // quiet NaN with a payload
                        fromBits(0xfff0000000000123ULL), // negative NaN with a payload
                        inf,
                        -inf,
                        dmin,
                        -dmin,
                        fromBits(0x000fffffffffffffULL), // largest denormal
                        -0.0,
                        0.0};
            add("special doubles", s);
        }
        {
            Series s = regular(8, 0);
            s.values = {std::numeric_limits<double>::max(),
                        std::numeric_limits<double>::lowest(),
                        std::numeric_limits<double>::min(),
                        1.0,
                        -1.0,
                        1e-300,
                        1e300,
                        std::numeric_limits<double>::epsilon()};
            add("extremes", s);
        }
        {
            Series s;
            const qint64 t[] = {-5'000'000'000'000,
                                -1,
                                0,
                                1,
                                2,
                                1003,
                                2001,
                                2999,
                                1'000'000'000,
                                (qint64(1) << 40),
                                (qint64(1) << 40) + 1,
                                (qint64(1) << 62)};
            for (qint64 v : t) {
                s.ts.append(v);
                s.values.append(double(s.ts.size()));
            }
            add("irregular and large jumps", s);
        }
        {
            Series s;
            s.ts = {std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::min() + 1, 0,
                    std::numeric_limits<qint64>::max() - 1, std::numeric_limits<qint64>::max()};
            s.values = {1, 2, 3, 4, 5};
            add("whole time axis", s);
        }
        {
            Series s;
            s.columns = 3;
            for (int i = 0; i < 60; ++i) {
                s.ts.append(1'700'000'040'000 + i * 60'000);
                s.values << i * 0.5 << i * 2.0 + 1 << i * 1.25 + 0.3;
            }
            add("three columns", s);
        }
        {
            Series s;
            QRandomGenerator rng(7);
            qint64 t = 1'700'000'000'000;
            for (int i = 0; i < 3600; ++i) {
                t += 1000 + rng.bounded(-4, 5); // sampler jitter
                s.ts.append(t);
                s.values.append(20 + rng.generateDouble() * 5);
            }
            add("jittered noisy", s);
        }
        {
            Series s;
            QRandomGenerator rng(8);
            for (int i = 0; i < 1000; ++i) {
                s.ts.append(1'700'000'000'000 + i * 1000);
                // Rounded the way the store rounds, with wide jumps.
                const double v = rng.bounded(20) == 0 ? rng.generateDouble() * 1e12
                                                      : 20 + rng.generateDouble() * 5;
                s.values.append(roundToDecimals(v, 2));
            }
            add("rounded to 2 decimals", s);
        }
    }

    void roundTrip()
    {
        QFETCH(int, columns);
        QFETCH(QList<qint64>, ts);
        QFETCH(QList<double>, values);
        QFETCH(int, decimals); // 100 + d: decimals d with a binary shift of up to 12
        checkRoundTrip(Series{columns, decimals % 100, decimals >= 100 ? 12 : 0, ts, values});
    }

    void refusesTimestampsThatDoNotIncrease()
    {
        BlockEncoder enc;
        QVERIFY(enc.append(1000, 1.0));
        QVERIFY(enc.append(2000, 2.0));
        const QByteArray before = enc.data();
        QVERIFY(!enc.append(2000, 3.0)); // equal
        QVERIFY(!enc.append(1500, 3.0)); // backwards
        QVERIFY(!enc.append(std::numeric_limits<qint64>::min(), 3.0));
        QCOMPARE(enc.count(), 2);
        QCOMPARE(enc.lastTs(), 2000);
        QCOMPARE(enc.data(), before);
        QVERIFY(enc.append(2500, 3.0)); // and it goes on after a refusal
        DecodedBlock out;
        QString error;
        QVERIFY2(decodeBlock(enc.data(), &out, &error), qPrintable(error));
        QCOMPARE(out.ts, (QList<qint64>{1000, 2000, 2500}));
        QCOMPARE(out.values, (QList<double>{1.0, 2.0, 3.0}));
    }

    void decimalCodingIsCompact()
    {
        // A CPU percentage at 0.01: small steps cost a short bucket, not 64 bits.
        Series s;
        QRandomGenerator rng(3);
        for (int i = 0; i < 600; ++i) {
            s.ts.append(1'700'000'000'000 + i * 1000);
            s.values.append(roundToDecimals(12 + rng.generateDouble() * 0.3, 2));
        }
        s.decimals = 2;
        const qsizetype decimal = encode(s).encodedSize();
        s.decimals = -1;
        const qsizetype xored = encode(s).encodedSize();
        QVERIFY2(decimal * 3 < xored, qPrintable(u"%1 vs %2"_s.arg(decimal).arg(xored)));
        QVERIFY(decimal < 600 * 10 / 8 + 32); // under 10 bits per point, timestamp included
        QCOMPARE(roundToDecimals(-0.001, 2), 0.0);
        QVERIFY(!std::signbit(roundToDecimals(-0.001, 2)));
        QVERIFY(std::isnan(roundToDecimals(qQNaN(), 2)));
        QCOMPARE(roundToDecimals(1.005e300, 2), 1.005e300);
    }

    void hubRoundsAsTheStore()
    {
        // The Hub's memory history and the store round every value alike,
        // so a history answer does not change when it moves from memory to
        // the store.
        const QStringList units{u"%"_s, u"/s"_s, u"°C"_s, u"B"_s, u"B/s"_s, u"Hz"_s, u"s"_s, {}};
        QList<MetricInfo> infos;
        for (const QString &unit : units)
            infos.append({u"m"_s + unit, {}, unit, 0, qQNaN(), MetricKind::Gauge, {}});
        auto catalog = std::make_shared<const MetricCatalog>(infos);
        Hub hub(3'600'000);
        QRandomGenerator rng(5);
        QList<QList<double>> written;
        for (int row = 0; row < 3000; ++row) {
            QList<double> values;
            for (qsizetype m = 0; m < units.size(); ++m) {
                const int kind = int(rng.bounded(6));
                double v = (rng.generateDouble() - 0.5) * std::pow(10.0, int(rng.bounded(17)) - 4);
                if (kind == 0) // halves and near-halves at the last decimal
                    v = (double(qint64(rng.bounded(100000))) + 0.5) /
                        std::pow(10.0, historyDecimals(units.at(m)));
                else if (kind == 1) // around the bound where rounding stops
                    v = 4e15 / std::pow(10.0, historyDecimals(units.at(m))) *
                        (0.999 + rng.generateDouble() * 0.002);
                values.append(v);
            }
            auto snapshot = std::make_shared<Snapshot>();
            snapshot->ts = 1000 * (row + 1);
            snapshot->seq = quint64(row + 1);
            snapshot->catalog = catalog;
            snapshot->values = values;
            hub.publish(snapshot);
            written.append(values);
        }
        for (qsizetype m = 0; m < units.size(); ++m) {
            const auto points = hub.history(infos.at(m).id);
            QCOMPARE(points.size(), written.size());
            const int d = historyDecimals(units.at(m));
            for (qsizetype i = 0; i < points.size(); ++i) {
                const double store = roundToDecimals(written.at(i).at(m), d);
                if (std::bit_cast<quint64>(points.at(i).value) != std::bit_cast<quint64>(store))
                    QFAIL(qPrintable(u"unit %1: %2 -> hub %3, store %4"_s.arg(units.at(m))
                                         .arg(written.at(i).at(m), 0, 'g', 17)
                                         .arg(points.at(i).value, 0, 'g', 17)
                                         .arg(store, 0, 'g', 17)));
            }
        }
    }

    void binaryShiftForWholeMultiples()
    {
        // kB from /proc/meminfo: multiples of 1024 cost 10 bits less each,
        // and a value that is not a multiple still round trips (escape).
        Series s;
        s.decimals = 0;
        QRandomGenerator rng(11);
        double v = 8.0 * 1024 * 1024 * 1024;
        for (int i = 0; i < 600; ++i) {
            s.ts.append(1'700'000'000'000 + i * 1000);
            v += double(rng.bounded(-200, 200)) * 1024;
            s.values.append(i == 300 ? v + 1 : v);
        }
        checkRoundTrip(s);
        const qsizetype plain = encode(s).encodedSize();
        s.maxShift = 12;
        checkRoundTrip(s);
        const BlockEncoder shifted = encode(s);
        QCOMPARE(shifted.shift(), 10);
        QVERIFY2(shifted.encodedSize() + 600 < plain,
                 qPrintable(u"%1 vs %2"_s.arg(shifted.encodedSize()).arg(plain)));
    }

    void singleColumnAppendNeedsOneColumn()
    {
        BlockEncoder enc(3);
        QVERIFY(!enc.append(1000, 1.0));
        QCOMPARE(enc.count(), 0);
    }

    void openBlockCanBeWrittenRepeatedly()
    {
        // data() is a snapshot: appending after it neither changes the copy
        // nor needs re-encoding; every snapshot decodes to its prefix.
        BlockEncoder enc;
        QList<QByteArray> snapshots;
        for (int i = 0; i < 50; ++i) {
            QVERIFY(enc.append(1000 + i * 1000 + (i % 3), std::sin(i * 0.1)));
            snapshots.append(enc.data());
        }
        for (int i = 0; i < snapshots.size(); ++i) {
            DecodedBlock out;
            QString error;
            QVERIFY2(decodeBlock(snapshots.at(i), &out, &error), qPrintable(error));
            QCOMPARE(out.ts.size(), i + 1);
            QCOMPARE(out.values.last(), std::sin(i * 0.1));
        }
        enc.clear();
        QCOMPARE(enc.count(), 0);
        QVERIFY(enc.append(5, 1.0));
        QCOMPARE(enc.firstTs(), 5);
    }

    void compactForRegularSeries()
    {
        // Gorilla's point: a steady 1 Hz series of a constant needs two bits
        // per point (timestamp '0' and value '0'); the second timestamp takes 17.
        const QByteArray data = encode(regular(3600, 12.5)).data();
        QVERIFY2(data.size() <= BlockEncoder::HeaderBytes + 8 + 3 + 3600 * 2 / 8,
                 qPrintable(QString::number(data.size())));
    }

    void propertyRandomSeries()
    {
        QRandomGenerator rng(20261128);
        const int sizes[] = {1, 2, 3, 7, 31, 64, 100, 257, 1000, 4096};
        for (int round = 0; round < 40; ++round) {
            for (int n : sizes) {
                const Series s = randomSeries(rng, n);
                checkRoundTrip(s);
                if (QTest::currentTestFailed()) {
                    qWarning("failed at round %d, size %d", round, n);
                    return;
                }
            }
        }
    }

    void corruptBlocksNeverCrash()
    {
        QRandomGenerator rng(99);
        int refused = 0, accepted = 0;
        for (int round = 0; round < 12; ++round) {
            const QByteArray valid = encode(randomSeries(rng, 1 + rng.bounded(300))).data();
            QList<QByteArray> inputs;
            for (qsizetype len = 0; len < valid.size(); ++len)
                inputs.append(valid.left(len)); // every truncation
            for (int f = 0; f < 300; ++f) {
                QByteArray flipped = valid;
                const int flips = 1 + rng.bounded(4);
                for (int k = 0; k < flips; ++k) {
                    const int bit = rng.bounded(int(valid.size() * 8));
                    flipped[bit / 8] = char(flipped.at(bit / 8) ^ (1 << (bit % 8)));
                }
                inputs.append(flipped);
            }
            for (int f = 0; f < 50; ++f) {
                // Random bytes behind a plausible header, with huge counts too.
                QByteArray junk = valid.left(BlockEncoder::HeaderBytes);
                junk.append(QByteArray(rng.bounded(200), Qt::Uninitialized));
                for (qsizetype k = BlockEncoder::HeaderBytes; k < junk.size(); ++k)
                    junk[k] = char(rng.bounded(256));
                if (f % 2)
                    std::fill(junk.begin() + 2, junk.begin() + 6, char(0xff));
                inputs.append(junk);
                QByteArray noise(rng.bounded(64), Qt::Uninitialized);
                for (char &c : noise)
                    c = char(rng.bounded(256));
                inputs.append(noise);
            }
            inputs.append(valid + QByteArray(1, '\0')); // trailing byte
            for (const QByteArray &input : std::as_const(inputs)) {
                DecodedBlock out;
                QString error;
                if (decodeBlock(input, &out, &error)) {
                    ++accepted;
                    checkWellFormed(out);
                    if (QTest::currentTestFailed())
                        return;
                } else {
                    ++refused;
                    QVERIFY(!error.isEmpty());
                    QVERIFY(out.ts.isEmpty());
                }
            }
        }
        // Truncations and trailing bytes must all be caught.
        QVERIFY(refused > 0);
        qInfo("accepted %d, refused %d", accepted, refused);
    }

    void truncationIsAlwaysRefused()
    {
        const QByteArray valid = encode(regular(200, 7.0)).data();
        for (qsizetype len = 0; len < valid.size(); ++len) {
            DecodedBlock out;
            QString error;
            QVERIFY2(!decodeBlock(valid.left(len), &out, &error), qPrintable(QString::number(len)));
            QVERIFY(!error.isEmpty());
        }
    }

    void headerErrorsAreNamed()
    {
        QByteArray data = encode(regular(5, 1.0)).data();
        QString error;
        DecodedBlock out;
        QByteArray wrongVersion = data;
        wrongVersion[0] = 9;
        QVERIFY(!decodeBlock(wrongVersion, &out, &error));
        QVERIFY2(error.contains(u"version"_s), qPrintable(error));
        QByteArray wrongColumns = data;
        wrongColumns[1] = 0;
        QVERIFY(!decodeBlock(wrongColumns, &out, &error));
        QVERIFY2(error.contains(u"column"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestBlockCodec)
#include "tst_blockcodec.moc"
