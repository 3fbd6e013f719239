// SPDX-License-Identifier: GPL-3.0-or-later
#include "Jwt.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QMessageAuthenticationCode>

#include <cmath>
#include <optional>

namespace tidewatch::jwt {

using namespace Qt::StringLiterals;

namespace {

constexpr char Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The 6-bit value of a base64url character, or -1 (this includes '=', '+'
/// and '/': standard base64 is a different alphabet, not a variant to accept).
int sextet(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

// Year 9999. A NumericDate beyond it is no date a real issuer writes, and
// bounding it keeps exp + leeway and the double-to-integer cast defined.
constexpr double MaxNumericDate = 253402300799.0;

enum class Numeric : quint8 { Absent, Ok, Bad };

/// Reads a NumericDate claim. Fractions are allowed by RFC 7519; `roundUp`
/// picks the direction that never widens the validity window (down for exp,
/// up for nbf and iat).
Numeric numericDate(const QJsonObject &claims, QLatin1StringView key, bool roundUp, qint64 *out)
{
    const QJsonValue v = claims.value(key);
    if (v.isUndefined())
        return Numeric::Absent;
    if (!v.isDouble())
        return Numeric::Bad;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d < 0 || d > MaxNumericDate)
        return Numeric::Bad;
    *out = qint64(roundUp ? std::ceil(d) : std::floor(d));
    return Numeric::Ok;
}

/// An optional string claim; false when present with another type.
bool stringClaim(const QJsonObject &claims, QLatin1StringView key, QString *out)
{
    const QJsonValue v = claims.value(key);
    if (v.isUndefined())
        return true;
    if (!v.isString())
        return false;
    *out = v.toString();
    return true;
}

/// A string or an array of strings ("aud"); false on any other shape.
bool stringOrArray(const QJsonValue &v, QStringList *out)
{
    if (v.isUndefined())
        return true;
    if (v.isString()) {
        *out = QStringList{v.toString()};
        return true;
    }
    if (!v.isArray())
        return false;
    const QJsonArray array = v.toArray();
    QStringList list;
    list.reserve(array.size());
    for (const QJsonValue &item : array) {
        if (!item.isString())
            return false;
        list.append(item.toString());
    }
    *out = std::move(list);
    return true;
}

std::optional<QJsonObject> jsonObject(const QByteArray &utf8)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

/// Checks the header. Anything but a JSON object naming exactly HS256 is
/// refused, so "none", "hs256" and public-key algorithms (whose "key" an
/// attacker could pass off as the HMAC secret) can never be verified.
Verdict checkHeader(const QByteArray &json)
{
    const std::optional<QJsonObject> header = jsonObject(json);
    if (!header)
        return Verdict::Malformed;
    const QJsonValue alg = header->value("alg"_L1);
    if (!alg.isString() || alg.toString() != "HS256"_L1)
        return Verdict::BadAlgorithm;
    const QJsonValue typ = header->value("typ"_L1);
    if (!typ.isUndefined() &&
        (!typ.isString() || typ.toString().compare("JWT"_L1, Qt::CaseInsensitive) != 0))
        return Verdict::Malformed;
    // "crit" names extensions the verifier must understand; Tidewatch
    // understands none, so RFC 7515 §4.1.11 says refuse.
    if (header->contains("crit"_L1))
        return Verdict::Malformed;
    return Verdict::Ok;
}

/// Reads and checks the claims of a token whose signature is already good.
Verdict checkClaims(const QByteArray &json, const VerifyOptions &options, Claims *out)
{
    const std::optional<QJsonObject> object = jsonObject(json);
    if (!object)
        return Verdict::Malformed;
    Claims c;
    if (!stringClaim(*object, "sub"_L1, &c.subject) || !stringClaim(*object, "iss"_L1, &c.issuer) ||
        !stringOrArray(object->value("aud"_L1), &c.audience))
        return Verdict::Malformed;

    const Numeric exp = numericDate(*object, "exp"_L1, false, &c.exp);
    const Numeric nbf = numericDate(*object, "nbf"_L1, true, &c.nbf);
    const Numeric iat = numericDate(*object, "iat"_L1, true, &c.iat);
    if (exp == Numeric::Bad || nbf == Numeric::Bad || iat == Numeric::Bad)
        return Verdict::Malformed;

    const QJsonValue scope = object->value("scope"_L1);
    if (!scope.isUndefined()) {
        if (!scope.isString())
            return Verdict::Malformed;
        c.scopes = scope.toString().split(u' ', Qt::SkipEmptyParts);
    } else {
        const QJsonValue scp = object->value("scp"_L1);
        if (!scp.isUndefined() && (!scp.isArray() || !stringOrArray(scp, &c.scopes)))
            return Verdict::Malformed;
    }

    if (exp == Numeric::Absent)
        return Verdict::MissingExpiry;
    // A negative leeway would make valid tokens fail in confusing ways;
    // the bound keeps the sums below far from overflow.
    const qint64 leeway = qBound(0, options.leewayS, 24 * 3600);
    if (options.nowS > c.exp + leeway)
        return Verdict::Expired;
    if (nbf == Numeric::Ok && options.nowS < c.nbf - leeway)
        return Verdict::NotYetValid;
    if (iat == Numeric::Ok && options.nowS < c.iat - leeway)
        return Verdict::IssuedInFuture;
    if (!options.issuer.isEmpty() && c.issuer != options.issuer)
        return Verdict::WrongIssuer;
    if (!options.audience.isEmpty() && !c.audience.contains(options.audience))
        return Verdict::WrongAudience;
    if (out)
        *out = std::move(c);
    return Verdict::Ok;
}

QByteArray hmacSha256(QByteArrayView message, QByteArrayView secret)
{
    // QMessageAuthenticationCode takes QByteArray in Qt 6.4; the copies are
    // bounded by MaxTokenBytes and the secret's size.
    return QMessageAuthenticationCode::hash(message.toByteArray(), secret.toByteArray(),
                                            QCryptographicHash::Sha256);
}

} // namespace

QByteArray base64UrlEncode(QByteArrayView data)
{
    QByteArray out;
    out.reserve((data.size() * 4 + 2) / 3);
    qsizetype i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const quint32 v = quint32(quint8(data[i])) << 16 | quint32(quint8(data[i + 1])) << 8 |
                          quint32(quint8(data[i + 2]));
        out.append(Alphabet[v >> 18 & 63]);
        out.append(Alphabet[v >> 12 & 63]);
        out.append(Alphabet[v >> 6 & 63]);
        out.append(Alphabet[v & 63]);
    }
    const qsizetype rest = data.size() - i;
    if (rest == 1) {
        const quint32 v = quint32(quint8(data[i])) << 16;
        out.append(Alphabet[v >> 18 & 63]);
        out.append(Alphabet[v >> 12 & 63]);
    } else if (rest == 2) {
        const quint32 v = quint32(quint8(data[i])) << 16 | quint32(quint8(data[i + 1])) << 8;
        out.append(Alphabet[v >> 18 & 63]);
        out.append(Alphabet[v >> 12 & 63]);
        out.append(Alphabet[v >> 6 & 63]);
    }
    return out;
}

bool base64UrlDecode(QByteArrayView text, QByteArray *out)
{
    // One leftover character carries only 6 bits: no byte can end there.
    if (text.size() % 4 == 1)
        return false;
    QByteArray bytes;
    bytes.reserve(text.size() / 4 * 3 + 2);
    quint32 accumulator = 0;
    int bits = 0;
    for (char c : text) {
        const int v = sextet(c);
        if (v < 0)
            return false;
        accumulator = (accumulator << 6 | quint32(v)) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes.append(char(accumulator >> bits & 0xff));
        }
    }
    // The unused low bits of the last character must be zero, or several
    // spellings would decode to the same signature (RFC 4648 §3.5).
    if (bits > 0 && (accumulator & ((1u << bits) - 1)) != 0)
        return false;
    if (out)
        *out = std::move(bytes);
    return true;
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    // No early exit: the loop always visits every byte, so the time taken
    // does not tell an attacker how many leading bytes of a guess were right.
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

Verdict verifyHs256(QByteArrayView token, QByteArrayView secret, const VerifyOptions &options,
                    Claims *claims)
{
    if (token.size() > MaxTokenBytes)
        return Verdict::Malformed;

    // The MAC is computed first, over whatever precedes the last dot, so a
    // garbled token costs about what a forged or expired one does: the time
    // to a 401 tells nothing about how close a guess came.
    const qsizetype lastDot = token.lastIndexOf('.');
    const QByteArrayView signingInput = lastDot < 0 ? token : token.first(lastDot);
    const QByteArray expected = hmacSha256(signingInput, secret);

    if (token.count('.') != 2)
        return Verdict::Malformed;
    const qsizetype firstDot = token.indexOf('.');
    QByteArray header;
    QByteArray payload;
    QByteArray signature;
    if (!base64UrlDecode(token.first(firstDot), &header) ||
        !base64UrlDecode(token.sliced(firstDot + 1, lastDot - firstDot - 1), &payload) ||
        !base64UrlDecode(token.sliced(lastDot + 1), &signature) || header.isEmpty() ||
        payload.isEmpty())
        return Verdict::Malformed;

    if (const Verdict v = checkHeader(header); v != Verdict::Ok)
        return v;
    if (!constantTimeEquals(expected, signature))
        return Verdict::BadSignature;
    return checkClaims(payload, options, claims);
}

QByteArray signHs256(const Claims &claims, QByteArrayView secret)
{
    QJsonObject object;
    if (!claims.subject.isEmpty())
        object.insert("sub"_L1, claims.subject);
    if (!claims.issuer.isEmpty())
        object.insert("iss"_L1, claims.issuer);
    if (claims.audience.size() == 1)
        object.insert("aud"_L1, claims.audience.front());
    else if (!claims.audience.isEmpty())
        object.insert("aud"_L1, QJsonArray::fromStringList(claims.audience));
    if (claims.exp >= 0)
        object.insert("exp"_L1, claims.exp);
    if (claims.nbf >= 0)
        object.insert("nbf"_L1, claims.nbf);
    if (claims.iat >= 0)
        object.insert("iat"_L1, claims.iat);
    if (!claims.scopes.isEmpty())
        object.insert("scope"_L1, claims.scopes.join(u' '));

    // Written as bytes rather than through QJsonObject so the header is
    // always spelled the same, whatever order a Qt version keeps keys in.
    QByteArray token = base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + '.' +
                       base64UrlEncode(QJsonDocument(object).toJson(QJsonDocument::Compact));
    const QByteArray mac = hmacSha256(token, secret);
    token += '.' + base64UrlEncode(mac);
    return token;
}

} // namespace tidewatch::jwt
