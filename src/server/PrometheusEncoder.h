// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Snapshot.h"

#include <QByteArray>
#include <QList>

#include <array>

namespace tidewatch {

/// A Prometheus-style histogram of durations in seconds: fixed buckets,
/// cumulative on export, constant memory.
class LatencyHistogram final
{
public:
    static constexpr std::array<double, 13> Bounds = {0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03,
                                                      0.05,  0.1,   0.25,  0.5,  1.0,   2.5};
    void observe(double seconds);
    quint64 count() const { return m_count; }
    double sum() const { return m_sum; }
    /// Observations <= Bounds[i] (not cumulative); the last entry is +Inf.
    const std::array<quint64, Bounds.size() + 1> &buckets() const { return m_buckets; }

private:
    std::array<quint64, Bounds.size() + 1> m_buckets{};
    quint64 m_count = 0;
    double m_sum = 0;
};

/// Figures about the feed server itself, exported as tidewatch_* metrics.
struct FeedSelfMetrics
{
    int clients = 0;
    quint64 framesSent = 0;
    quint64 framesDropped = 0;
    quint64 clientsDropped = 0;
    const LatencyHistogram *deliveryLag = nullptr; ///< sample to last client, per tick
    /// Under TLS: the served certificate's notAfter and what became of the
    /// connections on the port (FeedListener::Stats).
    struct Tls
    {
        bool enabled = false;
        qint64 certificateExpiry = 0; ///< Unix seconds; 0 when unknown
        quint64 accepted = 0;
        quint64 failed = 0;
        quint64 plainHttp = 0;
        quint64 timedOut = 0;
        quint64 refused = 0;
    };
    Tls tls{};
};

/// Writes a snapshot in the Prometheus text exposition format 0.0.4, with
/// node_exporter's metric names and labels wherever a counterpart exists,
/// so existing dashboards work. The part that depends on the snapshot is
/// cached per snapshot, so a scrape between two ticks only appends the few
/// self metrics.
class PrometheusEncoder final
{
public:
    static constexpr const char *ContentType = "text/plain; version=0.0.4; charset=utf-8";

    QByteArray encode(const SnapshotPtr &snapshot, const FeedSelfMetrics &self);

    /// Escapes a label value: backslash, double quote and newline.
    static void appendLabelValue(QByteArray &out, QStringView value);

private:
    struct Sample
    {
        qsizetype index = -1;    ///< catalog index of the value
        qsizetype subtract = -1; ///< catalog index subtracted from it, or -1
        QByteArray labels;       ///< "{a=\"b\"}" or empty
    };
    struct Family
    {
        int def = 0; ///< index into the family table
        QList<Sample> samples;
    };

    void buildPlan(const CatalogPtr &catalog);
    void encodeSnapshot(const Snapshot &snapshot);

    CatalogPtr m_planCatalog;
    QList<Family> m_plan;
    SnapshotPtr m_cachedSnapshot;
    QByteArray m_cachedBody;
};

} // namespace tidewatch
