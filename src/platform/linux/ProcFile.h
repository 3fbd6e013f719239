// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace tidewatch {

/// A file under /proc or /sys that is read again on every tick. It stays open
/// and is re-read with pread() at offset 0 into a buffer that is reused, which
/// costs a fraction of open/read/close per tick.
class ProcFile final
{
public:
    /// Files whose whole content the kernel formats as one record (stat, meminfo,
    /// sysfs attributes) come back from a single pread(); files made of many
    /// records (diskstats, net/dev, mountinfo) are served a page at a time.
    enum class Records { Single, Many };

    ProcFile() = default;
    explicit ProcFile(QByteArray path, Records records = Records::Single);
    ~ProcFile();
    ProcFile(const ProcFile &) = delete;
    ProcFile &operator=(const ProcFile &) = delete;
    ProcFile(ProcFile &&other) noexcept;
    ProcFile &operator=(ProcFile &&other) noexcept;

    /// The whole file, or an empty view when it cannot be opened or read. The
    /// view stays valid until the next read() or until the object is destroyed.
    /// A failed read is retried once on a fresh descriptor, because sysfs and
    /// procfs files can be replaced under an open descriptor.
    QByteArrayView read();
    /// The same, read into `buffer` instead of the file's own. Many files read
    /// one after another (one per process) share one buffer this way, so a
    /// host with thousands of processes does not hold a page for each.
    QByteArrayView read(QByteArray &buffer);

    /// Opens the file now if it is not open; true when it is.
    bool open();
    void close();
    bool isOpen() const { return m_fd >= 0; }
    int fd() const { return m_fd; }
    const QByteArray &path() const { return m_path; }

private:
    qsizetype readOnce(QByteArray &buffer);

    QByteArray m_path;
    QByteArray m_buffer;
    int m_fd = -1;
    Records m_records = Records::Single;
};

} // namespace tidewatch
