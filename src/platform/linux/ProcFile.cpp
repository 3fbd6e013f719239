// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProcFile.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace tidewatch {

namespace {
constexpr qsizetype InitialBuffer = 4096;
// Nothing we read is anywhere near this; it only bounds a runaway file.
constexpr qsizetype MaxBuffer = 64 * 1024 * 1024;
} // namespace

ProcFile::ProcFile(QByteArray path, Records records)
    : m_path(std::move(path))
    , m_records(records)
{}

ProcFile::~ProcFile()
{
    close();
}

ProcFile::ProcFile(ProcFile &&other) noexcept
    : m_path(std::move(other.m_path))
    , m_buffer(std::move(other.m_buffer))
    , m_fd(std::exchange(other.m_fd, -1))
    , m_records(other.m_records)
{}

ProcFile &ProcFile::operator=(ProcFile &&other) noexcept
{
    if (this != &other) {
        close();
        m_path = std::move(other.m_path);
        m_buffer = std::move(other.m_buffer);
        m_fd = std::exchange(other.m_fd, -1);
        m_records = other.m_records;
    }
    return *this;
}

bool ProcFile::open()
{
    if (m_fd >= 0)
        return true;
    if (m_path.isEmpty())
        return false;
    do {
        m_fd = ::open(m_path.constData(), O_RDONLY | O_CLOEXEC);
    } while (m_fd < 0 && errno == EINTR);
    return m_fd >= 0;
}

void ProcFile::close()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

qsizetype ProcFile::readOnce(QByteArray &buffer)
{
    if (buffer.size() < InitialBuffer)
        buffer.resize(InitialBuffer);
    qsizetype total = 0;
    for (;;) {
        const qsizetype room = buffer.size() - total;
        const ssize_t n = ::pread(m_fd, buffer.data() + total, size_t(room), off_t(total));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            break;
        total += n;
        if (total == buffer.size()) {
            if (buffer.size() >= MaxBuffer)
                break;
            // A single-record file that filled the buffer may have been cut:
            // read it again whole into a bigger buffer rather than splicing two
            // different generations of its content.
            buffer.resize(buffer.size() * 2);
            if (m_records == Records::Single)
                total = 0;
            continue;
        }
        if (m_records == Records::Single)
            break;
    }
    return total;
}

QByteArrayView ProcFile::read()
{
    return read(m_buffer);
}

QByteArrayView ProcFile::read(QByteArray &buffer)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!open())
            return {};
        const qsizetype n = readOnce(buffer);
        if (n >= 0)
            return QByteArrayView(buffer.constData(), n);
        close();
    }
    return {};
}

} // namespace tidewatch
