// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcessEnvironment>
#include <QString>

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
    QString configFile; ///< the INI file that was read, empty if none

    /// Where the config file is looked for when --config is not given.
    static QString defaultConfigFile();
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
};

} // namespace tidewatch
