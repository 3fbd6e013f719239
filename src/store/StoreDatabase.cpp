// SPDX-License-Identifier: GPL-3.0-or-later
#include "StoreDatabase.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace tidewatch::store {

QString StoreLocation::backendName() const
{
    return isSqlite() ? u"sqlite"_s : u"postgresql"_s;
}

QString StoreLocation::display() const
{
    if (isSqlite())
        return path;
    return u"%1:%2/%3"_s.arg(host).arg(port).arg(database);
}

bool parseLocation(const QString &url, StoreLocation *out, QString *error)
{
    StoreLocation loc;
    const QString trimmed = url.trimmed();
    if (trimmed.isEmpty()) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (dir.isEmpty()) {
            *error = u"no application data directory for the default history file"_s;
            return false;
        }
        loc.path = dir + u"/history.sqlite"_s;
    } else if (trimmed.startsWith(u"postgresql://"_s) || trimmed.startsWith(u"postgres://"_s)) {
        const QUrl u(trimmed, QUrl::StrictMode);
        if (!u.isValid()) {
            *error = u"invalid PostgreSQL URL: %1"_s.arg(u.errorString());
            return false;
        }
        loc.backend = StoreLocation::Backend::Postgres;
        loc.host = u.host();
        loc.port = u.port(5432);
        loc.user = u.userName();
        loc.password = u.password();
        loc.database = u.path().mid(1);
        if (loc.host.isEmpty() || loc.database.isEmpty() || loc.database.contains(u'/')) {
            *error =
                u"PostgreSQL URL needs a host and a database: postgresql://user:pass@host:port/db"_s;
            return false;
        }
        if (loc.port <= 0 || loc.port > 65535) {
            *error = u"PostgreSQL URL has a bad port"_s;
            return false;
        }
    } else if (trimmed.startsWith(u"sqlite:"_s)) {
        QString rest = trimmed.mid(7);
        if (rest.startsWith(u"//"_s))
            rest = rest.mid(2); // sqlite:///abs/path -> /abs/path
        if (rest.isEmpty()) {
            *error = u"sqlite: URL names no file"_s;
            return false;
        }
        loc.path = QFileInfo(rest).absoluteFilePath();
    } else if (const qsizetype colon = trimmed.indexOf(u"://"_s); colon > 0) {
        *error =
            u"unsupported database URL scheme \"%1\" (use a file path, sqlite: or postgresql://)"_s
                .arg(trimmed.left(colon));
        return false;
    } else {
        loc.path = QFileInfo(trimmed).absoluteFilePath();
    }
    *out = loc;
    return true;
}

qint64 maxBlockSpanMs(StoreTier tier)
{
    switch (tier) {
    case StoreTier::Raw:
        return 2LL * 3600 * 1000;
    case StoreTier::Minute:
        return 24LL * 3600 * 1000;
    case StoreTier::Hour:
        return 31LL * 24 * 3600 * 1000;
    }
    return 0;
}

qint64 tierResolutionMs(StoreTier tier)
{
    switch (tier) {
    case StoreTier::Raw:
        return 0;
    case StoreTier::Minute:
        return 60'000;
    case StoreTier::Hour:
        return 3'600'000;
    }
    return 0;
}

bool checkSqliteFile(const QString &path, QString *error)
{
    QFileInfo info(path);
    if (info.exists()) {
        if (!info.isFile()) {
            *error = u"%1: not a regular file"_s.arg(path);
            return false;
        }
        if (info.size() > 0) {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly)) {
                *error = u"%1: cannot read: %2"_s.arg(path, f.errorString());
                return false;
            }
            const QByteArray head = f.read(16);
            if (info.size() < 100 || head != QByteArrayView("SQLite format 3\0", 16)) {
                *error = u"%1 is not a SQLite database, so not a Tidewatch history file; "
                         "refusing to use it (move it away or choose another file)"_s.arg(path);
                return false;
            }
        }
        if (!info.isWritable()) {
            *error = u"%1: file is not writable"_s.arg(path);
            return false;
        }
        return true;
    }
    const QString dir = info.absolutePath();
    if (!QDir().mkpath(dir)) {
        *error = u"%1: cannot create the directory %2"_s.arg(path, dir);
        return false;
    }
    if (!QFileInfo(dir).isWritable()) {
        *error = u"%1: directory %2 is not writable"_s.arg(path, dir);
        return false;
    }
    return true;
}

