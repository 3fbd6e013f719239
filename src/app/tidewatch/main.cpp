// SPDX-License-Identifier: GPL-3.0-or-later
// tidewatch: the desktop app. One Sampler feeds one Hub; the Hub feeds the
// window and the embedded FeedServer alike, so both show the same samples.
#include "AppSettings.h"
#include "Appearance.h"
#include "Config.h"
#include "EmbeddedFeed.h"
#include "Hub.h"
#include "MainWindow.h"
#include "Platform.h"
#include "Sampler.h"
#include "SelfSignedTls.h"
#include "SignalNotifier.h"
#include "StoreFromConfig.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QHostAddress>
#include <QSettings>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTimer>

#include <cstdio>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

// Exit codes: 0 clean stop, 1 usage or screenshot failure, 2 config failure.
constexpr int ExitFailure = 1;
constexpr int ExitBadConfig = 2;
// The time windows (up to 1 h) are back-filled from the Hub's in-memory
// history, which keeps every sample: 60 minutes at 1 Hz, but at faster
// cadences only as long as 3600 samples last (6 min at 10 Hz), so memory
// stays bounded. Live charts keep their whole window either way.
constexpr int MaxBackfillMinutes = 60;
constexpr qint64 BackfillSamples = 3600;

qint64 historyMs(const Config &config)
{
    const qint64 backfill = std::min<qint64>(BackfillSamples * config.intervalMs,
                                             qint64(MaxBackfillMinutes) * 60 * 1000);
    return std::max(qint64(config.historyMinutes) * 60 * 1000, backfill);
}

void printLine(FILE *stream, const QString &line)
{
    std::fputs(qPrintable(u"tidewatch: "_s + line + u'\n'), stream);
    std::fflush(stream);
}

// The value of `--name VALUE` or `--name=VALUE`, before the parser exists:
// the language must be known before the translated --help is built.
QString earlyOption(const QStringList &args, const QString &name)
{
    const QString flag = u"--"_s + name;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args.at(i) == flag && i + 1 < args.size())
            return args.at(i + 1);
        if (args.at(i).startsWith(flag + u'='))
            return args.at(i).mid(flag.size() + 1);
    }
    return {};
}

