// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChartPanel.h"

#include "ChartView.h"
#include "Hub.h"
#include "RichTextLabel.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGraphicsLayout>
#include <QLineSeries>
#include <QLocale>
#include <QRegularExpression>
#include <QVBoxLayout>
#include <QtNumeric>

#include <algorithm>
#include <cmath>
#include <limits>

namespace tidewatch {

using namespace Qt::StringLiterals;

namespace {

// Day and month in the order and with the separator of the locale's short
// date, without the year: "M/d" (en_US), "dd.MM" (de), "dd/MM" (fr), "M/d"
// (zh_CN). The time of day stays 24-hour, as on every other axis here.
QString dayMonthFormat()
{
    QString f = QLocale().dateFormat(QLocale::ShortFormat);
    static const QRegularExpression trailingYear(u"[^dM]*y+[^dM]*$"_s);
    static const QRegularExpression leadingYear(u"^[^dM]*y+[^dM]*"_s);
    f.remove(trailingYear);
    f.remove(leadingYear);
    return f.isEmpty() ? u"MM-dd"_s : f;
}

} // namespace

ChartPanel::ChartPanel(const QString &title, ValueUnit unit, const Hub *hub, QWidget *parent)
    : Card(title, parent)
    , m_hub(hub)
    , m_unit(unit)
{
    m_chart = new QChart; // owned by m_view from setChart on
    m_chart->setBackgroundVisible(false);
    m_chart->setPlotAreaBackgroundVisible(false);
    m_chart->setBackgroundRoundness(0);
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->legend()->setVisible(false);
    m_chart->setAnimationOptions(QChart::NoAnimation);

    // The time axis moves every tick. It stays hidden so QtCharts does not
    // rebuild its labels each time; ChartView draws the grid and time labels.
    m_timeAxis = new QDateTimeAxis(m_chart);
    m_timeAxis->setTickCount(ChartView::TimeTicks);
    m_timeAxis->setVisible(false);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);

    m_valueAxis = new QCategoryAxis(m_chart);
    m_valueAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_valueAxis->setLineVisible(false);
    m_valueAxis->setGridLineVisible(false);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);

    m_view = new ChartView(
        m_chart, [this](qint64 ts) { return describeAt(ts); }, this);
    m_view->setMinimumHeight(120);
    connect(m_view, &ChartView::zoomRequested, this, &ChartPanel::zoomRequested);
    connect(m_view, &ChartView::zoomResetRequested, this, &ChartPanel::zoomResetRequested);
    m_view->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    bodyLayout()->addWidget(m_view, 1);

    m_legend = new RichTextLabel(this);
    m_legend->setWordWrap(true);
    bodyLayout()->addWidget(m_legend);

    setTimeWindow(m_windowMs);
    updateValueAxis();
    applyPalette();
}

ChartPanel::~ChartPanel() = default;

void ChartPanel::setFixedRange(double min, double max)
{
    m_fixedRange = true;
    m_min = min;
    m_max = max;
    m_axisTop = -1.0;
    updateValueAxis();
}

void ChartPanel::setMinimumTop(double top)
{
    m_minimumTop = top;
    m_axisTop = -1.0;
    updateValueAxis();
}

QLineSeries *ChartPanel::lineSeries(int i) const
{
    return (i >= 0 && i < int(m_lines.size())) ? m_lines[size_t(i)].series : nullptr;
}

QLineSeries *ChartPanel::minSeries(int i) const
{
    return (i >= 0 && i < int(m_lines.size())) ? m_lines[size_t(i)].minSeries : nullptr;
}

QLineSeries *ChartPanel::maxSeries(int i) const
{
    return (i >= 0 && i < int(m_lines.size())) ? m_lines[size_t(i)].maxSeries : nullptr;
}

QAreaSeries *ChartPanel::envelope(int i) const
{
    return (i >= 0 && i < int(m_lines.size())) ? m_lines[size_t(i)].band : nullptr;
}

