// SPDX-License-Identifier: GPL-3.0-or-later
// jwt::verifyHs256 sees every bearer credential before anything else does.

#include "FuzzCheck.h"
#include "Jwt.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

using namespace tidewatch;

namespace {

const QByteArray Secret = QByteArrayLiteral("fuzz-secret");

jwt::VerifyOptions options()
{
    jwt::VerifyOptions o;
    o.nowS = 1800000000;
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView in = fuzz::input(data, size);

    // 1. The input as a token, as it arrives in a header.
    jwt::Claims claims;
    const jwt::Verdict v = jwt::verifyHs256(in, Secret, options(), &claims);
    TIDEWATCH_FUZZ_CHECK(v != jwt::Verdict::Ok || claims.exp >= 0);

    // 2. The input as "header.payload", given a valid signature: a fuzzer
    // cannot forge the MAC, so this is how it reaches the header and claim
    // checks behind it.
    if (in.size() < jwt::MaxTokenBytes - 44) {
        QByteArray token = in.toByteArray();
        const QByteArray mac =
            QMessageAuthenticationCode::hash(token, Secret, QCryptographicHash::Sha256);
        token += '.' + jwt::base64UrlEncode(mac);
        jwt::Claims c;
        if (jwt::verifyHs256(token, Secret, options(), &c) == jwt::Verdict::Ok) {
            TIDEWATCH_FUZZ_CHECK(c.exp >= 0);
            TIDEWATCH_FUZZ_CHECK(jwt::verifyHs256(token, "other-secret", options()) ==
                                 jwt::Verdict::BadSignature);
            // What was accepted, signed again, is accepted again with the same claims.
            const QByteArray again = jwt::signHs256(c, Secret);
            jwt::Claims c2;
            if (again.size() <= jwt::MaxTokenBytes) {
                TIDEWATCH_FUZZ_CHECK(jwt::verifyHs256(again, Secret, options(), &c2) ==
                                     jwt::Verdict::Ok);
                TIDEWATCH_FUZZ_CHECK(c2.subject == c.subject && c2.issuer == c.issuer &&
                                     c2.audience == c.audience && c2.exp == c.exp &&
                                     c2.nbf == c.nbf && c2.iat == c.iat);
            }
        }
    }

    // 3. base64url: strict decoding means one spelling per byte string.
    QByteArray decoded;
    if (jwt::base64UrlDecode(in, &decoded))
        TIDEWATCH_FUZZ_CHECK(jwt::base64UrlEncode(decoded) == in);
    QByteArray back;
    TIDEWATCH_FUZZ_CHECK(jwt::base64UrlDecode(jwt::base64UrlEncode(in), &back) && back == in);
    TIDEWATCH_FUZZ_CHECK(jwt::constantTimeEquals(in, in));
    return 0;
}
