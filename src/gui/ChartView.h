// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QChartView>
#include <QFont>
#include <QStaticText>

#include <array>
#include <functional>
#include <utility>

QT_BEGIN_NAMESPACE
class QGraphicsLineItem;
class QGraphicsRectItem;
QT_END_NAMESPACE

namespace tidewatch {

/// A QChartView with a hover read-out: a vertical line follows the mouse
/// over the plot area and a tooltip shows every series' value at that time.
///
/// It also draws what changes least and what changes every tick more cheaply
/// than QtCharts would: the grid goes into the view's cached background (drawn
/// again only when the plot area or the value scale moves), and the time
/// labels are drawn here, so the chart's own time axis can stay hidden; a
/// visible QDateTimeAxis re-lays out rich-text label items on every range
/// change, which at one change a tick cost more than drawing the lines.
///
/// Dragging across the plot selects a time range (zoomRequested); a double
/// click asks to undo the zoom. A message ("Loading…") can be drawn over the
/// plot.
class ChartView final : public QChartView
{
    Q_OBJECT
public:
    static constexpr int TimeTicks = 4;
    /// A drag narrower than this is a click, not a zoom.
    static constexpr int MinZoomPixels = 5;

    /// `describe` turns a time (ms since the epoch) into the tooltip text.
    ChartView(QChart *chart, std::function<QString(qint64)> describe, QWidget *parent = nullptr);

    /// The time under a point of the view, or -1 outside the plot area.
    qint64 timeAt(const QPointF &viewPos) const;

    /// Horizontal grid lines, as fractions of the plot height from the bottom.
    void setValueGrid(const QList<qreal> &fractions);
    void setGridColor(const QColor &color);
    void setLabelStyle(const QFont &font, const QColor &color);
    /// The time range under the plot; labels at TimeTicks even steps.
    void setTimeRange(qint64 fromMs, qint64 toMs, const QString &format);
    /// Room the time labels need under the plot (the chart's bottom margin).
    int timeLabelHeight() const;
    QStringList timeLabels() const;

    /// Text drawn centred over the plot; empty for none.
    void setMessage(const QString &text);
    QString message() const { return m_message; }
    /// Time ranges (ms, open at both ends) drawn as "no data" over the
    /// series, so a line is not drawn straight across hours without data.
    void setGaps(const QList<std::pair<qint64, qint64>> &gaps);
    const QList<std::pair<qint64, qint64>> &gaps() const { return m_gaps; }

Q_SIGNALS:
    void zoomRequested(qint64 fromMs, qint64 toMs);
    void zoomResetRequested();

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    void invalidateBackground();
    QRectF plotRect() const; // in scene (= viewport) coordinates
    QRect timeLabelStrip() const;
    qreal plotX(const QPointF &viewPos) const; // chart x, clamped to the plot area
    qint64 timeAtPlotX(qreal x) const;

    std::function<QString(qint64)> m_describe;
    QGraphicsLineItem *m_cursor = nullptr; // owned by the chart's scene
    QGraphicsRectItem *m_band = nullptr;   // the zoom selection, owned likewise
    qreal m_dragFromX = -1;                // chart x where a drag started; < 0: none
    QString m_message;
    QList<std::pair<qint64, qint64>> m_gaps;
    QList<qreal> m_valueGrid;
    QColor m_gridColor;
    QFont m_labelFont;
    QColor m_labelColor;
    std::array<QStaticText, TimeTicks> m_timeLabels;
};

} // namespace tidewatch