void ChartPanel::setSeries(const QList<SeriesSpec> &specs)
{
    if (specs == m_specs)
        return;
    for (Line &line : m_lines) {
        if (line.band) {
            m_chart->removeSeries(line.band);
            delete line.band; // and its two bounds
        }
        if (line.area) {
            m_chart->removeSeries(line.area);
            delete line.area; // deletes its line, a child
        } else {
            m_chart->removeSeries(line.series);
            delete line.series;
        }
    }
    m_lines.clear();
    m_specs = specs;
    m_catalog.reset();

    for (const SeriesSpec &spec : specs) {
        Line line;
        line.series = new QLineSeries;
        line.series->setName(spec.label);
        // A one-pixel cosmetic pen takes the raster engine's fast path for
        // antialiased lines. Anything wider is stroked into a polygon and
        // filled, which with hundreds of points per line cost more than all
        // the rest of a repaint together.
        QPen pen(spec.color, 1.0);
        pen.setCosmetic(true);
        line.series->setPen(pen);
        if (spec.filled) {
            line.area = new QAreaSeries(line.series);
            line.series->setParent(line.area);
            line.area->setName(spec.label);
            line.area->setPen(pen);
            // A flat translucent fill: a gradient costs a per-pixel fetch on
            // every repaint, and these charts repaint every tick.
            QColor fill = spec.color;
            fill.setAlphaF(0.22);
            line.area->setBrush(fill);
            m_chart->addSeries(line.area);
            line.area->attachAxis(m_timeAxis);
            line.area->attachAxis(m_valueAxis);
        } else {
            m_chart->addSeries(line.series);
            line.series->attachAxis(m_timeAxis);
            line.series->attachAxis(m_valueAxis);
        }
        m_lines.push_back(std::move(line));
    }
    backfill(m_nowTs);
}

qint64 ChartPanel::bucketMs() const
{
    return m_windowMs / MaxPoints;
}

void ChartPanel::setTimeWindow(qint64 ms)
{
    m_windowMs = std::max<qint64>(1000, ms);
    showLive();
}

void ChartPanel::showLive()
{
    m_mode = RangeMode::Live;
    m_view->setMessage(QString());
    m_view->setGaps({});
    for (Line &line : m_lines) {
        line.storedAvg.clear();
        line.storedMin.clear();
        line.storedMax.clear();
    }
    backfill(m_nowTs);
}

void ChartPanel::zoomLive(qint64 fromTs, qint64 toTs)
{
    m_mode = RangeMode::Zoomed;
    m_rangeFrom = fromTs;
    m_rangeTo = std::max(toTs, fromTs + 1);
    m_axisTop = -1.0; // fit the value axis to what is in the range
    push();
}

void ChartPanel::showStoredRange(qint64 fromTs, qint64 toTs)
{
    m_mode = RangeMode::Stored;
    m_rangeFrom = fromTs;
    m_rangeTo = std::max(toTs, fromTs + 1);
    m_axisTop = -1.0;
    push();
}

