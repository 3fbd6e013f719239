// SPDX-License-Identifier: GPL-3.0-or-later
#include "Sampler.h"

#include <QSignalSpy>
#include <QTest>

#include <atomic>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

class ManualClock final : public Clock
{
public:
    qint64 monotonicUs() const override { return mono; }
    qint64 wallMs() const override { return wall; }
    qint64 threadCpuUs() const override { return cpu; }
    void advanceMs(qint64 ms)
    {
        mono += ms * 1000;
        wall += ms;
    }
    qint64 mono = 5'000'000;
    qint64 wall = 1'700'000'000'000;
    qint64 cpu = 0;
};

// Counts up a fake counter by `step` per pass and reports its rate, the way
// the real collectors do: NaN until it has a previous value.
class CountingCollector final : public Collector
{
public:
    explicit CountingCollector(double step, std::atomic<int> *passes = nullptr)
        : m_step(step)
        , m_passes(passes)
    {}
    QString name() const override { return u"counting"_s; }
    void collect(const SampleContext &context, SnapshotBuilder &out) override
    {
        m_counter += m_step;
        double rate = qQNaN();
        if (m_lastUs >= 0 && context.monotonicUs > m_lastUs)
            rate = (m_counter - m_lastCounter) * 1e6 / double(context.monotonicUs - m_lastUs);
        m_lastUs = context.monotonicUs;
        m_lastCounter = m_counter;
        out.add({u"x.rate"_s, u"X"_s, u"/s"_s, 0, qQNaN(), MetricKind::Rate, {}}, rate);
        out.add({u"x.total"_s, u"X"_s, QString(), 0, qQNaN(), MetricKind::Counter, {}}, m_counter);
        if (m_passes)
            ++*m_passes;
    }

private:
    double m_step;
    std::atomic<int> *m_passes;
    double m_counter = 0;
    double m_lastCounter = 0;
    qint64 m_lastUs = -1;
};

CollectorList counting(double step, std::atomic<int> *passes = nullptr)
{
    CollectorList list;
    list.push_back(std::make_unique<CountingCollector>(step, passes));
    return list;
}

} // namespace

class TestSampler final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void firstTickLandsOnWallMultiple_data()
    {
        QTest::addColumn<qint64>("wallMs");
        QTest::addColumn<int>("intervalMs");
        QTest::addColumn<qint64>("expectedDelayMs");
        QTest::newRow("mid second") << qint64(1'000'300) << 1000 << qint64(700);
        QTest::newRow("too close, skip one") << qint64(1'000'700) << 1000 << qint64(1300);
        QTest::newRow("exactly on") << qint64(1'001'000) << 1000 << qint64(1000);
        QTest::newRow("100 ms") << qint64(1'000'020) << 100 << qint64(80);
        QTest::newRow("100 ms close") << qint64(1'000'090) << 100 << qint64(110);
    }
    void firstTickLandsOnWallMultiple()
    {
        QFETCH(qint64, wallMs);
        QFETCH(int, intervalMs);
        QFETCH(qint64, expectedDelayMs);
        TickSchedule schedule;
        schedule.start(50'000'000, wallMs, intervalMs);
        QCOMPARE(schedule.firstDelayUs(50'000'000), expectedDelayMs * 1000);
    }

    void steadyCadenceDoesNotDrift()
    {
        TickSchedule schedule;
        const qint64 t0 = 10'000'000;
        schedule.start(t0, 2'000'000'000, 1000); // on a multiple: first tick at +1 s
        qint64 due = t0 + schedule.firstDelayUs(t0);
        // Each tick fires a little late (timer jitter, sampling cost); the
        // next one is still due on the grid, not "interval after the late one".
        for (int i = 0; i < 1000; ++i) {
            const qint64 firedAt = due + 3'000 + (i % 7) * 1'000;
            const qint64 wait = schedule.advance(firedAt);
            due = firedAt + wait;
            QCOMPARE((due - t0) % 1'000'000, 0);
        }
        QCOMPARE(due, t0 + 1001 * 1'000'000);
        QCOMPARE(schedule.skipped(), 0);
    }

    void lateTicksAreSkippedNotBunched()
    {
        TickSchedule schedule;
        const qint64 t0 = 0;
        schedule.start(t0, 5'000'000, 100); // first tick due at +100 ms
        const qint64 firstDue = schedule.firstDelayUs(t0);
        QCOMPARE(firstDue, 100'000);
        // The thread stalled: this tick fires 350 ms late.
        const qint64 wait = schedule.advance(firstDue + 350'000);
        QCOMPARE(schedule.skipped(), 3);
        QCOMPARE(firstDue + 350'000 + wait, 500'000); // back on the grid
        QVERIFY(wait > 0 && wait <= 100'000);
    }

    void passNumbersAndReusesCatalog()
    {
        auto clock = std::make_shared<ManualClock>();
        SamplingPass pass(counting(10.0), clock, u"box"_s);
        pass.prime();
        clock->advanceMs(500);
        clock->cpu += 42;
        const SnapshotPtr first = pass.run();
        QCOMPARE(first->seq, 1u);
        QCOMPARE(first->host, u"box"_s);
        QCOMPARE(first->ts, clock->wall);
        QCOMPARE(first->value(u"x.rate"_s), 20.0); // 10 per 0.5 s
        QCOMPARE(first->value(u"x.total"_s), 20.0);

        clock->advanceMs(250);
        const SnapshotPtr second = pass.run();
        QCOMPARE(second->seq, 2u);
        QCOMPARE(second->value(u"x.rate"_s), 40.0);
        QCOMPARE(second->catalog.get(), first->catalog.get());
    }

    void unprimedPassReportsNaNNotGarbage()
    {
        auto clock = std::make_shared<ManualClock>();
        SamplingPass pass(counting(10.0), clock, u"box"_s);
        const SnapshotPtr first = pass.run();
        QVERIFY(qIsNaN(first->value(u"x.rate"_s)));
    }

    void threadEmitsSteadySnapshots()
    {
        qRegisterMetaType<SnapshotPtr>();
        std::atomic<int> passes{0};
        Sampler sampler(counting(1.0, &passes), u"box"_s);
        sampler.setIntervalMs(100);
        QCOMPARE(sampler.intervalMs(), 100);
        QSignalSpy spy(&sampler, &Sampler::snapshotReady);
        sampler.start();
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 4, 10'000);
        sampler.stop();
        QVERIFY(passes.load() >= 5); // the priming pass plus each emitted one
        quint64 seq = 0;
        qint64 lastTs = 0;
        for (const auto &args : std::as_const(spy)) {
            const auto s = args.at(0).value<SnapshotPtr>();
            QCOMPARE(s->seq, ++seq); // 1, 2, 3…: the primer is not emitted
            QVERIFY(s->ts > lastTs);
            QVERIFY(!qIsNaN(s->value(u"x.rate"_s))); // even the first has a rate
            lastTs = s->ts;
        }
    }

    void intervalIsClamped()
    {
        Sampler sampler(counting(1.0));
        QSignalSpy spy(&sampler, &Sampler::intervalChanged);
        sampler.setIntervalMs(5);
        QCOMPARE(sampler.intervalMs(), Sampler::MinIntervalMs);
        sampler.setIntervalMs(1 << 30);
        QCOMPARE(sampler.intervalMs(), Sampler::MaxIntervalMs);
        QCOMPARE(spy.size(), 2);
        QVERIFY(!sampler.host().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "tst_sampler.moc"
