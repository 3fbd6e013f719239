// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Authenticator.h"

#include <QHostAddress>
#include <QString>

namespace tidewatch {

struct Config;

/// The shortest static token and JWT secret accepted: 128 bits of a
/// random base64 string, so that guessing is no attack.
inline constexpr int MinTokenLength = 16;
inline constexpr int MinJwtSecretLength = 16;

/// Fills `options` with the credentials `config` names: the token file
/// (one token a line; '#' starts a comment), TIDEWATCH_TOKEN, JWT_SECRET
/// or the JWT secret file, audience and issuer. A secret file that group
/// or others may read, a token that is too short, or an unreadable file is
/// one line in `error`, and false.
bool loadAuthOptions(const Config &config, AuthOptions *options, QString *error);

/// Reads a secret file, refusing it when group or others have any access.
/// For the token file, the JWT secret file and the desktop app's use.
bool readSecretFile(const QString &path, const QString &what, QByteArray *contents, QString *error);

/// The policy of DESIGN.md, "Exposure and credentials": a bind that is not
/// loopback needs a credential, or an explicit --insecure-no-auth. Returns
/// false with one line naming the flags to set.
bool exposureAllowed(const QHostAddress &bind, bool hasCredentials, bool insecureNoAuth,
                     QString *error);

/// A new random access token (32 bytes, base64url): the desktop app's.
QByteArray generateAccessToken();

} // namespace tidewatch
