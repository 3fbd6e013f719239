// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

namespace tidewatch {

/// Turns SIGINT and SIGTERM (and SIGHUP, when asked) into Qt signals
/// delivered in the event loop, through a self-pipe: a signal handler may
/// only do async-signal-safe work, so it writes one byte and the event loop
/// does the rest. One instance per process.
class SignalNotifier final : public QObject
{
    Q_OBJECT
public:
    explicit SignalNotifier(QObject *parent = nullptr);
    ~SignalNotifier() override;

    /// Catches SIGHUP as well, as reloadRequested(). Opt-in: elsewhere (the
    /// desktop app) a hang-up keeps its default meaning.
    void enableReload();

Q_SIGNALS:
    /// `signalNumber` is SIGINT or SIGTERM; `count` is 1 for the first one.
    void terminationRequested(int signalNumber, int count);
    /// SIGHUP: read the configuration files again (the TLS certificate).
    void reloadRequested();

private:
    void readPipe();
    QSocketNotifier *m_notifier = nullptr;
    int m_count = 0;
};

} // namespace tidewatch
