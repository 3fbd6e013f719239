// SPDX-License-Identifier: GPL-3.0-or-later
#include "TlsCredentials.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QSslSocket>

namespace tidewatch {

namespace {

// PEM files are a few kilobytes; a chain with many intermediates is still
// far below this. A larger file is a wrong path, not a certificate.
constexpr qint64 MaxPemBytes = 1024 * 1024;

bool readPem(const QString &what, const QString &file, QByteArray *out, QString *error)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1 %2: %3").arg(what, file, f.errorString());
        return false;
    }
    if (f.size() > MaxPemBytes) {
        *error =
            QStringLiteral("cannot read %1 %2: larger than 1 MiB, not a PEM file").arg(what, file);
        return false;
    }
    *out = f.read(MaxPemBytes + 1);
    return true;
}

// ---------------------------------------------------------------- DER
// Just enough DER to find the public half of a key: Qt has no call that
// gives a private key's public key, and comparing the two is the only way
// to tell a key that belongs to another certificate before a client's
// handshake fails on it.

struct Tlv
{
    quint8 tag = 0;
    QByteArrayView content;
};

constexpr quint8 TagInteger = 0x02;
constexpr quint8 TagBitString = 0x03;
constexpr quint8 TagOctetString = 0x04;
constexpr quint8 TagOid = 0x06;
constexpr quint8 TagSequence = 0x30;
constexpr quint8 TagPublicKeyField = 0xa1; // [1] EXPLICIT in RFC 5915 ECPrivateKey

// OID contents (without tag and length).
const QByteArrayView OidRsaEncryption("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01", 9);
const QByteArrayView OidEcPublicKey("\x2a\x86\x48\xce\x3d\x02\x01", 7);

/// The TLVs directly inside `in`, or empty on any malformed length.
QList<Tlv> children(QByteArrayView in)
{
    QList<Tlv> out;
    qsizetype pos = 0;
    while (pos < in.size()) {
        if (in.size() - pos < 2)
            return {};
        Tlv t;
        t.tag = quint8(in[pos++]);
        qsizetype length = quint8(in[pos++]);
        if (length & 0x80) {
            const int bytes = int(length & 0x7f);
            if (bytes == 0 || bytes > 4 || in.size() - pos < bytes)
                return {};
            length = 0;
            for (int i = 0; i < bytes; ++i)
                length = (length << 8) | quint8(in[pos++]);
        }
        if (length > in.size() - pos)
            return {};
        t.content = in.sliced(pos, length);
        pos += length;
        out.append(t);
    }
    return out;
}

/// The only element of `in`, if it is one TLV of `tag`.
std::optional<Tlv> single(QByteArrayView in, quint8 tag)
{
    const QList<Tlv> all = children(in);
    if (all.size() != 1 || all.first().tag != tag)
        return std::nullopt;
    return all.first();
}

QByteArray stripLeadingZeros(QByteArrayView integer)
{
    while (integer.size() > 1 && integer.front() == '\0')
        integer = integer.sliced(1);
    return integer.toByteArray();
}

QByteArray rsaMaterial(QByteArrayView modulus, QByteArrayView exponent)
{
    return "rsa:" + stripLeadingZeros(modulus).toHex() + ':' + stripLeadingZeros(exponent).toHex();
}

QByteArray ecMaterial(QByteArrayView point)
{
    return "ec:" + point.toByteArray().toHex();
}