void ChartPanel::setStoredData(const HistoryResult &result, qint64 fromTs, qint64 toTs)
{
    m_mode = RangeMode::Stored;
    m_rangeFrom = fromTs;
    m_rangeTo = std::max(toTs, fromTs + 1);
    bool envelopes = false;
    for (size_t i = 0; i < m_lines.size(); ++i) {
        Line &line = m_lines[i];
        line.storedAvg.clear();
        line.storedMin.clear();
        line.storedMax.clear();
        const QString &id = m_specs.at(qsizetype(i)).id;
        const auto it = std::find_if(result.series.cbegin(), result.series.cend(),
                                     [&id](const HistorySeries &s) { return s.id == id; });
        if (it == result.series.cend())
            continue;
        const qsizetype n = std::min(result.ts.size(), it->avg.size());
        const bool hasEnvelope = result.stepMs > 0 && it->min.size() >= n && it->max.size() >= n;
        line.storedAvg.reserve(n);
        for (qsizetype k = 0; k < n; ++k) {
            const double x = double(result.ts.at(k));
            if (!qIsNaN(it->avg.at(k)))
                line.storedAvg.append(QPointF(x, it->avg.at(k)));
            if (hasEnvelope && !qIsNaN(it->min.at(k)) && !qIsNaN(it->max.at(k))) {
                line.storedMin.append(QPointF(x, it->min.at(k)));
                line.storedMax.append(QPointF(x, it->max.at(k)));
            }
        }
        envelopes = envelopes || !line.storedMin.isEmpty();
    }
    if (envelopes)
        ensureBands();
    // Where none of this chart's series has a value for more than two and a
    // half steps (two empty buckets or more; for raw samples, their usual
    // spacing) the machine was off or the store away: shown as a gap, not
    // bridged by a straight line. The points on either side bound it.
    qint64 step = result.stepMs;
    if (step <= 0 && result.ts.size() > 2) {
        QList<qint64> diffs;
        diffs.reserve(result.ts.size() - 1);
        for (qsizetype k = 1; k < result.ts.size(); ++k)
            diffs.append(result.ts.at(k) - result.ts.at(k - 1));
        std::nth_element(diffs.begin(), diffs.begin() + diffs.size() / 2, diffs.end());
        step = diffs.at(diffs.size() / 2);
    }
    QList<const HistorySeries *> mine;
    for (const HistorySeries &series : result.series) {
        if (std::any_of(m_specs.cbegin(), m_specs.cend(),
                        [&series](const SeriesSpec &spec) { return spec.id == series.id; }))
            mine.append(&series);
    }
    QList<std::pair<qint64, qint64>> gaps;
    qsizetype lastValid = -1;
    for (qsizetype k = 0; k < result.ts.size(); ++k) {
        const bool any = std::any_of(mine.cbegin(), mine.cend(), [k](const HistorySeries *s) {
            return k < s->avg.size() && !qIsNaN(s->avg.at(k));
        });
        if (!any)
            continue;
        if (lastValid >= 0 && step > 0 &&
            2 * (result.ts.at(k) - result.ts.at(lastValid)) > 5 * step)
            gaps.append({result.ts.at(lastValid), result.ts.at(k)});
        lastValid = k;
    }
    m_view->setGaps(gaps);
    m_axisTop = -1.0;
    push();
}

void ChartPanel::ensureBands()
{
    if (m_lines.empty() || m_lines.front().band)
        return;
    for (size_t i = 0; i < m_lines.size(); ++i) {
        Line &line = m_lines[i];
        line.maxSeries = new QLineSeries;
        line.minSeries = new QLineSeries;
        line.band = new QAreaSeries(line.maxSeries, line.minSeries);
        line.maxSeries->setParent(line.band);
        line.minSeries->setParent(line.band);
        QColor fill = m_specs.at(qsizetype(i)).color;
        fill.setAlphaF(0.30);
        line.band->setBrush(fill);
        line.band->setPen(Qt::NoPen);
        line.band->setVisible(false);
        m_chart->addSeries(line.band);
        line.band->attachAxis(m_timeAxis);
        line.band->attachAxis(m_valueAxis);
    }
    // QtCharts draws in the order series were added: put the lines back on
    // top of the bands, so the average stays crisp.
    for (Line &line : m_lines) {
        QAbstractSeries *top = line.area ? static_cast<QAbstractSeries *>(line.area)
                                         : static_cast<QAbstractSeries *>(line.series);
        m_chart->removeSeries(top);
        m_chart->addSeries(top);
        top->attachAxis(m_timeAxis);
        top->attachAxis(m_valueAxis);
    }
}

const QList<QPointF> &ChartPanel::shownPoints(const Line &line) const
{
    return m_mode == RangeMode::Stored ? line.storedAvg : line.points;
}

qint64 ChartPanel::visibleFrom() const
{
    return m_timeAxis->min().toMSecsSinceEpoch();
}

qint64 ChartPanel::visibleTo() const
{
    return m_timeAxis->max().toMSecsSinceEpoch();
}

QList<QPointF> ChartPanel::visibleLivePoints(int i) const
{
    QList<QPointF> out;
    if (i < 0 || i >= int(m_lines.size()))
        return out;
    const double from = double(visibleFrom());
    const double to = double(visibleTo());
    for (const QPointF &p : m_lines[size_t(i)].points) {
        if (p.x() >= from && p.x() <= to)
            out.append(p);
    }
    return out;
}

