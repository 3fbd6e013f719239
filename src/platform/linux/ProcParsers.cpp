// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProcParsers.h"

#include <QSet>

#include <array>
#include <cstring>
#include <limits>

namespace tidewatch::procfs {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// Walks a text line by line without copying it.
class Lines final
{
public:
    explicit Lines(QByteArrayView text)
        : m_text(text)
    {}
    bool next(QByteArrayView &line)
    {
        if (m_pos >= m_text.size())
            return false;
        const char *begin = m_text.data() + m_pos;
        const auto *nl =
            static_cast<const char *>(std::memchr(begin, '\n', size_t(m_text.size() - m_pos)));
        const qsizetype len = nl ? nl - begin : m_text.size() - m_pos;
        line = QByteArrayView(begin, len);
        m_pos += len + 1;
        return true;
    }

private:
    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

/// Walks the blank-separated fields of one line.
class Fields final
{
public:
    explicit Fields(QByteArrayView line)
        : m_line(line)
    {}
    /// The next field, or an empty view at the end.
    QByteArrayView next()
    {
        while (m_pos < m_line.size() && isBlank(m_line[m_pos]))
            ++m_pos;
        const qsizetype start = m_pos;
        while (m_pos < m_line.size() && !isBlank(m_line[m_pos]))
            ++m_pos;
        return m_line.sliced(start, m_pos - start);
    }
    bool skip(int n)
    {
        for (int i = 0; i < n; ++i) {
            if (next().isEmpty())
                return false;
        }
        return true;
    }
    QByteArrayView rest() const { return m_line.sliced(m_pos); }

private:
    QByteArrayView m_line;
    qsizetype m_pos = 0;
};

/// Strict unsigned decimal: digits only, no overflow.
bool toUnsigned(QByteArrayView field, quint64 &out)
{
    if (field.isEmpty() || field.size() > 20)
        return false;
    quint64 v = 0;
    for (char c : field) {
        if (!isDigit(c))
            return false;
        const quint64 d = quint64(c - '0');
        if (v > (std::numeric_limits<quint64>::max() - d) / 10)
            return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

bool toSigned(QByteArrayView field, qint64 &out)
{
    const bool negative = !field.isEmpty() && field.front() == '-';
    quint64 magnitude = 0;
    if (!toUnsigned(negative ? field.sliced(1) : field, magnitude) ||
        magnitude > quint64(std::numeric_limits<qint64>::max()))
        return false;
    out = negative ? -qint64(magnitude) : qint64(magnitude);
    return true;
}

bool nextUnsigned(Fields &fields, quint64 &out)
{
    return toUnsigned(fields.next(), out);
}

/// "12.34" and "12" as the kernel prints them in loadavg and uptime; no
/// exponents and no locale, so no QString and no strtod.
bool toDecimal(QByteArrayView field, double &out)
{
    const qsizetype dot = field.indexOf('.');
    quint64 whole = 0;
    quint64 fraction = 0;
    if (dot < 0) {
        if (!toUnsigned(field, whole))
            return false;
        out = double(whole);
        return true;
    }
    const QByteArrayView frac = field.sliced(dot + 1);
    if (!toUnsigned(field.first(dot), whole) || frac.size() > 9 || !toUnsigned(frac, fraction))
        return false;
    double scale = 1;
    for (qsizetype i = 0; i < frac.size(); ++i)
        scale *= 10;
    out = double(whole) + double(fraction) / scale;
    return true;
}

bool parseCpuTimes(Fields &fields, CpuTimes &t)
{
    std::array<quint64 *, 10> targets{&t.user, &t.nice,    &t.system, &t.idle,  &t.iowait,
                                      &t.irq,  &t.softirq, &t.steal,  &t.guest, &t.guestNice};
    int parsed = 0;
    for (quint64 *slot : targets) {
        if (!nextUnsigned(fields, *slot))
            break;
        ++parsed;
    }
    // Kernels before 2.6 had four fields; anything shorter is not a cpu line.
    return parsed >= 4;
}

} // namespace

void parseProcStat(QByteArrayView text, ProcStat &out)
{
    out.total.reset();
    out.cores.clear();
    out.contextSwitches.reset();
    out.bootTime.reset();
    out.forks.reset();
    out.running.reset();
    out.blocked.reset();

    Lines lines(text);
    QByteArrayView line;
    while (lines.next(line)) {
        Fields fields(line);
        const QByteArrayView key = fields.next();
        if (key.startsWith("cpu")) {
            CpuTimes times;
            if (key.size() == 3) {
                if (parseCpuTimes(fields, times))
                    out.total = times;
                continue;
            }
            quint64 id = 0;
            if (!toUnsigned(key.sliced(3), id) || id > 1u << 20)
                continue;
            if (parseCpuTimes(fields, times))
                out.cores.push_back(CpuLine{int(id), times});
            continue;
        }
        std::optional<quint64> *target = nullptr;
        if (key == "ctxt")
            target = &out.contextSwitches;
        else if (key == "btime")
            target = &out.bootTime;
        else if (key == "processes")
            target = &out.forks;
        else if (key == "procs_running")
            target = &out.running;
        else if (key == "procs_blocked")
            target = &out.blocked;
        quint64 v = 0;
        if (target && nextUnsigned(fields, v))
            *target = v;
    }
}

MemInfo parseMemInfo(QByteArrayView text)
{
    MemInfo m;
    Lines lines(text);
    QByteArrayView line;
    while (lines.next(line)) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArrayView key = line.first(colon);
        std::optional<quint64> *target = nullptr;
        switch (key.front()) {
        case 'M':
            if (key == "MemTotal")
                target = &m.total;
            else if (key == "MemFree")
                target = &m.free;
            else if (key == "MemAvailable")
                target = &m.available;
            break;
        case 'B':
            if (key == "Buffers")
                target = &m.buffers;
            break;
        case 'C':
            if (key == "Cached")
                target = &m.cached;
            break;
        case 'S':
            if (key == "SReclaimable")
                target = &m.sReclaimable;
            else if (key == "SwapTotal")
                target = &m.swapTotal;
            else if (key == "SwapFree")
                target = &m.swapFree;
            break;
        default:
            break;
        }
        if (!target)
            continue;
        Fields fields(line.sliced(colon + 1));
        quint64 v = 0;
        if (!nextUnsigned(fields, v))
            continue;
        const QByteArrayView unit = fields.next();
        if (unit == "kB") {
            if (v > std::numeric_limits<quint64>::max() / 1024)
                continue;
            v *= 1024;
        } else if (!unit.isEmpty()) {
            continue;
        }
        *target = v;
    }
    return m;
}

std::optional<LoadAverage> parseLoadAverage(QByteArrayView text)
{
    Fields fields(text);
    LoadAverage l;
    if (!toDecimal(fields.next(), l.one) || !toDecimal(fields.next(), l.five) ||
        !toDecimal(fields.next(), l.fifteen))
        return std::nullopt;
    return l;
}

std::optional<double> parseUptime(QByteArrayView text)
{
    Fields fields(text);
    double v = 0;
    if (!toDecimal(fields.next(), v))
        return std::nullopt;
    return v;
}

void parseDiskStats(QByteArrayView text, std::vector<DiskStat> &out)
{
    out.clear();
    Lines lines(text);
    QByteArrayView line;
    while (lines.next(line)) {
        Fields fields(line);
        quint64 major = 0;
        quint64 minor = 0;
        if (!nextUnsigned(fields, major) || !nextUnsigned(fields, minor))
            continue;
        DiskStat d;
        d.name = fields.next();
        if (d.name.isEmpty())
            continue;
        quint64 unused = 0;
        // reads, merged, sectors, ms; writes, merged, sectors, ms; in flight, io_ticks
        if (!nextUnsigned(fields, d.readsCompleted) || !nextUnsigned(fields, unused) ||
            !nextUnsigned(fields, d.sectorsRead) || !nextUnsigned(fields, unused) ||
            !nextUnsigned(fields, d.writesCompleted) || !nextUnsigned(fields, unused) ||
            !nextUnsigned(fields, d.sectorsWritten) || !nextUnsigned(fields, unused) ||
            !nextUnsigned(fields, unused) || !nextUnsigned(fields, d.ioTicksMs))
            continue;
        out.push_back(d);
    }
}

void parseNetDev(QByteArrayView text, std::vector<NetDevStat> &out)
{
    out.clear();
    Lines lines(text);
    QByteArrayView line;
    while (lines.next(line)) {
        // Interface names cannot contain ':', and old kernels glued the first
        // counter to it ("eth0:123"), so split at the colon, not at blanks.
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        NetDevStat s;
        s.name = line.first(colon).trimmed();
        if (s.name.isEmpty() || s.name.contains('|'))
            continue;
        Fields fields(line.sliced(colon + 1));
        // rx: bytes packets errs drop fifo frame compressed multicast; tx: bytes packets errs drop
        if (!nextUnsigned(fields, s.rxBytes) || !nextUnsigned(fields, s.rxPackets) ||
            !nextUnsigned(fields, s.rxErrors) || !nextUnsigned(fields, s.rxDrop) ||
            !fields.skip(4) || !nextUnsigned(fields, s.txBytes) ||
            !nextUnsigned(fields, s.txPackets) || !nextUnsigned(fields, s.txErrors) ||
            !nextUnsigned(fields, s.txDrop))
            continue;
        out.push_back(s);
    }
}

QByteArray unescapeMountField(QByteArrayView field)
{
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        const char c = field[i];
        if (c == '\\' && i + 3 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '3' &&
            field[i + 2] >= '0' && field[i + 2] <= '7' && field[i + 3] >= '0' &&
            field[i + 3] <= '7') {
            out.append(
                char((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0')));
            i += 3;
        } else {
            out.append(c);
        }
    }
    return out;
}

QList<MountEntry> parseMountInfo(QByteArrayView text)
{
    QList<MountEntry> out;
    Lines lines(text);
    QByteArrayView line;
    while (lines.next(line)) {
        // id parent major:minor root mountpoint options [optional...] - fstype source superopts
        Fields fields(line);
        if (!fields.skip(2))
            continue;
        const QByteArrayView dev = fields.next();
        const qsizetype colon = dev.indexOf(':');
        quint64 major = 0;
        quint64 minor = 0;
        if (colon < 0 || !toUnsigned(dev.first(colon), major) ||
            !toUnsigned(dev.sliced(colon + 1), minor) || major > 0xffffffffu || minor > 0xffffffffu)
            continue;
        const QByteArrayView root = fields.next();
        const QByteArrayView mountPoint = fields.next();
        if (root.isEmpty() || mountPoint.isEmpty() || fields.next().isEmpty())
            continue;
        QByteArrayView field;
        while (!(field = fields.next()).isEmpty() && field != "-") {
        }
        if (field != "-")
            continue;
        const QByteArrayView fsType = fields.next();
        const QByteArrayView source = fields.next();
        if (fsType.isEmpty())
            continue;
        MountEntry e;
        e.major = quint32(major);
        e.minor = quint32(minor);
        e.root = QString::fromUtf8(unescapeMountField(root));
        e.mountPoint = QString::fromUtf8(unescapeMountField(mountPoint));
        e.fsType = QString::fromUtf8(unescapeMountField(fsType));
        e.source = QString::fromUtf8(unescapeMountField(source));
        out.append(std::move(e));
    }
    return out;
}

std::optional<PidStat> parsePidStat(QByteArrayView text)
{
    // The command name may hold blanks and parentheses of its own ("(sd-pam)",
    // "a) b"), so it runs from the first '(' to the *last* ')'.
    const qsizetype open = text.indexOf('(');
    const qsizetype close = text.lastIndexOf(')');
    if (open <= 0 || close < open)
        return std::nullopt;
    PidStat s;
    if (!toSigned(text.first(open).trimmed(), s.pid) || s.pid <= 0)
        return std::nullopt;
    s.comm = text.sliced(open + 1, close - open - 1);
    Fields fields(text.sliced(close + 1));
    const QByteArrayView state = fields.next(); // field 3
    if (state.size() != 1)
        return std::nullopt;
    s.state = state.front();
    qint64 unusedSigned = 0;
    // ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt (4..13)
    if (!fields.skip(10) || !nextUnsigned(fields, s.utime) || !nextUnsigned(fields, s.stime) ||
        !fields.skip(4) // cutime cstime priority nice (16..19)
        || !toSigned(fields.next(), s.numThreads) || !toSigned(fields.next(), unusedSigned) ||
        !nextUnsigned(fields, s.startTime) || !fields.skip(1) // vsize (23)
        || !toSigned(fields.next(), s.rssPages))
        return std::nullopt;
    return s;
}

std::optional<qint64> parseInteger(QByteArrayView text)
{
    Fields fields(text);
    qint64 v = 0;
    if (!toSigned(fields.next(), v))
        return std::nullopt;
    return v;
}

bool isVirtualFilesystem(QStringView fsType)
{
    static const QSet<QString> types = {
        QStringLiteral("proc"),        QStringLiteral("sysfs"),
        QStringLiteral("tmpfs"),       QStringLiteral("devtmpfs"),
        QStringLiteral("overlay"),     QStringLiteral("squashfs"),
        QStringLiteral("devpts"),      QStringLiteral("mqueue"),
        QStringLiteral("bpf"),         QStringLiteral("tracefs"),
        QStringLiteral("debugfs"),     QStringLiteral("securityfs"),
        QStringLiteral("pstore"),      QStringLiteral("autofs"),
        QStringLiteral("fusectl"),     QStringLiteral("configfs"),
        QStringLiteral("hugetlbfs"),   QStringLiteral("nsfs"),
        QStringLiteral("binfmt_misc"), QStringLiteral("ramfs"),
        QStringLiteral("rpc_pipefs"),  QStringLiteral("efivarfs"),
        QStringLiteral("selinuxfs"),   QStringLiteral("cpuset"),
        QStringLiteral("aufs"),        QStringLiteral("nfsd"),
        QStringLiteral("fuse.portal"), QStringLiteral("fuse.gvfsd-fuse"),
        QStringLiteral("fuse.lxcfs"),  QStringLiteral("fuse.snapfuse"),
    };
    if (fsType.startsWith(u"cgroup"))
        return true;
    return types.contains(fsType.toString());
}

bool isVirtualBlockDevice(QByteArrayView name)
{
    return name.startsWith("loop") || name.startsWith("ram") || name.startsWith("zram") ||
           name.startsWith("fd") || name.startsWith("sr");
}

namespace {

/// `prefix`, then one or more lowercase letters, then one or more digits.
bool letterDiskPartition(QByteArrayView name, QByteArrayView prefix)
{
    if (!name.startsWith(prefix))
        return false;
    qsizetype i = prefix.size();
    const qsizetype lettersStart = i;
    while (i < name.size() && name[i] >= 'a' && name[i] <= 'z')
        ++i;
    if (i == lettersStart || i == name.size())
        return false;
    for (; i < name.size(); ++i) {
        if (!isDigit(name[i]))
            return false;
    }
    return true;
}

/// Consumes a run of digits at `i`; false when there is none.
bool digits(QByteArrayView name, qsizetype &i)
{
    const qsizetype start = i;
    while (i < name.size() && isDigit(name[i]))
        ++i;
    return i > start;
}

} // namespace

bool looksLikePartition(QByteArrayView name)
{
    for (QByteArrayView prefix : {QByteArrayView("sd"), QByteArrayView("hd"), QByteArrayView("vd"),
                                  QByteArrayView("xvd")}) {
        if (letterDiskPartition(name, prefix))
            return true;
    }
    qsizetype i = 0;
    if (name.startsWith("nvme")) {
        i = 4;
        return digits(name, i) && i < name.size() && name[i++] == 'n' && digits(name, i) &&
               i < name.size() && name[i++] == 'p' && digits(name, i) && i == name.size();
    }
    if (name.startsWith("mmcblk")) {
        i = 6;
        return digits(name, i) && i < name.size() && name[i++] == 'p' && digits(name, i) &&
               i == name.size();
    }
    return false;
}

QString sanitizeIdPart(QStringView label)
{
    QString out;
    out.reserve(label.size());
    bool pendingUnderscore = false;
    for (QChar c : label) {
        const char16_t u = c.unicode();
        const bool keep =
            (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || (u >= 'A' && u <= 'Z');
        if (!keep) {
            pendingUnderscore = !out.isEmpty();
            continue;
        }
        if (pendingUnderscore)
            out.append(QLatin1Char('_'));
        pendingUnderscore = false;
        out.append(QChar(u >= 'A' && u <= 'Z' ? char16_t(u - 'A' + 'a') : u));
    }
    return out;
}

} // namespace tidewatch::procfs
