// SPDX-License-Identifier: GPL-3.0-or-later
#include "PrometheusEncoder.h"

#include "FeedCodec.h"

#include <QHash>
#include <QSet>

#include <cmath>
#include <initializer_list>

namespace tidewatch {

namespace {

struct FamilyDef
{
    const char *name;
    const char *type;
    const char *help;
};

// Output order. node_* help texts follow node_exporter's where they exist.
enum FamilyId : quint8 {
    NodeBootTime,
    NodeContextSwitches,
    NodeCpuSeconds,
    NodeCpuFreq,
    NodeDiskIoTime,
    NodeDiskReadBytes,
    NodeDiskReads,
    NodeDiskWrites,
    NodeDiskWrittenBytes,
    NodeFsAvail,
    NodeFsFree,
    NodeFsSize,
    NodeForks,
    NodeHwmonTemp,
    NodeLoad1,
    NodeLoad15,
    NodeLoad5,
    NodeMemAvailable,
    NodeMemBuffers,
    NodeMemCached,
    NodeMemFree,
    NodeMemTotal,
    NodeSwapFree,
    NodeSwapTotal,
    NodeNetRxBytes,
    NodeNetRxDrop,
    NodeNetRxErrs,
    NodeNetRxPackets,
    NodeNetTxBytes,
    NodeNetTxDrop,
    NodeNetTxErrs,
    NodeNetTxPackets,
    NodeProcsBlocked,
    NodeProcsRunning,
    TwCpuUsage,
    TwCpuMode,
    TwCpuCore,
    TwMemUsedBytes,
    TwMemUsedPercent,
    TwSwapUsedPercent,
    TwFsUsedPercent,
    TwDiskBusy,
    TwProcesses,
    TwThreads,
    FamilyCount
};

constexpr FamilyDef Families[FamilyCount] = {
    {"node_boot_time_seconds", "gauge", "Node boot time, in unixtime."},
    {"node_context_switches_total", "counter", "Total number of context switches."},
    {"node_cpu_seconds_total", "counter", "Seconds the CPUs spent in each mode."},
    {"node_cpu_scaling_frequency_hertz", "gauge", "Current scaled CPU thread frequency in hertz."},
    {"node_disk_io_time_seconds_total", "counter", "Total seconds spent doing I/Os."},
    {"node_disk_read_bytes_total", "counter", "The total number of bytes read successfully."},
    {"node_disk_reads_completed_total", "counter",
     "The total number of reads completed successfully."},
    {"node_disk_writes_completed_total", "counter",
     "The total number of writes completed successfully."},
    {"node_disk_written_bytes_total", "counter", "The total number of bytes written successfully."},
    {"node_filesystem_avail_bytes", "gauge",
     "Filesystem space available to non-root users in bytes."},
    // Tidewatch does not sample f_bfree; size - used is exactly f_bfree * f_frsize
    // when used = (f_blocks - f_bfree) * f_frsize, as df computes it, and an
    // approximation otherwise.
    {"node_filesystem_free_bytes", "gauge",
     "Filesystem free space in bytes (size minus used, approximated by Tidewatch)."},
    {"node_filesystem_size_bytes", "gauge", "Filesystem size in bytes."},
    {"node_forks_total", "counter", "Total number of forks."},
    {"node_hwmon_temp_celsius", "gauge", "Hardware monitor for temperature (input)."},
    {"node_load1", "gauge", "1m load average."},
    {"node_load15", "gauge", "15m load average."},
    {"node_load5", "gauge", "5m load average."},
    {"node_memory_MemAvailable_bytes", "gauge", "Memory information field MemAvailable_bytes."},
    {"node_memory_Buffers_bytes", "gauge", "Memory information field Buffers_bytes."},
    // Tidewatch's mem.cached is Cached + SReclaimable (free's view); node_exporter
    // exports Cached alone, so this reads a little higher than node_exporter's.
    {"node_memory_Cached_bytes", "gauge",
     "Memory information field Cached_bytes (Cached + SReclaimable in Tidewatch)."},
    {"node_memory_MemFree_bytes", "gauge", "Memory information field MemFree_bytes."},
    {"node_memory_MemTotal_bytes", "gauge", "Memory information field MemTotal_bytes."},
    {"node_memory_SwapFree_bytes", "gauge", "Memory information field SwapFree_bytes."},
    {"node_memory_SwapTotal_bytes", "gauge", "Memory information field SwapTotal_bytes."},
    {"node_network_receive_bytes_total", "counter", "Network device statistic receive_bytes."},
    {"node_network_receive_drop_total", "counter", "Network device statistic receive_drop."},
    {"node_network_receive_errs_total", "counter", "Network device statistic receive_errs."},
    {"node_network_receive_packets_total", "counter", "Network device statistic receive_packets."},
    {"node_network_transmit_bytes_total", "counter", "Network device statistic transmit_bytes."},
    {"node_network_transmit_drop_total", "counter", "Network device statistic transmit_drop."},
    {"node_network_transmit_errs_total", "counter", "Network device statistic transmit_errs."},
    {"node_network_transmit_packets_total", "counter",
     "Network device statistic transmit_packets."},
    {"node_procs_blocked", "gauge", "Number of processes blocked waiting for I/O to complete."},
    {"node_procs_running", "gauge", "Number of processes in runnable state."},
    {"tidewatch_cpu_usage_percent", "gauge",
     "Busy share of all online CPUs over the last interval, as top shows it."},
    {"tidewatch_cpu_mode_percent", "gauge", "Share of CPU time per mode over the last interval."},
    {"tidewatch_cpu_core_usage_percent", "gauge", "Busy share of one CPU over the last interval."},
    {"tidewatch_memory_used_bytes", "gauge", "Memory in use: MemTotal - MemAvailable, as free."},
    {"tidewatch_memory_used_percent", "gauge", "Memory in use as a share of MemTotal."},
    {"tidewatch_swap_used_percent", "gauge", "Swap in use as a share of SwapTotal."},
    {"tidewatch_filesystem_used_percent", "gauge", "Used share of a filesystem, as df's Use%."},
    {"tidewatch_disk_busy_percent", "gauge",
     "Share of the last interval the disk had I/O in flight."},
    {"tidewatch_processes", "gauge", "Number of processes."},
    {"tidewatch_threads", "gauge", "Number of threads of all processes."},
};

using Label = std::pair<const char *, QString>;

QByteArray formatLabels(std::initializer_list<Label> labels)
{
    if (labels.size() == 0)
        return {};
    QByteArray out("{");
    bool first = true;
    for (const auto &[name, value] : labels) {
        if (!first)
            out.append(',');
        first = false;
        out.append(name);
        out.append("=\"");
        PrometheusEncoder::appendLabelValue(out, value);
        out.append('"');
    }
    out.append('}');
    return out;
}

// The part of `id` between `prefix` and `suffix`, or a null string.
QString middle(const QString &id, QStringView prefix, QStringView suffix)
{
    if (id.size() <= prefix.size() + suffix.size() || !id.startsWith(prefix) ||
        !id.endsWith(suffix))
        return {};
    return id.mid(prefix.size(), id.size() - prefix.size() - suffix.size());
}

QString attributeOr(const MetricInfo &m, const QString &key, const QString &fallback)
{
    const QString v = m.attribute(key);
    return v.isEmpty() ? fallback : v;
}

void appendHelpText(QByteArray &out, const char *help)
{
    // HELP text escapes backslash and newline; the table has neither.
    out.append(help);
}

} // namespace

void PrometheusEncoder::appendLabelValue(QByteArray &out, QStringView value)
{
    const QByteArray utf8 = value.toUtf8();
    for (char c : utf8) {
        switch (c) {
        case '\\':
            out.append("\\\\");
            break;
        case '"':
            out.append("\\\"");
            break;
        case '\n':
            out.append("\\n");
            break;
        default:
            out.append(c);
        }
    }
}

void PrometheusEncoder::buildPlan(const CatalogPtr &catalog)
{
    m_planCatalog = catalog;
    m_plan.clear();
    QList<Family> families(FamilyCount);
    for (int f = 0; f < FamilyCount; ++f)
        families[f].def = f;
    if (!catalog) {
        m_plan = families;
        return;
    }

    static const QHash<QString, int> fixed = {
        {QStringLiteral("host.boot_time"), NodeBootTime},
        {QStringLiteral("cpu.ctxt.total"), NodeContextSwitches},
        {QStringLiteral("cpu.forks.total"), NodeForks},
        {QStringLiteral("load.1"), NodeLoad1},
        {QStringLiteral("load.5"), NodeLoad5},
        {QStringLiteral("load.15"), NodeLoad15},
        {QStringLiteral("mem.available"), NodeMemAvailable},
        {QStringLiteral("mem.buffers"), NodeMemBuffers},
        {QStringLiteral("mem.cached"), NodeMemCached},
        {QStringLiteral("mem.free"), NodeMemFree},
        {QStringLiteral("mem.total"), NodeMemTotal},
        {QStringLiteral("swap.free"), NodeSwapFree},
        {QStringLiteral("swap.total"), NodeSwapTotal},
        {QStringLiteral("proc.blocked"), NodeProcsBlocked},
        {QStringLiteral("proc.running"), NodeProcsRunning},
        {QStringLiteral("cpu.total"), TwCpuUsage},
        {QStringLiteral("mem.used"), TwMemUsedBytes},
        {QStringLiteral("mem.percent"), TwMemUsedPercent},
        {QStringLiteral("swap.percent"), TwSwapUsedPercent},
        {QStringLiteral("proc.count"), TwProcesses},
        {QStringLiteral("proc.threads"), TwThreads},
    };
    static const QStringList cpuModes = {
        QStringLiteral("user"), QStringLiteral("nice"),   QStringLiteral("system"),
        QStringLiteral("irq"),  QStringLiteral("iowait"), QStringLiteral("steal"),
        QStringLiteral("idle"),
    };
    struct Suffix
    {
        const char16_t *suffix;
        int family;
    };
    static constexpr Suffix netSuffixes[] = {
        {u".rx.total", NodeNetRxBytes},           {u".tx.total", NodeNetTxBytes},
        {u".rx_packets.total", NodeNetRxPackets}, {u".tx_packets.total", NodeNetTxPackets},
        {u".rx_errors.total", NodeNetRxErrs},     {u".tx_errors.total", NodeNetTxErrs},
        {u".rx_drop.total", NodeNetRxDrop},       {u".tx_drop.total", NodeNetTxDrop},
    };
    static constexpr Suffix diskSuffixes[] = {
        {u".read.total", NodeDiskReadBytes}, {u".write.total", NodeDiskWrittenBytes},
        {u".read_ops.total", NodeDiskReads}, {u".write_ops.total", NodeDiskWrites},
        {u".io_time.total", NodeDiskIoTime}, {u".busy", TwDiskBusy},
    };
    static constexpr Suffix fsSuffixes[] = {
        {u".size", NodeFsSize},
        {u".free", NodeFsAvail},
        {u".percent", TwFsUsedPercent},
        {u".used", NodeFsFree}, // free = size - used, see the family's comment
    };

    const QString device = QStringLiteral("device");
    QList<QSet<QByteArray>> seen(FamilyCount);
    auto add = [&](int family, qsizetype index, QByteArray labels, qsizetype subtract = -1) {
        // Two ids that map to the same series (e.g. two hwmon chips with one
        // name) would make an invalid exposition; the first one wins.
        if (seen[family].contains(labels))
            return;
        seen[family].insert(labels);
        families[family].samples.append({index, subtract, std::move(labels)});
    };

    for (qsizetype i = 0; i < catalog->size(); ++i) {
        const MetricInfo &m = catalog->at(i);
        const QString &id = m.id;
        if (const auto it = fixed.constFind(id); it != fixed.cend()) {
            add(*it, i, {});
            continue;
        }
        if (id.startsWith(u"cpu.core.")) {
            const QString rest = id.mid(9);
            const qsizetype dot = rest.indexOf(u'.');
            const QString cpu = attributeOr(m, QStringLiteral("cpu"), rest.left(dot));
            if (dot < 0) {
                add(TwCpuCore, i, formatLabels({{"cpu", cpu}}));
            } else if (rest.mid(dot + 1) == u"freq") {
                add(NodeCpuFreq, i, formatLabels({{"cpu", cpu}}));
            } else if (rest.mid(dot + 1).startsWith(u"seconds.")) {
                const QString mode = attributeOr(m, QStringLiteral("mode"), rest.mid(dot + 9));
                add(NodeCpuSeconds, i, formatLabels({{"cpu", cpu}, {"mode", mode}}));
            }
            continue;
        }
        if (id.startsWith(u"cpu.")) {
            const QString mode = id.mid(4);
            if (cpuModes.contains(mode))
                add(TwCpuMode, i, formatLabels({{"mode", mode}}));
            continue;
        }
        if (id.startsWith(u"net.")) {
            for (const Suffix &s : netSuffixes) {
                const QString name = middle(id, u"net.", s.suffix);
                if (name.isNull())
                    continue;
                // net.rx.total and net.tx.total are totals over all interfaces;
                // node_exporter has no such series (sum() does it).
                if (id == u"net.rx.total" || id == u"net.tx.total")
                    break;
                add(s.family, i, formatLabels({{"device", attributeOr(m, device, name)}}));
                break;
            }
            continue;
        }
        if (id.startsWith(u"disk.")) {
            for (const Suffix &s : diskSuffixes) {
                const QString name = middle(id, u"disk.", s.suffix);
                if (name.isNull())
                    continue;
                add(s.family, i, formatLabels({{"device", attributeOr(m, device, name)}}));
                break;
            }
            continue;
        }
        if (id.startsWith(u"fs.")) {
            for (const Suffix &s : fsSuffixes) {
                const QString mount = middle(id, u"fs.", s.suffix);
                if (mount.isNull())
                    continue;
                const QByteArray labels = formatLabels(
                    {{"device", m.attribute(device)},
                     {"fstype", m.attribute(QStringLiteral("fstype"))},
                     {"mountpoint", attributeOr(m, QStringLiteral("mountpoint"), mount)}});
                if (s.family == NodeFsFree) {
                    const qsizetype size = catalog->indexOf(u"fs." + mount + u".size");
                    if (size >= 0)
                        add(NodeFsFree, size, labels, i);
                } else {
                    add(s.family, i, labels);
                }
                break;
            }
            continue;
        }
        if (id.startsWith(u"temp.")) {
            const QString rest = id.mid(5);
            const qsizetype dot = rest.lastIndexOf(u'.');
            const QString chip = attributeOr(m, QStringLiteral("chip"), rest.left(dot));
            const QString sensor =
                attributeOr(m, QStringLiteral("sensor"), dot < 0 ? QString() : rest.mid(dot + 1));
            add(NodeHwmonTemp, i, formatLabels({{"chip", chip}, {"sensor", sensor}}));
            continue;
        }
    }
    m_plan = families;
}

void PrometheusEncoder::encodeSnapshot(const Snapshot &snapshot)
{
    if (snapshot.catalog != m_planCatalog || m_plan.isEmpty())
        buildPlan(snapshot.catalog);
    QByteArray &out = m_cachedBody;
    out.clear();
    out.reserve(qMax<qsizetype>(4096, snapshot.values.size() * 80));
    const QList<double> &values = snapshot.values;
    auto valueAt = [&values](qsizetype i) {
        return i >= 0 && i < values.size() ? values.at(i) : qQNaN();
    };

    for (const Family &family : std::as_const(m_plan)) {
        const FamilyDef &def = Families[family.def];
        bool headerDone = false;
        for (const Sample &s : family.samples) {
            double v = valueAt(s.index);
            if (s.subtract >= 0)
                v -= valueAt(s.subtract);
            if (std::isnan(v))
                continue; // NaN means "no value yet": omitted, not exported as NaN
            if (!headerDone) {
                out.append("# HELP ").append(def.name).append(' ');
                appendHelpText(out, def.help);
                out.append("\n# TYPE ").append(def.name).append(' ').append(def.type).append('\n');
                headerDone = true;
            }
            out.append(def.name).append(s.labels).append(' ');
            json::appendNumber(out, v);
            out.append('\n');
        }
    }

    // node_exporter reports the scrape time; Tidewatch reports the time the
    // values were sampled, which is what they describe.
    out.append("# HELP node_time_seconds System time in seconds since epoch (1970).\n"
               "# TYPE node_time_seconds gauge\nnode_time_seconds ");
    json::appendNumber(out, double(snapshot.ts) / 1000.0);
    out.append("\n# HELP tidewatch_sample_duration_seconds CPU time the last sampling pass took.\n"
               "# TYPE tidewatch_sample_duration_seconds gauge\n"
               "tidewatch_sample_duration_seconds ");
    json::appendNumber(out, double(snapshot.sampleCpuUs) / 1e6);
    out.append("\n# HELP tidewatch_snapshot_seq Sequence number of the exported snapshot.\n"
               "# TYPE tidewatch_snapshot_seq gauge\ntidewatch_snapshot_seq ");
    json::appendInteger(out, qint64(snapshot.seq));
    out.append('\n');
}

QByteArray PrometheusEncoder::encode(const SnapshotPtr &snapshot, const FeedSelfMetrics &self)
{
    if (snapshot != m_cachedSnapshot) {
        m_cachedSnapshot = snapshot;
        m_cachedBody.clear();
        if (snapshot)
            encodeSnapshot(*snapshot);
    }
    QByteArray out;
    out.reserve(m_cachedBody.size() + 1024);
    out.append(m_cachedBody);
    out.append("# HELP tidewatch_build_info Tidewatch version.\n"
               "# TYPE tidewatch_build_info gauge\ntidewatch_build_info{version=\"");
    appendLabelValue(out, QStringLiteral(TIDEWATCH_VERSION));
    out.append("\"} 1\n# HELP tidewatch_clients Connected WebSocket clients.\n"
               "# TYPE tidewatch_clients gauge\ntidewatch_clients ");
    json::appendInteger(out, self.clients);
    out.append("\n# HELP tidewatch_frames_sent_total Metrics frames written to clients.\n"
               "# TYPE tidewatch_frames_sent_total counter\ntidewatch_frames_sent_total ");
    json::appendInteger(out, qint64(self.framesSent));
    out.append("\n# HELP tidewatch_frames_dropped_total Metrics frames skipped because a "
               "client's send buffer was over its cap.\n"
               "# TYPE tidewatch_frames_dropped_total counter\ntidewatch_frames_dropped_total ");
    json::appendInteger(out, qint64(self.framesDropped));
    out.append("\n# HELP tidewatch_clients_dropped_total Clients closed by the server for being "
               "too slow or abusive.\n"
               "# TYPE tidewatch_clients_dropped_total counter\ntidewatch_clients_dropped_total ");
    json::appendInteger(out, qint64(self.clientsDropped));
    out.append('\n');
    if (self.tls.enabled) {
        out.append("# HELP tidewatch_tls_certificate_expiry_timestamp_seconds When the served "
                   "certificate expires (notAfter), as a Unix time.\n"
                   "# TYPE tidewatch_tls_certificate_expiry_timestamp_seconds gauge\n"
                   "tidewatch_tls_certificate_expiry_timestamp_seconds ");
        json::appendInteger(out, self.tls.certificateExpiry);
        out.append("\n# HELP tidewatch_tls_connections_total Connections on the TLS port by "
                   "outcome: handshake ok or failed, plain HTTP answered, timed out before a "
                   "handshake, refused while too many were undecided.\n"
                   "# TYPE tidewatch_tls_connections_total counter\n");
        const std::pair<const char *, quint64> outcomes[] = {{"ok", self.tls.accepted},
                                                             {"failed", self.tls.failed},
                                                             {"plain_http", self.tls.plainHttp},
                                                             {"timeout", self.tls.timedOut},
                                                             {"refused", self.tls.refused}};
        for (const auto &[result, count] : outcomes) {
            out.append("tidewatch_tls_connections_total{result=\"");
            out.append(result);
            out.append("\"} ");
            json::appendInteger(out, qint64(count));
            out.append('\n');
        }
    }
    if (self.deliveryLag) {
        const LatencyHistogram &h = *self.deliveryLag;
        out.append("# HELP tidewatch_delivery_lag_seconds Time from the start of a sample to its "
                   "frame handed to the kernel for the last client, per tick.\n"
                   "# TYPE tidewatch_delivery_lag_seconds histogram\n");
        quint64 cumulative = 0;
        for (size_t i = 0; i < h.buckets().size(); ++i) {
            cumulative += h.buckets()[i];
            out.append("tidewatch_delivery_lag_seconds_bucket{le=\"");
            if (i < LatencyHistogram::Bounds.size())
                json::appendNumber(out, LatencyHistogram::Bounds[i]);
            else
                out.append("+Inf");
            out.append("\"} ");
            json::appendInteger(out, qint64(cumulative));
            out.append('\n');
        }
        out.append("tidewatch_delivery_lag_seconds_sum ");
        json::appendNumber(out, h.sum());
        out.append("\ntidewatch_delivery_lag_seconds_count ");
        json::appendInteger(out, qint64(h.count()));
        out.append('\n');
    }
    return out;
}

void LatencyHistogram::observe(double seconds)
{
    if (!(seconds >= 0)) // NaN or a clock that went back
        seconds = 0;
    size_t i = 0;
    while (i < Bounds.size() && seconds > Bounds[i])
        ++i;
    ++m_buckets[i];
    ++m_count;
    m_sum += seconds;
}

} // namespace tidewatch
