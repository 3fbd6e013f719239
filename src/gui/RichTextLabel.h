// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTextDocument>
#include <QWidget>

namespace tidewatch {

/// A read-only rich-text label for values that change every tick (chart
/// legends, card summaries). Unlike QLabel, whose setText() always asks the
/// layout to run again, it only does so when the text's size changed; a
/// new value of the same size just repaints the label.
class RichTextLabel final : public QWidget
{
    Q_OBJECT
public:
    explicit RichTextLabel(QWidget *parent = nullptr);

    void setText(const QString &html);
    QString text() const { return m_text; }
    /// Wrap at the label's width (the height then follows the width).
    void setWordWrap(bool wrap);
    void setAlignment(Qt::Alignment alignment);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return m_wrap; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void relayout(); // lays m_doc out again; updateGeometry() only if its size changed

    QString m_text;
    QTextDocument m_doc;
    QSize m_docSize;
    bool m_wrap = false;
    Qt::Alignment m_alignment = Qt::AlignLeft | Qt::AlignVCenter;
};

} // namespace tidewatch
