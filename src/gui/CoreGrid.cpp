// SPDX-License-Identifier: GPL-3.0-or-later
#include "CoreGrid.h"

#include "ValueFormat.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace tidewatch {

using namespace Qt::StringLiterals;

namespace {

constexpr int CellMinWidth = 86;
constexpr int CellHeight = 20;
constexpr int Gap = 4;

QColor fade(QColor c, qreal alpha)
{
    c.setAlphaF(alpha);
    return c;
}

} // namespace

CoreGrid::CoreGrid(QWidget *parent)
    : QWidget(parent)
    , m_color(0x3d, 0xae, 0xe9)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
}

void CoreGrid::setCores(const QList<int> &ids, const QList<double> &percents)
{
    const bool resized = ids.size() != m_ids.size();
    m_ids = ids;
    m_percents = percents;
    if (resized)
        updateGeometry();
    update();
}

void CoreGrid::setColor(const QColor &color)
{
    m_color = color;
    update();
}

int CoreGrid::columnsFor(int width) const
{
    const int n = std::max<int>(1, int(m_ids.size()));
    return std::clamp((width + Gap) / (CellMinWidth + Gap), 1, n);
}

int CoreGrid::heightForWidth(int width) const
{
    if (m_ids.isEmpty())
        return 0;
    const int columns = columnsFor(width);
    const int rows = int((m_ids.size() + columns - 1) / columns);
    return rows * CellHeight + (rows - 1) * Gap;
}

QSize CoreGrid::sizeHint() const
{
    return {4 * (CellMinWidth + Gap), heightForWidth(4 * (CellMinWidth + Gap))};
}

QSize CoreGrid::minimumSizeHint() const
{
    return {CellMinWidth, m_ids.isEmpty() ? 0 : CellHeight};
}

void CoreGrid::paintEvent(QPaintEvent *)
{
    if (m_ids.isEmpty())
        return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int columns = columnsFor(width());
    const qreal cellWidth = (width() - (columns - 1) * Gap) / qreal(columns);
    const QColor text = palette().color(QPalette::WindowText);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    for (qsizetype i = 0; i < m_ids.size(); ++i) {
        const int row = int(i / columns);
        const int column = int(i % columns);
        const QRectF cell(column * (cellWidth + Gap), row * (CellHeight + Gap), cellWidth,
                          CellHeight);
        const double percent = i < m_percents.size() ? m_percents.at(i) : 0.0;
        const double share = std::clamp(std::isnan(percent) ? 0.0 : percent / 100.0, 0.0, 1.0);
        p.setPen(Qt::NoPen);
        p.setBrush(fade(text, 0.07));
        p.drawRoundedRect(cell, 3, 3);
        if (share > 0.0) {
            QPainterPath clip;
            clip.addRoundedRect(cell, 3, 3);
            p.save();
            p.setClipPath(clip);
            p.setBrush(fade(m_color, 0.25 + 0.55 * share));
            p.drawRect(QRectF(cell.left(), cell.top(), cell.width() * share, cell.height()));
            p.restore();
        }
        p.setPen(text);
        const QRectF textRect = cell.adjusted(6, 0, -6, 0);
        p.drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, tr("CPU %1").arg(m_ids.at(i)));
        p.drawText(textRect, Qt::AlignVCenter | Qt::AlignRight,
                   std::isnan(percent) ? u"–"_s : ValueFormat::number(percent, 0) + u" %"_s);
    }
}

FilesystemBars::FilesystemBars(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
}

void FilesystemBars::setRows(const QList<Row> &rows)
{
    if (rows == m_rows)
        return;
    const bool resized = rows.size() != m_rows.size();
    m_rows = rows;
    if (resized)
        updateGeometry();
    update();
}

QSize FilesystemBars::sizeHint() const
{
    const int rows = std::max<int>(1, int(m_rows.size()));
    return {400, rows * (CellHeight + 8) - 8};
}

QSize FilesystemBars::minimumSizeHint() const
{
    return {200, sizeHint().height()};
}

void FilesystemBars::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor text = palette().color(QPalette::WindowText);
    const QFontMetrics fm(font());
    int nameWidth = fm.horizontalAdvance(u"/boot/efi"_s);
    for (const Row &row : m_rows)
        nameWidth = std::max(nameWidth, fm.horizontalAdvance(row.mountPoint));
    nameWidth = std::min(nameWidth + 12, width() / 3);
    const int detailWidth =
        fm.horizontalAdvance(tr("%1 of %2").arg(u"999.9 GiB"_s, u"999.9 GiB"_s)) +
        fm.horizontalAdvance(u"  100 %"_s) + 24;
    if (m_rows.isEmpty()) {
        p.setPen(fade(text, 0.6));
        p.drawText(rect(), Qt::AlignCenter, tr("No filesystems"));
        return;
    }
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        const Row &row = m_rows.at(i);
        const QRectF line(0, i * (CellHeight + 8), width(), CellHeight);
        p.setPen(text);
        p.drawText(QRectF(line.left(), line.top(), nameWidth, line.height()),
                   Qt::AlignVCenter | Qt::AlignLeft,
                   fm.elidedText(row.mountPoint, Qt::ElideMiddle, nameWidth - 8));
        const QRectF bar(line.left() + nameWidth, line.top() + 3,
                         std::max(40.0, line.width() - nameWidth - detailWidth), CellHeight - 6);
        const double share = std::clamp(row.percent / 100.0, 0.0, 1.0);
        QColor color = share >= 0.9   ? QColor(0xda, 0x44, 0x53)
                       : share >= 0.8 ? QColor(0xf6, 0x74, 0x00)
                                      : QColor(0x3d, 0xae, 0xe9);
        p.setPen(Qt::NoPen);
        p.setBrush(fade(text, 0.08));
        p.drawRoundedRect(bar, bar.height() / 2, bar.height() / 2);
        if (share > 0.0) {
            p.setBrush(color);
            p.drawRoundedRect(QRectF(bar.left(), bar.top(),
                                     std::max(bar.height(), bar.width() * share), bar.height()),
                              bar.height() / 2, bar.height() / 2);
        }
        p.setPen(text);
        const QRectF detail(bar.right() + 10, line.top(), line.right() - bar.right() - 10,
                            line.height());
        p.drawText(detail, Qt::AlignVCenter | Qt::AlignLeft,
                   tr("%1 of %2")
                       .arg(ValueFormat::bytes(row.usedBytes), ValueFormat::bytes(row.sizeBytes)));
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(detail, Qt::AlignVCenter | Qt::AlignRight,
                   ValueFormat::number(row.percent, 0) + u" %"_s);
        p.setFont(font());
    }
}

} // namespace tidewatch