void ChartPanel::setMessage(const QString &text)
{
    m_view->setMessage(text);
}

QString ChartPanel::message() const
{
    return m_view->message();
}

void ChartPanel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!m_paused)
        push();
}

void ChartPanel::append(Line &line, qint64 ts, double value)
{
    if (qIsNaN(value))
        return;
    if (!line.points.isEmpty()) {
        const QPointF &last = line.points.constLast();
        const qint64 lastTs = qint64(last.x());
        if (ts <= lastTs)
            return;
        const qint64 b = bucketMs();
        if (b > 0 && lastTs / b == ts / b) {
            // Same bucket: fold into a running mean, so a 1 h window at 10 Hz
            // still draws at most MaxPoints points.
            ++line.bucketCount;
            QPointF &p = line.points.last();
            p.setX(double(ts));
            p.setY(p.y() + (value - p.y()) / line.bucketCount);
            return;
        }
    }
    line.points.append(QPointF(double(ts), value));
    line.bucketCount = 1;
}

void ChartPanel::trim(qint64 nowTs)
{
    // Keep one point left of the window so the line reaches the left edge.
    const double from = double(nowTs - m_windowMs);
    for (Line &line : m_lines) {
        qsizetype drop = 0;
        while (drop + 1 < line.points.size() && line.points.at(drop + 1).x() <= from)
            ++drop;
        if (drop > 0)
            line.points.remove(0, drop);
    }
}

void ChartPanel::backfill(qint64 nowTs)
{
    for (Line &line : m_lines) {
        line.points.clear();
        line.bucketCount = 0;
    }
    if (m_hub && nowTs <= 0 && m_hub->latest())
        nowTs = m_hub->latest()->ts;
    m_nowTs = nowTs;
    if (m_hub && nowTs > 0) {
        const qint64 from = nowTs - m_windowMs - bucketMs();
        for (qsizetype i = 0; i < m_specs.size(); ++i) {
            Line &line = m_lines[size_t(i)];
            const QList<HistoryPoint> history = m_hub->history(m_specs.at(i).id, from, nowTs);
            line.points.reserve(std::min<qsizetype>(history.size(), MaxPoints + 2));
            for (const HistoryPoint &p : history)
                append(line, p.ts, p.value);
        }
    }
    push();
}

void ChartPanel::addSnapshot(const Snapshot &snapshot)
{
    if (snapshot.catalog != m_catalog) {
        m_catalog = snapshot.catalog;
        for (qsizetype i = 0; i < m_specs.size(); ++i)
            m_lines[size_t(i)].catalogIndex = m_catalog ? m_catalog->indexOf(m_specs.at(i).id) : -1;
    }
    for (Line &line : m_lines) {
        if (line.catalogIndex >= 0 && line.catalogIndex < snapshot.values.size())
            append(line, snapshot.ts, snapshot.values.at(line.catalogIndex));
    }
    m_nowTs = std::max(m_nowTs, snapshot.ts);
    trim(m_nowTs);
    if (m_mode != RangeMode::Live)
        return; // the range on show is fixed; the buffers are ready for showLive()
    // Redraw when the picture can change: a new bucket (a fresh point or a
    // visible shift), at most every MinRedrawMs. At 10 Hz over 5 minutes a
    // tick moves the chart by a fraction of a pixel; drawing it is waste.
    if (!m_paused && m_nowTs - m_drawnTs >= std::max<qint64>(bucketMs(), MinRedrawMs))
        push();
}

void ChartPanel::push()
{
    // Pause freezes the live view only: a range the user picked is drawn.
    if (m_paused && m_mode == RangeMode::Live)
        return;
    m_drawnTs = m_nowTs;
    const bool stored = m_mode == RangeMode::Stored;
    for (Line &line : m_lines) {
        line.series->replace(shownPoints(line));
        if (line.band) {
            const bool band = stored && !line.storedMin.isEmpty();
            if (band) {
                line.maxSeries->replace(line.storedMax);
                line.minSeries->replace(line.storedMin);
            } else if (line.band->isVisible()) {
                line.maxSeries->clear();
                line.minSeries->clear();
            }
            if (line.band->isVisible() != band)
                line.band->setVisible(band);
        }
    }
    updateValueAxis();
    updateTimeAxis();
    updateLegend();
}

