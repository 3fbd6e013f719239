// SPDX-License-Identifier: GPL-3.0-or-later
#include "SelfSignedTls.h"

#include "Config.h"
#include "TlsCredentials.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QSaveFile>
#include <QStandardPaths>
#include <QSysInfo>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include <fcntl.h>
#include <unistd.h>

namespace tidewatch::tls {

namespace {

template<auto Free> struct Deleter
{
    template<typename T> void operator()(T *p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BigNum = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

/// OpenSSL's last error as text, for the one-line message.
QString opensslError(const char *what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    char text[256] = {};
    if (code != 0)
        ERR_error_string_n(code, text, sizeof text);
    return code ? QStringLiteral("%1: %2").arg(QLatin1StringView(what), QLatin1StringView(text))
                : QLatin1StringView(what).toString();
}

bool addExtension(X509 *cert, int nid, const QByteArray &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    Extension ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData()));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

QByteArray pem(int (*write)(BIO *, void *), void *object)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get(), object) != 1)
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

/// A new certificate and key as PEM, or empty with `error` set.
bool makePair(const QStringList &names, int validDays, QByteArray *certPem, QByteArray *keyPem,
              QString *error)
{
    Key key(EVP_EC_gen("P-256"));
    Cert cert(X509_new());
    BigNum serial(BN_new());
    if (!key || !cert || !serial) {
        *error = opensslError("cannot make a key");
        return false;
    }
    X509_set_version(cert.get(), 2); // v3
    // 127 random bits: positive, and unique enough that a browser never
    // sees two certificates with one issuer and serial.
    if (BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()))) {
        *error = opensslError("cannot make a serial number");
        return false;
    }
    // An hour back, for clients whose clocks run a little behind.
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(validDays) * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());

    X509_NAME *subject = X509_get_subject_name(cert.get());
    const QByteArray cn = names.value(0, QStringLiteral("localhost")).toUtf8();
    X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>("Tidewatch (self-signed)"),
                               -1, -1, 0);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(cn.constData()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), subject);

    // No keyUsage: one without keyCertSign would make the certificate
    // fail OpenSSL's own "issued by itself" check (QSslCertificate::
    // isSelfSigned()); CA:FALSE and serverAuth say what it is for.
    QStringList alt;
    for (const QString &name : names)
        alt +=
            (QHostAddress(name).isNull() ? QStringLiteral("DNS:") : QStringLiteral("IP:")) + name;
    if (!addExtension(cert.get(), NID_subject_alt_name, alt.join(u',').toUtf8()) ||
        !addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !addExtension(cert.get(), NID_ext_key_usage, "serverAuth") ||
        !addExtension(cert.get(), NID_subject_key_identifier, "hash")) {
        *error = opensslError("cannot add the certificate's extensions");
        return false;
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
        *error = opensslError("cannot sign the certificate");
        return false;
    }
    *certPem = pem([](BIO *b, void *x) { return PEM_write_bio_X509(b, static_cast<X509 *>(x)); },
                   cert.get());
    *keyPem = pem(
        [](BIO *b, void *k) {
            return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY *>(k), nullptr, nullptr, 0,
                                            nullptr, nullptr);
        },
        key.get());
    if (certPem->isEmpty() || keyPem->isEmpty()) {
        *error = opensslError("cannot write the pair as PEM");
        return false;
    }
    return true;
}

/// Writes `data` to `path` through a temporary file that is 0600 from its
/// creation, then renames it into place: no moment where the key is
/// readable by others or half written.
bool writePrivate(const QString &path, const QByteArray &data, QString *error)
{
    const QByteArray tmp = QFile::encodeName(path + QStringLiteral(".tmp"));
    const int fd =
        ::open(tmp.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    bool ok = fd >= 0;
    for (qsizetype done = 0; ok && done < data.size();) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        ok = n > 0;
        done += n > 0 ? n : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    if (fd >= 0)
        ok = ::close(fd) == 0 && ok;
    ok = ok && ::rename(tmp.constData(), QFile::encodeName(path).constData()) == 0;
    if (!ok) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, qt_error_string(errno));
        ::unlink(tmp.constData());
    }
    return ok;
}

} // namespace

