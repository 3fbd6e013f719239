// SPDX-License-Identifier: GPL-3.0-or-later
// ConfigLoader reads an INI file that users edit by hand: a typo must give
// one clear error, never a crash.

#include "Config.h"
#include "FuzzCheck.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace tidewatch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int argc = 1;
    static char name[] = "fuzz_config";
    static char *argv[] = {name, nullptr};
    static const QCoreApplication app(argc, argv);
    static const bool testMode = [] {
        QStandardPaths::setTestModeEnabled(true);
        return true;
    }();
    static QTemporaryDir dir;
    static quint64 counter = 0;
    TIDEWATCH_FUZZ_CHECK(testMode && dir.isValid());

    // A new name each time: QSettings caches parsed files by name and
    // could otherwise serve the previous input.
    const QString path = dir.filePath(QStringLiteral("fuzz-%1.conf").arg(++counter));
    {
        QFile f(path);
        TIDEWATCH_FUZZ_CHECK(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        TIDEWATCH_FUZZ_CHECK(f.write(reinterpret_cast<const char *>(data), qint64(size)) ==
                             qint64(size));
    }

    QCommandLineParser parser;
    ConfigLoader::addOptions(parser);
    TIDEWATCH_FUZZ_CHECK(
        parser.parse({QStringLiteral("tidewatchd"), QStringLiteral("--config"), path}));
    Config config;
    QString error;
    const bool ok = ConfigLoader::load(parser, QProcessEnvironment(), &config, &error);
    // Either a config or one line saying what is wrong, never both or neither.
    TIDEWATCH_FUZZ_CHECK(ok == error.isEmpty());
    // One line: the daemon prints the error as its single line on stderr.
    TIDEWATCH_FUZZ_CHECK(!error.contains(u'\n'));
    if (ok) {
        TIDEWATCH_FUZZ_CHECK(config.port >= 0 && config.port <= 65535);
        TIDEWATCH_FUZZ_CHECK(config.intervalMs > 0 && config.maxClients > 0);
    }
    QFile::remove(path);
    return 0;
}
