// SPDX-License-Identifier: GPL-3.0-or-later
#include "Metric.h"

#include <cmath>

namespace tidewatch {

using namespace Qt::StringLiterals;

QString metricKindName(MetricKind kind)
{
    switch (kind) {
    case MetricKind::Gauge:
        return QStringLiteral("gauge");
    case MetricKind::Rate:
        return QStringLiteral("rate");
    case MetricKind::Counter:
        return QStringLiteral("counter");
    }
    return QStringLiteral("gauge");
}

QString MetricInfo::attribute(const QString &key) const
{
    for (const auto &[k, v] : attributes) {
        if (k == key)
            return v;
    }
    return {};
}

static bool sameNumber(double a, double b)
{
    return a == b || (std::isnan(a) && std::isnan(b));
}

bool operator==(const MetricInfo &a, const MetricInfo &b)
{
    return a.id == b.id && a.kind == b.kind && a.unit == b.unit && sameNumber(a.min, b.min) &&
           sameNumber(a.max, b.max) && a.label == b.label && a.attributes == b.attributes;
}

bool metricIdMatches(QStringView pattern, QStringView id)
{
    // Iterative glob with single-star backtracking: linear in practice and
    // never recursive, so a hostile pattern cannot blow the stack.
    qsizetype p = 0, i = 0, starP = -1, starI = 0;
    while (i < id.size()) {
        if (p < pattern.size() && pattern[p] == u'*') {
            starP = p++;
            starI = i;
        } else if (p < pattern.size() && pattern[p] == id[i]) {
            ++p;
            ++i;
        } else if (starP >= 0) {
            p = starP + 1;
            i = ++starI;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

int historyDecimals(const QString &unit)
{
    // Finer than any view shows and than the sources measure: % from
    // jiffies, bytes and Hz are whole, temperatures come in milli-degrees.
    if (unit == u"%"_s || unit == u"/s"_s || unit == u"°C"_s)
        return 2;
    if (unit == u"B"_s || unit == u"B/s"_s || unit == u"Hz"_s)
        return 0;
    return 3; // seconds, counts and anything new
}

} // namespace tidewatch
