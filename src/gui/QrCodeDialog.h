// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QImage>

class QLabel;

namespace tidewatch {

/// Encodes text as a QR code image with libqrencode: one pixel per module,
/// black on white, with the quiet zone the standard asks for.
QImage qrCodeImage(const QString &text);

/// Shows the feed URL as a QR code, for a phone on the same network. With
/// `oneTime`, the URL is a login link that works once: the dialog says so
/// and offers a new one.
class QrCodeDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit QrCodeDialog(const QString &url, bool oneTime = false, QWidget *parent = nullptr);

    QString url() const { return m_url; }
    void setUrl(const QString &url);

Q_SIGNALS:
    /// "New link" was pressed; the owner answers with setUrl().
    void newLinkRequested();

private:
    QString m_url;
    QLabel *m_code = nullptr;
    QLabel *m_link = nullptr;
};

} // namespace tidewatch
