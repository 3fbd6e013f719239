// SPDX-License-Identifier: GPL-3.0-or-later
#include "AppSettings.h"

#include "Config.h"
#include "ServerSecurity.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

namespace tidewatch {

using namespace Qt::StringLiterals;

QString AppSettings::themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return u"light"_s;
    case Theme::Dark:
        return u"dark"_s;
    case Theme::System:
        break;
    }
    return u"system"_s;
}

AppSettings::Theme AppSettings::themeFromName(const QString &name)
{
    if (name == "light"_L1)
        return Theme::Light;
    if (name == "dark"_L1)
        return Theme::Dark;
    return Theme::System;
}

namespace {

const QString TokenKey = u"feed/access_token"_s;

void storeToken(QSettings &settings, const QByteArray &token)
{
    // The file is about to hold a credential to the feed: keep it from other
    // users, as the server's own token file must be (readSecretFile refuses
    // those). QSettings creates files with the umask's mode (often 0644), so
    // a new file is made 0600 before the token is written to it, and the
    // mode is tightened again after, for a file that existed already.
    // QSettings replaces the file on later writes but keeps its mode.
    const QString file = settings.fileName();
    const QFile::Permissions ownerOnly = QFile::ReadOwner | QFile::WriteOwner;
    if (!file.isEmpty() && !QFile::exists(file)) {
        QDir().mkpath(QFileInfo(file).absolutePath());
        QFile empty(file);
        if (empty.open(QIODevice::WriteOnly))
            empty.setPermissions(ownerOnly);
    }
    settings.setValue(TokenKey, QString::fromLatin1(token));
    settings.sync();
    if (QFile::exists(file))
        QFile::setPermissions(file, ownerOnly);
}

} // namespace

QByteArray AppSettings::accessToken(QSettings &settings)
{
    QByteArray token = settings.value(TokenKey).toString().toLatin1();
    if (token.size() >= MinTokenLength)
        return token;
    token = generateAccessToken();
    storeToken(settings, token);
    return token;
}

QByteArray AppSettings::regenerateAccessToken(QSettings &settings)
{
    const QByteArray token = generateAccessToken();
    storeToken(settings, token);
    return token;
}

AppSettings AppSettings::load(const QSettings &settings, const Config &config)
{
    AppSettings s;
    s.bind = config.bind;
    s.port = config.port;
    s.intervalMs = config.intervalMs;
    s.feedEnabled = settings.value(u"feed/enabled"_s, true).toBool();
    s.requireToken = settings.value(u"feed/require_token"_s, false).toBool();
    s.theme = themeFromName(settings.value(u"gui/theme"_s).toString());
    s.language = settings.value(u"gui/language"_s).toString();
    s.startMinimized = settings.value(u"gui/start_minimized"_s, false).toBool();
    s.closeToTray = settings.value(u"gui/close_to_tray"_s, false).toBool();
    const int window = settings.value(u"gui/time_window_s"_s, 300).toInt();
    s.timeWindowSeconds =
        (window == 60 || window == 300 || window == 900 || window == 3600) ? window : 300;
    return s;
}

void AppSettings::save(QSettings &settings) const
{
    settings.setValue(u"feed/enabled"_s, feedEnabled);
    settings.setValue(u"feed/bind"_s, bind);
    settings.setValue(u"feed/port"_s, port);
    settings.setValue(u"feed/require_token"_s, requireToken);
    settings.setValue(u"sampler/interval_ms"_s, intervalMs);
    settings.setValue(u"gui/theme"_s, themeName(theme));
    settings.setValue(u"gui/language"_s, language);
    settings.setValue(u"gui/start_minimized"_s, startMinimized);
    settings.setValue(u"gui/close_to_tray"_s, closeToTray);
    settings.setValue(u"gui/time_window_s"_s, timeWindowSeconds);
}

} // namespace tidewatch
