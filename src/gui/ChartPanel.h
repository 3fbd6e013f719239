// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Card.h"
#include "HistorySource.h"
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
///
/// Besides the live window it can show a fixed time range: a zoom into the
/// live buffers (live drawing stops meanwhile), or data from the history
/// store, drawn as the average line over a lighter min–max band.
class ChartPanel : public Card
{
    Q_OBJECT
public:
    static constexpr int MaxPoints = 600;
    static constexpr qint64 MinRedrawMs = 250;

    enum class RangeMode {
        Live,   ///< the last timeWindow(), moving with each snapshot
        Zoomed, ///< a fixed range of the live buffers
        Stored, ///< a fixed range of store data (setStoredData)
    };

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

    /// Shows [fromTs, toTs] of the live buffers, frozen until showLive().
    void zoomLive(qint64 fromTs, qint64 toTs);
    /// Shows [fromTs, toTs] with store data; what setStoredData() gave last
    /// stays drawn (clipped to the range) until new data arrives.
    void showStoredRange(qint64 fromTs, qint64 toTs);
    /// Shows [fromTs, toTs] with this panel's series out of `result` (by
    /// id), in one redraw. NaN buckets are left out.
    void setStoredData(const HistoryResult &result, qint64 fromTs, qint64 toTs);
    /// Back to the live window, refilled from the Hub.
    void showLive();
    RangeMode rangeMode() const { return m_mode; }
    /// The time range on the axis now.
    qint64 visibleFrom() const;
    qint64 visibleTo() const;
    /// The live points of series `i` inside the visible range (Live and Zoomed).
    QList<QPointF> visibleLivePoints(int i) const;
    /// Text over the plot ("Loading…"); empty for none.
    void setMessage(const QString &text);
    QString message() const;

    QLineSeries *minSeries(int i) const;
    QLineSeries *maxSeries(int i) const;
    QAreaSeries *envelope(int i) const;

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

Q_SIGNALS:
    /// A drag across the plot selected [fromMs, toMs].
    void zoomRequested(qint64 fromMs, qint64 toMs);
    void zoomResetRequested();

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
        // Store data (RangeMode::Stored) and its min–max band, made on first use.
        QList<QPointF> storedAvg, storedMin, storedMax;
        QLineSeries *minSeries = nullptr;
        QLineSeries *maxSeries = nullptr;
        QAreaSeries *band = nullptr;
    };

    void append(Line &line, qint64 ts, double value);
    void ensureBands();
    const QList<QPointF> &shownPoints(const Line &line) const;
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
    RangeMode m_mode = RangeMode::Live;
    qint64 m_rangeFrom = 0;
    qint64 m_rangeTo = 0;
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
