// SPDX-License-Identifier: GPL-3.0-or-later
#include "QrCodeDialog.h"

#include <QDialogButtonBox>
#include <QHostAddress>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
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

QrCodeDialog::QrCodeDialog(const QString &url, bool oneTime, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Feed QR code"));
    auto *layout = new QVBoxLayout(this);

    m_code = new QLabel(this);
    m_code->setObjectName(QStringLiteral("qrCode"));
    m_code->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_code);

    m_link = new QLabel(this);
    m_link->setObjectName(QStringLiteral("qrLink"));
    m_link->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_link->setAlignment(Qt::AlignCenter);
    m_link->setWordWrap(true);
    QFont bold = m_link->font();
    bold.setBold(true);
    m_link->setFont(bold);
    layout->addWidget(m_link);

    const QHostAddress host(QUrl(url).host());
    if (host.isLoopback()) {
        auto *note = new QLabel(tr("This address is only reachable from this computer. To open "
                                   "the dashboard on a phone, set the bind address to this "
                                   "computer's network address in Settings."),
                                this);
        note->setWordWrap(true);
        layout->addWidget(note);
    }
    if (oneTime) {
        auto *note = new QLabel(tr("This link signs one browser in: it works once, within 5 "
                                   "minutes. For another device, make a new link."),
                                this);
        note->setObjectName(QStringLiteral("qrOnceNote"));
        note->setWordWrap(true);
        layout->addWidget(note);
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    if (oneTime) {
        QPushButton *renew = buttons->addButton(tr("New link"), QDialogButtonBox::ActionRole);
        renew->setObjectName(QStringLiteral("newLinkButton"));
        connect(renew, &QPushButton::clicked, this, &QrCodeDialog::newLinkRequested);
    }
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setUrl(url);
}

void QrCodeDialog::setUrl(const QString &url)
{
    m_url = url;
    const QImage image = qrCodeImage(url);
    const int scale = image.isNull() ? 1 : std::max(4, 280 / image.width());
    m_code->setPixmap(QPixmap::fromImage(image.scaled(image.size() * scale)));
    m_link->setText(url);
}

} // namespace tidewatch