QString settingsFile(const QStringList &args)
{
    QString file = earlyOption(args, u"config"_s);
    if (file.isEmpty())
        file = qEnvironmentVariable("TIDEWATCH_CONFIG");
    return file.isEmpty() ? Config::defaultConfigFile() : file;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"tidewatch"_s);
    QApplication::setOrganizationName(u"tidewatch"_s);
    QApplication::setApplicationDisplayName(u"Tidewatch"_s);
    QApplication::setApplicationVersion(QStringLiteral(TIDEWATCH_VERSION));
    QApplication::setDesktopFileName(u"tidewatch"_s);
    // Closing to the tray must not end the app; MainWindow says when to quit.
    QApplication::setQuitOnLastWindowClosed(false);
    Appearance::captureSystemPalette();

    const QStringList args = QApplication::arguments();
    QString language = earlyOption(args, u"lang"_s);
    if (language.isEmpty())
        language =
            QSettings(settingsFile(args), QSettings::IniFormat).value(u"gui/language"_s).toString();
    Appearance::installTranslations(language);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Tidewatch: a live view of this machine, and the same samples served to "
                "browsers on one port."));
    parser.addHelpOption();
    parser.addVersionOption();
    ConfigLoader::addOptions(parser);
    const QCommandLineOption noFeed(u"no-feed"_s,
                                    QApplication::translate("main", "Do not serve the feed."));
    const QCommandLineOption lang(
        u"lang"_s,
        QApplication::translate("main", "Use the language <code> (en, de, fr, es, zh_CN)."),
        QApplication::translate("main", "code"));
    const QCommandLineOption minimized(
        u"minimized"_s, QApplication::translate("main", "Start minimized (to the tray if any)."));
    const QCommandLineOption screenshot(
        u"screenshot"_s,
        QApplication::translate("main", "Render the main window to the PNG <file> and exit."),
        QApplication::translate("main", "file"));
    const QCommandLineOption after(
        u"after"_s,
        QApplication::translate("main", "With --screenshot: wait <ms> after the first paint "
                                        "(default 1500)."),
        QApplication::translate("main", "ms"), u"1500"_s);
    parser.addOptions({noFeed, lang, minimized, screenshot, after});
    parser.process(app);

    Config config;
    QString error;
    if (!ConfigLoader::load(parser, QProcessEnvironment::systemEnvironment(), &config, &error)) {
        printLine(stderr, error);
        return ExitBadConfig;
    }
    bool afterOk = false;
    const int afterMs = parser.value(after).toInt(&afterOk);
    if (!afterOk || afterMs < 0) {
        printLine(stderr, u"invalid value \"%1\" for --after: expected milliseconds"_s.arg(
                              parser.value(after)));
        return ExitBadConfig;
    }
    const bool screenshotMode = parser.isSet(screenshot);

    QSettings store(config.configFile.isEmpty() ? Config::defaultConfigFile() : config.configFile,
                    QSettings::IniFormat);
    AppSettings settings = AppSettings::load(store, config);
    if (parser.isSet(noFeed))
        settings.feedEnabled = false;
    if (parser.isSet(lang))
        settings.language = parser.value(lang);
    Appearance::applyTheme(settings.theme);

    Sampler sampler(createCollectors(PlatformOptions::fromConfig(config)));
    sampler.setIntervalMs(config.intervalMs);
    Hub hub(historyMs(config));
    hub.follow(&sampler);

    // Before the feed and the window, which ask it for history until they go.
    // A store that cannot open is reported, and the app runs without it.
    QString historyError;
    std::unique_ptr<HistoryStore> history = openHistoryStore(config, sampler.host(), &historyError);
    StoreStatus historyStatus;
    if (history) {
        QObject::connect(&sampler, &Sampler::snapshotReady, history.get(), &HistoryStore::append);
        historyStatus = history->status();
    } else if (!historyError.isEmpty()) {
        printLine(stderr, historyError);
        historyStatus.state = StoreStatus::State::Failed;
        historyStatus.message = historyError;
    }

    FeedServerOptions feedOptions;
    feedOptions.maxClients = config.maxClients;
    EmbeddedFeed feed(&hub, feedOptions);
    feed.setSampleIntervalMs(sampler.intervalMs());
    feed.setHistorySource(history.get());
    // Exposed, the feed asks for the app's own token, made on first need.
    feed.setAccessTokenSource([&store] { return AppSettings::accessToken(store); });
    feed.setRequireToken(settings.requireToken);
    QString tlsNotice;
    if (!tls::applySelfSignedTls(&config, settings.bind, &tlsNotice, &error)) {
        printLine(stderr, error);
        return ExitBadConfig;
    }
    if (!tlsNotice.isEmpty())
        printLine(stdout, tlsNotice);
    QString credentialError;
    if (!feed.setConfig(config, &credentialError))
        printLine(stderr, credentialError);
    QString feedError;
    if (settings.feedEnabled) {
        if (feed.start(QHostAddress(settings.bind), quint16(settings.port), &feedError)) {
            if (feed.isExposed(feed.address()))
                printLine(stdout, u"the feed asks for the access token (Settings shows it); "
                                  "the QR code carries a one-time login link"_s);
            printLine(
                stdout,
                u"serving %1 (sampling every %2 ms)"_s.arg(feed.url()).arg(sampler.intervalMs()));
        } else {
            // The window still opens: it is useful without the feed, and the
            // status bar and settings say what went wrong.
            printLine(stderr, feedError);
        }
    }

    MainWindow window(&hub, &sampler, &feed, screenshotMode ? nullptr : &store, settings);
    if (!feedError.isEmpty())
        window.setFeedError(feedError);
    if (!credentialError.isEmpty())
        window.statusBar()->showMessage(credentialError);
    window.setHistorySource(history.get());
    window.setStoreStatus(historyStatus);
    if (history)
        QObject::connect(history.get(), &HistoryStore::statusChanged, &window,
                         &MainWindow::setStoreStatus);
    QObject::connect(&window, &MainWindow::quitRequested, &app, &QCoreApplication::quit);

    int exitCode = 0;
    if (screenshotMode) {
        const QString file = parser.value(screenshot);
        // Wait for the first real paint, then give the charts `after` ms of data.
        struct FirstPaint : QObject
        {
            std::function<void()> onPaint;
            bool eventFilter(QObject *, QEvent *event) override
            {
                if (event->type() == QEvent::Paint && onPaint) {
                    auto f = std::move(onPaint);
                    onPaint = nullptr;
                    QTimer::singleShot(0, this, f);
                }
                return false;
            }
        } firstPaint;
        firstPaint.onPaint = [&] {
            QTimer::singleShot(afterMs, &window, [&] {
                const QImage image = window.grab().toImage();
                if (!image.save(file, "PNG")) {
                    printLine(stderr, u"cannot write the screenshot to %1"_s.arg(file));
                    exitCode = ExitFailure;
                }
                QCoreApplication::exit(exitCode);
            });
        };
        window.installEventFilter(&firstPaint);
        window.resize(1280, 800);
        window.show();
        sampler.start();
        const int rc = app.exec();
        window.removeEventFilter(&firstPaint);
        return rc;
    }

    if (parser.isSet(minimized) || settings.startMinimized) {
        if (!QSystemTrayIcon::isSystemTrayAvailable())
            window.showMinimized();
    } else {
        window.show();
    }
    sampler.start();

    SignalNotifier termination;
    QObject::connect(&termination, &SignalNotifier::terminationRequested, &app, [&](int, int) {
        window.saveWindowState();
        QCoreApplication::quit();
    });
    return app.exec();
}
