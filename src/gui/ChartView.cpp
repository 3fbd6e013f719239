// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChartView.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLineItem>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace tidewatch {

namespace {
constexpr int LabelPadding = 4; // between the plot and the time labels
}

ChartView::ChartView(QChart *chart, std::function<QString(qint64)> describe, QWidget *parent)
    : QChartView(chart, parent)
    , m_describe(std::move(describe))
{
    setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
    setRenderHint(QPainter::Antialiasing);
    // The grid is drawn in drawBackground and kept as a pixmap: a tick then
    // blits it instead of stroking the lines again.
    setCacheMode(QGraphicsView::CacheBackground);
    connect(chart, &QChart::plotAreaChanged, this, &ChartView::invalidateBackground);
    m_cursor = new QGraphicsLineItem(chart);
    m_cursor->setZValue(100);
    m_cursor->setVisible(false);
    for (QStaticText &label : m_timeLabels)
        label.setTextFormat(Qt::PlainText);
}

qint64 ChartView::timeAt(const QPointF &viewPos) const
{
    const QRectF plot = chart()->plotArea();
    const QPointF scenePos = mapToScene(viewPos.toPoint());
    const QPointF chartPos = chart()->mapFromScene(scenePos);
    if (!plot.contains(chartPos) || plot.width() <= 0)
        return -1;
    const auto axes = chart()->axes(Qt::Horizontal);
    const auto *axis = axes.isEmpty() ? nullptr : qobject_cast<QDateTimeAxis *>(axes.first());
    if (!axis)
        return -1;
    const qint64 from = axis->min().toMSecsSinceEpoch();
    const qint64 to = axis->max().toMSecsSinceEpoch();
    return from + qint64((chartPos.x() - plot.left()) / plot.width() * double(to - from));
}

void ChartView::setValueGrid(const QList<qreal> &fractions)
{
    if (fractions == m_valueGrid)
        return;
    m_valueGrid = fractions;
    invalidateBackground();
}

void ChartView::setGridColor(const QColor &color)
{
    if (color == m_gridColor)
        return;
    m_gridColor = color;
    invalidateBackground();
}

void ChartView::setLabelStyle(const QFont &font, const QColor &color)
{
    m_labelFont = font;
    m_labelColor = color;
    for (QStaticText &label : m_timeLabels)
        label.prepare(QTransform(), m_labelFont);
    viewport()->update();
}

int ChartView::timeLabelHeight() const
{
    return QFontMetrics(m_labelFont).height() + 2 * LabelPadding;
}

QStringList ChartView::timeLabels() const
{
    QStringList labels;
    for (const QStaticText &label : m_timeLabels)
        labels.append(label.text());
    return labels;
}

void ChartView::setTimeRange(qint64 fromMs, qint64 toMs, const QString &format)
{
    bool changed = false;
    for (int i = 0; i < TimeTicks; ++i) {
        const qint64 ts = fromMs + (toMs - fromMs) * i / (TimeTicks - 1);
        const QString text = QDateTime::fromMSecsSinceEpoch(ts).toString(format);
        if (text != m_timeLabels[size_t(i)].text()) {
            m_timeLabels[size_t(i)].setText(text);
            m_timeLabels[size_t(i)].prepare(QTransform(), m_labelFont);
            changed = true;
        }
    }
    // Only the strip under the plot: the plot itself is repainted by the
    // scene when the series move, and nothing else changed.
    if (changed)
        viewport()->update(timeLabelStrip());
}

QRectF ChartView::plotRect() const
{
    return chart()->mapRectToScene(chart()->plotArea());
}

QRect ChartView::timeLabelStrip() const
{
    const QRect plot = mapFromScene(plotRect()).boundingRect();
    const int top = plot.bottom() + 1;
    return {0, top, viewport()->width(), std::max(0, viewport()->height() - top)};
}

void ChartView::invalidateBackground()
{
    resetCachedContent();
    viewport()->update();
}

void ChartView::drawBackground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawBackground(painter, rect);
    const QRectF plot = plotRect();
    if (plot.isEmpty() || !m_gridColor.isValid())
        return;
    painter->save();
    // Hairlines on whole pixels: crisp, and no antialiasing work.
    painter->setRenderHint(QPainter::Antialiasing, false);
    QPen pen(m_gridColor, 0);
    painter->setPen(pen);
    const auto snap = [](qreal v) { return std::floor(v); };
    for (int i = 0; i < TimeTicks; ++i) {
        const qreal x = snap(plot.left() + plot.width() * i / (TimeTicks - 1));
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
    for (qreal f : std::as_const(m_valueGrid)) {
        const qreal y = snap(plot.bottom() - plot.height() * f);
        painter->drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    }
    painter->restore();
}

void ChartView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    const QRectF plot = plotRect();
    const QRectF strip(0, plot.bottom(), viewport()->width(), viewport()->height() - plot.bottom());
    if (plot.isEmpty() || !rect.intersects(strip))
        return;
    painter->save();
    painter->setFont(m_labelFont);
    painter->setPen(m_labelColor);
    const qreal width = viewport()->width();
    for (int i = 0; i < TimeTicks; ++i) {
        const QStaticText &label = m_timeLabels[size_t(i)];
        const qreal w = label.size().width();
        const qreal x = plot.left() + plot.width() * i / (TimeTicks - 1);
        const qreal left = std::clamp(x - w / 2, 0.0, std::max(0.0, width - w));
        painter->drawStaticText(QPointF(std::round(left), plot.bottom() + LabelPadding), label);
    }
    painter->restore();
}

void ChartView::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    const qint64 ts = timeAt(event->position());
    if (ts < 0) {
        m_cursor->setVisible(false);
        QToolTip::hideText();
        return;
    }
    const QRectF plot = chart()->plotArea();
    const qreal x = chart()->mapFromScene(mapToScene(event->position().toPoint())).x();
    QColor color = palette().color(QPalette::WindowText);
    color.setAlphaF(0.45);
    m_cursor->setPen(QPen(color, 1.0, Qt::DashLine));
    m_cursor->setLine(x, plot.top(), x, plot.bottom());
    m_cursor->setVisible(true);
    QToolTip::showText(event->globalPosition().toPoint(), m_describe(ts), this);
}

void ChartView::leaveEvent(QEvent *event)
{
    QChartView::leaveEvent(event);
    m_cursor->setVisible(false);
    QToolTip::hideText();
}

} // namespace tidewatch
