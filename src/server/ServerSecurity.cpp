// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServerSecurity.h"

#include "Config.h"
#include "Jwt.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

namespace tidewatch {

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 MaxSecretFileBytes = 64 * 1024;

} // namespace

bool readSecretFile(const QString &path, const QString &what, QByteArray *contents, QString *error)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        *error = u"%1 %2 does not exist"_s.arg(what, path);
        return false;
    }
    if (!info.isFile()) {
        *error = u"%1 %2 is not a file"_s.arg(what, path);
        return false;
    }
    constexpr QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                          QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    if (info.permissions() & others) {
        *error = u"%1 %2 may be read by other users: run chmod 600 %2"_s.arg(what, path);
        return false;
    }
    QFile f(path);
    if (info.size() > MaxSecretFileBytes || !f.open(QIODevice::ReadOnly)) {
        *error = info.size() > MaxSecretFileBytes
                     ? u"%1 %2 is larger than 64 KiB"_s.arg(what, path)
                     : u"cannot read %1 %2: %3"_s.arg(what, path, f.errorString());
        return false;
    }
    *contents = f.read(MaxSecretFileBytes);
    return true;
}

bool loadAuthOptions(const Config &config, AuthOptions *options, QString *error)
{
    AuthOptions o = *options;
    o.tokens.clear();
    if (!config.tokenFile.isEmpty()) {
        QByteArray text;
        if (!readSecretFile(config.tokenFile, u"token file"_s, &text, error))
            return false;
        int line = 0;
        for (const QByteArray &raw : text.split('\n')) {
            ++line;
            const QByteArray t = raw.trimmed();
            if (t.isEmpty() || t.startsWith('#'))
                continue;
            if (t.size() < MinTokenLength || t.contains(' ') || t.contains('\t')) {
                *error = u"token on line %1 of %2 %3"_s.arg(
                    QString::number(line), config.tokenFile,
                    t.size() < MinTokenLength
                        ? u"is shorter than %1 characters"_s.arg(MinTokenLength)
                        : u"contains a space"_s);
                return false;
            }
            o.tokens.append(t);
        }
        if (o.tokens.isEmpty()) {
            *error = u"token file %1 holds no token"_s.arg(config.tokenFile);
            return false;
        }
    }
    if (!config.token.isEmpty()) {
        if (config.token.size() < MinTokenLength) {
            *error = u"TIDEWATCH_TOKEN is shorter than %1 characters"_s.arg(MinTokenLength);
            return false;
        }
        o.tokens.append(config.token.toUtf8());
    }
    o.jwtSecret.clear();
    if (!config.jwtSecretFile.isEmpty()) {
        if (!readSecretFile(config.jwtSecretFile, u"JWT secret file"_s, &o.jwtSecret, error))
            return false;
        // A trailing newline from `echo secret > file` is not part of it.
        while (o.jwtSecret.endsWith('\n') || o.jwtSecret.endsWith('\r'))
            o.jwtSecret.chop(1);
    } else {
        o.jwtSecret = config.jwtSecret.toUtf8();
    }
    if (!o.jwtSecret.isEmpty() && o.jwtSecret.size() < MinJwtSecretLength) {
        *error = u"the JWT secret (%1) is shorter than %2 bytes"_s.arg(
            config.jwtSecretFile.isEmpty() ? u"JWT_SECRET"_s : config.jwtSecretFile,
            QString::number(MinJwtSecretLength));
        return false;
    }
    o.jwtAudience = config.jwtAudience;
    o.jwtIssuer = config.jwtIssuer;
    *options = o;
    return true;
}

bool exposureAllowed(const QHostAddress &bind, bool hasCredentials, bool insecureNoAuth,
                     QString *error)
{
    if (bind.isLoopback() || hasCredentials || insecureNoAuth)
        return true;
    *error = u"refusing to listen on %1 without authentication: set --token-file FILE, "
             "TIDEWATCH_TOKEN, JWT_SECRET or --jwt-secret-file FILE (or pass --insecure-no-auth "
             "to serve it to anyone who can reach it)"_s.arg(bind.toString());
    return false;
}

QByteArray generateAccessToken()
{
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    return jwt::base64UrlEncode(
        QByteArrayView(reinterpret_cast<const char *>(words), sizeof(words)));
}

} // namespace tidewatch
