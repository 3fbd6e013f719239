// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Collector.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>

#include <algorithm>

namespace tidewatch::test {

/// A scratch root that is made to look like one state of a fixture shape
/// (fixtures/<shape>/t0, then t1). Files are rewritten in place, not replaced,
/// so collectors that keep descriptors open see the new content, as they
/// would with /proc; files and directories absent from a state are removed,
/// as a process's directory vanishes from /proc.
class FixtureTree final
{
public:
    bool isValid() const { return m_dir.isValid(); }
    QString root() const { return m_dir.path(); }

    /// Mirrors `stateDir` into the scratch root; false on any I/O failure.
    bool load(const QString &stateDir)
    {
        const QDir source(stateDir);
        if (stateDir.isEmpty() || !source.exists())
            return false;
        QSet<QString> wanted;
        QDirIterator it(stateDir, QDir::Files | QDir::NoDotAndDotDot | QDir::Hidden,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString from = it.next();
            const QString rel = source.relativeFilePath(from);
            wanted.insert(rel);
            QFile in(from);
            if (!in.open(QIODevice::ReadOnly))
                return false;
            const QString to = m_dir.filePath(rel);
            if (!QDir().mkpath(QFileInfo(to).path()))
                return false;
            QFile out(to);
            if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
                out.write(in.readAll()) < 0)
                return false;
        }
        QStringList stale;
        QDirIterator mine(m_dir.path(), QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                          QDirIterator::Subdirectories);
        while (mine.hasNext())
            stale.append(mine.next());
        // Deepest first, so a directory is emptied before it is looked at.
        std::sort(stale.begin(), stale.end(),
                  [](const QString &a, const QString &b) { return a.size() > b.size(); });
        for (const QString &path : std::as_const(stale)) {
            const QString rel = QDir(m_dir.path()).relativeFilePath(path);
            const QFileInfo info(path);
            if (info.isDir() && !info.isSymLink()) {
                if (!QFileInfo(source.filePath(rel)).isDir())
                    QDir(path).removeRecursively();
            } else if (!wanted.contains(rel)) {
                QFile::remove(path);
            }
        }
        return true;
    }

private:
    QTemporaryDir m_dir;
};

/// Runs `collector` once at `monotonicUs` and returns what it produced.
inline Snapshot collectOnce(Collector &collector, qint64 monotonicUs)
{
    SnapshotBuilder builder;
    collector.collect(SampleContext{monotonicUs, 1'700'000'000'000 + monotonicUs / 1000}, builder);
    return builder.build(nullptr);
}

inline bool has(const Snapshot &s, const QString &id)
{
    return s.catalog && s.catalog->indexOf(id) >= 0;
}

/// Ids of the snapshot that start with `prefix` and end with `suffix`.
inline QStringList idsMatching(const Snapshot &s, const QString &prefix, const QString &suffix)
{
    QStringList out;
    if (!s.catalog)
        return out;
    for (const MetricInfo &m : s.catalog->metrics()) {
        if (m.id.startsWith(prefix) && m.id.endsWith(suffix))
            out.append(m.id);
    }
    return out;
}

} // namespace tidewatch::test
