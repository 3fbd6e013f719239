// SPDX-License-Identifier: GPL-3.0-or-later
#include "Config.h"

#include "Sampler.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include <arpa/inet.h>

#include <memory>
#include <optional>

namespace tidewatch {

using namespace Qt::StringLiterals;

QString Config::defaultConfigFile()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    return dir.isEmpty() ? QString() : dir + "/tidewatch/tidewatch.conf"_L1;
}

void ConfigLoader::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"config"_s, u"Read settings from the INI file <file>."_s, u"file"_s},
        {u"bind"_s, u"Listen on <address> (default 127.0.0.1; env WS_HOST)."_s, u"address"_s},
        {u"port"_s, u"Listen on <port> (default 8765, 0 = any free port; env WS_PORT)."_s,
         u"port"_s},
        {u"interval"_s, u"Sample every <ms> milliseconds (100 to 3600000, default 1000)."_s,
         u"ms"_s},
        {u"max-clients"_s, u"Accept at most <n> feed clients (default 500)."_s, u"n"_s},
        {u"history"_s, u"Keep <minutes> of history in memory (default 10)."_s, u"minutes"_s},
        {u"root"_s, u"Read /proc and /sys below <path> instead of / (for tests)."_s, u"path"_s},
        {u"all-filesystems"_s, u"Also report tmpfs, overlay and other virtual filesystems."_s},
        {u"all-disks"_s, u"Also report partitions and loop devices."_s},
        {u"database"_s,
         u"Keep persistent history in <url>: a file path, sqlite:<path> or "
         "postgresql://user:pass@host:port/db (default: a SQLite file in the app data "
         "folder; env DATABASE_URL)."_s,
         u"url"_s},
        {u"no-history"_s, u"Keep no persistent history (memory only)."_s},
        {u"raw-retention"_s, u"Keep raw samples for <duration> (default 24h)."_s, u"duration"_s},
        {u"minute-retention"_s, u"Keep per-minute aggregates for <duration> (default 30d)."_s,
         u"duration"_s},
        {u"hour-retention"_s, u"Keep per-hour aggregates for <duration> (default 2y)."_s,
         u"duration"_s},
        {u"token-file"_s,
         u"Accept the access tokens in <file>, one a line; the file must be mode 0600 "
         "(env TIDEWATCH_TOKEN_FILE; a single token can also come from TIDEWATCH_TOKEN)."_s,
         u"file"_s},
        {u"jwt-secret-file"_s,
         u"Accept JWTs (HS256) signed with the secret in <file>, mode 0600 (or env "
         "JWT_SECRET)."_s,
         u"file"_s},
        {u"jwt-audience"_s, u"Accept only JWTs whose \"aud\" names <aud>."_s, u"aud"_s},
        {u"jwt-issuer"_s, u"Accept only JWTs whose \"iss\" is <iss>."_s, u"iss"_s},
        {u"insecure-no-auth"_s,
         u"Serve a non-loopback address without authentication (anyone who can reach "
         "the port sees this machine)."_s},
        {u"allow-origin"_s,
         u"Accept WebSocket connections from pages at <origin> (e.g. https://grafana.lan), "
         "besides the server's own; repeatable (env TIDEWATCH_ALLOW_ORIGIN, comma-separated)."_s,
         u"origin"_s},
        {u"tls-cert"_s,
         u"Serve https and wss with the PEM certificate chain in <file> (env "
         "TIDEWATCH_TLS_CERT); needs --tls-key. SIGHUP reloads it."_s,
         u"file"_s},
        {u"tls-key"_s, u"The PEM private key for --tls-cert (env TIDEWATCH_TLS_KEY)."_s, u"file"_s},
        {u"tls-self-signed"_s,
         u"Serve https and wss with a self-signed certificate made on first use and kept in "
         "the data directory (env TIDEWATCH_TLS_SELF_SIGNED=1); its SHA-256 fingerprint is "
         "printed, to compare with the browser's."_s},
    });
}

