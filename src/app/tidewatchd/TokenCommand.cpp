// SPDX-License-Identifier: GPL-3.0-or-later
#include "TokenCommand.h"

#include "Config.h"
#include "Jwt.h"
#include "ServerSecurity.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QProcessEnvironment>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

int fail(const QString &line)
{
    std::fputs(qPrintable(u"tidewatchd token: "_s + line + u'\n'), stderr);
    return 2;
}

} // namespace

int runTokenCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Prints a JWT (HS256) that tidewatchd accepts, signed with the secret in JWT_SECRET "
        "or --jwt-secret-file."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"issue"_s, u"Issue a token."_s);
    parser.addOptions({
        {u"ttl"_s, u"The token is valid for <duration> (default 1h; e.g. 15m, 12h, 30d)."_s,
         u"duration"_s, u"1h"_s},
        {u"sub"_s, u"The subject: who the token is for (default tidewatch)."_s, u"name"_s,
         u"tidewatch"_s},
        {u"aud"_s, u"The audience claim (see --jwt-audience)."_s, u"aud"_s},
        {u"iss"_s, u"The issuer claim (see --jwt-issuer)."_s, u"iss"_s},
        {u"scope"_s, u"Space-separated scopes to put in the token."_s, u"scope"_s},
        {u"jwt-secret-file"_s, u"Read the secret from <file> (mode 0600)."_s, u"file"_s},
    });
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (parser.positionalArguments() != QStringList{u"token"_s, u"issue"_s})
        return fail(u"usage: tidewatchd token issue [--ttl 1h] [--sub NAME]"_s);

    tidewatch::Config config;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    config.jwtSecret = env.value(u"JWT_SECRET"_s, env.value(u"TIDEWATCH_JWT_SECRET"_s));
    config.jwtSecretFile = parser.value(u"jwt-secret-file"_s).isEmpty()
                               ? env.value(u"TIDEWATCH_JWT_SECRET_FILE"_s)
                               : parser.value(u"jwt-secret-file"_s);
    if (!config.jwtSecretFile.isEmpty())
        config.jwtSecret.clear();
    tidewatch::AuthOptions options;
    QString error;
    if (!tidewatch::loadAuthOptions(config, &options, &error))
        return fail(error);
    if (options.jwtSecret.isEmpty())
        return fail(u"no secret: set JWT_SECRET or --jwt-secret-file FILE"_s);

    qint64 ttlMs = 0;
    if (!tidewatch::Config::parseDuration(parser.value(u"ttl"_s), &ttlMs))
        return fail(u"invalid --ttl \"%1\": expected a duration like 15m, 1h or 30d"_s.arg(
            parser.value(u"ttl"_s)));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    tidewatch::jwt::Claims claims;
    claims.subject = parser.value(u"sub"_s);
    claims.iat = now;
    claims.exp = now + ttlMs / 1000;
    if (parser.isSet(u"aud"_s))
        claims.audience = QStringList{parser.value(u"aud"_s)};
    claims.issuer = parser.value(u"iss"_s);
    if (parser.isSet(u"scope"_s))
        claims.scopes = parser.value(u"scope"_s).split(u' ', Qt::SkipEmptyParts);
    std::fputs(tidewatch::jwt::signHs256(claims, options.jwtSecret).constData(), stdout);
    std::fputc('\n', stdout);
    return 0;
}