void ChartPanel::updateTimeAxis()
{
    qint64 from = m_rangeFrom;
    qint64 to = m_rangeTo;
    if (m_mode == RangeMode::Live) {
        to = m_nowTs > 0 ? m_nowTs : QDateTime::currentMSecsSinceEpoch();
        from = to - m_windowMs;
    }
    const qint64 span = to - from;
    const QString format = span <= 15 * 60 * 1000     ? u"HH:mm:ss"_s
                           : span <= 36 * 3600 * 1000 ? u"HH:mm"_s
                                                      : dayMonthFormat() + u" HH:mm"_s;
    if (m_timeAxis->format() != format)
        m_timeAxis->setFormat(format);
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));
    m_view->setTimeRange(from, to, format);
}

void ChartPanel::updateValueAxis()
{
    double min = m_min;
    double top = m_max;
    int steps = 4;
    ByteScale scale;
    const bool bytes = m_unit == ValueUnit::Bytes || m_unit == ValueUnit::BytesPerSecond;
    if (!m_fixedRange) {
        min = 0.0;
        double max = 0.0;
        const bool live = m_mode == RangeMode::Live;
        const double from = double(live ? m_nowTs - m_windowMs : m_rangeFrom);
        const double to = live ? std::numeric_limits<double>::max() : double(m_rangeTo);
        for (const Line &line : m_lines) {
            const QList<QPointF> &points = m_mode == RangeMode::Stored && !line.storedMax.isEmpty()
                                               ? line.storedMax
                                               : shownPoints(line);
            for (const QPointF &p : points) {
                if (p.x() >= from && p.x() <= to && p.y() > max)
                    max = p.y();
            }
        }
        max = std::max(max, m_minimumTop);
        scale = bytes ? byteScaleFor(max, m_unit == ValueUnit::BytesPerSecond) : ByteScale();
        const double scaled = max / scale.divisor;
        const double step = niceCeil(scaled / 4.0);
        steps = std::max(1, int(std::ceil(scaled / step - 1e-9)));
        top = step * steps * scale.divisor;
        // Hysteresis: grow at once, shrink only when the data fell well below.
        if (m_axisTop > 0 && top < m_axisTop && max > m_axisTop * 0.4)
            return;
    } else if (bytes) {
        scale = byteScaleFor(top, m_unit == ValueUnit::BytesPerSecond);
    }
    if (top == m_axisTop)
        return;
    m_axisTop = top;

    const QStringList old = m_valueAxis->categoriesLabels();
    for (const QString &label : old)
        m_valueAxis->remove(label);
    m_valueAxis->setStartValue(min);
    const double step = (top - min) / steps;
    QList<qreal> grid;
    for (int i = 0; i <= steps; ++i)
        grid.append(qreal(i) / steps);
    m_view->setValueGrid(grid);
    // Just enough decimals for the step: 0.25 -> 2, 0.5 -> 1, 25 -> 0.
    const double unitStep = step / scale.divisor;
    int decimals = 0;
    while (decimals < 3 && std::fabs(unitStep * std::pow(10.0, decimals) -
                                     std::round(unitStep * std::pow(10.0, decimals))) > 1e-6)
        ++decimals;
    for (int i = 0; i <= steps; ++i) {
        const double v = min + step * i;
        QString label = ValueFormat::number(v / scale.divisor, decimals);
        if (v == 0.0 && m_unit != ValueUnit::Percent)
            label = u"0"_s;
        else if (bytes)
            label += u' ' + scale.suffix;
        else if (m_unit == ValueUnit::Percent)
            label += u" %"_s;
        else if (m_unit == ValueUnit::Celsius)
            label += u" °C"_s;
        else if (m_unit == ValueUnit::PerSecond)
            label += u"/s"_s;
        // The first category ends where the axis starts: it only carries the "0" label.
        m_valueAxis->append(label, i == 0 ? min + step * 1e-6 : v);
    }
    m_valueAxis->setRange(min, top);
}