bool Config::parseDuration(const QString &text, qint64 *ms)
{
    const QString t = text.trimmed().toLower();
    if (t.size() < 2)
        return false;
    qint64 unit = 0;
    switch (t.back().unicode()) {
    case 's':
        unit = 1000;
        break;
    case 'm':
        unit = 60 * 1000;
        break;
    case 'h':
        unit = 3600 * 1000;
        break;
    case 'd':
        unit = qint64(24) * 3600 * 1000;
        break;
    case 'w':
        unit = qint64(7) * 24 * 3600 * 1000;
        break;
    case 'y':
        unit = qint64(365) * 24 * 3600 * 1000;
        break;
    default:
        return false;
    }
    bool ok = false;
    const qlonglong n = t.first(t.size() - 1).toLongLong(&ok);
    // 100 years is far beyond any retention and keeps the product in range.
    if (!ok || n <= 0 || n > qint64(100) * 365 * 24 * 3600 * 1000 / unit)
        return false;
    *ms = n * unit;
    return true;
}

QString Config::redactedDatabaseUrl(const QString &url)
{
    // scheme://user:password@host → scheme://user:***@host
    const qsizetype scheme = url.indexOf("://"_L1);
    const qsizetype at = url.lastIndexOf(u'@');
    if (scheme < 0 || at < scheme)
        return url;
    const qsizetype colon = url.indexOf(u':', scheme + 3);
    if (colon < 0 || colon > at)
        return url;
    return url.first(colon + 1) + "***"_L1 + url.sliced(at);
}

namespace {

// QtCore has no address parser (QHostAddress is QtNetwork), so ask libc.
bool isIpAddress(const QString &text)
{
    const QByteArray a = text.toLatin1();
    unsigned char buf[sizeof(in6_addr)];
    return inet_pton(AF_INET, a.constData(), buf) == 1 ||
           inet_pton(AF_INET6, a.constData(), buf) == 1;
}

// One source of a setting, tried from the highest precedence down.
struct Source
{
    QString value;
    QString origin; // "--port", "WS_PORT", "tidewatch.conf [feed] port"
};

bool parseInt(const Source &s, int min, int max, int *out, QString *error)
{
    bool ok = false;
    const qlonglong v = s.value.trimmed().toLongLong(&ok);
    if (!ok || v < min || v > max) {
        *error = u"invalid value \"%1\" for %2: expected a whole number from %3 to %4"_s.arg(
            s.value, s.origin, QString::number(min), QString::number(max));
        return false;
    }
    *out = int(v);
    return true;
}

bool parseBool(const Source &s, bool *out, QString *error)
{
    const QString v = s.value.trimmed().toLower();
    if (v == "1"_L1 || v == "true"_L1 || v == "yes"_L1 || v == "on"_L1) {
        *out = true;
        return true;
    }
    if (v == "0"_L1 || v == "false"_L1 || v == "no"_L1 || v == "off"_L1) {
        *out = false;
        return true;
    }
    *error = u"invalid value \"%1\" for %2: expected true or false"_s.arg(s.value, s.origin);
    return false;
}

class Resolver
{
public:
    Resolver(const QCommandLineParser &parser, const QProcessEnvironment &env, QSettings *ini,
             QString iniName)
        : m_parser(parser)
        , m_env(env)
        , m_ini(ini)
        , m_iniName(std::move(iniName))
    {}

