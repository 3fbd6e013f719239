// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetworkCollector.h"

namespace tidewatch {

using namespace procfs;

struct NetworkCollector::Interface
{
    bool loopback = false;
    bool hasPrevious = false;
    quint64 seenPass = 0;
    NetDevStat previous;
    MetricInfo rx, tx, rxPackets, txPackets;
    MetricInfo rxTotal, txTotal, rxPacketsTotal, txPacketsTotal;
    MetricInfo rxErrorsTotal, txErrorsTotal, rxDropTotal, txDropTotal;
};

NetworkCollector::NetworkCollector(const QString &rootPath)
    : m_netdev(rootedPath(rootPath, "proc/net/dev"), ProcFile::Records::Many)
    , m_rx(makeMetric(QStringLiteral("net.rx"), QStringLiteral("Network received"),
                      QStringLiteral("B/s"), MetricKind::Rate))
    , m_tx(makeMetric(QStringLiteral("net.tx"), QStringLiteral("Network sent"),
                      QStringLiteral("B/s"), MetricKind::Rate))
    , m_rxTotal(makeMetric(QStringLiteral("net.rx.total"),
                           QStringLiteral("Network received since boot"), QStringLiteral("B"),
                           MetricKind::Counter))
    , m_txTotal(makeMetric(QStringLiteral("net.tx.total"),
                           QStringLiteral("Network sent since boot"), QStringLiteral("B"),
                           MetricKind::Counter))
{}

NetworkCollector::~NetworkCollector() = default;

NetworkCollector::Interface &NetworkCollector::interface(QByteArrayView name)
{
    if (auto it = m_interfaces.find(name); it != m_interfaces.end())
        return *it->second;
    auto i = std::make_unique<Interface>();
    i->loopback = name == "lo";
    const QString dev = QString::fromUtf8(name);
    const QString prefix = QStringLiteral("net.") + dev;
    const QList<MetricAttribute> attrs{{QStringLiteral("device"), dev}};
    auto metric = [&](const char *suffix, const char *label, const char *unit, MetricKind kind) {
        return makeMetric(prefix + QLatin1StringView(suffix), dev + u' ' + QLatin1StringView(label),
                          QLatin1StringView(unit), kind, qQNaN(), attrs);
    };
    i->rx = metric(".rx", "received", "B/s", MetricKind::Rate);
    i->tx = metric(".tx", "sent", "B/s", MetricKind::Rate);
    i->rxPackets = metric(".rx_packets", "packets received", "/s", MetricKind::Rate);
    i->txPackets = metric(".tx_packets", "packets sent", "/s", MetricKind::Rate);
    i->rxTotal = metric(".rx.total", "received since boot", "B", MetricKind::Counter);
    i->txTotal = metric(".tx.total", "sent since boot", "B", MetricKind::Counter);
    i->rxPacketsTotal =
        metric(".rx_packets.total", "packets received since boot", "", MetricKind::Counter);
    i->txPacketsTotal =
        metric(".tx_packets.total", "packets sent since boot", "", MetricKind::Counter);
    i->rxErrorsTotal = metric(".rx_errors.total", "receive errors", "", MetricKind::Counter);
    i->txErrorsTotal = metric(".tx_errors.total", "send errors", "", MetricKind::Counter);
    i->rxDropTotal = metric(".rx_drop.total", "received packets dropped", "", MetricKind::Counter);
    i->txDropTotal = metric(".tx_drop.total", "sent packets dropped", "", MetricKind::Counter);
    Interface &ref = *i;
    m_interfaces.emplace(name.toByteArray(), std::move(i));
    return ref;
}

void NetworkCollector::collect(const SampleContext &context, SnapshotBuilder &out)
{
    const double seconds = m_interval.advance(context.monotonicUs);
    const bool firstPass = m_pass == 0;
    ++m_pass;
    const QByteArrayView text = m_netdev.read();
    if (text.isEmpty())
        return;
    parseNetDev(text, m_parsed);

    double rxSum = 0, txSum = 0;
    quint64 rxTotal = 0, txTotal = 0;
    for (const NetDevStat &s : m_parsed) {
        Interface &i = interface(s.name);
        i.seenPass = m_pass;
        double rx = qQNaN(), tx = qQNaN(), rxPackets = qQNaN(), txPackets = qQNaN();
        if (i.hasPrevious) {
            rx = ratePerSecond(i.previous.rxBytes, s.rxBytes, seconds);
            tx = ratePerSecond(i.previous.txBytes, s.txBytes, seconds);
            rxPackets = ratePerSecond(i.previous.rxPackets, s.rxPackets, seconds);
            txPackets = ratePerSecond(i.previous.txPackets, s.txPackets, seconds);
        }
        if (!i.loopback) {
            if (!qIsNaN(rx))
                rxSum += rx;
            if (!qIsNaN(tx))
                txSum += tx;
            rxTotal += s.rxBytes;
            txTotal += s.txBytes;
        }
        out.add(i.rx, rx);
        out.add(i.tx, tx);
        out.add(i.rxPackets, rxPackets);
        out.add(i.txPackets, txPackets);
        out.add(i.rxTotal, double(s.rxBytes));
        out.add(i.txTotal, double(s.txBytes));
        out.add(i.rxPacketsTotal, double(s.rxPackets));
        out.add(i.txPacketsTotal, double(s.txPackets));
        out.add(i.rxErrorsTotal, double(s.rxErrors));
        out.add(i.txErrorsTotal, double(s.txErrors));
        out.add(i.rxDropTotal, double(s.rxDrop));
        out.add(i.txDropTotal, double(s.txDrop));
        i.previous = s;
        i.previous.name = {}; // points into a buffer that the next read reuses
        i.hasPrevious = true;
    }
    // An interface that disappears and comes back (a VPN, a USB dongle) starts
    // over instead of making a delta across its absence.
    std::erase_if(m_interfaces,
                  [this](const auto &entry) { return entry.second->seenPass != m_pass; });

    // Interfaces without a rate this tick (new, or reset) add nothing rather
    // than a guess.
    const bool haveRates = !firstPass && !qIsNaN(seconds);
    out.add(m_rx, haveRates ? rxSum : qQNaN());
    out.add(m_tx, haveRates ? txSum : qQNaN());
    out.add(m_rxTotal, double(rxTotal));
    out.add(m_txTotal, double(txTotal));
}

} // namespace tidewatch
