// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

class QSettings;

namespace tidewatch {

struct Config;

/// What the desktop app remembers between runs. Stored in the same INI file
/// that ConfigLoader reads ([feed] bind/port, [sampler] interval_ms), so the
/// settings dialog and `--config`/`tidewatchd` agree on one file; the GUI's
/// own keys live in [gui].
struct AppSettings
{
    enum class Theme { System, Light, Dark };

    bool feedEnabled = true;
    QString bind = QStringLiteral("127.0.0.1");
    int port = 8765;
    /// Ask for the access token even on a loopback bind, as if exposed. For
    /// a shared machine, and for tests, which must never bind 0.0.0.0.
    bool requireToken = false;
    int intervalMs = 1000;
    Theme theme = Theme::System;
    QString language; ///< "" follows the system, otherwise "en", "de", …
    bool startMinimized = false;
    bool closeToTray = false;
    int timeWindowSeconds = 300;

    /// Reads the GUI keys from `settings` and the shared ones from `config`,
    /// which already resolved command line > environment > file > defaults.
    static AppSettings load(const QSettings &settings, const Config &config);
    void save(QSettings &settings) const;

    /// The desktop app's access token ([feed] access_token), generated with
    /// generateAccessToken() and stored on first need.
    static QByteArray accessToken(QSettings &settings);
    /// Replaces the stored token with a new one and returns it.
    static QByteArray regenerateAccessToken(QSettings &settings);

    static QString themeName(Theme theme);
    static Theme themeFromName(const QString &name);

    friend bool operator==(const AppSettings &, const AppSettings &) = default;
};

} // namespace tidewatch
