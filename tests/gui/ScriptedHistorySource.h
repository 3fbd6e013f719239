// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A HistorySource that answers only when the test says so, in any order:
// the GUI's handling of late and stale answers can only be tested with
// control over when each one arrives. It keeps every request it was sent.
#include "HistorySource.h"

#include <QObject>
#include <QPointer>

#include <cmath>
#include <functional>

namespace tidewatch::testing {

class ScriptedHistorySource final : public HistorySource
{
public:
    struct Pending
    {
        HistoryRequest request;
        QPointer<QObject> context;
        std::function<void(const HistoryResult &)> done;
        bool answered = false;
    };

    void query(const HistoryRequest &request, QObject *context,
               std::function<void(const HistoryResult &)> done) override
    {
        m_requests.append({request, context, std::move(done), false});
    }
    StoreStatus status() const override { return m_status; }

    void setStatus(const StoreStatus &status) { m_status = status; }
    qsizetype requestCount() const { return m_requests.size(); }
    const HistoryRequest &request(qsizetype i) const { return m_requests.at(i).request; }
    const HistoryRequest &lastRequest() const { return m_requests.constLast().request; }

    /// Delivers `result` for request `i`, as a store would: in the context's
    /// thread, and not at all once the context is gone.
    void answer(qsizetype i, const HistoryResult &result)
    {
        Pending &p = m_requests[i];
        p.answered = true;
        if (p.context)
            p.done(result);
    }

private:
    QList<Pending> m_requests;
    StoreStatus m_status{StoreStatus::State::Ok,
                         QStringLiteral("sqlite"),
                         QStringLiteral("/tmp/history.sqlite"),
                         {},
                         0,
                         0,
                         0,
                         0,
                         0};
};

/// Buckets of `stepMs` over the request's range, each series' average from
/// `value(id, ts)` and min/max `spread` around it; NaN values stay NaN.
inline HistoryResult bucketedResult(const HistoryRequest &request, qint64 stepMs,
                                    const std::function<double(const QString &, qint64)> &value,
                                    double spread = 5.0)
{
    HistoryResult r;
    r.ok = true;
    r.tier = StoreTier::Minute;
    r.fromTs = request.fromTs;
    r.toTs = request.toTs;
    r.stepMs = stepMs;
    for (qint64 ts = request.fromTs - request.fromTs % stepMs; ts <= request.toTs; ts += stepMs)
        r.ts.append(ts);
    for (const QString &id : request.patterns) {
        HistorySeries s;
        s.id = id;
        for (qint64 ts : std::as_const(r.ts)) {
            const double v = value(id, ts);
            s.avg.append(v);
            s.min.append(v - spread);
            s.max.append(v + spread);
        }
        r.series.append(s);
    }
    return r;
}

} // namespace tidewatch::testing
