// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace tidewatch {

struct Config;

/// A self-signed certificate and key that Tidewatch made for itself
/// (`--tls-self-signed`), for https on a LAN with no certificate authority.
/// Browsers warn about it once; the SHA-256 fingerprint printed at start is
/// what the user compares with the browser's certificate viewer.
struct SelfSignedPair
{
    QString certFile;
    QString keyFile;
    QString fingerprint;  ///< SHA-256 of the DER certificate, "AB:CD:…" (32 bytes)
    bool created = false; ///< made by this call (first use, unreadable, or near expiry)
};

namespace tls {

/// Keeps a pair in `dir` (`cert.pem`, `key.pem` 0600, the directory 0700):
/// reuses one that loads and is valid for more than `renewDays`, else
/// makes a new one: an EC P-256 key, valid `validDays`, with the names
/// (DNS names or IP addresses) as subjectAltName and the first as CN.
/// On failure returns nothing and sets `error` to one line.
std::optional<SelfSignedPair> ensureSelfSignedPair(const QString &dir, const QStringList &names,
                                                   QString *error, int validDays = 397,
                                                   int renewDays = 30);

/// The names a self-signed certificate of this machine carries: localhost,
/// the host name (and NAME.local), 127.0.0.1, ::1, and `bind` when it is a
/// specific address.
QStringList selfSignedNames(const QString &bind);

/// Where `--tls-self-signed` keeps its pair: AppDataLocation/tls.
QString selfSignedDirectory();

/// When `config->tlsSelfSigned`, makes or reuses the pair for a server on
/// `bind` and points tlsCert/tlsKey at it; `notice` gets the line to log
/// (with the fingerprint). Does nothing (and returns true) otherwise.
bool applySelfSignedTls(Config *config, const QString &bind, QString *notice, QString *error);

} // namespace tls

} // namespace tidewatch
