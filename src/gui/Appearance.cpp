// SPDX-License-Identifier: GPL-3.0-or-later
#include "Appearance.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <optional>

namespace tidewatch {

using namespace Qt::StringLiterals;

namespace {

std::optional<QPalette> &systemPalette()
{
    static std::optional<QPalette> palette;
    return palette;
}

QPalette makePalette(QColor window, QColor text, QColor base, QColor alternate, QColor button,
                     QColor highlight, QColor link, QColor disabledText)
{
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alternate);
    p.setColor(QPalette::ToolTipBase, button);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabledText);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, link);
    p.setColor(QPalette::LinkVisited, link.darker(120));
    p.setColor(QPalette::Light, button.lighter(130));
    p.setColor(QPalette::Midlight, button.lighter(115));
    p.setColor(QPalette::Mid, button.darker(130));
    p.setColor(QPalette::Dark, button.darker(160));
    p.setColor(QPalette::Shadow, Qt::black);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabledText);
    return p;
}

} // namespace

void Appearance::captureSystemPalette()
{
    if (!systemPalette())
        systemPalette() = QApplication::palette();
}

// Breeze's colours, so Tidewatch sits well on a Plasma desktop.
QPalette Appearance::lightPalette()
{
    return makePalette(QColor(0xef, 0xf0, 0xf1), QColor(0x23, 0x26, 0x29), QColor(0xfc, 0xfc, 0xfc),
                       QColor(0xf7, 0xf7, 0xf7), QColor(0xfc, 0xfc, 0xfc), QColor(0x3d, 0xae, 0xe9),
                       QColor(0x29, 0x80, 0xb9), QColor(0xa0, 0xa4, 0xa8));
}

QPalette Appearance::darkPalette()
{
    return makePalette(QColor(0x20, 0x23, 0x26), QColor(0xfc, 0xfc, 0xfc), QColor(0x29, 0x2c, 0x30),
                       QColor(0x2e, 0x32, 0x36), QColor(0x31, 0x36, 0x3b), QColor(0x3d, 0xae, 0xe9),
                       QColor(0x1d, 0x99, 0xf3), QColor(0x70, 0x74, 0x78));
}

void Appearance::applyTheme(AppSettings::Theme theme)
{
    captureSystemPalette();
    switch (theme) {
    case AppSettings::Theme::Light:
        QApplication::setPalette(lightPalette());
        break;
    case AppSettings::Theme::Dark:
        QApplication::setPalette(darkPalette());
        break;
    case AppSettings::Theme::System:
        QApplication::setPalette(*systemPalette());
        break;
    }
}

bool Appearance::isDark()
{
    const QPalette p = QApplication::palette();
    return p.color(QPalette::WindowText).lightness() > p.color(QPalette::Window).lightness();
}

QString Appearance::installTranslations(const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    if (!language.isEmpty())
        QLocale::setDefault(locale);
    auto *app = QCoreApplication::instance();
    auto *ours = new QTranslator(app);
    // An installed catalogue (share/tidewatch/translations beside bin/) wins
    // over the embedded one, so it can be updated without a rebuild; the
    // embedded copy keeps an uninstalled or relocated binary translated.
    // English is the source language, but its catalogue holds the plural
    // forms ("1 browser", "2 browsers"): load it when nothing else matches.
    const QString installed =
        QCoreApplication::applicationDirPath() + u"/../share/tidewatch/translations"_s;
    bool loaded = false;
    for (const QString &dir : {installed, u":/i18n"_s}) {
        if (ours->load(locale, u"tidewatch"_s, u"_"_s, dir)) {
            loaded = true;
            break;
        }
    }
    if (!loaded)
        loaded =
            ours->load(u"tidewatch_en"_s, installed) || ours->load(u"tidewatch_en"_s, u":/i18n"_s);
    if (loaded)
        QCoreApplication::installTranslator(ours);
    else
        delete ours;
    auto *qt = new QTranslator(app);
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return locale.name().section(u'_', 0, 0);
}

} // namespace tidewatch