namespace {

bool exec(QSqlDatabase &db, const QString &sql, QString *error, const QString &where)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        *error = u"%1: %2"_s.arg(where, q.lastError().text());
        return false;
    }
    return true;
}

} // namespace

bool openConnection(const StoreLocation &location, const QString &name, QSqlDatabase *out,
                    QString *error, int sqliteCacheKiB)
{
    QSqlDatabase db;
    if (location.isSqlite()) {
        db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(location.path);
    } else {
        db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(location.host);
        db.setPort(location.port);
        db.setUserName(location.user);
        db.setPassword(location.password);
        db.setDatabaseName(location.database);
        db.setConnectOptions(u"connect_timeout=3"_s);
    }
    if (!db.isValid()) {
        *error = u"%1: Qt SQL driver for %2 is not available"_s.arg(location.display(),
                                                                    location.backendName());
        return false;
    }
    if (!db.open()) {
        *error = location.isSqlite()
                     ? u"%1: cannot open: %2"_s.arg(location.display(), db.lastError().text())
                     : u"PostgreSQL unreachable at %1: %2"_s.arg(location.display(),
                                                                 db.lastError().text());
        db.close();
        *out = db;
        return false;
    }
    *out = db;
    if (location.isSqlite()) {
        // Only settings of this connection here: WAL is made persistent by
        // prepareSchema once the file is known to be ours.
        if (!exec(*out, u"PRAGMA busy_timeout = 5000"_s, error, location.display()) ||
            !exec(*out, u"PRAGMA synchronous = NORMAL"_s, error, location.display()))
            return false;
        if (sqliteCacheKiB > 0 && !exec(*out, u"PRAGMA cache_size = -%1"_s.arg(sqliteCacheKiB),
                                        error, location.display()))
            return false;
    }
    return true;
}

void dropConnection(QSqlDatabase *db)
{
    const QString name = db->connectionName();
    db->close();
    *db = QSqlDatabase();
    if (!name.isEmpty())
        QSqlDatabase::removeDatabase(name);
}

