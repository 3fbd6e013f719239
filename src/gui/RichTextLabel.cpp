// SPDX-License-Identifier: GPL-3.0-or-later
#include "RichTextLabel.h"

#include <QAbstractTextDocumentLayout>
#include <QEvent>
#include <QPainter>

#include <cmath>
#include <memory>

namespace tidewatch {

RichTextLabel::RichTextLabel(QWidget *parent)
    : QWidget(parent)
{
    m_doc.setDocumentMargin(0);
    m_doc.setUndoRedoEnabled(false);
    m_doc.setDefaultFont(font());
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void RichTextLabel::setText(const QString &html)
{
    if (html == m_text)
        return;
    m_text = html;
    m_doc.setHtml(html);
    relayout();
    update();
}

void RichTextLabel::setWordWrap(bool wrap)
{
    m_wrap = wrap;
    QSizePolicy policy = sizePolicy();
    policy.setHeightForWidth(wrap);
    setSizePolicy(policy);
    relayout();
}

void RichTextLabel::setAlignment(Qt::Alignment alignment)
{
    m_alignment = alignment;
    update();
}

void RichTextLabel::relayout()
{
    m_doc.setTextWidth(m_wrap ? std::max(1, width()) : -1);
    const QSizeF size = m_doc.size();
    const QSize docSize(int(std::ceil(m_wrap ? m_doc.idealWidth() : size.width())),
                        int(std::ceil(size.height())));
    if (docSize != m_docSize) {
        m_docSize = docSize;
        updateGeometry();
    }
}

QSize RichTextLabel::sizeHint() const
{
    return m_docSize;
}

QSize RichTextLabel::minimumSizeHint() const
{
    if (!m_wrap)
        return m_docSize;
    return {0, m_docSize.height()};
}

int RichTextLabel::heightForWidth(int width) const
{
    if (!m_wrap)
        return m_docSize.height();
    if (width == this->width())
        return m_docSize.height();
    // Only asked while the layout runs, which this label no longer triggers per tick.
    const std::unique_ptr<QTextDocument> probe(m_doc.clone());
    probe->setDocumentMargin(0);
    probe->setDefaultFont(font());
    probe->setTextWidth(std::max(1, width));
    return int(std::ceil(probe->size().height()));
}

void RichTextLabel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (m_wrap)
        relayout();
}

void RichTextLabel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        m_doc.setDefaultFont(font());
        relayout();
        update();
    } else if (event->type() == QEvent::PaletteChange) {
        update();
    }
}

void RichTextLabel::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    qreal x = 0;
    if (!m_wrap) {
        if (m_alignment & Qt::AlignRight)
            x = width() - m_doc.size().width();
        else if (m_alignment & Qt::AlignHCenter)
            x = (width() - m_doc.size().width()) / 2;
    }
    qreal y = 0;
    if (m_alignment & Qt::AlignVCenter)
        y = (height() - m_doc.size().height()) / 2;
    else if (m_alignment & Qt::AlignBottom)
        y = height() - m_doc.size().height();
    p.translate(x, y);
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = palette();
    context.palette.setColor(QPalette::Text, palette().color(QPalette::WindowText));
    m_doc.documentLayout()->draw(&p, context);
}

} // namespace tidewatch
