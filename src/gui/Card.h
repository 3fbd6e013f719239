// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QHBoxLayout;
class QLabel;
class QVBoxLayout;

namespace tidewatch {

class RichTextLabel;

/// A rounded panel on the window background with a title on the left and a
/// live summary on the right, the building block of the overview page.
class Card : public QFrame
{
    Q_OBJECT
public:
    explicit Card(const QString &title, QWidget *parent = nullptr);

    void setTitle(const QString &title);
    QString title() const;
    /// Rich text shown at the right of the header (current values).
    void setSummary(const QString &richText);
    QString summary() const;
    QVBoxLayout *bodyLayout() const { return m_body; }
    /// Adds a small control (a selector) to the header, left of the summary.
    void addHeaderWidget(QWidget *widget);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QLabel *m_title = nullptr;
    RichTextLabel *m_summary = nullptr;
    QVBoxLayout *m_body = nullptr;
    QHBoxLayout *m_header = nullptr;
};

} // namespace tidewatch