    // The highest-precedence value of a setting, if any is set.
    std::optional<Source> find(const QString &option, const QStringList &envNames,
                               const QString &iniKey) const
    {
        if (!option.isEmpty() && m_parser.isSet(option))
            return Source{m_parser.value(option), "--"_L1 + option};
        for (const QString &name : envNames) {
            if (m_env.contains(name))
                return Source{m_env.value(name), name};
        }
        if (m_ini && !iniKey.isEmpty() && m_ini->contains(iniKey)) {
            const QString key = iniKey;
            // QSettings reads "a, b" as a list; the settings that take
            // lists split on commas themselves.
            const QVariant v = m_ini->value(key);
            const QString text =
                v.typeId() == QMetaType::QStringList ? v.toStringList().join(u',') : v.toString();
            return Source{text, u"%1 key %2"_s.arg(m_iniName, key)};
        }
        return std::nullopt;
    }

private:
    const QCommandLineParser &m_parser;
    const QProcessEnvironment &m_env;
    QSettings *m_ini;
    QString m_iniName;
};

bool loadFilePath(const Source &s, QString *out, QString *error)
{
    const QString v = s.value.trimmed();
    if (v.isEmpty()) {
        *error = u"invalid value \"\" for %1: expected a file name"_s.arg(s.origin);
        return false;
    }
    *out = v;
    return true;
}

// An origin as a browser sends it: scheme://host[:port], no path.
bool isOrigin(const QString &v)
{
    const qsizetype sep = v.indexOf("://"_L1);
    if (sep <= 0)
        return false;
    const QString scheme = v.first(sep);
    if (scheme != "http"_L1 && scheme != "https"_L1)
        return false;
    const QString rest = v.sliced(sep + 3);
    return !rest.isEmpty() && !rest.contains(u'/') && !rest.contains(u'?') &&
           !rest.contains(u'#') && !rest.contains(u'@') && !rest.contains(u' ');
}

bool loadSecurity(const Resolver &r, const QCommandLineParser &parser,
                  const QProcessEnvironment &environment, Config *c, QString *err)
{
    if (auto s = r.find(u"token-file"_s, {u"TIDEWATCH_TOKEN_FILE"_s}, u"auth/token_file"_s)) {
        if (!loadFilePath(*s, &c->tokenFile, err))
            return false;
    }
    // Secrets themselves are read from the environment only: a command
    // line is visible to every user in ps, and an INI file has its own
    // permissions that nobody checks.
    c->token = environment.value(u"TIDEWATCH_TOKEN"_s).trimmed();
    c->jwtSecret = environment.value(u"JWT_SECRET"_s, environment.value(u"TIDEWATCH_JWT_SECRET"_s));
    if (auto s = r.find(u"jwt-secret-file"_s, {u"TIDEWATCH_JWT_SECRET_FILE"_s},
                        u"auth/jwt_secret_file"_s)) {
        if (!loadFilePath(*s, &c->jwtSecretFile, err))
            return false;
    }
    if (!c->jwtSecret.isEmpty() && !c->jwtSecretFile.isEmpty()) {
        *err = u"both JWT_SECRET and a JWT secret file are set: choose one"_s;
        return false;
    }
    if (auto s = r.find(u"jwt-audience"_s, {u"TIDEWATCH_JWT_AUDIENCE"_s}, u"auth/jwt_audience"_s))
        c->jwtAudience = s->value.trimmed();
    if (auto s = r.find(u"jwt-issuer"_s, {u"TIDEWATCH_JWT_ISSUER"_s}, u"auth/jwt_issuer"_s))
        c->jwtIssuer = s->value.trimmed();
    if (parser.isSet(u"insecure-no-auth"_s))
        c->insecureNoAuth = true;
    else if (auto s =
                 r.find(QString(), {u"TIDEWATCH_INSECURE_NO_AUTH"_s}, u"auth/insecure_no_auth"_s)) {
        if (!parseBool(*s, &c->insecureNoAuth, err))
            return false;
    }

    QStringList origins;
    QString originFrom;
    if (parser.isSet(u"allow-origin"_s)) {
        origins = parser.values(u"allow-origin"_s);
        originFrom = u"--allow-origin"_s;
    } else if (auto s = r.find(QString(), {u"TIDEWATCH_ALLOW_ORIGIN"_s}, u"feed/allow_origin"_s)) {
        origins = s->value.split(u',', Qt::SkipEmptyParts);
        originFrom = s->origin;
    }
    for (QString o : std::as_const(origins)) {
        o = o.trimmed();
        while (o.endsWith(u'/'))
            o.chop(1);
        if (o != "*"_L1 && !isOrigin(o)) {
            *err = u"invalid origin \"%1\" for %2: expected scheme://host[:port], like "
                   "https://grafana.example.org"_s.arg(o, originFrom);
            return false;
        }
        c->allowOrigins += o.toLower();
    }

    if (auto s = r.find(u"tls-cert"_s, {u"TIDEWATCH_TLS_CERT"_s}, u"tls/cert"_s)) {
        if (!loadFilePath(*s, &c->tlsCert, err))
            return false;
    }
    if (auto s = r.find(u"tls-key"_s, {u"TIDEWATCH_TLS_KEY"_s}, u"tls/key"_s)) {
        if (!loadFilePath(*s, &c->tlsKey, err))
            return false;
    }
    if (c->tlsCert.isEmpty() != c->tlsKey.isEmpty()) {
        *err = c->tlsCert.isEmpty() ? u"--tls-key needs --tls-cert (TIDEWATCH_TLS_CERT)"_s
                                    : u"--tls-cert needs --tls-key (TIDEWATCH_TLS_KEY)"_s;
        return false;
    }
    if (parser.isSet(u"tls-self-signed"_s))
        c->tlsSelfSigned = true;
    else if (auto s = r.find(QString(), {u"TIDEWATCH_TLS_SELF_SIGNED"_s}, u"tls/self_signed"_s)) {
        if (!parseBool(*s, &c->tlsSelfSigned, err))
            return false;
    }
    if (c->tlsSelfSigned && !c->tlsCert.isEmpty()) {
        *err = u"--tls-self-signed and --tls-cert both name a certificate: choose one"_s;
        return false;
    }
    return true;
}

} // namespace

