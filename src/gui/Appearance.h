// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AppSettings.h"

#include <QPalette>

namespace tidewatch {

/// Remembers the platform's palette at start-up, so "follow the system" can
/// return to it, and applies the light or dark palette on request. Every
/// widget, charts included, reacts to the palette change event.
class Appearance final
{
public:
    /// Call once, after the QApplication exists and before any theme is set.
    static void captureSystemPalette();
    static void applyTheme(AppSettings::Theme theme);
    static QPalette lightPalette();
    static QPalette darkPalette();
    /// True when the current palette is dark (text lighter than the window).
    static bool isDark();

    /// Installs the app's translation (and Qt's own, where present) for
    /// `language` ("de", "en", "fr", "es", "zh_CN"; empty follows the system locale). Returns the
    /// language in effect.
    static QString installTranslations(const QString &language);
};

} // namespace tidewatch
