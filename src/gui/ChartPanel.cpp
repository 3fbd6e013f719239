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
#include <QVBoxLayout>
#include <QtNumeric>

#include <algorithm>
#include <cmath>

namespace tidewatch {

using namespace Qt::StringLiterals;

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

void ChartPanel::setSeries(const QList<SeriesSpec> &specs)
{
    if (specs == m_specs)
        return;
    for (Line &line : m_lines) {
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
    m_timeAxis->setFormat(m_windowMs > 15 * 60 * 1000 ? u"HH:mm"_s : u"HH:mm:ss"_s);
    backfill(m_nowTs);
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
    // Redraw when the picture can change: a new bucket (a fresh point or a
    // visible shift), at most every MinRedrawMs. At 10 Hz over 5 minutes a
    // tick moves the chart by a fraction of a pixel; drawing it is waste.
    if (!m_paused && m_nowTs - m_drawnTs >= std::max<qint64>(bucketMs(), MinRedrawMs))
        push();
}

void ChartPanel::push()
{
    if (m_paused)
        return;
    m_drawnTs = m_nowTs;
    for (Line &line : m_lines)
        line.series->replace(line.points);
    updateValueAxis();
    updateTimeAxis();
    updateLegend();
}

void ChartPanel::updateTimeAxis()
{
    const qint64 now = m_nowTs > 0 ? m_nowTs : QDateTime::currentMSecsSinceEpoch();
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(now - m_windowMs),
                         QDateTime::fromMSecsSinceEpoch(now));
    m_view->setTimeRange(now - m_windowMs, now, m_timeAxis->format());
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
        const double from = double(m_nowTs - m_windowMs);
        for (const Line &line : m_lines) {
            for (const QPointF &p : line.points) {
                if (p.x() >= from && p.y() > max)
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
        const Line &line = m_lines[i];
        const SeriesSpec &spec = m_specs.at(qsizetype(i));
        const double value = line.points.isEmpty() ? qQNaN() : line.points.constLast().y();
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
    QString text = u"<b>%1</b>"_s.arg(QDateTime::fromMSecsSinceEpoch(ts).toString(u"HH:mm:ss"_s));
    for (size_t i = 0; i < m_lines.size(); ++i) {
        const QList<QPointF> &points = m_lines[i].points;
        if (points.isEmpty())
            continue;
        auto it = std::lower_bound(points.cbegin(), points.cend(), double(ts),
                                   [](const QPointF &p, double x) { return p.x() < x; });
        if (it == points.cend())
            --it;
        else if (it != points.cbegin() && (ts - (it - 1)->x()) < (it->x() - ts))
            --it;
        const SeriesSpec &spec = m_specs.at(qsizetype(i));
        text += u"<br><span style=\"color:%1\">■</span> %2: <b>%3</b>"_s.arg(
            spec.color.name(), spec.label.toHtmlEscaped(), ValueFormat::format(it->y(), m_unit));
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
