// SPDX-License-Identifier: GPL-3.0-or-later
#include "TimeTable.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QSaveFile>
#include <QtNumeric>

namespace tidewatch {

using namespace Qt::StringLiterals;

namespace {

QString utc(qint64 ts, Qt::DateFormat format)
{
    // toUTC() gives the "Z" suffix; a UTC QTimeZone would write "+00:00".
    return QDateTime::fromMSecsSinceEpoch(ts).toUTC().toString(format);
}

void appendNumber(QString &line, const QList<double> &values, qsizetype row)
{
    line += u',';
    const double v = row < values.size() ? values.at(row) : qQNaN();
    if (!qIsNaN(v))
        line += QString::number(v, 'g', QLocale::FloatingPointShortest);
}

} // namespace

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') &&
        !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u'"' + quoted + u'"';
}

QByteArray timeTableToCsv(const TimeTable &table)
{
    QString header = u"time"_s;
    for (const TimeTable::Column &c : table.columns) {
        header += u',' + csvField(c.id);
        if (table.downsampled)
            header += u',' + csvField(c.id + u".min"_s) + u',' + csvField(c.id + u".max"_s);
    }
    QByteArray out = header.toUtf8();
    out += "\r\n"; // RFC 4180 line ends: what spreadsheets expect
    QString line;
    for (qsizetype row = 0; row < table.ts.size(); ++row) {
        line = utc(table.ts.at(row), Qt::ISODateWithMs);
        for (const TimeTable::Column &c : table.columns) {
            appendNumber(line, c.avg, row);
            if (table.downsampled) {
                appendNumber(line, c.min, row);
                appendNumber(line, c.max, row);
            }
        }
        out += line.toUtf8();
        out += "\r\n";
    }
    return out;
}

bool writeTimeTableCsv(const TimeTable &table, const QString &path, QString *error)
{
    QSaveFile file(path);
    const QByteArray data = timeTableToCsv(table);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        if (error)
            *error = QCoreApplication::translate("tidewatch::TimeTable", "Cannot write %1: %2")
                         .arg(path, file.errorString());
        return false;
    }
    return true;
}

QString proposedCsvFileName(const QString &host, qint64 fromTs, qint64 toTs)
{
    QString safeHost;
    for (const QChar c : host) {
        safeHost += (c.isLetterOrNumber() || c == u'-' || c == u'.' || c == u'_') ? c : u'_';
    }
    if (safeHost.isEmpty())
        safeHost = u"host"_s;
    const auto stamp = [](qint64 ts) {
        return QDateTime::fromMSecsSinceEpoch(ts).toUTC().toString(u"yyyyMMdd'T'HHmm'Z'"_s);
    };
    return u"tidewatch-%1-%2-%3.csv"_s.arg(safeHost, stamp(fromTs), stamp(toTs));
}

} // namespace tidewatch
