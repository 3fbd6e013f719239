// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QImage>

namespace tidewatch {

/// Encodes text as a QR code image with libqrencode: one pixel per module,
/// black on white, with the quiet zone the standard asks for.
QImage qrCodeImage(const QString &text);

/// Shows the feed URL as a QR code, for a phone on the same network.
class QrCodeDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit QrCodeDialog(const QString &url, QWidget *parent = nullptr);
};

} // namespace tidewatch