bool ConfigLoader::load(const QCommandLineParser &parser, const QProcessEnvironment &environment,
                        Config *config, QString *error)
{
    if (loadUnchecked(parser, environment, config, error))
        return true;
    // One line, whatever the bad value held (fuzz_config found values with
    // newlines, which INI files and the environment can carry).
    if (error) {
        error->replace(u'\n', "\\n"_L1);
        error->replace(u'\r', "\\r"_L1);
    }
    return false;
}

bool ConfigLoader::loadUnchecked(const QCommandLineParser &parser,
                                 const QProcessEnvironment &environment, Config *config,
                                 QString *error)
{
    QString dummy;
    QString &err = error ? *error : dummy;
    Config c;

    // The config file: named on the command line or in the environment, it
    // must exist; the default location is optional.
    QString file;
    bool fileRequired = true;
    if (parser.isSet(u"config"_s))
        file = parser.value(u"config"_s);
    else if (environment.contains(u"TIDEWATCH_CONFIG"_s))
        file = environment.value(u"TIDEWATCH_CONFIG"_s);
    else {
        file = Config::defaultConfigFile();
        fileRequired = false;
    }
    std::unique_ptr<QSettings> ini;
    if (!file.isEmpty()) {
        const QFileInfo info(file);
        if (info.exists()) {
            if (!info.isFile() || !info.isReadable()) {
                err = u"cannot read config file %1"_s.arg(file);
                return false;
            }
            ini = std::make_unique<QSettings>(file, QSettings::IniFormat);
            if (ini->status() != QSettings::NoError) {
                err = u"config file %1 is not a valid INI file"_s.arg(file);
                return false;
            }
            c.configFile = info.absoluteFilePath();
        } else if (fileRequired) {
            err = u"config file %1 does not exist"_s.arg(file);
            return false;
        }
    }

    const Resolver r(parser, environment, ini.get(), QFileInfo(file).fileName());

    if (auto s = r.find(u"bind"_s, {u"WS_HOST"_s, u"TIDEWATCH_BIND"_s}, u"feed/bind"_s)) {
        QString v = s->value.trimmed();
        if (v == "localhost"_L1)
            v = u"127.0.0.1"_s;
        else if (v == "*"_L1)
            v = u"0.0.0.0"_s;
        if (!isIpAddress(v)) {
            err = u"invalid address \"%1\" for %2: expected an IPv4 or IPv6 address"_s.arg(
                s->value, s->origin);
            return false;
        }
        c.bind = v;
    }
    if (auto s = r.find(u"port"_s, {u"WS_PORT"_s, u"TIDEWATCH_PORT"_s}, u"feed/port"_s)) {
        if (!parseInt(*s, 0, 65535, &c.port, &err))
            return false;
    }
    if (auto s = r.find(u"interval"_s, {u"TIDEWATCH_INTERVAL"_s}, u"sampler/interval_ms"_s)) {
        if (!parseInt(*s, Sampler::MinIntervalMs, Sampler::MaxIntervalMs, &c.intervalMs, &err))
            return false;
    }
    if (auto s = r.find(u"max-clients"_s, {u"TIDEWATCH_MAX_CLIENTS"_s}, u"feed/max_clients"_s)) {
        if (!parseInt(*s, 1, 100000, &c.maxClients, &err))
            return false;
    }
    if (auto s =
            r.find(u"history"_s, {u"TIDEWATCH_HISTORY_MINUTES"_s}, u"sampler/history_minutes"_s)) {
        if (!parseInt(*s, 0, 24 * 60, &c.historyMinutes, &err))
            return false;
    }
    if (auto s = r.find(u"root"_s, {u"TIDEWATCH_ROOT"_s}, u"sampler/root"_s)) {
        if (!QFileInfo(s->value).isDir()) {
            err = u"invalid value \"%1\" for %2: not a directory"_s.arg(s->value, s->origin);
            return false;
        }
        c.rootPath = s->value;
    }
    if (parser.isSet(u"all-filesystems"_s))
        c.allFilesystems = true;
    else if (auto s = r.find(QString(), {}, u"sampler/all_filesystems"_s)) {
        if (!parseBool(*s, &c.allFilesystems, &err))
            return false;
    }
    if (parser.isSet(u"all-disks"_s))
        c.allDisks = true;
    else if (auto s = r.find(QString(), {}, u"sampler/all_disks"_s)) {
        if (!parseBool(*s, &c.allDisks, &err))
            return false;
    }

    if (parser.isSet(u"no-history"_s))
        c.historyEnabled = false;
    else if (auto env = r.find(QString(), {u"TIDEWATCH_NO_HISTORY"_s}, QString())) {
        bool off = false;
        if (!parseBool(*env, &off, &err))
            return false;
        c.historyEnabled = !off;
    } else if (auto key = r.find(QString(), {}, u"history/enabled"_s)) {
        if (!parseBool(*key, &c.historyEnabled, &err))
            return false;
    }
    if (auto s = r.find(u"database"_s, {u"DATABASE_URL"_s, u"TIDEWATCH_DATABASE"_s},
                        u"history/database"_s)) {
        const QString v = s->value.trimmed();
        // Only the shape is checked here; the store parses the rest when it opens.
        const bool known = v.startsWith("postgresql://"_L1) || v.startsWith("postgres://"_L1) ||
                           v.startsWith("sqlite:"_L1) || v.startsWith(u'/') || v.startsWith(u'.') ||
                           !v.contains(u':');
        if (v.isEmpty() || !known) {
            err = u"invalid value \"%1\" for %2: expected a file path, sqlite:<path> or "
                  "postgresql://user:pass@host:port/db"_s.arg(Config::redactedDatabaseUrl(s->value),
                                                              s->origin);
            return false;
        }
        c.databaseUrl = v;
    }
    struct Retention
    {
        QString option;
        QString env;
        QString key;
        qint64 *target;
    };
    const Retention retentions[] = {
        {u"raw-retention"_s, u"TIDEWATCH_RAW_RETENTION"_s, u"history/raw_retention"_s,
         &c.rawRetentionMs},
        {u"minute-retention"_s, u"TIDEWATCH_MINUTE_RETENTION"_s, u"history/minute_retention"_s,
         &c.minuteRetentionMs},
        {u"hour-retention"_s, u"TIDEWATCH_HOUR_RETENTION"_s, u"history/hour_retention"_s,
         &c.hourRetentionMs},
    };
    for (const Retention &ret : retentions) {
        auto s = r.find(ret.option, {ret.env}, ret.key);
        if (!s)
            continue;
        qint64 ms = 0;
        if (!Config::parseDuration(s->value, &ms) || ms < 3600 * 1000) {
            err = u"invalid value \"%1\" for %2: expected a duration of at least 1h, like "
                  "24h, 30d or 2y"_s.arg(s->value, s->origin);
            return false;
        }
        *ret.target = ms;
    }

    if (!loadSecurity(r, parser, environment, &c, &err))
        return false;

    *config = c;
    return true;
}

} // namespace tidewatch
