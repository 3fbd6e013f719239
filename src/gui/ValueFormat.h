// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace tidewatch {

/// The units a chart's axis and labels speak. Byte units scale to
/// KiB…TiB; the rest are shown as is.
enum class ValueUnit { Plain, Percent, Bytes, BytesPerSecond, Celsius, PerSecond };

/// The unit of a metric as the catalogue spells it ("%", "B/s", "°C", …).
ValueUnit valueUnitFromMetric(const QString &unit);

/// A power of 1024 and its suffix, chosen so a value reads in [1, 1024).
struct ByteScale
{
    double divisor = 1.0;
    QString suffix; ///< "B", "KiB", …, with "/s" for rates
};
ByteScale byteScaleFor(double value, bool perSecond);

/// Formats values for people, in the user's locale: "42 %", "1.5 MiB/s", "54 °C".
class ValueFormat final
{
public:
    static QString format(double value, ValueUnit unit);
    static QString bytes(double value);
    static QString rate(double bytesPerSecond);
    /// A number with `scale` applied and just enough decimals (3 significant digits).
    static QString scaled(double value, const ByteScale &scale);
    static QString number(double value, int decimals);
};

/// The smallest "nice" number (1, 2, 2.5 or 5 times a power of ten) >= `value`.
double niceCeil(double value);

} // namespace tidewatch
