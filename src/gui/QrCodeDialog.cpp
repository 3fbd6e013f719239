// SPDX-License-Identifier: GPL-3.0-or-later
#include "QrCodeDialog.h"

#include <QDialogButtonBox>
#include <QHostAddress>
#include <QLabel>
#include <QPixmap>
#include <QUrl>
#include <QVBoxLayout>

#include <qrencode.h>

#include <memory>

namespace tidewatch {

QImage qrCodeImage(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code)
        return {};
    constexpr int Quiet = 4;
    const int size = code->width + 2 * Quiet;
    QImage image(size, size, QImage::Format_Mono);
    image.fill(0); // index 0 = white below
    image.setColor(0, qRgb(255, 255, 255));
    image.setColor(1, qRgb(0, 0, 0));
    for (int y = 0; y < code->width; ++y) {
        for (int x = 0; x < code->width; ++x) {
            if (code->data[y * code->width + x] & 1)
                image.setPixel(x + Quiet, y + Quiet, 1);
        }
    }
    return image;
}

QrCodeDialog::QrCodeDialog(const QString &url, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Feed QR code"));
    auto *layout = new QVBoxLayout(this);

    auto *code = new QLabel(this);
    code->setObjectName(QStringLiteral("qrCode"));
    const QImage image = qrCodeImage(url);
    const int scale = image.isNull() ? 1 : std::max(4, 280 / image.width());
    code->setPixmap(QPixmap::fromImage(image.scaled(image.size() * scale)));
    code->setAlignment(Qt::AlignCenter);
    layout->addWidget(code);

    auto *link = new QLabel(url, this);
    link->setTextInteractionFlags(Qt::TextSelectableByMouse);
    link->setAlignment(Qt::AlignCenter);
    QFont bold = link->font();
    bold.setBold(true);
    link->setFont(bold);
    layout->addWidget(link);

    const QHostAddress host(QUrl(url).host());
    if (host.isLoopback()) {
        auto *note = new QLabel(tr("This address is only reachable from this computer. To open "
                                   "the dashboard on a phone, set the bind address to this "
                                   "computer's network address in Settings."),
                                this);
        note->setWordWrap(true);
        layout->addWidget(note);
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace tidewatch
