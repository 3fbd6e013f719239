// SPDX-License-Identifier: GPL-3.0-or-later
#include "ValueFormat.h"

#include <QLocale>
#include <QtNumeric>

#include <cmath>

namespace tidewatch {

using namespace Qt::StringLiterals;

ValueUnit valueUnitFromMetric(const QString &unit)
{
    if (unit == "%"_L1)
        return ValueUnit::Percent;
    if (unit == "B"_L1)
        return ValueUnit::Bytes;
    if (unit == "B/s"_L1)
        return ValueUnit::BytesPerSecond;
    if (unit == u"°C")
        return ValueUnit::Celsius;
    if (unit == "/s"_L1)
        return ValueUnit::PerSecond;
    return ValueUnit::Plain;
}

ByteScale byteScaleFor(double value, bool perSecond)
{
    static const char *const names[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int i = 0;
    double divisor = 1.0;
    value = std::fabs(value);
    while (i < 5 && value >= 1024.0 * divisor) {
        divisor *= 1024.0;
        ++i;
    }
    ByteScale s;
    s.divisor = divisor;
    s.suffix = QString::fromLatin1(names[i]);
    if (perSecond)
        s.suffix += "/s"_L1;
    return s;
}

QString ValueFormat::number(double value, int decimals)
{
    if (qIsNaN(value))
        return u"–"_s;
    return QLocale().toString(value, 'f', decimals);
}

QString ValueFormat::scaled(double value, const ByteScale &scale)
{
    const double v = value / scale.divisor;
    const double a = std::fabs(v);
    const int decimals = scale.divisor == 1.0 ? 0 : (a < 10.0 ? 2 : (a < 100.0 ? 1 : 0));
    return number(v, decimals) + u' ' + scale.suffix;
}

QString ValueFormat::bytes(double value)
{
    return scaled(value, byteScaleFor(value, false));
}

QString ValueFormat::rate(double bytesPerSecond)
{
    return scaled(bytesPerSecond, byteScaleFor(bytesPerSecond, true));
}

QString ValueFormat::format(double value, ValueUnit unit)
{
    if (qIsNaN(value))
        return u"–"_s;
    switch (unit) {
    case ValueUnit::Percent:
        return number(value, value < 10.0 ? 1 : 0) + u" %"_s;
    case ValueUnit::Bytes:
        return bytes(value);
    case ValueUnit::BytesPerSecond:
        return rate(value);
    case ValueUnit::Celsius:
        return number(value, 0) + u" °C"_s;
    case ValueUnit::PerSecond:
        return number(value, 0) + u"/s"_s;
    case ValueUnit::Plain:
        break;
    }
    return number(value, std::fabs(value) < 100.0 ? 2 : 0);
}

double niceCeil(double value)
{
    if (!(value > 0.0))
        return 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (step * magnitude >= value * (1.0 - 1e-9))
            return step * magnitude;
    }
    return 10.0 * magnitude;
}

} // namespace tidewatch