/// From a BIT STRING's content: the bits, when they are whole bytes.
std::optional<QByteArrayView> bitStringBytes(QByteArrayView content)
{
    if (content.isEmpty() || content.front() != '\0')
        return std::nullopt;
    return content.sliced(1);
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
QByteArray fromRsaPublicKey(QByteArrayView der)
{
    const auto seq = single(der, TagSequence);
    if (!seq)
        return {};
    const QList<Tlv> f = children(seq->content);
    if (f.size() != 2 || f[0].tag != TagInteger || f[1].tag != TagInteger)
        return {};
    return rsaMaterial(f[0].content, f[1].content);
}

/// SubjectPublicKeyInfo (RFC 5280) or a bare PKCS#1 RSAPublicKey.
QByteArray fromPublicKey(QByteArrayView der)
{
    const auto seq = single(der, TagSequence);
    if (!seq)
        return {};
    const QList<Tlv> f = children(seq->content);
    if (f.size() == 2 && f[0].tag == TagInteger && f[1].tag == TagInteger)
        return rsaMaterial(f[0].content, f[1].content);
    if (f.size() != 2 || f[0].tag != TagSequence || f[1].tag != TagBitString)
        return {};
    const QList<Tlv> algorithm = children(f[0].content);
    const auto bits = bitStringBytes(f[1].content);
    if (algorithm.isEmpty() || algorithm[0].tag != TagOid || !bits)
        return {};
    if (algorithm[0].content == OidRsaEncryption)
        return fromRsaPublicKey(*bits);
    if (algorithm[0].content == OidEcPublicKey)
        return ecMaterial(*bits);
    return {};
}

/// PKCS#1 RSAPrivateKey, RFC 5915 ECPrivateKey, or either inside PKCS#8.
QByteArray fromPrivateKey(QByteArrayView der)
{
    const auto seq = single(der, TagSequence);
    if (!seq)
        return {};
    const QList<Tlv> f = children(seq->content);
    if (f.size() < 3 || f[0].tag != TagInteger)
        return {};
    // RSAPrivateKey: version, modulus, publicExponent, privateExponent, …
    if (f[1].tag == TagInteger && f[2].tag == TagInteger)
        return rsaMaterial(f[1].content, f[2].content);
    // PrivateKeyInfo: version, AlgorithmIdentifier, OCTET STRING { key }
    if (f[1].tag == TagSequence && f[2].tag == TagOctetString)
        return fromPrivateKey(f[2].content);
    // ECPrivateKey: version 1, privateKey OCTET STRING, [0] parameters,
    // [1] publicKey BIT STRING (optional; OpenSSL always writes it).
    if (f[1].tag == TagOctetString) {
        for (qsizetype i = 2; i < f.size(); ++i) {
            if (f[i].tag != TagPublicKeyField)
                continue;
            const auto bitString = single(f[i].content, TagBitString);
            const auto bits = bitString ? bitStringBytes(bitString->content) : std::nullopt;
            return bits ? ecMaterial(*bits) : QByteArray();
        }
    }
    return {};
}

} // namespace

QByteArray tls::publicKeyMaterial(const QSslKey &key)
{
    if (key.isNull())
        return {};
    const QByteArray der = key.toDer();
    return key.type() == QSsl::PublicKey ? fromPublicKey(der) : fromPrivateKey(der);
}

std::optional<TlsCredentials> TlsCredentials::load(const QString &certFile, const QString &keyFile,
                                                   QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    const QString certWhat = QStringLiteral("TLS certificate");
    const QString keyWhat = QStringLiteral("TLS key");

    TlsCredentials c;
    c.certFile = certFile;
    c.keyFile = keyFile;

    QByteArray pem;
    if (!readPem(certWhat, certFile, &pem, error))
        return std::nullopt;
    c.chain = QSslCertificate::fromData(pem, QSsl::Pem);
    if (c.chain.isEmpty() || c.chain.first().isNull()) {
        *error = QStringLiteral("cannot read TLS certificate %1: no PEM certificate in it")
                     .arg(certFile);
        return std::nullopt;
    }

    if (!readPem(keyWhat, keyFile, &pem, error))
        return std::nullopt;
    // No passphrase: a daemon that reloads on SIGHUP has nobody to ask.
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
        c.key = QSslKey(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!c.key.isNull())
            break;
    }
    if (c.key.isNull()) {
        *error = QStringLiteral("cannot read TLS key %1: no unencrypted PEM RSA or EC private "
                                "key in it")
                     .arg(keyFile);
        return std::nullopt;
    }

    const QSslKey certKey = c.chain.first().publicKey();
    const QByteArray certMaterial = tls::publicKeyMaterial(certKey);
    const QByteArray keyMaterial = tls::publicKeyMaterial(c.key);
    // Either side in a form we cannot read (an EC key saved without its
    // public point): the handshake is the judge then, as without this check.
    const bool comparable = !certMaterial.isEmpty() && !keyMaterial.isEmpty();
    if (certKey.algorithm() != c.key.algorithm() || (comparable && certMaterial != keyMaterial)) {
        *error =
            QStringLiteral("TLS key %1 does not match the certificate %2").arg(keyFile, certFile);
        return std::nullopt;
    }
    return c;
}

QSslConfiguration TlsCredentials::serverConfiguration() const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    // Browsers and scripts are not asked for certificates; credentials,
    // where needed, are HTTP's business.
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    // HTTP/1.1 only: a client offering h2 must not think it was chosen.
    config.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
    return config;
}

QString TlsCredentials::describe() const
{
    if (chain.isEmpty())
        return {};
    const QSslCertificate &leaf = chain.first();
    const QStringList cn = leaf.subjectInfo(QSslCertificate::CommonName);
    return QStringLiteral("CN=%1, sha256 %2…, expires %3")
        .arg(cn.isEmpty() ? QStringLiteral("(none)") : cn.first(), fingerprint(leaf).left(23),
             leaf.expiryDate().toUTC().toString(Qt::ISODate));
}

QString TlsCredentials::fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

} // namespace tidewatch
