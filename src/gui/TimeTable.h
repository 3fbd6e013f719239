// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace tidewatch {

/// What the charts show over a time range, as a table: one row per
/// timestamp, one column per metric. The CSV export writes it.
struct TimeTable
{
    struct Column
    {
        QString id;
        QList<double> avg; ///< aligned with TimeTable::ts; NaN: no value at that time
        QList<double> min; ///< only when downsampled
        QList<double> max;
    };

    QString host;
    qint64 fromTs = 0; ///< ms since the epoch: the visible range
    qint64 toTs = 0;
    bool downsampled = false; ///< buckets with min/max envelopes (store data)
    QList<qint64> ts;         ///< oldest first
    QList<Column> columns;
};

/// One CSV field, quoted when it holds a comma, a quote or a line break.
QString csvField(const QString &text);
/// `time,<id>…` (plus `<id>.min,<id>.max` when downsampled), times in
/// ISO-8601 UTC, numbers in the shortest exact form, empty cells for gaps.
QByteArray timeTableToCsv(const TimeTable &table);
/// Writes atomically: on failure an existing file stays as it was, and
/// `error` names the file and the reason.
bool writeTimeTableCsv(const TimeTable &table, const QString &path, QString *error);
/// "tidewatch-<host>-20261128T1405Z-20261128T1905Z.csv", safe as a file name.
QString proposedCsvFileName(const QString &host, qint64 fromTs, qint64 toTs);

} // namespace tidewatch
