// SPDX-License-Identifier: GPL-3.0-or-later
// What the sensor, cpufreq and disk collectors read from sysfs: integer
// attributes (temp*_input, scaling_cur_freq), hwmon chip names and labels
// that become parts of metric ids, and device names.

#include "FuzzCheck.h"
#include "ProcParsers.h"

#include <QString>

using namespace tidewatch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView in = fuzz::input(data, size);
    if (const std::optional<qint64> v = procfs::parseInteger(in))
        TIDEWATCH_FUZZ_CHECK(procfs::parseInteger(QByteArray::number(*v)) == v);

    // SensorCollector reads labels as UTF-8 and trims them first.
    const QString label = QString::fromUtf8(in).trimmed();
    const QString id = procfs::sanitizeIdPart(label);
    // An id part is [a-z0-9] runs joined by single underscores.
    TIDEWATCH_FUZZ_CHECK(!id.startsWith(u'_') && !id.endsWith(u'_'));
    TIDEWATCH_FUZZ_CHECK(!id.contains(QStringLiteral("__")));
    for (QChar c : id) {
        const char16_t u = c.unicode();
        TIDEWATCH_FUZZ_CHECK((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '_');
    }
    TIDEWATCH_FUZZ_CHECK(procfs::sanitizeIdPart(id) == id);

    (void)procfs::looksLikePartition(in);
    (void)procfs::isVirtualBlockDevice(in);
    (void)procfs::isVirtualFilesystem(label);
    return 0;
}