QString ChartPanel::legendText() const
{
    QString text;
    for (size_t i = 0; i < m_lines.size(); ++i) {
        const QList<QPointF> &points = shownPoints(m_lines[i]);
        const SeriesSpec &spec = m_specs.at(qsizetype(i));
        const double value = points.isEmpty() ? qQNaN() : points.constLast().y();
        if (!text.isEmpty())
            text += u"&nbsp;&nbsp;&nbsp; "_s;
        text += u"<span style=\"color:%1\">■</span>&nbsp;%2&nbsp;<b>%3</b>"_s.arg(
            spec.color.name(), spec.label.toHtmlEscaped(),
            ValueFormat::format(value, m_unit).toHtmlEscaped().replace(u' ', u"&nbsp;"_s));
    }
    return text;
}

void ChartPanel::updateLegend()
{
    const QString text = legendText();
    if (m_legend->text() != text)
        m_legend->setText(text);
}

QString ChartPanel::describeAt(qint64 ts) const
{
    const qint64 span = visibleTo() - visibleFrom();
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(ts);
    // Over days the date matters, written as the locale writes it.
    const QString when = span > 36 * 3600 * 1000 ? QLocale().toString(at, QLocale::ShortFormat)
                                                 : at.toString(u"HH:mm:ss"_s);
    QString text = u"<b>%1</b>"_s.arg(when);
    const auto nearest = [ts](const QList<QPointF> &points) {
        auto it = std::lower_bound(points.cbegin(), points.cend(), double(ts),
                                   [](const QPointF &p, double x) { return p.x() < x; });
        if (it == points.cend())
            --it;
        else if (it != points.cbegin() && (ts - (it - 1)->x()) < (it->x() - ts))
            --it;
        return it;
    };
    for (size_t i = 0; i < m_lines.size(); ++i) {
        const Line &line = m_lines[i];
        const QList<QPointF> &points = shownPoints(line);
        if (points.isEmpty())
            continue;
        const auto it = nearest(points);
        const SeriesSpec &spec = m_specs.at(qsizetype(i));
        text += u"<br><span style=\"color:%1\">■</span> %2: <b>%3</b>"_s.arg(
            spec.color.name(), spec.label.toHtmlEscaped(), ValueFormat::format(it->y(), m_unit));
        if (m_mode == RangeMode::Stored && !line.storedMin.isEmpty()) {
            const auto lo = nearest(line.storedMin);
            const auto hi = nearest(line.storedMax);
            if (lo->x() == it->x() && hi->x() == it->x())
                text += u" (%1 – %2)"_s.arg(ValueFormat::format(lo->y(), m_unit),
                                            ValueFormat::format(hi->y(), m_unit));
        }
    }
    return text;
}

void ChartPanel::changeEvent(QEvent *event)
{
    Card::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        applyPalette();
}

void ChartPanel::applyPalette()
{
    const QPalette pal = palette();
    QColor text = pal.color(QPalette::WindowText);
    text.setAlphaF(0.7);
    QColor grid = pal.color(QPalette::WindowText);
    grid.setAlphaF(0.10);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(m_timeAxis), static_cast<QAbstractAxis *>(m_valueAxis)}) {
        axis->setLabelsBrush(text);
        axis->setLabelsFont(small);
        axis->setShadesVisible(false);
    }
    m_view->setGridColor(grid);
    m_view->setLabelStyle(small, text);
    // Room for the top value label, and under the plot for the time labels.
    m_chart->setMargins(QMargins(0, 8, 6, m_view->timeLabelHeight()));
    m_view->setBackgroundBrush(pal.base());
    QPalette legendPalette = m_legend->palette();
    legendPalette.setColor(QPalette::WindowText, pal.color(QPalette::WindowText));
    m_legend->setPalette(legendPalette);
    m_legend->setFont(small);
}

} // namespace tidewatch
