// SPDX-License-Identifier: GPL-3.0-or-later
#include "OverviewPage.h"

#include "ChartPanel.h"
#include "CoreGrid.h"
#include "Hub.h"

#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QScopedValueRollback>
#include <QTimer>
#include <QVBoxLayout>
#include <QtNumeric>

#include <algorithm>

namespace tidewatch {

using namespace Qt::StringLiterals;

namespace {

// Breeze-like colours that read on light and dark backgrounds alike.
const QColor Blue(0x3d, 0xae, 0xe9);
const QColor Orange(0xf6, 0x74, 0x00);
const QColor Green(0x27, 0xae, 0x60);
const QColor Red(0xda, 0x44, 0x53);
const QColor Purple(0x9b, 0x59, 0xb6);
const QColor Yellow(0xfd, 0xbc, 0x4b);
const QColor Teal(0x1a, 0xbc, 0x9c);
const QColor Pink(0xe9, 0x1e, 0x63);
const QList<QColor> Cycle{Blue, Orange, Green, Red, Purple, Yellow, Teal, Pink};

constexpr int MaxSensorsShown = 8;

QColor cycleColor(qsizetype i)
{
    return Cycle.at(i % Cycle.size());
}

// "net.eth0.rx" -> "eth0" for a prefix "net." and suffix ".rx"; empty otherwise.
QString middle(const QString &id, QLatin1StringView prefix, QLatin1StringView suffix)
{
    if (!id.startsWith(prefix) || !id.endsWith(suffix) ||
        id.size() <= prefix.size() + suffix.size())
        return {};
    return id.mid(prefix.size(), id.size() - prefix.size() - suffix.size());
}

QString big(const QString &text)
{
    return u"<span style=\"font-size:large; font-weight:600\">%1</span>"_s.arg(
        text.toHtmlEscaped().replace(u' ', u"&nbsp;"_s));
}

} // namespace

OverviewPage::OverviewPage(Hub *hub, QWidget *parent)
    : QWidget(parent)
    , m_hub(hub)
{
    m_cpu = new ChartPanel(tr("CPU"), ValueUnit::Percent, hub, this);
    m_cpu->setFixedRange(0, 100);
    m_cores = new CoreGrid(m_cpu);
    m_cores->setColor(Blue);
    m_cpu->bodyLayout()->addWidget(m_cores);

    m_memory = new ChartPanel(tr("Memory"), ValueUnit::Percent, hub, this);
    m_memory->setFixedRange(0, 100);

    m_load = new ChartPanel(tr("Load average"), ValueUnit::Plain, hub, this);
    m_load->setMinimumTop(1.0);

    m_network = new ChartPanel(tr("Network"), ValueUnit::BytesPerSecond, hub, this);
    m_network->setMinimumTop(1024.0);

    m_disk = new ChartPanel(tr("Disks"), ValueUnit::BytesPerSecond, hub, this);
    m_disk->setMinimumTop(1024.0);

    m_temperature = new ChartPanel(tr("Temperatures"), ValueUnit::Celsius, hub, this);
    m_temperature->setMinimumTop(60.0);

    m_netSelect = new QComboBox;
    m_netSelect->setObjectName(u"networkSelector"_s);
    m_netSelect->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_netSelect->addItem(tr("All interfaces"), QString());
    m_network->addHeaderWidget(m_netSelect);
    connect(m_netSelect, &QComboBox::currentIndexChanged, this, &OverviewPage::updateNetworkSeries);

    m_diskSelect = new QComboBox;
    m_diskSelect->setObjectName(u"diskSelector"_s);
    m_diskSelect->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_diskSelect->addItem(tr("All disks"), QString());
    m_disk->addHeaderWidget(m_diskSelect);
    connect(m_diskSelect, &QComboBox::currentIndexChanged, this, &OverviewPage::updateDiskSeries);

    m_side = new QWidget(this);
    m_sideLayout = new QBoxLayout(QBoxLayout::TopToBottom, m_side);
    m_sideLayout->setContentsMargins(0, 0, 0, 0);
    m_sideLayout->setSpacing(10);

    m_filesystemCard = new Card(tr("Filesystems"), m_side);
    m_filesystems = new FilesystemBars(m_filesystemCard);
    m_filesystemCard->bodyLayout()->addWidget(m_filesystems);
    m_filesystemCard->bodyLayout()->addStretch(1);
    m_sideLayout->addWidget(m_filesystemCard, 1);

    m_systemCard = new Card(tr("System"), m_side);
    auto *form = new QFormLayout;
    form->setHorizontalSpacing(16);
    form->setVerticalSpacing(4);
    m_uptime = new QLabel(m_systemCard);
    m_processes = new QLabel(m_systemCard);
    m_threads = new QLabel(m_systemCard);
    m_switches = new QLabel(m_systemCard);
    m_samplerCost = new QLabel(m_systemCard);
    m_samplerCost->setToolTip(
        tr("CPU time Tidewatch spent reading the system for the last sample"));
    form->addRow(tr("Up for"), m_uptime);
    form->addRow(tr("Processes"), m_processes);
    form->addRow(tr("Threads"), m_threads);
    form->addRow(tr("Context switches"), m_switches);
    form->addRow(tr("Sampling cost"), m_samplerCost);
    m_systemCard->bodyLayout()->addLayout(form);
    m_systemCard->bodyLayout()->addStretch(1);
    m_sideLayout->addWidget(m_systemCard);

    m_cpu->setObjectName(u"cpuPanel"_s);
    m_memory->setObjectName(u"memoryPanel"_s);
    m_load->setObjectName(u"loadPanel"_s);
    m_network->setObjectName(u"networkPanel"_s);
    m_disk->setObjectName(u"diskPanel"_s);
    m_temperature->setObjectName(u"temperaturePanel"_s);
    m_filesystemCard->setObjectName(u"filesystemCard"_s);
    m_systemCard->setObjectName(u"systemCard"_s);

    m_grid = new QGridLayout(this);
    m_grid->setContentsMargins(10, 10, 10, 10);
    m_grid->setSpacing(10);
    for (int c = 0; c < 3; ++c)
        m_grid->setColumnStretch(c, 1);
    relayout();

    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    connect(m_refresh, &QTimer::timeout, this, &OverviewPage::refreshStored);

    for (ChartPanel *panel : panels()) {
        panel->setTimeWindow(m_windowMs);
        connect(panel, &ChartPanel::zoomRequested, this, &OverviewPage::zoomTo);
        connect(panel, &ChartPanel::zoomResetRequested, this, &OverviewPage::resetZoom);
    }

    connect(hub, &Hub::catalogChanged, this, &OverviewPage::onCatalogChanged);
    connect(hub, &Hub::snapshotPublished, this, &OverviewPage::onSnapshot);
    if (hub->catalog())
        onCatalogChanged(hub->catalog());
    if (hub->latest())
        updateSummaries(*hub->latest());
}

QList<ChartPanel *> OverviewPage::panels() const
{
    return {m_cpu, m_memory, m_load, m_network, m_disk, m_temperature};
}

void OverviewPage::relayout()
{
    for (QWidget *w :
         {static_cast<QWidget *>(m_cpu), static_cast<QWidget *>(m_memory),
          static_cast<QWidget *>(m_load), static_cast<QWidget *>(m_network),
          static_cast<QWidget *>(m_disk), static_cast<QWidget *>(m_temperature), m_side})
        m_grid->removeWidget(w);
    m_grid->addWidget(m_cpu, 0, 0);
    m_grid->addWidget(m_memory, 0, 1);
    m_grid->addWidget(m_load, 0, 2);
    m_grid->addWidget(m_network, 1, 0);
    m_grid->addWidget(m_disk, 1, 1);
    if (m_hasTemperatures) {
        // Filesystems and system facts side by side in a row of their own.
        m_grid->addWidget(m_temperature, 1, 2);
        m_grid->addWidget(m_side, 2, 0, 1, 3);
        m_sideLayout->setDirection(QBoxLayout::LeftToRight);
        m_sideLayout->setStretch(0, 2);
        m_sideLayout->setStretch(1, 1);
    } else {
        m_grid->addWidget(m_side, 1, 2);
        m_sideLayout->setDirection(QBoxLayout::TopToBottom);
        m_sideLayout->setStretch(0, 1);
        m_sideLayout->setStretch(1, 0);
    }
    m_temperature->setVisible(m_hasTemperatures);
    m_grid->setRowStretch(0, 1);
    m_grid->setRowStretch(1, 1);
    m_grid->setRowStretch(2, 0);
}

void OverviewPage::setTimeWindow(qint64 ms)
{
    const bool wasZoomed = m_zoomed;
    m_windowMs = ms;
    m_storedWindowMs = 0;
    m_zoomed = false;
    m_refresh->stop();
    ++m_generation; // a query still on its way is for a window no longer shown
    m_result = HistoryResult();
    m_requestedIds.clear();
    setHistoryState(HistoryState::None, QString());
    for (ChartPanel *panel : panels())
        panel->setTimeWindow(ms);
    if (wasZoomed)
        Q_EMIT zoomChanged(false);
}

void OverviewPage::setPaused(bool paused)
{
    m_paused = paused;
    for (ChartPanel *panel : panels())
        panel->setPaused(paused);
    // A paused store window stays as it is; resuming brings it up to date.
    if (paused)
        m_refresh->stop();
    else if (isStoredWindow() && !m_zoomed)
        refreshStored();
}

void OverviewPage::setHistorySource(HistorySource *source)
{
    if (source == m_source)
        return;
    m_source = source;
    if (isStoredWindow()) {
        if (source)
            refreshStored();
        else
            setTimeWindow(m_windowMs);
    }
}

qint64 OverviewPage::nowTs() const
{
    const SnapshotPtr latest = m_hub->latest();
    return latest ? latest->ts : QDateTime::currentMSecsSinceEpoch();
}

int OverviewPage::pointsWanted() const
{
    // About one point per device pixel of the widest chart: more would not
    // show, fewer would blur spikes that the min/max band is there to keep.
    qreal widest = 0;
    for (ChartPanel *panel : panels()) {
        const QRectF plot = panel->chart()->plotArea();
        widest = std::max(widest, plot.width() * panel->devicePixelRatioF());
    }
    return std::clamp(int(widest), 200, 10000);
}

QStringList OverviewPage::seriesIds() const
{
    QStringList ids;
    for (ChartPanel *panel : panels()) {
        for (const SeriesSpec &spec : panel->seriesSpecs()) {
            if (!ids.contains(spec.id))
                ids.append(spec.id);
        }
    }
    return ids;
}

void OverviewPage::showStoredWindow(qint64 ms)
{
    if (!m_source || ms <= 0)
        return;
    const bool wasZoomed = m_zoomed;
    m_storedWindowMs = ms;
    m_zoomed = false;
    m_refresh->stop();
    m_result = HistoryResult();
    const qint64 to = nowTs();
    for (ChartPanel *panel : panels())
        panel->setStoredData(m_result, to - ms, to); // the old picture is not this range's
    requestStored(to - ms, to, true);
    if (wasZoomed)
        Q_EMIT zoomChanged(false);
}

void OverviewPage::refreshStored()
{
    if (!m_source || !isStoredWindow())
        return;
    if (m_zoomed) {
        requestStored(m_zoomFrom, m_zoomTo, false);
        return;
    }
    const qint64 to = nowTs();
    requestStored(to - m_storedWindowMs, to, false);
}

void OverviewPage::requestStored(qint64 fromTs, qint64 toTs, bool showLoading)
{
    m_refresh->stop();
    const quint64 generation = ++m_generation;
    m_requestedIds = seriesIds();
    if (m_requestedIds.isEmpty()) {
        // No catalogue yet, so nothing to ask for; an empty pattern list
        // would mean every metric. onCatalogChanged asks once there is one.
        setHistoryState(HistoryState::Loading, tr("Loading…"));
        return;
    }
    HistoryRequest request;
    request.patterns = m_requestedIds;
    request.fromTs = fromTs;
    request.toTs = toTs;
    request.maxPoints = pointsWanted();
    if (showLoading || m_historyState != HistoryState::Ready)
        setHistoryState(HistoryState::Loading, tr("Loading…"));
    m_source->query(request, this, [this, generation, fromTs, toTs](const HistoryResult &result) {
        if (generation == m_generation)
            applyStored(result, fromTs, toTs);
    });
}

void OverviewPage::requestStoredIfSeriesChanged()
{
    if (m_changingCatalog || !isStoredWindow() || seriesIds() == m_requestedIds)
        return;
    if (m_zoomed)
        requestStored(m_zoomFrom, m_zoomTo, true);
    else
        refreshStored();
}

void OverviewPage::applyStored(const HistoryResult &result, qint64 fromTs, qint64 toTs)
{
    m_result = result;
    bool any = false;
    for (const HistorySeries &series : result.series) {
        any = std::any_of(series.avg.cbegin(), series.avg.cend(),
                          [](double v) { return !qIsNaN(v); });
        if (any)
            break;
    }
    for (ChartPanel *panel : panels())
        panel->setStoredData(result, fromTs, toTs);
    if (!result.ok)
        setHistoryState(HistoryState::Failed, tr("History unavailable: %1").arg(result.error));
    else if (!any)
        setHistoryState(HistoryState::Empty, tr("No data in this range"));
    else
        setHistoryState(HistoryState::Ready, QString());
    // Keep a moving window moving; a zoomed range is fixed and needs no refresh.
    if (!m_zoomed && !m_paused)
        m_refresh->start(int(std::clamp<qint64>(result.stepMs, MinRefreshMs, MaxRefreshMs)));
}

void OverviewPage::setHistoryState(HistoryState state, const QString &message)
{
    for (ChartPanel *panel : panels())
        panel->setMessage(message);
    if (state == m_historyState)
        return;
    m_historyState = state;
    Q_EMIT historyStateChanged(state);
}

void OverviewPage::zoomTo(qint64 fromTs, qint64 toTs)
{
    if (toTs <= fromTs)
        return;
    if (isStoredWindow() && !m_zoomed) {
        // Kept, so undoing the zoom shows the whole window again at once.
        m_windowResult = m_result;
        m_windowFrom = m_cpu->visibleFrom();
        m_windowTo = m_cpu->visibleTo();
    }
    m_zoomed = true;
    m_zoomFrom = fromTs;
    m_zoomTo = toTs;
    if (isStoredWindow()) {
        // The coarse picture, clipped, until the finer answer arrives.
        for (ChartPanel *panel : panels())
            panel->showStoredRange(fromTs, toTs);
        requestStored(fromTs, toTs, true);
    } else {
        for (ChartPanel *panel : panels())
            panel->zoomLive(fromTs, toTs);
    }
    Q_EMIT zoomChanged(true);
}

void OverviewPage::resetZoom()
{
    if (!m_zoomed)
        return;
    m_zoomed = false;
    if (isStoredWindow()) {
        if (m_windowResult.ok) {
            // The whole window as it was, then brought up to date.
            applyStored(m_windowResult, m_windowFrom, m_windowTo);
            m_windowResult = HistoryResult();
            refreshStored();
        } else {
            showStoredWindow(m_storedWindowMs);
        }
        Q_EMIT zoomChanged(false);
        return;
    }
    for (ChartPanel *panel : panels())
        panel->showLive();
    Q_EMIT zoomChanged(false);
}

TimeTable OverviewPage::visibleTable() const
{
    TimeTable table;
    table.fromTs = m_cpu->visibleFrom();
    table.toTs = m_cpu->visibleTo();
    const QStringList ids = seriesIds();
    if (isStoredWindow()) {
        table.downsampled = m_result.stepMs > 0;
        QList<qsizetype> rows;
        for (qsizetype r = 0; r < m_result.ts.size(); ++r) {
            const qint64 ts = m_result.ts.at(r);
            if (ts >= table.fromTs && ts <= table.toTs) {
                rows.append(r);
                table.ts.append(ts);
            }
        }
        const auto pick = [&rows](const QList<double> &values) {
            QList<double> out;
            out.reserve(rows.size());
            for (qsizetype r : rows)
                out.append(r < values.size() ? values.at(r) : qQNaN());
            return out;
        };
        for (const QString &id : ids) {
            for (const HistorySeries &series : m_result.series) {
                if (series.id != id)
                    continue;
                TimeTable::Column column{id, pick(series.avg), {}, {}};
                if (table.downsampled) {
                    column.min = pick(series.min);
                    column.max = pick(series.max);
                }
                table.columns.append(column);
                break;
            }
        }
        return table;
    }

    // Live: the panels' buffers share the snapshots' timestamps; a union of
    // them keeps a column that missed a sample as an empty cell.
    QList<std::pair<QString, QHash<qint64, double>>> columns;
    QList<qint64> times;
    for (ChartPanel *panel : panels()) {
        const QList<SeriesSpec> &specs = panel->seriesSpecs();
        for (qsizetype i = 0; i < specs.size(); ++i) {
            const QString &id = specs.at(i).id;
            if (std::any_of(columns.cbegin(), columns.cend(),
                            [&id](const auto &c) { return c.first == id; }))
                continue;
            QHash<qint64, double> values;
            for (const QPointF &p : panel->visibleLivePoints(int(i))) {
                values.insert(qint64(p.x()), p.y());
                times.append(qint64(p.x()));
            }
            columns.append({id, values});
        }
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    table.ts = times;
    for (const auto &[id, values] : std::as_const(columns)) {
        TimeTable::Column column{id, {}, {}, {}};
        column.avg.reserve(times.size());
        for (qint64 ts : std::as_const(times))
            column.avg.append(values.value(ts, qQNaN()));
        table.columns.append(column);
    }
    return table;
}

void OverviewPage::onCatalogChanged(const CatalogPtr &catalog)
{
    const QScopedValueRollback<bool> batch(m_changingCatalog, true); // one query at the end
    m_catalog = catalog;
    m_coreIds.clear();
    m_coreIndex.clear();
    m_fsIndex.clear();
    m_temperatureIndex.clear();
    if (!catalog)
        return;

    QStringList interfaces;
    QStringList disks;
    QList<SeriesSpec> temperatures;
    QHash<QString, FsIndex> filesystems;
    QStringList fsOrder;
    for (qsizetype i = 0; i < catalog->size(); ++i) {
        const MetricInfo &info = catalog->at(i);
        const QString &id = info.id;
        if (id.startsWith("cpu.core."_L1)) {
            bool ok = false;
            const int core = id.mid(9).toInt(&ok);
            if (ok) {
                m_coreIds.append(core);
                m_coreIndex.append(i);
            }
        } else if (const QString name = middle(id, "net."_L1, ".rx"_L1);
                   !name.isEmpty() && name != "lo"_L1) {
            interfaces.append(name);
        } else if (const QString dev = middle(id, "disk."_L1, ".read"_L1); !dev.isEmpty()) {
            disks.append(dev);
        } else if (id.startsWith("temp."_L1) && temperatures.size() < MaxSensorsShown) {
            temperatures.append({id, info.label.isEmpty() ? id.mid(5) : info.label,
                                 cycleColor(temperatures.size()), false});
            m_temperatureIndex.append(i);
        } else if (id.startsWith("fs."_L1)) {
            const QString mount = info.attribute(u"mountpoint"_s);
            for (const auto suffix : {".used"_L1, ".size"_L1, ".percent"_L1}) {
                QString m = middle(id, "fs."_L1, suffix);
                if (m.isEmpty())
                    continue;
                if (!mount.isEmpty())
                    m = mount;
                if (!filesystems.contains(m)) {
                    fsOrder.append(m);
                    filesystems[m].mountPoint = m;
                }
                FsIndex &fs = filesystems[m];
                (suffix == ".used"_L1 ? fs.used : suffix == ".size"_L1 ? fs.size : fs.percent) = i;
            }
        }
    }
    for (const QString &m : std::as_const(fsOrder))
        m_fsIndex.append(filesystems.value(m));

    m_cpu->setSeries({{u"cpu.total"_s, tr("Total"), Blue, true},
                      {u"cpu.iowait"_s, tr("I/O wait"), Orange, false}});
    m_memory->setSeries({{u"mem.percent"_s, tr("Memory"), Purple, true},
                         {u"swap.percent"_s, tr("Swap"), Orange, false}});
    m_load->setSeries({{u"load.1"_s, tr("1 min"), Blue, true},
                       {u"load.5"_s, tr("5 min"), Green, false},
                       {u"load.15"_s, tr("15 min"), Orange, false}});

    // The selectors list what exists; the selection survives catalogue changes.
    const auto refill = [](QComboBox *combo, const QStringList &names) {
        const QString current = combo->currentData().toString();
        const QSignalBlocker blocker(combo);
        while (combo->count() > 1)
            combo->removeItem(1);
        for (const QString &name : names)
            combo->addItem(name, name);
        combo->setCurrentIndex(std::max(0, combo->findData(current)));
    };
    m_interfaces = interfaces;
    m_disks = disks;
    refill(m_netSelect, interfaces);
    refill(m_diskSelect, disks);
    updateNetworkSeries();
    updateDiskSeries();
    m_temperature->setSeries(temperatures);

    const bool hadTemperatures = m_hasTemperatures;
    m_hasTemperatures = !temperatures.isEmpty();
    if (hadTemperatures != m_hasTemperatures)
        relayout();
    m_changingCatalog = false;
    requestStoredIfSeriesChanged();
}

void OverviewPage::updateNetworkSeries()
{
    const QString name = m_netSelect->currentData().toString();
    const QString prefix = name.isEmpty() ? u"net."_s : u"net.%1."_s.arg(name);
    m_network->setSeries({{prefix + u"rx"_s, tr("Received"), Blue, true},
                          {prefix + u"tx"_s, tr("Sent"), Orange, true}});
    requestStoredIfSeriesChanged();
}

void OverviewPage::updateDiskSeries()
{
    const QString name = m_diskSelect->currentData().toString();
    const QString prefix = name.isEmpty() ? u"disk."_s : u"disk.%1."_s.arg(name);
    m_disk->setSeries({{prefix + u"read"_s, tr("Read"), Green, true},
                       {prefix + u"write"_s, tr("Written"), Red, true}});
    requestStoredIfSeriesChanged();
}

void OverviewPage::onSnapshot(const SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    if (snapshot->catalog != m_catalog)
        onCatalogChanged(snapshot->catalog);
    for (ChartPanel *panel : panels()) {
        if (panel->isVisibleTo(this) || panel == m_temperature)
            panel->addSnapshot(*snapshot);
    }
    // The figures in text follow the charts' pace (see ChartPanel::MinRedrawMs).
    if (snapshot->ts - m_summaryTs >= ChartPanel::MinRedrawMs) {
        m_summaryTs = snapshot->ts;
        updateSummaries(*snapshot);
    }
}

void OverviewPage::updateSummaries(const Snapshot &s)
{
    if (m_paused)
        return;
    const auto at = [&s](qsizetype i) {
        return i >= 0 && i < s.values.size() ? s.values.at(i) : qQNaN();
    };
    m_cpu->setSummary(big(ValueFormat::format(s.value(u"cpu.total"_s), ValueUnit::Percent)));
    QList<double> cores;
    cores.reserve(m_coreIndex.size());
    for (qsizetype i : std::as_const(m_coreIndex))
        cores.append(at(i));
    m_cores->setCores(m_coreIds, cores);

    m_memory->setSummary(tr("%1 of %2")
                             .arg(big(ValueFormat::bytes(s.value(u"mem.used"_s))),
                                  ValueFormat::bytes(s.value(u"mem.total"_s))));
    const double load1 = s.value(u"load.1"_s);
    const double cpus = s.value(u"cpu.count"_s);
    m_load->setSummary(
        qIsNaN(cpus)
            ? big(ValueFormat::number(load1, 2))
            : tr("%1 on %n CPU(s)", nullptr, int(cpus)).arg(big(ValueFormat::number(load1, 2))));
    const QString net = m_netSelect->currentData().toString();
    const QString netPrefix = net.isEmpty() ? u"net."_s : u"net.%1."_s.arg(net);
    m_network->setSummary(
        u"↓ %1&nbsp;&nbsp;↑ %2"_s.arg(big(ValueFormat::rate(s.value(netPrefix + u"rx"_s))),
                                      big(ValueFormat::rate(s.value(netPrefix + u"tx"_s)))));
    const QString disk = m_diskSelect->currentData().toString();
    const QString diskPrefix = disk.isEmpty() ? u"disk."_s : u"disk.%1."_s.arg(disk);
    m_disk->setSummary(tr("R %1&nbsp;&nbsp;W %2")
                           .arg(big(ValueFormat::rate(s.value(diskPrefix + u"read"_s))),
                                big(ValueFormat::rate(s.value(diskPrefix + u"write"_s)))));

    const double uptime = s.value(u"host.uptime"_s);
    if (!qIsNaN(uptime)) {
        const qint64 minutes = qint64(uptime) / 60;
        m_uptime->setText(minutes >= 24 * 60
                              ? tr("%1 d %2 h").arg(minutes / (24 * 60)).arg(minutes / 60 % 24)
                              : tr("%1 h %2 min").arg(minutes / 60).arg(minutes % 60));
    }
    m_processes->setText(ValueFormat::number(s.value(u"proc.count"_s), 0));
    m_threads->setText(ValueFormat::number(s.value(u"proc.threads"_s), 0));
    m_switches->setText(ValueFormat::format(s.value(u"cpu.ctxt"_s), ValueUnit::PerSecond));
    m_samplerCost->setText(
        tr("%1 ms CPU").arg(ValueFormat::number(double(s.sampleCpuUs) / 1000.0, 1)));
    double hottest = qQNaN();
    for (qsizetype i : std::as_const(m_temperatureIndex)) {
        const double v = at(i);
        if (!qIsNaN(v) && (qIsNaN(hottest) || v > hottest))
            hottest = v;
    }
    m_temperature->setSummary(
        tr("max %1").arg(big(ValueFormat::format(hottest, ValueUnit::Celsius))));

    QList<FilesystemBars::Row> rows;
    rows.reserve(m_fsIndex.size());
    for (const FsIndex &fs : std::as_const(m_fsIndex))
        rows.append({fs.mountPoint, at(fs.used), at(fs.size), at(fs.percent)});
    m_filesystems->setRows(rows);
}

} // namespace tidewatch
