// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QList>
#include <QWidget>

namespace tidewatch {

/// A compact grid with one small bar per CPU core, painted directly: cheaper
/// than a chart per core and readable at a glance even with 64 cores.
class CoreGrid final : public QWidget
{
    Q_OBJECT
public:
    explicit CoreGrid(QWidget *parent = nullptr);

    /// Core numbers (kernel ids, which may skip) and their busy share in %.
    void setCores(const QList<int> &ids, const QList<double> &percents);
    const QList<double> &percents() const { return m_percents; }
    void setColor(const QColor &color);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int columnsFor(int width) const;

    QList<int> m_ids;
    QList<double> m_percents;
    QColor m_color;
};

/// Filesystem usage as horizontal bars, one row per mount point.
class FilesystemBars final : public QWidget
{
    Q_OBJECT
public:
    struct Row
    {
        QString mountPoint;
        double usedBytes = 0.0;
        double sizeBytes = 0.0;
        double percent = 0.0;
        friend bool operator==(const Row &, const Row &) = default;
    };

    explicit FilesystemBars(QWidget *parent = nullptr);
    void setRows(const QList<Row> &rows);
    const QList<Row> &rows() const { return m_rows; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<Row> m_rows;
};

} // namespace tidewatch
