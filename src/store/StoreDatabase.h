// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StoredBlock.h"

#include <QSqlDatabase>
#include <QString>

namespace tidewatch::store {

/// A parsed StoreOptions::url.
struct StoreLocation
{
    enum class Backend { Sqlite, Postgres } backend = Backend::Sqlite;
    QString path; ///< SQLite file
    QString host; ///< PostgreSQL
    int port = 5432;
    QString user, password, database;

    bool isSqlite() const { return backend == Backend::Sqlite; }
    QString backendName() const;
    QString display() const; ///< the file, or host:port/db: never the password
};

bool parseLocation(const QString &url, StoreLocation *out, QString *error);

constexpr int SchemaVersion = 1;
/// Written into the SQLite header (PRAGMA application_id): "TdWt".
constexpr qint32 SqliteApplicationId = 0x54645774;

/// Opens a connection named `name` with the session settings the store
/// relies on (WAL, synchronous=NORMAL, busy timeout for SQLite; a connect
/// timeout for PostgreSQL). Does not create or check the schema.
/// `sqliteCacheKiB` > 0 bounds SQLite's page cache for this connection
/// (PRAGMA cache_size); 0 keeps SQLite's default of 2000 KiB.
bool openConnection(const StoreLocation &location, const QString &name, QSqlDatabase *out,
                    QString *error, int sqliteCacheKiB = 0);

/// The writer's page cache. It appends at the right edge of a few B-trees and
/// reads back the blocks it just wrote, so 16 pages of 16 KiB hold its working
/// set (bench_store writes as fast). SQLite's default lets one connection
/// hold up to 2 MB of pages it will not read again.
constexpr int WriterCacheKiB = 256;

/// Checks that the database is Tidewatch's (or empty) and creates the
/// schema when empty. Writes nothing to a database it refuses.
bool prepareSchema(QSqlDatabase &db, const StoreLocation &location, QString *error);

/// SQLite only, before any connection: refuses a file that is not a SQLite
/// database at all, so SQLite never gets to touch it.
bool checkSqliteFile(const QString &path, QString *error);

/// The widest time span a block of `tier` may cover; sealing enforces it,
/// so range queries scan start_ts from (from - span) only.
qint64 maxBlockSpanMs(StoreTier tier);
qint64 tierResolutionMs(StoreTier tier); ///< 0 for raw

/// Removes a connection after every QSqlDatabase copy of it is gone.
void dropConnection(QSqlDatabase *db);

} // namespace tidewatch::store
