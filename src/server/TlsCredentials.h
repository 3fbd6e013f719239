// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

#include <optional>

namespace tidewatch {

/// A certificate chain and its private key as the feed server presents
/// them in TLS handshakes, read from PEM files. Loading checks what would
/// otherwise only fail in every client's handshake: that both files hold
/// what they should and that the key belongs to the certificate.
struct TlsCredentials
{
    QString certFile;
    QString keyFile;
    QList<QSslCertificate> chain; ///< first: the server's own (leaf) certificate
    QSslKey key;

    /// Reads both files. On failure returns nothing and sets `error` to one
    /// line naming the file, e.g. "cannot read TLS certificate /x.pem: no
    /// PEM certificate in it".
    static std::optional<TlsCredentials> load(const QString &certFile, const QString &keyFile,
                                              QString *error);

    /// A server-side configuration: this chain and key, TLS 1.2 or later,
    /// no client certificates asked for.
    QSslConfiguration serverConfiguration() const;

    /// "CN=localhost, sha256 AB:CD:…, expires 2025-01-31", for log lines.
    QString describe() const;

    /// SHA-256 of a certificate's DER, "AB:CD:…" (32 bytes), as browsers show it.
    static QString fingerprint(const QSslCertificate &certificate);
};

namespace tls {
/// The public half of a key as comparable bytes: RSA modulus and exponent,
/// or the EC point. Empty when the DER is not a form this understands.
/// Exposed for tests.
QByteArray publicKeyMaterial(const QSslKey &key);
} // namespace tls

} // namespace tidewatch
