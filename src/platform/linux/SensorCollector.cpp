// SPDX-License-Identifier: GPL-3.0-or-later
#include "SensorCollector.h"

#include "LinuxMetrics.h"
#include "ProcParsers.h"

#include <QHash>
#include <QSet>

#include <dirent.h>

#include <algorithm>

namespace tidewatch {

using namespace procfs;

namespace {

constexpr qint64 RescanUs = 30 * 1000 * 1000;

/// Entries of `dir` named <prefix><number><suffix>, as numbers, sorted, so that
/// hwmon10 comes after hwmon2 and the ids do not depend on readdir order.
std::vector<int> numberedEntries(const QByteArray &dir, QByteArrayView prefix,
                                 QByteArrayView suffix)
{
    std::vector<int> out;
    DIR *d = ::opendir(dir.constData());
    if (!d)
        return out;
    while (const dirent *e = ::readdir(d)) {
        const QByteArrayView name(e->d_name);
        if (!name.startsWith(prefix) || !name.endsWith(suffix) ||
            name.size() <= prefix.size() + suffix.size())
            continue;
        const QByteArrayView number =
            name.sliced(prefix.size(), name.size() - prefix.size() - suffix.size());
        if (!std::all_of(number.begin(), number.end(),
                         [](char c) { return c >= '0' && c <= '9'; }) ||
            number.size() > 6)
            continue;
        out.push_back(number.toInt());
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

/// A small sysfs attribute as text, without its trailing newline.
QString readAttribute(const QByteArray &path)
{
    ProcFile f(path);
    return QString::fromUtf8(f.read()).trimmed();
}

} // namespace

SensorCollector::SensorCollector(const QString &rootPath)
    : m_root(rootPath)
{}

void SensorCollector::rescan()
{
    struct Found
    {
        QByteArray path;
        MetricInfo info;
    };
    std::vector<Found> found;
    QByteArray signature;
    QHash<QString, int> chipsSeen;

    const QByteArray hwmon = rootedPath(m_root, "sys/class/hwmon");
    for (int index : numberedEntries(hwmon, "hwmon", "")) {
        const QByteArray hwmonDir = hwmon + "/hwmon" + QByteArray::number(index);
        // Old drivers keep their attributes in device/ rather than beside name.
        QByteArray dir = hwmonDir;
        QString chipName = readAttribute(dir + "/name");
        if (chipName.isEmpty()) {
            dir = hwmonDir + "/device";
            chipName = readAttribute(dir + "/name");
        }
        if (chipName.isEmpty())
            continue;
        QString chip = sanitizeIdPart(chipName);
        if (chip.isEmpty())
            chip = QStringLiteral("hwmon") + QString::number(index);
        // A second chip of the same name (two NVMe drives) gets <chip>_1.
        const int seen = chipsSeen.value(chip, 0);
        chipsSeen.insert(chip, seen + 1);
        if (seen > 0)
            chip += u'_' + QString::number(seen);

        QSet<QString> sensorIds;
        for (int n : numberedEntries(dir, "temp", "_input")) {
            const QByteArray base = dir + "/temp" + QByteArray::number(n);
            const QString sensor = QStringLiteral("temp") + QString::number(n);
            const QString label = readAttribute(base + "_label");
            QString part = sanitizeIdPart(label);
            if (part.isEmpty() || sensorIds.contains(part))
                part = sensor; // unlabelled, or two sensors with one label
            sensorIds.insert(part);
            QList<MetricAttribute> attrs{{QStringLiteral("chip"), chipName},
                                         {QStringLiteral("sensor"), sensor}};
            if (!label.isEmpty())
                attrs.append({QStringLiteral("label"), label});
            const QString id = QStringLiteral("temp.") + chip + u'.' + part;
            found.push_back(
                {base + "_input",
                 makeMetric(id, chipName + u' ' + (label.isEmpty() ? sensor : label),
                            QStringLiteral("°C"), MetricKind::Gauge, qQNaN(), std::move(attrs))});
            signature += found.back().path + '=' + id.toUtf8() + '\n';
        }
    }
    if (signature == m_signature && m_scanned)
        return;
    m_signature = signature;
    m_sensors.clear();
    m_sensors.reserve(found.size());
    for (Found &f : found)
        m_sensors.push_back(Sensor{ProcFile(std::move(f.path)), std::move(f.info)});
}

void SensorCollector::collect(const SampleContext &context, SnapshotBuilder &out)
{
    if (!m_scanned || context.monotonicUs - m_lastScanUs >= RescanUs ||
        context.monotonicUs < m_lastScanUs) {
        rescan();
        m_scanned = true;
        m_lastScanUs = context.monotonicUs;
    }
    for (Sensor &s : m_sensors) {
        // Some sensors (NVMe, GPUs asleep) refuse to answer now and then; the
        // metric stays in the catalogue with no value for that tick.
        const std::optional<qint64> milli = parseInteger(s.input.read(m_scratch));
        out.add(s.info, milli ? double(*milli) / 1000.0 : qQNaN());
    }
}

} // namespace tidewatch
