// SPDX-License-Identifier: GPL-3.0-or-later
#include "Card.h"

#include "RichTextLabel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

namespace tidewatch {

Card::Card(const QString &title, QWidget *parent)
    : QFrame(parent)
    , m_title(new QLabel(title, this))
    , m_summary(new RichTextLabel(this))
    , m_body(new QVBoxLayout)
{
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    m_title->setFont(titleFont);
    // The summary changes every tick; RichTextLabel spares the layout pass.
    m_summary->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    m_header = new QHBoxLayout;
    m_header->setContentsMargins(0, 0, 0, 0);
    m_header->addWidget(m_title);
    m_header->addStretch(1);
    m_header->addWidget(m_summary);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(12, 10, 12, 10);
    outer->setSpacing(6);
    outer->addLayout(m_header);
    m_body->setContentsMargins(0, 0, 0, 0);
    m_body->setSpacing(6);
    outer->addLayout(m_body, 1);
}

void Card::addHeaderWidget(QWidget *widget)
{
    widget->setParent(this);
    m_header->insertWidget(1, widget);
}

void Card::setTitle(const QString &title)
{
    m_title->setText(title);
}

QString Card::title() const
{
    return m_title->text();
}

void Card::setSummary(const QString &richText)
{
    m_summary->setText(richText);
}

QString Card::summary() const
{
    return m_summary->text();
}

void Card::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QColor border = palette().color(QPalette::WindowText);
    border.setAlphaF(0.12);
    p.setPen(QPen(border, 1.0));
    p.setBrush(palette().color(QPalette::Base));
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6.0, 6.0);
}

} // namespace tidewatch
