// SPDX-License-Identifier: GPL-3.0-or-later
// Writes synthetic snapshots into a history store without end, so
// tst_historystore can kill it with SIGKILL in the middle of a write.
// Usage: store_writer_child <url> <first-ts-ms>
// After each synchronous flush it prints "flushed <ts>": every point up to
// <ts> is then in the database.
#include "HistoryStore.h"

#include <QCoreApplication>
#include <QStringList>

#include <cmath>
#include <cstdio>

using namespace tidewatch;
using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3) {
        std::fprintf(stderr, "usage: store_writer_child <url> <first-ts-ms>\n");
        return 2;
    }
    StoreOptions options;
    options.url = args.at(1);
    options.host = u"child"_s;
    options.flushIntervalMs = 20; // the writer thread writes on its own too
    HistoryStore store(options);
    QString error;
    if (!store.open(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    QList<MetricInfo> infos;
    for (int m = 0; m < 20; ++m)
        infos.append({u"m.%1"_s.arg(m), u"m%1"_s.arg(m), u"%"_s, 0, 100, MetricKind::Gauge, {}});
    auto catalog = std::make_shared<const MetricCatalog>(infos);
    qint64 ts = args.at(2).toLongLong();
    for (quint64 seq = 1;; ++seq) {
        auto s = std::make_shared<Snapshot>();
        s->host = u"child"_s;
        s->ts = ts;
        s->seq = seq;
        s->catalog = catalog;
        for (int m = 0; m < 20; ++m)
            s->values.append(double(seq % 1000) + m + std::sin(double(seq) / 10));
        store.append(s);
        if (seq % 200 == 0) {
            store.flushSync();
            std::printf("flushed %lld\n", static_cast<long long>(ts));
            std::fflush(stdout);
        }
        ts += 1000;
    }
}
