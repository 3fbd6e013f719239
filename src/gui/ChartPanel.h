// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Card.h"
#include "Snapshot.h"
#include "ValueFormat.h"

#include <QColor>
#include <QList>
#include <QPointF>

#include <vector>

QT_BEGIN_NAMESPACE
class QAreaSeries;
class QCategoryAxis;
class QChart;
class QDateTimeAxis;
class QLineSeries;
QT_END_NAMESPACE

namespace tidewatch {

class ChartView;
class Hub;
class RichTextLabel;

/// One line of a chart: a metric id and how to draw it.
struct SeriesSpec
{
    QString id;
    QString label;
    QColor color;
    bool filled = false; ///< draw as a translucent area down to zero
    friend bool operator==(const SeriesSpec &, const SeriesSpec &) = default;
};

/// A live time chart of a few metrics on a Card. Series and axes are made
/// once (and again only when the set of metrics changes); each tick appends
/// to per-series buffers and hands them to QtCharts with one replace() per
/// series. Long windows at fast cadences are averaged into buckets so a
/// series never holds more than about MaxPoints points.
class ChartPanel : public Card
{
    Q_OBJECT
public:
    static constexpr int MaxPoints = 600;
    static constexpr qint64 MinRedrawMs = 250;

    ChartPanel(const QString &title, ValueUnit unit, const Hub *hub, QWidget *parent = nullptr);
    ~ChartPanel() override;

    /// Fixed value range (e.g. 0–100 %); otherwise the range follows the data.
    void setFixedRange(double min, double max);
    /// In automatic range, the top never goes below this (raw units).
    void setMinimumTop(double top);

    /// Sets the metrics shown. Series are only re-created when this changes.
    void setSeries(const QList<SeriesSpec> &specs);
    const QList<SeriesSpec> &seriesSpecs() const { return m_specs; }

    void setTimeWindow(qint64 ms);
    qint64 timeWindow() const { return m_windowMs; }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }

    /// Refills every series from the Hub's history, ending at `nowTs`.
    void backfill(qint64 nowTs);
    void addSnapshot(const Snapshot &snapshot);

    // For tests, benchmarks and the hover read-out.
    QChart *chart() const { return m_chart; }
    ChartView *chartView() const { return m_view; }
    QDateTimeAxis *timeAxis() const { return m_timeAxis; }
    QCategoryAxis *valueAxis() const { return m_valueAxis; }
    QLineSeries *lineSeries(int i) const;
    int seriesCount() const { return int(m_lines.size()); }
    double valueAxisMax() const { return m_axisTop; }
    QString legendText() const;
    /// "12:00:01  CPU 42 %" for the point nearest to time `ts`.
    QString describeAt(qint64 ts) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Line
    {
        QLineSeries *series = nullptr;
        QAreaSeries *area = nullptr;
        QList<QPointF> points; // raw values, x = ms since the epoch
        int bucketCount = 0;   // samples averaged into points.last()
        qsizetype catalogIndex = -1;
    };

    void append(Line &line, qint64 ts, double value);
    void trim(qint64 nowTs);
    void push();
    void updateValueAxis();
    void updateTimeAxis();
    void applyPalette();
    void updateLegend();
    qint64 bucketMs() const;

    const Hub *m_hub;
    ValueUnit m_unit;
    QChart *m_chart = nullptr;
    ChartView *m_view = nullptr;
    RichTextLabel *m_legend = nullptr;
    QDateTimeAxis *m_timeAxis = nullptr;
    QCategoryAxis *m_valueAxis = nullptr;
    QList<SeriesSpec> m_specs;
    std::vector<Line> m_lines;
    CatalogPtr m_catalog;
    qint64 m_windowMs = 5 * 60 * 1000;
    qint64 m_nowTs = 0;
    qint64 m_drawnTs = 0; // m_nowTs at the last redraw
    bool m_paused = false;
    bool m_fixedRange = false;
    double m_min = 0.0;
    double m_max = 100.0;
    double m_minimumTop = 1.0;
    double m_axisTop = -1.0; // the top the category labels were made for
};

} // namespace tidewatch
