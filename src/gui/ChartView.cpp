// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChartView.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
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
    m_band = new QGraphicsRectItem(chart);
    m_band->setZValue(99);
    m_band->setVisible(false);
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
    return timeAtPlotX(chartPos.x());
}

qreal ChartView::plotX(const QPointF &viewPos) const
{
    const QRectF plot = chart()->plotArea();
    const qreal x = chart()->mapFromScene(mapToScene(viewPos.toPoint())).x();
    return std::clamp(x, plot.left(), std::max(plot.left(), plot.right()));
}

qint64 ChartView::timeAtPlotX(qreal x) const
{
    const QRectF plot = chart()->plotArea();
    const auto axes = chart()->axes(Qt::Horizontal);
    const auto *axis = axes.isEmpty() ? nullptr : qobject_cast<QDateTimeAxis *>(axes.first());
    if (!axis || plot.width() <= 0)
        return -1;
    const qint64 from = axis->min().toMSecsSinceEpoch();
    const qint64 to = axis->max().toMSecsSinceEpoch();
    return from + qint64((x - plot.left()) / plot.width() * double(to - from));
}

void ChartView::setGaps(const QList<std::pair<qint64, qint64>> &gaps)
{
    if (gaps == m_gaps)
        return;
    m_gaps = gaps;
    viewport()->update();
}

void ChartView::setMessage(const QString &text)
{
    if (text == m_message)
        return;
    m_message = text;
    viewport()->update();
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
    if (!m_gaps.isEmpty() && !plot.isEmpty() && rect.intersects(plot)) {
        const auto axes = chart()->axes(Qt::Horizontal);
        const auto *axis = axes.isEmpty() ? nullptr : qobject_cast<QDateTimeAxis *>(axes.first());
        const qint64 from = axis ? axis->min().toMSecsSinceEpoch() : 0;
        const qint64 to = axis ? axis->max().toMSecsSinceEpoch() : 0;
        if (to > from) {
            painter->save();
            painter->setRenderHint(QPainter::Antialiasing, false);
            QColor hatch = m_gridColor.isValid() ? m_gridColor : palette().color(QPalette::Mid);
            for (const auto &[start, end] : std::as_const(m_gaps)) {
                // Open at both ends: the points on either side stay visible.
                const qreal x0 =
                    plot.left() + plot.width() * double(start - from) / double(to - from);
                const qreal x1 =
                    plot.left() + plot.width() * double(end - from) / double(to - from);
                const QRectF r = QRectF(QPointF(std::floor(x0) + 1, plot.top()),
                                        QPointF(std::ceil(x1) - 1, plot.bottom() + 1))
                                     .intersected(plot.adjusted(0, 0, 0, 1));
                if (r.width() <= 0)
                    continue;
                painter->fillRect(r, palette().color(QPalette::Base));
                painter->fillRect(r, QBrush(hatch, Qt::BDiagPattern));
            }
            painter->restore();
        }
    }
    if (!m_message.isEmpty() && !plot.isEmpty() && rect.intersects(plot)) {
        painter->save();
        QFont font = m_labelFont;
        font.setPointSizeF(font.pointSizeF() / 0.85); // the body size, not the axis labels'
        painter->setFont(font);
        painter->setPen(m_labelColor);
        painter->drawText(plot, Qt::AlignCenter | Qt::TextWordWrap, m_message);
        painter->restore();
    }
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

void ChartView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && timeAt(event->position()) >= 0) {
        m_dragFromX = plotX(event->position());
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void ChartView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || m_dragFromX < 0) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    const qreal x0 = m_dragFromX;
    const qreal x1 = plotX(event->position());
    m_dragFromX = -1;
    m_band->setVisible(false);
    event->accept();
    if (std::abs(x1 - x0) < MinZoomPixels)
        return;
    const qint64 from = timeAtPlotX(std::min(x0, x1));
    const qint64 to = timeAtPlotX(std::max(x0, x1));
    if (from >= 0 && to > from)
        Q_EMIT zoomRequested(from, to);
}

void ChartView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragFromX = -1;
        m_band->setVisible(false);
        event->accept();
        Q_EMIT zoomResetRequested();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void ChartView::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    if (m_dragFromX >= 0) {
        const QRectF plot = chart()->plotArea();
        const qreal x = plotX(event->position());
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlphaF(0.25);
        m_band->setBrush(fill);
        m_band->setPen(Qt::NoPen);
        m_band->setRect(
            QRectF(std::min(x, m_dragFromX), plot.top(), std::abs(x - m_dragFromX), plot.height()));
        m_band->setVisible(true);
    }
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
