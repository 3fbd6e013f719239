// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace tidewatch {

/// Settings shared by `tidewatch` and `tidewatchd`, resolved with the
/// precedence command line > environment > config file > defaults.
struct Config
{
    QString bind = QStringLiteral("127.0.0.1");
    int port = 8765; ///< 0 picks a free port (the URL is printed)
    int intervalMs = 1000;
    int maxClients = 500;
    int historyMinutes = 10; ///< in-memory history kept by the Hub
    QString rootPath = QStringLiteral("/");
    bool allFilesystems = false;
    bool allDisks = false;

    // Persistent history (the HistoryStore).
    bool historyEnabled = true; ///< --no-history turns the store off
    QString databaseUrl; ///< empty: the default SQLite file; else a path, sqlite: or postgresql://
    qint64 rawRetentionMs = qint64(24) * 3600 * 1000;
    qint64 minuteRetentionMs = qint64(30) * 24 * 3600 * 1000;
    qint64 hourRetentionMs = qint64(730) * 24 * 3600 * 1000;

    // Exposure: credentials, TLS and origins (docs/security.md). Config only
    // names them; the server reads and checks the files (ServerSecurity.h).
    QString tokenFile;           ///< one token a line; must not be readable by group or others
    QString token;               ///< TIDEWATCH_TOKEN: from the environment only, never argv
    QString jwtSecret;           ///< JWT_SECRET: from the environment only
    QString jwtSecretFile;       ///< the HS256 secret in a file (mode checked like tokenFile)
    QString jwtAudience;         ///< when set, a JWT's "aud" must name it
    QString jwtIssuer;           ///< when set, a JWT's "iss" must equal it
    bool insecureNoAuth = false; ///< serve a non-loopback bind with no credentials
    QStringList allowOrigins;    ///< WebSocket Origins accepted besides the server's own
    QString tlsCert;             ///< PEM certificate (chain); with tlsKey: https and wss
    QString tlsKey;              ///< PEM private key
    bool tlsSelfSigned = false;  ///< make (once) and keep a self-signed pair in the data dir

    /// True when some credential is configured (a token or a JWT secret).
    bool hasCredentials() const
    {
        return !tokenFile.isEmpty() || !token.isEmpty() || !jwtSecret.isEmpty() ||
               !jwtSecretFile.isEmpty();
    }
    bool tlsEnabled() const { return !tlsCert.isEmpty() || tlsSelfSigned; }

    QString configFile; ///< the INI file that was read, empty if none

    /// Where the config file is looked for when --config is not given.
    static QString defaultConfigFile();
    /// "90s", "15m", "24h", "30d", "2w", "2y" (365 days) as ms; false when malformed.
    static bool parseDuration(const QString &text, qint64 *ms);
    /// The database URL with any password replaced by "***", for logs and status.
    static QString redactedDatabaseUrl(const QString &url);
};

/// Declares the shared options on a parser and turns parser, environment and
/// INI file into a Config. Errors are one line naming the bad value and where
/// it came from.
class ConfigLoader final
{
public:
    static void addOptions(QCommandLineParser &parser);
    static bool load(const QCommandLineParser &parser, const QProcessEnvironment &environment,
                     Config *config, QString *error);

private:
    static bool loadUnchecked(const QCommandLineParser &parser,
                              const QProcessEnvironment &environment, Config *config,
                              QString *error);
};

} // namespace tidewatch
