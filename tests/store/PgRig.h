// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QUrl>

namespace tidewatch::test {

/// The private PostgreSQL server of tests/store/pg-cluster, as CTest's
/// `pg-cluster exec` wrapper describes it in the environment.
struct PgRig
{
    /// postgresql://user:pass@127.0.0.1:PORT/db, or empty outside the rig.
    static QString url() { return qEnvironmentVariable("TIDEWATCH_TEST_PG_URL"); }

    /// Why the rig is not usable, or empty when it is.
    static QString missing()
    {
        if (url().isEmpty() || qEnvironmentVariable("TIDEWATCH_TEST_PG_CTL").isEmpty())
            return QStringLiteral("TIDEWATCH_TEST_PG_URL is not set: run this test through ctest, "
                                  "which starts the server (tests/store/postgresql.cmake)");
        return {};
    }

    /// Runs `pg-cluster stop|start STATE`; returns an error message, empty on success.
    static QString control(const QString &command)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(qEnvironmentVariable("TIDEWATCH_TEST_PG_CTL"),
                {command, qEnvironmentVariable("TIDEWATCH_TEST_PG_STATE")});
        if (!p.waitForFinished(120000))
            return QStringLiteral("pg-cluster %1 did not finish: %2").arg(command, p.errorString());
        const QString out = QString::fromLocal8Bit(p.readAll()).trimmed();
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return QStringLiteral("pg-cluster %1 failed: %2").arg(command, out);
        return {};
    }
    static QString stopServer() { return control(QStringLiteral("stop")); }
    static QString startServer() { return control(QStringLiteral("start")); }
    /// Starts the server if a test left it stopped; returns an error message, empty on success.
    static QString ensureRunning()
    {
        if (control(QStringLiteral("status")).isEmpty())
            return {};
        return startServer();
    }

    /// A fresh, empty database `name` (dropped first if a previous run left it);
    /// returns its URL, or empty with `*error` set.
    static QString freshDatabase(const QString &name, QString *error)
    {
        const QString connection = QStringLiteral("pgrig-admin");
        QString url;
        {
            QSqlDatabase db = addDatabase(connection);
            if (!db.open()) {
                *error = db.lastError().text();
            } else {
                QSqlQuery q(db);
                if (!q.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name)) ||
                    !q.exec(QStringLiteral("CREATE DATABASE %1").arg(name))) {
                    *error = q.lastError().text();
                } else {
                    QUrl u(PgRig::url());
                    u.setPath(u'/' + name);
                    url = u.toString();
                }
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(connection);
        return url;
    }

    /// Adds a QPSQL connection named `name` set up from url() (not opened).
    static QSqlDatabase addDatabase(const QString &name)
    {
        const QUrl u(url());
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(u.host());
        db.setPort(u.port(5432));
        db.setUserName(u.userName());
        db.setPassword(u.password());
        db.setDatabaseName(u.path().mid(1));
        db.setConnectOptions(QStringLiteral("connect_timeout=10"));
        return db;
    }
};

} // namespace tidewatch::test
