// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

namespace tidewatch::jwt {

/// The claims Tidewatch reads from a JWT. Absent numeric claims are -1.
struct Claims
{
    QString subject;      ///< "sub"
    QString issuer;       ///< "iss"
    QStringList audience; ///< "aud": a string or an array of strings
    qint64 exp = -1;      ///< seconds since the epoch
    qint64 nbf = -1;
    qint64 iat = -1;
    QStringList scopes; ///< "scope" (space-separated string) or "scp" (array)
};

enum class Verdict : quint8 {
    Ok,
    /// Not three base64url parts of JSON objects, over MaxTokenBytes, a
    /// header Tidewatch cannot honour ("typ" not JWT, any "crit"), or a
    /// claim of the wrong type (a non-numeric "exp", a numeric "sub" …).
    Malformed,
    BadAlgorithm, ///< header "alg" is not exactly "HS256" (none, RS*, ES*, hs256 …)
    BadSignature,
    Expired,        ///< now > exp + leeway
    NotYetValid,    ///< now < nbf - leeway
    IssuedInFuture, ///< now < iat - leeway
    WrongAudience,
    WrongIssuer,
    MissingExpiry, ///< no "exp": Tidewatch accepts no token that lives forever
};

struct VerifyOptions
{
    qint64 nowS = 0;
    int leewayS = 60;
    QString audience; ///< when not empty, "aud" must contain it
    QString issuer;   ///< when not empty, "iss" must equal it
};

/// Longest token accepted; a request head is at most 16 KiB anyway.
inline constexpr qsizetype MaxTokenBytes = 8192;

/// Verifies an HS256 JWT (RFC 7519, compact form) with `secret`. The
/// signature is checked, in constant time, before any claim is trusted;
/// the header's "alg" must be exactly "HS256". `claims` is filled on Ok.
Verdict verifyHs256(QByteArrayView token, QByteArrayView secret, const VerifyOptions &options,
                    Claims *claims = nullptr);

/// Signs `claims` (exp, iat and sub at least) as an HS256 JWT.
QByteArray signHs256(const Claims &claims, QByteArrayView secret);

/// Unpadded base64url, as JWTs use it.
QByteArray base64UrlEncode(QByteArrayView data);
/// false on any character outside the base64url alphabet or on padding.
bool base64UrlDecode(QByteArrayView text, QByteArray *out);

/// Equal length and equal bytes, in time that depends only on the lengths.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

} // namespace tidewatch::jwt
