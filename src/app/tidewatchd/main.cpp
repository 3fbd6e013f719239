// SPDX-License-Identifier: GPL-3.0-or-later
// tidewatchd: samples this machine and serves the feed, with no window.
#include "Config.h"
#include "FeedServer.h"
#include "Hub.h"
#include "Platform.h"
#include "Sampler.h"
#include "SelfSignedTls.h"
#include "ServerSecurity.h"
#include "SignalNotifier.h"
#include "StoreFromConfig.h"
#include "TokenCommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QTimer>

#include <cstdio>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

// Exit codes: 0 clean stop, 1 usage, 2 config or listen failure.
constexpr int ExitBadConfig = 2;

void printLine(FILE *stream, const QString &line)
{
    std::fputs(qPrintable(u"tidewatchd: "_s + line + u'\n'), stream);
    std::fflush(stream);
}

} // namespace

int main(int argc, char *argv[])
{
    // Qt's glib event dispatcher finds a socket notifier by a linear search
    // when a write completes, so fanning one frame out to N clients costs
    // O(N²) per tick: half the daemon's CPU at 1,000 clients (bench/fanout,
    // docs/performance.md). The plain Unix dispatcher keeps a hash. The
    // daemon needs nothing from glib's main loop.
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"tidewatchd"_s);
    QCoreApplication::setOrganizationName(u"tidewatch"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(TIDEWATCH_VERSION));

    if (app.arguments().size() > 1 && app.arguments().at(1) == u"token"_s)
        return runTokenCommand(app.arguments());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Tidewatch daemon: samples this machine and serves a live dashboard, a WebSocket "
        "feed and Prometheus metrics on one port.\n\n"
        "tidewatchd token issue --ttl 1h [--sub NAME] prints a JWT for JWT_SECRET."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    ConfigLoader::addOptions(parser);
    // Not a setting: an action at start, like a QR code on a console.
    const QCommandLineOption printLoginLink(
        u"print-login-link"_s,
        u"Print a one-time login link (valid 5 minutes) once serving, when a credential is "
        "configured; opening it signs a browser in without the token."_s);
    parser.addOption(printLoginLink);
    parser.process(app);

    Config config;
    QString error;
    if (!ConfigLoader::load(parser, QProcessEnvironment::systemEnvironment(), &config, &error)) {
        printLine(stderr, error);
        return ExitBadConfig;
    }
    // Credentials, the exposure policy and a self-signed pair, before
    // anything starts.
    QString selfSignedNotice;
    if (!tls::applySelfSignedTls(&config, config.bind, &selfSignedNotice, &error)) {
        printLine(stderr, error);
        return ExitBadConfig;
    }
    AuthOptions authOptions;
    if (!loadAuthOptions(config, &authOptions, &error) ||
        !exposureAllowed(QHostAddress(config.bind), config.hasCredentials(), config.insecureNoAuth,
                         &error)) {
        printLine(stderr, error);
        return ExitBadConfig;
    }

    // Before the collectors, which size their descriptor cache from it.
    raiseOpenFileLimit();

    Sampler sampler(createCollectors(PlatformOptions::fromConfig(config)));
    sampler.setIntervalMs(config.intervalMs);
    Hub hub(qint64(config.historyMinutes) * 60 * 1000);
    hub.follow(&sampler);

    // Before the server, so it is destroyed after it: the server asks it
    // for history until its last client is gone.
    std::unique_ptr<HistoryStore> store = openHistoryStore(config, sampler.host(), &error);
    if (!error.isEmpty()) {
        printLine(stderr, error);
        return ExitBadConfig;
    }
    if (store) {
        QObject::connect(&sampler, &Sampler::snapshotReady, store.get(), &HistoryStore::append);
        // One line per change of state, not per retry.
        QObject::connect(store.get(), &HistoryStore::statusChanged, &app,
                         [last = store->status()](const StoreStatus &status) mutable {
                             if (status.state == last.state && status.message == last.message)
                                 return;
                             last = status;
                             printLine(stderr, status.state == StoreStatus::State::Ok
                                                   ? u"history store: writing again"_s
                                                   : u"history store: "_s + status.message);
                         });
    }

    FeedServerOptions feedOptions;
    feedOptions.maxClients = config.maxClients;
    // Writer threads for the feed's sockets (FeedServerOptions; by default
    // one per core). A tuning and benchmarking knob in the environment, not
    // a setting: -1 is one per core (at most 4), 0 none, N that many.
    if (const QByteArray threads = qgetenv("TIDEWATCH_WRITER_THREADS"); !threads.isEmpty()) {
        bool ok = false;
        const int n = threads.toInt(&ok);
        if (!ok || n < -1 || n > 64) {
            printLine(stderr, u"bad TIDEWATCH_WRITER_THREADS '%1': expected -1 to 64"_s.arg(
                                  QString::fromLocal8Bit(threads)));
            return ExitBadConfig;
        }
        feedOptions.writerThreads = n;
    }
    FeedServer server(&hub, feedOptions);
    server.setAuthOptions(authOptions);
    server.setAllowedOrigins(config.allowOrigins);
    server.setSampleIntervalMs(sampler.intervalMs());
    server.setHistorySource(store.get());
    QObject::connect(&sampler, &Sampler::intervalChanged, &server,
                     &FeedServer::setSampleIntervalMs);

    // TLS on the same port. SIGHUP re-reads the two files, for certificate
    // renewal without a restart; the notifier also serves SIGINT/SIGTERM below.
    SignalNotifier termination;
    termination.enableReload();
    if (config.tlsEnabled()) {
        if (!server.setTls(config.tlsCert, config.tlsKey, &error)) {
            printLine(stderr, error);
            return ExitBadConfig;
        }
        printLine(stdout, u"TLS certificate %1"_s.arg(server.tlsDescription()));
        if (!selfSignedNotice.isEmpty())
            printLine(stdout, selfSignedNotice);
    }
    QObject::connect(&termination, &SignalNotifier::reloadRequested, &server, [&server] {
        QString why;
        if (!server.tlsEnabled())
            printLine(stdout, u"SIGHUP: nothing to reload (no TLS configured)"_s);
        else if (server.reloadTls(&why))
            printLine(stdout, u"reloaded TLS certificate %1"_s.arg(server.tlsDescription()));
        else
            printLine(stderr, u"TLS reload failed, keeping the previous certificate: "_s + why);
    });

    if (!server.listen(QHostAddress(config.bind), quint16(config.port), &error)) {
        printLine(stderr, error);
        return ExitBadConfig;
    }
    const QHostAddress bound = server.serverAddress();
    if (!bound.isLoopback() && !config.hasCredentials())
        printLine(stderr, u"warning: --insecure-no-auth: listening on %1 with no "
                          "authentication; anyone who can reach the port sees this machine"_s.arg(
                              bound.toString()));
    printLine(stdout,
              u"serving %1 (sampling every %2 ms)"_s.arg(server.url()).arg(sampler.intervalMs()));
    if (parser.isSet(printLoginLink)) {
        // Without a credential there is no login, and the page is open.
        if (config.hasCredentials())
            printLine(stdout, u"login link (one use, 5 minutes): "_s + server.issueLoginLink());
        else
            printLine(stderr, u"--print-login-link: no credential is configured, so no login "
                              "is needed"_s);
    }
    if (store) {
        const StoreStatus status = store->status();
        printLine(stdout, u"history in %1 %2"_s.arg(status.backend, status.location));
        if (status.state != StoreStatus::State::Ok)
            printLine(stderr, u"history store: "_s + status.message);
    } else {
        printLine(stdout, u"history off (memory only)"_s);
    }
    if (config.hasCredentials())
        printLine(stdout, u"authentication required (%1)"_s.arg(
                              authOptions.jwtSecret.isEmpty() ? u"tokens"_s
                              : authOptions.tokens.isEmpty()  ? u"JWT"_s
                                                              : u"tokens and JWT"_s));

    sampler.start();

    QObject::connect(&termination, &SignalNotifier::terminationRequested, &app,
                     [&](int, int count) {
                         if (count > 1) {
                             printLine(stderr, u"second signal, exiting now"_s);
                             QCoreApplication::exit(0);
                             return;
                         }
                         printLine(stdout, u"shutting down"_s);
                         sampler.stop();
                         if (store)
                             store->flush(); // written by the time the clients are closed
                         server.shutdown();
                     });
    QObject::connect(&server, &FeedServer::shutdownFinished, &app,
                     [] { QCoreApplication::exit(0); });

    return app.exec();
}