std::optional<SelfSignedPair> ensureSelfSignedPair(const QString &dir, const QStringList &names,
                                                   QString *error, int validDays, int renewDays)
{
    SelfSignedPair pair;
    pair.certFile = QDir(dir).filePath(QStringLiteral("cert.pem"));
    pair.keyFile = QDir(dir).filePath(QStringLiteral("key.pem"));

    QString why;
    if (QFile::exists(pair.certFile) && QFile::exists(pair.keyFile)) {
        if (const auto kept = TlsCredentials::load(pair.certFile, pair.keyFile, &why)) {
            const QDateTime renewAt = QDateTime::currentDateTimeUtc().addDays(renewDays);
            if (kept->chain.first().expiryDate() > renewAt) {
                pair.fingerprint = TlsCredentials::fingerprint(kept->chain.first());
                return pair;
            }
        }
    }

    if (!QDir().mkpath(dir) ||
        !QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
        *error = QStringLiteral("cannot create the directory %1 for the self-signed certificate")
                     .arg(dir);
        return std::nullopt;
    }
    QByteArray certPem;
    QByteArray keyPem;
    if (!makePair(names, validDays, &certPem, &keyPem, &why)) {
        *error = QStringLiteral("cannot make a self-signed certificate: %1").arg(why);
        return std::nullopt;
    }
    // The key first: a certificate next to an old key would not load.
    if (!writePrivate(pair.keyFile, keyPem, error))
        return std::nullopt;
    QSaveFile cert(pair.certFile);
    if (!cert.open(QIODevice::WriteOnly) || cert.write(certPem) != certPem.size() ||
        !cert.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(pair.certFile, cert.errorString());
        return std::nullopt;
    }
    const auto made = TlsCredentials::load(pair.certFile, pair.keyFile, &why);
    if (!made) {
        *error = QStringLiteral("the self-signed certificate just made does not load: %1").arg(why);
        return std::nullopt;
    }
    pair.fingerprint = TlsCredentials::fingerprint(made->chain.first());
    pair.created = true;
    return pair;
}

QStringList selfSignedNames(const QString &bind)
{
    QStringList names{QStringLiteral("localhost")};
    // A host name goes into a DNS subjectAltName only when it is one.
    QString host = QSysInfo::machineHostName().toLower();
    host.removeIf([](QChar c) {
        return !(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'.';
    });
    if (!host.isEmpty() && host != u"localhost") {
        names += host;
        if (!host.contains(u'.'))
            names += host + QStringLiteral(".local");
    }
    names += {QStringLiteral("127.0.0.1"), QStringLiteral("::1")};
    const QHostAddress address(bind);
    if (!address.isNull() && address != QHostAddress::AnyIPv4 && address != QHostAddress::AnyIPv6 &&
        !address.isLoopback())
        names += address.toString();
    return names;
}

QString selfSignedDirectory()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("tls"));
}

bool applySelfSignedTls(Config *config, const QString &bind, QString *notice, QString *error)
{
    if (!config->tlsSelfSigned)
        return true;
    const auto pair = ensureSelfSignedPair(selfSignedDirectory(), selfSignedNames(bind), error);
    if (!pair)
        return false;
    config->tlsCert = pair->certFile;
    config->tlsKey = pair->keyFile;
    *notice = QStringLiteral("%1 self-signed certificate %2; browsers warn once: check that "
                             "they show SHA-256 %3")
                  .arg(pair->created ? QStringLiteral("made a") : QStringLiteral("using the"),
                       pair->certFile, pair->fingerprint);
    return true;
}

} // namespace tidewatch::tls