bool prepareSchema(QSqlDatabase &db, const StoreLocation &location, QString *error)
{
    const QString where = location.display();
    const bool sqlite = location.isSqlite();
    QSqlQuery q(db);
    // Reading the table list is the first read of the file: a damaged
    // header fails here ("file is not a database").
    QStringList tables;
    if (sqlite) {
        if (!q.exec(u"SELECT name FROM sqlite_master WHERE type = 'table'"_s)) {
            *error = u"%1 is not a usable SQLite database: %2"_s.arg(where, q.lastError().text());
            return false;
        }
    } else if (!q.exec(u"SELECT table_name FROM information_schema.tables "
                       "WHERE table_schema = current_schema()"_s)) {
        *error = u"%1: %2"_s.arg(where, q.lastError().text());
        return false;
    }
    while (q.next())
        tables.append(q.value(0).toString());

    if (!tables.isEmpty()) {
        const QString foreign =
            u"%1 is not a Tidewatch history database (it holds other tables: %2); "
            "refusing to use it"_s.arg(where, tables.mid(0, 5).join(u", "_s));
        if (!tables.contains(u"meta"_s)) {
            *error = foreign;
            return false;
        }
        if (!q.exec(u"SELECT key, value FROM meta"_s)) {
            *error = u"%1: cannot read its meta table: %2"_s.arg(where, q.lastError().text());
            return false;
        }
        QString app, version;
        while (q.next()) {
            if (q.value(0).toString() == u"application"_s)
                app = q.value(1).toString();
            else if (q.value(0).toString() == u"schema_version"_s)
                version = q.value(1).toString();
        }
        if (app != u"tidewatch"_s) {
            *error = foreign;
            return false;
        }
        bool okVersion = false;
        const int v = version.toInt(&okVersion);
        if (!okVersion || v > SchemaVersion) {
            *error = u"%1 has history schema version %2, newer than this Tidewatch (%3) "
                     "understands; refusing to use it"_s.arg(where, version)
                         .arg(SchemaVersion);
            return false;
        }
        if (sqlite) {
            // A cheap structural check (no index/content cross-check): a
            // damaged page is refused here instead of failing later.
            if (!q.exec(u"PRAGMA quick_check"_s) || !q.next()) {
                *error = u"%1 is corrupt: %2"_s.arg(where, q.lastError().text());
                return false;
            }
            const QString verdict = q.value(0).toString().simplified();
            if (verdict != u"ok"_s) {
                *error =
                    u"%1 is corrupt (quick_check: %2); refusing to use it"_s.arg(where, verdict);
                return false;
            }
            return exec(db, u"PRAGMA journal_mode = WAL"_s, error, where);
        }
        return true;
    }

    // Empty: create. SQLite and PostgreSQL share everything but the
    // identity column and the blob type.
    const QString id = sqlite ? u"INTEGER PRIMARY KEY"_s : u"BIGSERIAL PRIMARY KEY"_s;
    const QString blob = sqlite ? u"BLOB"_s : u"BYTEA"_s;
    if (sqlite) {
        // A sealed raw block is ~1 KB: 4 KiB pages fit three and waste a
        // quarter of the file; 16 KiB pages fit fifteen (bench_store). WAL
        // lets the reader run beside the writer.
        if (!exec(db, u"PRAGMA page_size = 16384"_s, error, where) ||
            !exec(db, u"PRAGMA journal_mode = WAL"_s, error, where) ||
            !exec(db, u"PRAGMA application_id = %1"_s.arg(SqliteApplicationId), error, where))
            return false;
    }
    const QStringList ddl = {
        u"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s,
        u"CREATE TABLE hosts (id %1, name TEXT NOT NULL UNIQUE)"_s.arg(id),
        u"CREATE TABLE metrics (id %1, name TEXT NOT NULL UNIQUE, unit TEXT NOT NULL, "
        "kind TEXT NOT NULL)"_s.arg(id),
        u"CREATE TABLE series (host_id BIGINT NOT NULL REFERENCES hosts (id), "
        "metric_id BIGINT NOT NULL REFERENCES metrics (id), PRIMARY KEY (host_id, metric_id))"_s,
        u"CREATE TABLE blocks (host_id BIGINT NOT NULL, metric_id BIGINT NOT NULL, "
        "tier SMALLINT NOT NULL, start_ts BIGINT NOT NULL, end_ts BIGINT NOT NULL, "
        "count INTEGER NOT NULL, data %1 NOT NULL, "
        "PRIMARY KEY (host_id, metric_id, tier, start_ts))"_s.arg(blob),
        u"CREATE INDEX blocks_expiry ON blocks (tier, end_ts)"_s,
        u"INSERT INTO meta (key, value) VALUES ('application', 'tidewatch')"_s,
        u"INSERT INTO meta (key, value) VALUES ('schema_version', '%1')"_s.arg(SchemaVersion),
    };
    if (!db.transaction()) {
        *error = u"%1: %2"_s.arg(where, db.lastError().text());
        return false;
    }
    for (const QString &sql : ddl) {
        if (!exec(db, sql, error, where)) {
            db.rollback();
            return false;
        }
    }
    if (!db.commit()) {
        *error = u"%1: %2"_s.arg(where, db.lastError().text());
        return false;
    }
    return true;
}

} // namespace tidewatch::store
