// SPDX-License-Identifier: GPL-3.0-or-later
//
// Native load client for the Tidewatch WebSocket feed: the same measurement
// as fanout.mjs, at a fraction of its CPU, so that on a small machine the
// figure measures the server and not the client.
//
//   bench_fanout_client --url ws://127.0.0.1:PORT/ws --clients 1000 --duration 30
//
// Options (all optional but --url), as in fanout.mjs:
//   --clients N          concurrent clients (default 100)
//   --duration S         measurement window in seconds, after the ramp (default 30)
//   --batch N            clients opened per ramp step, over all threads (default 50)
//   --settle-ms MS       pause after the ramp before the window opens (default 2000)
//   --server-pid PID     also report that process's CPU and RSS over the window
//   --source-ips N       spread clients over 127.0.0.1 .. 127.0.0.N as source addresses
//   --connect-timeout-ms MS  give up on a handshake after MS (default 10000)
//   --threads N          receive on N threads, one epoll loop each, each owning a
//                        contiguous share of the clients (default 1; --workers is
//                        an alias)
//   --parse index        the only mode: "ts"/"seq" are read by a byte search
//   --ca-file PATH       for wss://: trust the PEM certificate(s) in PATH (the
//                        server's name is verified against them)
//   --insecure           for wss://: trust any certificate (throwaway ones)
//   --quiet              print only the final machine-readable line
//
// The WebSocket client side is written here from RFC 6455 over non-blocking
// POSIX sockets and epoll (Linux): the HTTP/1.1 upgrade with a random key and a
// checked Sec-WebSocket-Accept, unmasked server frames (7/16/64-bit lengths,
// fragmented messages), masked pong and close frames. A frame or message over
// 16 MiB is an error for that client, never unbounded memory.
//
// Definitions are those of fanout.mjs: only "metrics" messages inside the
// window count; lag = receive time (CLOCK_REALTIME, taken once per recv())
// minus the message's "ts" (ms), kept in a histogram at 0.1 ms resolution.
// "client_loop_delay_*" here is the time one epoll loop spends handling the
// events of one wakeup (how long a ready socket can wait behind the others),
// the native counterpart of Node's event-loop delay.
//
// Output: a human summary, then one line "FANOUT {json}" with fanout.mjs's
// keys and "client":"native". Every loop is bounded: the ramp by the handshake
// timeout, the window by --duration, the shutdown by a fixed 10 s.

#include "fanout_tls.h"

#include <QByteArray>
#include <QCryptographicHash>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <memory>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

constexpr size_t MaxMessageBytes = 16u << 20; // one frame or one assembled message
constexpr size_t MaxHandshakeBytes = 16u << 10;
constexpr size_t MaxPendingWrite = 1u << 20;
constexpr size_t ScratchBytes = 256u << 10;
constexpr int64_t LagBinUs = 100;   // 0.1 ms
constexpr size_t LagBins = 600000;  // 60 s; the last bin holds everything above
constexpr size_t BusyBins = 100000; // 10 s at 0.1 ms
constexpr const char *AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// --- options ------------------------------------------------------------------------

struct Options
{
    std::string url;
    long clients = 100;
    double duration = 30;
    long batch = 50;
    long settleMs = 2000;
    long serverPid = 0;
    long sourceIps = 1;
    long connectTimeoutMs = 10000;
    long threads = 1;
    bool quiet = false;
    std::string caFile; // wss://
    bool insecure = false;
};

[[noreturn]] void usage(const std::string &error)
{
    if (!error.empty())
        std::fprintf(stderr, "bench_fanout_client: %s\n", error.c_str());
    std::fprintf(stderr, "usage: bench_fanout_client --url ws://HOST:PORT/PATH [--clients N] "
                         "[--duration S] [--batch N] [--settle-ms MS] [--server-pid PID] "
                         "[--source-ips N] [--connect-timeout-ms MS] [--threads N] [--quiet] "
                         "[--ca-file PATH | --insecure]\n");
    std::exit(error.empty() ? 0 : 2);
}

double numberArg(int argc, char **argv, int &i)
{
    const std::string name = argv[i];
    if (i + 1 >= argc)
        usage("no value for " + name);
    const char *text = argv[++i];
    char *end = nullptr;
    errno = 0;
    const double v = std::strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !std::isfinite(v) || v < 0)
        usage("bad value for " + name);
    return v;
}

Options parseArgs(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--url") {
            if (i + 1 >= argc)
                usage("no value for --url");
            o.url = argv[++i];
        } else if (a == "--ca-file") {
            if (i + 1 >= argc)
                usage("no value for --ca-file");
            o.caFile = argv[++i];
        } else if (a == "--insecure") {
            o.insecure = true;
        } else if (a == "--quiet") {
            o.quiet = true;
        } else if (a == "--parse") {
            if (i + 1 >= argc || std::string_view(argv[i + 1]) != "index")
                usage("--parse: the native client reads ts/seq by byte search (index) only");
            ++i;
        } else if (a == "--clients") {
            o.clients = long(numberArg(argc, argv, i));
        } else if (a == "--duration") {
            o.duration = numberArg(argc, argv, i);
        } else if (a == "--batch") {
            o.batch = long(numberArg(argc, argv, i));
        } else if (a == "--settle-ms") {
            o.settleMs = long(numberArg(argc, argv, i));
        } else if (a == "--server-pid") {
            o.serverPid = long(numberArg(argc, argv, i));
        } else if (a == "--source-ips") {
            o.sourceIps = long(numberArg(argc, argv, i));
        } else if (a == "--connect-timeout-ms") {
            o.connectTimeoutMs = long(numberArg(argc, argv, i));
        } else if (a == "--threads" || a == "--workers") {
            o.threads = long(numberArg(argc, argv, i));
        } else if (a == "--help" || a == "-h") {
            usage({});
        } else {
            usage("unknown option " + std::string(a));
        }
    }
    if (o.url.empty())
        usage("--url is required");
    if (o.clients < 1 || o.batch < 1 || o.sourceIps < 1 || o.sourceIps > 254 || o.threads < 1 ||
        o.threads > 64)
        usage("bad --clients, --batch, --source-ips or --threads");
    return o;
}

struct Url
{
    std::string host; // without brackets
    std::string port;
    std::string path;
    std::string hostHeader;
    bool tls = false; // wss://
};

std::optional<Url> parseUrl(const std::string &text)
{
    Url u;
    u.tls = text.compare(0, 6, "wss://") == 0;
    const std::string scheme = u.tls ? "wss://" : "ws://";
    const std::string defaultPort = u.tls ? "443" : "80";
    if (text.compare(0, scheme.size(), scheme) != 0)
        return std::nullopt;
    std::string rest = text.substr(scheme.size());
    const size_t slash = rest.find('/');
    u.path = slash == std::string::npos ? "/" : rest.substr(slash);
    std::string authority = rest.substr(0, slash);
    u.hostHeader = authority;
    if (authority.empty())
        return std::nullopt;
    if (authority[0] == '[') {
        const size_t close = authority.find(']');
        if (close == std::string::npos)
            return std::nullopt;
        u.host = authority.substr(1, close - 1);
        const std::string tail = authority.substr(close + 1);
        u.port = tail.size() > 1 && tail[0] == ':' ? tail.substr(1) : defaultPort;
    } else {
        const size_t colon = authority.rfind(':');
        u.host = authority.substr(0, colon);
        u.port = colon == std::string::npos ? defaultPort : authority.substr(colon + 1);
    }
    if (u.host.empty() || u.port.empty())
        return std::nullopt;
    return u;
}

// --- time, /proc ------------------------------------------------------------------

int64_t monoUs()
{
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return int64_t(t.tv_sec) * 1000000 + t.tv_nsec / 1000;
}

int64_t wallUs()
{
    timespec t{};
    clock_gettime(CLOCK_REALTIME, &t);
    return int64_t(t.tv_sec) * 1000000 + t.tv_nsec / 1000;
}

std::string readWholeFile(const std::string &path)
{
    std::string out;
    FILE *f = std::fopen(path.c_str(), "re");
    if (!f)
        return out;
    char buf[4096];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        out.append(buf, n);
    std::fclose(f);
    return out;
}

double procCpuTicks(long pid)
{
    const std::string stat = readWholeFile("/proc/" + std::to_string(pid) + "/stat");
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos)
        return NAN;
    // Fields after the parenthesised name; utime and stime are fields 14, 15.
    std::vector<std::string> fields;
    size_t at = paren + 2;
    while (at < stat.size() && fields.size() < 13) {
        const size_t sp = stat.find(' ', at);
        fields.push_back(stat.substr(at, sp - at));
        if (sp == std::string::npos)
            break;
        at = sp + 1;
    }
    if (fields.size() < 13)
        return NAN;
    return std::strtod(fields[11].c_str(), nullptr) + std::strtod(fields[12].c_str(), nullptr);
}

double statusKb(long pid, const char *name) // pid 0: this process
{
    const std::string status =
        readWholeFile(pid ? "/proc/" + std::to_string(pid) + "/status" : "/proc/self/status");
    const std::string key = std::string("\n") + name + ":";
    const size_t at = status.find(key);
    if (at == std::string::npos)
        return NAN;
    return std::strtod(status.c_str() + at + key.size(), nullptr);
}

double cpuSeconds(const rusage &r)
{
    return double(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           double(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

// --- reading one frame cheaply --------------------------------------------------------

// The non-negative integer after `key` in `data`, or -1, as fanout.mjs's
// integerAfter: the server writes "type", "ts" and "seq" in the first bytes
// of the message, so the search ends after a few dozen bytes.
int64_t integerAfter(const char *data, size_t len, std::string_view key)
{
    const void *hit = memmem(data, len, key.data(), key.size());
    if (!hit)
        return -1;
    size_t i = size_t(static_cast<const char *>(hit) - data) + key.size();
    while (i < len && data[i] == ' ')
        ++i;
    int64_t v = 0;
    int digits = 0;
    for (; i < len && data[i] >= '0' && data[i] <= '9' && digits < 18; ++i, ++digits)
        v = v * 10 + (data[i] - '0');
    return digits ? v : -1;
}

// --- statistics -----------------------------------------------------------------------

struct Tick
{
    int64_t tsMs = 0;
    int64_t firstUs = 0;
    int64_t lastUs = 0;
    uint64_t n = 0;
};

struct Counters
{
    uint64_t opened = 0;
    uint64_t failed = 0;
    uint64_t closedEarly = 0;
    uint64_t closedInWindow = 0;
};

struct Stats
{
    std::vector<uint32_t> lagHistogram = std::vector<uint32_t>(LagBins + 1);
    uint64_t lagSamples = 0;
    int64_t lagMaxUs = 0;
    uint64_t lagNegative = 0;
    std::unordered_map<int64_t, Tick> ticks;
    std::vector<uint32_t> busyHistogram = std::vector<uint32_t>(BusyBins + 1);
    uint64_t busySamples = 0;
    int64_t busyMaxUs = 0;
    uint64_t windowBytes = 0;
    Counters counters;
    std::map<int, uint64_t> closeCodes;
    std::map<std::string, uint64_t> errors;

    void recordLag(int64_t us)
    {
        if (us < 0) {
            ++lagNegative;
            us = 0;
        }
        lagMaxUs = std::max(lagMaxUs, us);
        ++lagHistogram[std::min<size_t>(size_t(us / LagBinUs), LagBins)];
        ++lagSamples;
    }
    void recordTick(int64_t seq, int64_t tsMs, int64_t nowUs)
    {
        auto [it, fresh] = ticks.try_emplace(seq, Tick{tsMs, nowUs, nowUs, 0});
        Tick &t = it->second;
        if (!fresh) {
            t.firstUs = std::min(t.firstUs, nowUs);
            t.lastUs = std::max(t.lastUs, nowUs);
        }
        ++t.n;
    }
    void recordBusy(int64_t us)
    {
        busyMaxUs = std::max(busyMaxUs, us);
        ++busyHistogram[std::min<size_t>(size_t(us / LagBinUs), BusyBins)];
        ++busySamples;
    }
};

// The p-th percentile of a 0.1 ms histogram, in ms, or NaN.
double histogramPercentile(const std::vector<uint32_t> &h, uint64_t samples, double p)
{
    if (!samples)
        return NAN;
    const uint64_t rank = std::max<uint64_t>(1, uint64_t(std::ceil(p / 100 * double(samples))));
    uint64_t seen = 0;
    for (size_t i = 0; i < h.size(); ++i) {
        seen += h[i];
        if (seen >= rank)
            return double(i) * double(LagBinUs) / 1000;
    }
    return double(h.size() - 1) * double(LagBinUs) / 1000;
}

template<typename T> double percentile(const std::vector<T> &sorted, double p)
{
    if (sorted.empty())
        return NAN;
    const size_t rank = std::max<size_t>(1, size_t(std::ceil(p / 100 * double(sorted.size()))));
    return double(sorted[rank - 1]);
}

// --- the clients -------------------------------------------------------------------------

enum class State : uint8_t { Connecting, Open, Closed, Failed };

struct Client
{
    int index = 0;
    int fd = -1;
    State state = State::Connecting;
    bool upgraded = false; // the 101 arrived; frames follow
    bool closeSent = false;
    bool inMessage = false; // inside a fragmented message
    uint8_t messageOpcode = 0;
    uint32_t events = 0; // what epoll watches
    int closeCode = 0;
    int64_t deadlineUs = 0; // of the opening handshake
    QByteArray accept;      // the Sec-WebSocket-Accept we expect
    std::string in;         // bytes not yet consumed (handshake, partial frame)
    std::string message;    // a fragmented message being assembled
    std::string out;        // bytes the kernel did not take yet (before the 101: the request)
    fanout_tls::Ssl *ssl = nullptr; // wss://: the TLS session over fd
    bool tlsDone = false;           // its handshake finished
    uint64_t windowMessages = 0;
    uint64_t allMessages = 0;
    int64_t lastSeq = -1;
    uint64_t seqGaps = 0;
};

struct Shared
{
    Options opts;
    sockaddr_storage server{};
    socklen_t serverLen = 0;
    std::string request;                // the upgrade request without its key line
    fanout_tls::Context *tls = nullptr; // wss://
    std::string host;                   // the URL's host, for certificate checks
    std::atomic<long> progress{0};
    std::atomic<int> ramped{0};
    std::atomic<bool> measuring{false};
    std::atomic<bool> stop{false};
};

// What one thread measured, merged by main() after the thread ended.
struct WorkerResult
{
    Stats stats;
    long openAfterRamp = 0;
    long failedInRamp = 0;
    long openAtEnd = 0;
    std::vector<uint64_t> counts; // window messages of every client that connected
    uint64_t seqGaps = 0;
    std::string fatal;
};

class Worker final
{
public:
    Worker(Shared &shared, int from, int to, long batch)
        : m_shared(shared)
        , m_batch(batch)
        , m_rng(std::random_device{}())
        , m_scratch(ScratchBytes)
    {
        m_clients.resize(size_t(to - from));
        for (int i = from; i < to; ++i)
            m_clients[size_t(i - from)].index = i;
    }
    Worker(const Worker &) = delete;
    Worker &operator=(const Worker &) = delete;
    ~Worker()
    {
        if (m_ep >= 0)
            ::close(m_ep);
    }

    void run();
    const WorkerResult &result() const { return m_result; }

private:
    void open(Client &c);
    void pump(int timeoutMs);
    void onEvent(Client &c, uint32_t events);
    void onConnected(Client &c);
    void tlsStep(Client &c);
    ssize_t ioRecv(Client &c, char *buf, size_t len);
    ssize_t ioSend(Client &c, const char *data, size_t len);
    void onHandshake(Client &c);
    void onReadable(Client &c);
    bool processFrames(Client &c, const char *data, size_t len, size_t &consumed);
    void deliver(Client &c, uint8_t opcode, const char *data, size_t len);
    void sendFrame(Client &c, uint8_t opcode, const char *payload, size_t len);
    void sendBytes(Client &c, const char *data, size_t len);
    void flush(Client &c);
    void watch(Client &c, uint32_t events);
    void protocolError(Client &c, int code, const std::string &error);
    void finish(Client &c, int code, const std::string &error);
    long countState(size_t from, size_t to, State s) const;

    Shared &m_shared;
    WorkerResult m_result;
    long m_batch;
    std::mt19937_64 m_rng;
    std::vector<char> m_scratch;
    std::vector<Client> m_clients;
    int m_ep = -1;
    bool m_stopping = false;
    int64_t m_nowWallUs = 0; // receive time of the bytes being processed
};

long Worker::countState(size_t from, size_t to, State s) const
{
    long n = 0;
    for (size_t i = from; i < to; ++i)
        n += m_clients[i].state == s;
    return n;
}

void Worker::run()
{
    m_ep = epoll_create1(EPOLL_CLOEXEC);
    if (m_ep < 0) {
        m_result.fatal = std::string("epoll_create1: ") + std::strerror(errno);
        m_shared.ramped.fetch_add(1);
        return;
    }
    // The ramp: one batch at a time, each bounded by the handshake timeout.
    for (size_t at = 0; at < m_clients.size(); at += size_t(m_batch)) {
        const size_t end = std::min(m_clients.size(), at + size_t(m_batch));
        for (size_t i = at; i < end; ++i)
            open(m_clients[i]);
        while (countState(at, end, State::Connecting) > 0) {
            pump(20);
            const int64_t now = monoUs();
            for (size_t i = at; i < end; ++i) {
                Client &c = m_clients[i];
                if (c.state == State::Connecting && now >= c.deadlineUs)
                    finish(c, 1006, "Opening handshake has timed out");
            }
        }
        m_shared.progress.fetch_add(long(end - at));
    }
    m_result.openAfterRamp = countState(0, m_clients.size(), State::Open);
    m_result.failedInRamp = long(m_result.stats.counters.failed);
    m_shared.ramped.fetch_add(1);

    while (!m_shared.stop.load(std::memory_order_relaxed))
        pump(50);

    // Shut down: a normal close from every client, bounded by 10 s.
    m_stopping = true;
    m_result.openAtEnd = countState(0, m_clients.size(), State::Open);
    for (Client &c : m_clients) {
        if (c.state == State::Open) {
            const char code[2] = {char(1000 >> 8), char(1000 & 0xff)};
            sendFrame(c, 0x8, code, 2);
            c.closeSent = true;
        }
    }
    const int64_t deadline = monoUs() + 10000000;
    while (monoUs() < deadline && countState(0, m_clients.size(), State::Open) > 0)
        pump(50);
    for (Client &c : m_clients)
        if (c.state == State::Open || c.state == State::Connecting)
            finish(c, 1006, {});

    for (const Client &c : m_clients) {
        if (c.state == State::Failed)
            continue;
        m_result.counts.push_back(c.windowMessages);
        m_result.seqGaps += c.seqGaps;
    }
}

void Worker::open(Client &c)
{
    const Options &o = m_shared.opts;
    c.deadlineUs = monoUs() + int64_t(o.connectTimeoutMs) * 1000;
    c.fd = ::socket(m_shared.server.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
        finish(c, 1006, strerrorname_np(errno) ? strerrorname_np(errno) : "socket");
        return;
    }
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (o.sourceIps > 1 && m_shared.server.ss_family == AF_INET) {
        setsockopt(c.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(0x7f000001u + uint32_t(c.index % o.sourceIps));
        if (::bind(c.fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0) {
            finish(c, 1006, strerrorname_np(errno));
            return;
        }
    }
    // A random 16-byte key, and the answer RFC 6455 says the server must give.
    QByteArray key(16, Qt::Uninitialized);
    for (int i = 0; i < 16; i += 8) {
        const uint64_t r = m_rng();
        std::memcpy(key.data() + i, &r, 8);
    }
    key = key.toBase64();
    c.accept =
        QCryptographicHash::hash(QByteArray(key).append(AcceptGuid), QCryptographicHash::Sha1)
            .toBase64();
    c.out = m_shared.request;
    c.out.append("Sec-WebSocket-Key: ").append(key.constData(), size_t(key.size()));
    c.out.append("\r\n\r\n");

    epoll_event ev{};
    ev.events = EPOLLOUT;
    ev.data.ptr = &c;
    c.events = EPOLLOUT;
    if (epoll_ctl(m_ep, EPOLL_CTL_ADD, c.fd, &ev) != 0) {
        finish(c, 1006, strerrorname_np(errno));
        return;
    }
    if (::connect(c.fd, reinterpret_cast<const sockaddr *>(&m_shared.server), m_shared.serverLen) !=
            0 &&
        errno != EINPROGRESS) {
        finish(c, 1006, strerrorname_np(errno));
        return;
    }
    // Connected or in progress: EPOLLOUT reports either.
}

void Worker::pump(int timeoutMs)
{
    epoll_event events[256];
    const int n = epoll_wait(m_ep, events, 256, timeoutMs);
    if (n <= 0)
        return;
    const int64_t t0 = monoUs();
    for (int i = 0; i < n; ++i) {
        Client &c = *static_cast<Client *>(events[i].data.ptr);
        if (c.fd >= 0)
            onEvent(c, events[i].events);
    }
    if (m_shared.measuring.load(std::memory_order_relaxed))
        m_result.stats.recordBusy(monoUs() - t0);
}

void Worker::watch(Client &c, uint32_t events)
{
    if (c.events == events || c.fd < 0)
        return;
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = &c;
    c.events = events;
    epoll_ctl(m_ep, EPOLL_CTL_MOD, c.fd, &ev);
}

void Worker::onEvent(Client &c, uint32_t events)
{
    if (c.ssl && !c.tlsDone) {
        tlsStep(c);
        return;
    }
    if (c.state == State::Connecting && !c.upgraded && c.events == EPOLLOUT) {
        onConnected(c);
        return;
    }
    if (events & EPOLLOUT) {
        flush(c);
        if (c.fd < 0)
            return;
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        // OpenSSL may hold decrypted bytes the socket no longer shows to epoll.
        do {
            if (c.state == State::Connecting)
                onHandshake(c);
            else
                onReadable(c);
        } while (c.fd >= 0 && c.ssl && fanout_tls::hasPending(c.ssl));
    }
}

ssize_t Worker::ioRecv(Client &c, char *buf, size_t len)
{
    return c.ssl ? fanout_tls::read(c.ssl, buf, len) : ::recv(c.fd, buf, len, 0);
}

ssize_t Worker::ioSend(Client &c, const char *data, size_t len)
{
    return c.ssl ? fanout_tls::write(c.ssl, data, len)
                 : ::send(c.fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
}

// The TLS handshake, one step per readiness event; the upgrade request
// goes out once it is done. Bounded by the opening-handshake deadline.
void Worker::tlsStep(Client &c)
{
    std::string error;
    switch (fanout_tls::handshake(c.ssl, &error)) {
    case fanout_tls::Step::WantRead:
        watch(c, EPOLLIN);
        return;
    case fanout_tls::Step::WantWrite:
        watch(c, EPOLLOUT);
        return;
    case fanout_tls::Step::Failed:
        finish(c, 1006, error);
        return;
    case fanout_tls::Step::Done:
        break;
    }
    c.tlsDone = true;
    watch(c, EPOLLIN);
    std::string request;
    request.swap(c.out);
    sendBytes(c, request.data(), request.size());
}

void Worker::onConnected(Client &c)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        err = errno;
    if (err != 0) {
        finish(c, 1006, strerrorname_np(err) ? strerrorname_np(err) : "connect");
        return;
    }
    if (m_shared.tls) {
        c.ssl = fanout_tls::newSession(m_shared.tls, c.fd, m_shared.host);
        if (!c.ssl) {
            finish(c, 1006, "TLS: no session");
            return;
        }
        tlsStep(c);
        return;
    }
    watch(c, EPOLLIN);
    std::string request;
    request.swap(c.out);
    sendBytes(c, request.data(), request.size());
}

void Worker::onHandshake(Client &c)
{
    char buf[4096];
    const ssize_t n = ioRecv(c, buf, sizeof buf);
    if (n == 0) {
        finish(c, 1006, "Socket closed during the opening handshake");
        return;
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR)
            finish(c, 1006, strerrorname_np(errno));
        return;
    }
    c.in.append(buf, size_t(n));
    const size_t end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) {
        if (c.in.size() > MaxHandshakeBytes)
            finish(c, 1006, "Handshake response too large");
        return;
    }
    const std::string_view head(c.in.data(), end + 2);
    // "HTTP/1.1 101 Switching Protocols"
    const size_t sp = head.find(' ');
    const std::string status =
        sp == std::string_view::npos ? "" : std::string(head.substr(sp + 1, 3));
    if (head.substr(0, 5) != "HTTP/" || status != "101") {
        finish(c, 1006, "Unexpected server response: " + status);
        return;
    }
    std::string accept;
    size_t at = head.find("\r\n") + 2;
    while (at < head.size()) {
        const size_t eol = head.find("\r\n", at);
        const std::string_view line = head.substr(at, eol - at);
        at = eol + 2;
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char ch) { return char(std::tolower(ch)); });
        if (name != "sec-websocket-accept")
            continue;
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
            value.remove_suffix(1);
        accept = value;
    }
    if (accept != std::string_view(c.accept.constData(), size_t(c.accept.size()))) {
        finish(c, 1006, "Invalid Sec-WebSocket-Accept header");
        return;
    }
    c.upgraded = true;
    c.state = State::Open;
    ++m_result.stats.counters.opened;
    c.in.erase(0, end + 4);
    if (!c.in.empty()) {
        m_nowWallUs = wallUs();
        std::string rest;
        rest.swap(c.in);
        size_t consumed = 0;
        if (processFrames(c, rest.data(), rest.size(), consumed) && c.fd >= 0)
            c.in.assign(rest, consumed);
    }
}

void Worker::onReadable(Client &c)
{
    const ssize_t n = ioRecv(c, m_scratch.data(), m_scratch.size());
    if (n == 0) {
        // The server closed TCP without (or after) a close frame.
        finish(c, c.closeCode ? c.closeCode : 1006, {});
        return;
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR)
            finish(c, 1006, strerrorname_np(errno));
        return;
    }
    m_nowWallUs = wallUs();
    size_t consumed = 0;
    if (c.in.empty()) { // the usual case: whole frames, parsed where recv() put them
        if (processFrames(c, m_scratch.data(), size_t(n), consumed) && consumed < size_t(n))
            c.in.assign(m_scratch.data() + consumed, size_t(n) - consumed);
        return;
    }
    std::string pending;
    pending.swap(c.in);
    pending.append(m_scratch.data(), size_t(n));
    if (processFrames(c, pending.data(), pending.size(), consumed)) {
        pending.erase(0, consumed);
        if (pending.capacity() > 4 * ScratchBytes || pending.capacity() > 4 * pending.size() + 4096)
            pending.shrink_to_fit(); // a backlog once is no reason to keep its memory
        c.in.swap(pending);
    }
}

// Parses whole frames from data; false when the client was closed.
bool Worker::processFrames(Client &c, const char *data, size_t len, size_t &consumed)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data);
    size_t at = 0;
    while (c.fd >= 0) {
        const size_t avail = len - at;
        if (avail < 2)
            break;
        const unsigned char b0 = p[at];
        const unsigned char b1 = p[at + 1];
        const bool fin = b0 & 0x80;
        const uint8_t opcode = b0 & 0x0f;
        if (b0 & 0x70) {
            protocolError(c, 1002, "RSV bits set without an extension");
            return false;
        }
        if (b1 & 0x80) {
            protocolError(c, 1002, "Masked frame from the server");
            return false;
        }
        size_t header = 2;
        uint64_t length = b1 & 0x7f;
        if (length == 126) {
            if (avail < 4)
                break;
            length = (uint64_t(p[at + 2]) << 8) | p[at + 3];
            header = 4;
        } else if (length == 127) {
            if (avail < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | p[at + 2 + size_t(i)];
            header = 10;
        }
        if (length > MaxMessageBytes) {
            protocolError(c, 1009, "Frame over 16 MiB");
            return false;
        }
        if (avail < header + length)
            break;
        const char *payload = data + at + header;
        at += header + size_t(length);

        if (opcode >= 0x8) {
            if (!fin || length > 125) {
                protocolError(c, 1002, "Invalid control frame");
                return false;
            }
            if (opcode == 0x8) { // close
                const int code =
                    length >= 2 ? (int(uint8_t(payload[0])) << 8) | uint8_t(payload[1]) : 1005;
                c.closeCode = code;
                if (!c.closeSent) {
                    sendFrame(c, 0x8, payload, length >= 2 ? 2 : 0);
                    c.closeSent = true;
                }
                finish(c, code, {});
                return false;
            }
            if (opcode == 0x9) // ping
                sendFrame(c, 0xA, payload, size_t(length));
            else if (opcode != 0xA) {
                protocolError(c, 1002, "Reserved control opcode");
                return false;
            }
            continue;
        }
        if (opcode == 0x1 || opcode == 0x2) {
            if (c.inMessage) {
                protocolError(c, 1002, "New message inside a fragmented one");
                return false;
            }
            if (fin) {
                deliver(c, opcode, payload, size_t(length));
            } else {
                c.inMessage = true;
                c.messageOpcode = opcode;
                c.message.assign(payload, size_t(length));
            }
        } else if (opcode == 0x0) {
            if (!c.inMessage) {
                protocolError(c, 1002, "Continuation frame outside a message");
                return false;
            }
            if (c.message.size() + length > MaxMessageBytes) {
                protocolError(c, 1009, "Message over 16 MiB");
                return false;
            }
            c.message.append(payload, size_t(length));
            if (fin) {
                c.inMessage = false;
                deliver(c, c.messageOpcode, c.message.data(), c.message.size());
                std::string().swap(c.message);
            }
        } else {
            protocolError(c, 1002, "Reserved data opcode");
            return false;
        }
    }
    consumed = at;
    return c.fd >= 0;
}

void Worker::deliver(Client &c, uint8_t opcode, const char *data, size_t len)
{
    ++c.allMessages;
    if (opcode != 0x1 || !m_shared.measuring.load(std::memory_order_relaxed))
        return;
    static constexpr std::string_view TypeMetrics = "\"type\":\"metrics\"";
    if (!memmem(data, len, TypeMetrics.data(), TypeMetrics.size()))
        return;
    const int64_t ts = integerAfter(data, len, "\"ts\":");
    const int64_t seq = integerAfter(data, len, "\"seq\":");
    ++c.windowMessages;
    m_result.stats.windowBytes += len;
    if (ts > 0)
        m_result.stats.recordLag(m_nowWallUs - ts * 1000);
    if (seq >= 0)
        m_result.stats.recordTick(seq, ts, m_nowWallUs);
    if (c.lastSeq >= 0 && seq > c.lastSeq + 1)
        c.seqGaps += uint64_t(seq - c.lastSeq - 1);
    c.lastSeq = seq;
}

// A masked client frame (RFC 6455 5.3): every client-to-server frame is.
void Worker::sendFrame(Client &c, uint8_t opcode, const char *payload, size_t len)
{
    char frame[2 + 4 + 125];
    if (len > 125 || c.fd < 0)
        return;
    frame[0] = char(0x80 | opcode);
    frame[1] = char(0x80 | len);
    const uint32_t mask = uint32_t(m_rng());
    std::memcpy(frame + 2, &mask, 4);
    const auto *m = reinterpret_cast<const unsigned char *>(&mask);
    for (size_t i = 0; i < len; ++i)
        frame[6 + i] = char(uint8_t(payload[i]) ^ m[i % 4]);
    sendBytes(c, frame, 6 + len);
}

void Worker::sendBytes(Client &c, const char *data, size_t len)
{
    if (c.fd < 0)
        return;
    if (c.out.empty()) {
        const ssize_t n = ioSend(c, data, len);
        if (n == ssize_t(len))
            return;
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
            finish(c, 1006, strerrorname_np(errno));
            return;
        }
        const size_t sent = size_t(std::max<ssize_t>(n, 0));
        data += sent;
        len -= sent;
    }
    if (c.out.size() + len > MaxPendingWrite) {
        finish(c, 1006, "Send buffer over 1 MiB");
        return;
    }
    c.out.append(data, len);
    watch(c, EPOLLIN | EPOLLOUT);
}

void Worker::flush(Client &c)
{
    while (!c.out.empty()) {
        const ssize_t n = ioSend(c, c.out.data(), c.out.size());
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            finish(c, 1006, strerrorname_np(errno));
            return;
        }
        c.out.erase(0, size_t(n));
    }
    watch(c, EPOLLIN);
}

void Worker::protocolError(Client &c, int code, const std::string &error)
{
    if (!c.closeSent) { // best effort: tell the server why
        const char payload[2] = {char(code >> 8), char(code & 0xff)};
        sendFrame(c, 0x8, payload, 2);
        c.closeSent = true;
    }
    finish(c, 1006, error);
}

// The end of a client, as fanout.mjs's 'error' and 'close' handlers count it.
void Worker::finish(Client &c, int code, const std::string &error)
{
    if (!error.empty())
        ++m_result.stats.errors[error];
    ++m_result.stats.closeCodes[code];
    c.closeCode = code;
    if (c.state == State::Connecting) {
        c.state = State::Failed;
        ++m_result.stats.counters.failed;
    } else if (c.state == State::Open) {
        c.state = State::Closed;
        if (m_shared.measuring.load(std::memory_order_relaxed))
            ++m_result.stats.counters.closedInWindow;
        else if (!m_stopping)
            ++m_result.stats.counters.closedEarly;
    }
    if (c.ssl) {
        fanout_tls::freeSession(c.ssl);
        c.ssl = nullptr;
    }
    if (c.fd >= 0) {
        ::close(c.fd); // also leaves the epoll set
        c.fd = -1;
    }
    std::string().swap(c.in);
    std::string().swap(c.out);
    std::string().swap(c.message);
}

// --- the server's own delivery-lag histogram -----------------------------------------

using Buckets = std::vector<std::pair<double, double>>; // upper bound s, cumulative count

std::optional<Buckets> serverLagHistogram(const Shared &shared, const Url &url)
{
    const int fd = ::socket(shared.server.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return std::nullopt;
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    std::string response;
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&shared.server), shared.serverLen) == 0) {
        const std::string req =
            "GET /metrics HTTP/1.1\r\nHost: " + url.hostHeader + "\r\nConnection: close\r\n\r\n";
        if (shared.tls) {
            response = fanout_tls::fetch(shared.tls, fd, shared.host, req);
        } else if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == ssize_t(req.size())) {
            char buf[16384];
            ssize_t n = 0;
            while (response.size() < (8u << 20) && (n = ::recv(fd, buf, sizeof buf, 0)) > 0)
                response.append(buf, size_t(n));
        }
    }
    ::close(fd);
    if (response.compare(0, 12, "HTTP/1.1 200") != 0)
        return std::nullopt;
    Buckets buckets;
    const std::string prefix = "\ntidewatch_delivery_lag_seconds_bucket{le=\"";
    for (size_t at = response.find(prefix); at != std::string::npos;
         at = response.find(prefix, at + 1)) {
        const size_t le = at + prefix.size();
        const size_t quote = response.find('"', le);
        if (quote == std::string::npos)
            break;
        const std::string bound = response.substr(le, quote - le);
        const double upper = bound == "+Inf" ? INFINITY : std::strtod(bound.c_str(), nullptr);
        const double count = std::strtod(response.c_str() + quote + 2, nullptr);
        buckets.emplace_back(upper, count);
    }
    if (buckets.empty())
        return std::nullopt;
    return buckets;
}

struct ServerLag
{
    double count = 0;
    double p50 = 0; // ms, bucket bound; infinity above the last
    double p99 = 0;
};

std::optional<ServerLag> lagQuantiles(const std::optional<Buckets> &before,
                                      const std::optional<Buckets> &after)
{
    if (!before || !after || before->size() != after->size())
        return std::nullopt;
    Buckets diff;
    for (size_t i = 0; i < after->size(); ++i)
        diff.emplace_back((*after)[i].first, (*after)[i].second - (*before)[i].second);
    const double count = diff.back().second;
    if (count <= 0)
        return std::nullopt;
    auto bound = [&](double q) {
        for (const auto &[le, n] : diff)
            if (n >= q * count)
                return std::isfinite(le) ? le * 1000 : INFINITY;
        return double(INFINITY);
    };
    return ServerLag{count, bound(0.5), bound(0.99)};
}

// --- output ----------------------------------------------------------------------------

// A number as JavaScript's +x.toFixed(d) prints it: no trailing zeros; NaN and
// infinity are null in JSON.
std::string num(double v, int decimals)
{
    if (!std::isfinite(v))
        return "null";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0')
            s.pop_back();
        if (s.back() == '.')
            s.pop_back();
    }
    if (s == "-0")
        s = "0";
    return s;
}

std::string jsonString(const std::string &s)
{
    std::string out = "\"";
    for (const char ch : s) {
        if (ch == '"' || ch == '\\')
            out += '\\';
        if (uint8_t(ch) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", ch);
            out += buf;
            continue;
        }
        out += ch;
    }
    return out + "\"";
}

// As JavaScript's x.toFixed(d) in a template string: trailing zeros kept.
std::string fixed(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

void sleepMs(int64_t ms)
{
    if (ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

} // namespace

int main(int argc, char **argv)
{
    Shared shared;
    shared.opts = parseArgs(argc, argv);
    const Options &opts = shared.opts;
    auto log = [&](const std::string &line) {
        if (!opts.quiet)
            std::printf("%s\n", line.c_str());
        std::fflush(stdout);
    };

    const std::optional<Url> url = parseUrl(opts.url);
    if (!url)
        usage("--url must be ws://HOST[:PORT][/PATH] or wss://…");
    shared.host = url->host;
    if (url->tls) {
        std::string error;
        shared.tls = fanout_tls::newContext(opts.caFile, opts.insecure, &error);
        if (!shared.tls) {
            std::fprintf(stderr, "bench_fanout_client: %s\n", error.c_str());
            return 1;
        }
        // OpenSSL writes with write(), not send(MSG_NOSIGNAL): a peer that is
        // gone must not kill the client.
        std::signal(SIGPIPE, SIG_IGN);
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    if (const int rc = getaddrinfo(url->host.c_str(), url->port.c_str(), &hints, &found); rc != 0) {
        std::fprintf(stderr, "bench_fanout_client: %s: %s\n", url->host.c_str(), gai_strerror(rc));
        return 1;
    }
    std::memcpy(&shared.server, found->ai_addr, found->ai_addrlen);
    shared.serverLen = found->ai_addrlen;
    freeaddrinfo(found);
    shared.request = "GET " + url->path + " HTTP/1.1\r\nHost: " + url->hostHeader +
                     "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Version: 13\r\n";

    // One descriptor per client plus a few: raise the soft limit if needed.
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < rlim_t(opts.clients + 64)) {
        lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, rlim_t(opts.clients + 64));
        setrlimit(RLIMIT_NOFILE, &lim);
    }

    const int n = int(opts.threads);
    const long batch = std::max(1L, std::lround(double(opts.batch) / n));
    std::vector<std::unique_ptr<Worker>> workers;
    for (int w = 0; w < n; ++w) {
        const int from = int(opts.clients * w / n);
        const int to = int(opts.clients * (w + 1) / n);
        workers.push_back(std::make_unique<Worker>(shared, from, to, batch));
    }
    const int64_t rampStart = monoUs();
    std::vector<std::thread> threads;
    for (auto &w : workers)
        threads.emplace_back([&w] { w->run(); });

    // The ramp is bounded by the handshake timeout of each batch.
    const double rampLimitS = (double(opts.clients) / double(opts.batch) + 1) *
                              (double(opts.connectTimeoutMs) / 1000 + 1);
    long nextReport = 1000;
    while (shared.ramped.load() < n) {
        if (double(monoUs() - rampStart) / 1e6 > rampLimitS) {
            std::fprintf(stderr, "bench_fanout_client: the ramp did not end in time\n");
            std::_Exit(1);
        }
        sleepMs(20);
        const long progress = shared.progress.load();
        if (progress >= nextReport && progress < opts.clients) {
            log("ramp: " + std::to_string(progress) + " clients in " +
                fixed(double(monoUs() - rampStart) / 1e6, 1) + " s");
            nextReport += 1000;
        }
    }
    const double rampS = double(monoUs() - rampStart) / 1e6;
    long openAfterRamp = 0;
    long failedInRamp = 0;
    for (auto &w : workers) {
        if (!w->result().fatal.empty()) {
            std::fprintf(stderr, "bench_fanout_client: %s\n", w->result().fatal.c_str());
            std::_Exit(1);
        }
        openAfterRamp += w->result().openAfterRamp;
        failedInRamp += w->result().failedInRamp;
    }
    log("ramp: " + std::to_string(openAfterRamp) + "/" + std::to_string(opts.clients) +
        " open in " + fixed(rampS, 1) + " s (" + std::to_string(failedInRamp) + " failed)");

    sleepMs(opts.settleMs);

    // The window.
    const auto lag0 = serverLagHistogram(shared, *url);
    rusage ru0{};
    getrusage(RUSAGE_SELF, &ru0); // all threads of this process
    const double server0 = opts.serverPid ? procCpuTicks(opts.serverPid) : NAN;
    const int64_t t0 = monoUs();
    shared.measuring.store(true);
    double serverRssMaxKb = 0;
    const int64_t windowEnd = t0 + int64_t(opts.duration * 1e6);
    while (monoUs() < windowEnd) {
        sleepMs(std::clamp<int64_t>((windowEnd - monoUs() + 999) / 1000, 1, 1000));
        if (opts.serverPid) {
            const double rss = statusKb(opts.serverPid, "VmRSS");
            if (std::isfinite(rss))
                serverRssMaxKb = std::max(serverRssMaxKb, rss);
        }
    }
    shared.measuring.store(false);
    const double seconds = double(monoUs() - t0) / 1e6;
    rusage ru1{};
    getrusage(RUSAGE_SELF, &ru1);
    const double server1 = opts.serverPid ? procCpuTicks(opts.serverPid) : NAN;
    const double serverRss = opts.serverPid ? statusKb(opts.serverPid, "VmRSS") : NAN;
    const double serverHwm = opts.serverPid ? statusKb(opts.serverPid, "VmHWM") : NAN;
    const double clientRssMb = statusKb(0, "VmRSS") / 1024;
    const auto lag1 = serverLagHistogram(shared, *url);
    const auto serverLag = lagQuantiles(lag0, lag1);
    shared.stop.store(true);
    for (auto &t : threads)
        t.join();

    // Merge the threads' figures.
    std::vector<uint64_t> counts;
    uint64_t seqGaps = 0;
    uint64_t bytes = 0;
    long openAtEnd = 0;
    Stats all;
    double busyP99 = 0;
    double busyMaxMs = 0;
    std::unordered_map<int64_t, Tick> ticks;
    for (auto &w : workers) {
        const Stats &s = w->result().stats;
        counts.insert(counts.end(), w->result().counts.begin(), w->result().counts.end());
        seqGaps += w->result().seqGaps;
        bytes += s.windowBytes;
        openAtEnd += w->result().openAtEnd;
        busyP99 = std::max(busyP99, histogramPercentile(s.busyHistogram, s.busySamples, 99));
        busyMaxMs = std::max(busyMaxMs, double(s.busyMaxUs) / 1000);
        all.counters.opened += s.counters.opened;
        all.counters.failed += s.counters.failed;
        all.counters.closedEarly += s.counters.closedEarly;
        all.counters.closedInWindow += s.counters.closedInWindow;
        for (const auto &[code, count] : s.closeCodes)
            all.closeCodes[code] += count;
        for (const auto &[key, count] : s.errors)
            all.errors[key] += count;
        for (size_t i = 0; i < all.lagHistogram.size(); ++i)
            all.lagHistogram[i] += s.lagHistogram[i];
        all.lagSamples += s.lagSamples;
        all.lagMaxUs = std::max(all.lagMaxUs, s.lagMaxUs);
        all.lagNegative += s.lagNegative;
        for (const auto &[seq, t] : s.ticks) {
            auto [it, fresh] = ticks.try_emplace(seq, t);
            if (!fresh) {
                it->second.firstUs = std::min(it->second.firstUs, t.firstUs);
                it->second.lastUs = std::max(it->second.lastUs, t.lastUs);
                it->second.n += t.n;
            }
        }
    }

    std::sort(counts.begin(), counts.end());
    const double medianCount = percentile(counts, 50);
    uint64_t starved = 0;
    uint64_t zero = 0;
    uint64_t totalMessages = 0;
    for (const uint64_t c : counts) {
        starved += double(c) < 0.9 * medianCount;
        zero += c == 0;
        totalMessages += c;
    }
    const double rateMin = counts.empty() ? NAN : double(counts.front()) / seconds;
    const double rateMedian = medianCount / seconds;
    const double rateMax = counts.empty() ? NAN : double(counts.back()) / seconds;
    const double clientCpuPct = (cpuSeconds(ru1) - cpuSeconds(ru0)) / seconds * 100;
    const double serverCpuPct = (server1 - server0) / double(sysconf(_SC_CLK_TCK)) / seconds * 100;

    // Ticks every connected client got, so first/last are comparable.
    std::vector<double> firstLags;
    std::vector<double> spreads;
    for (const auto &[seq, t] : ticks) {
        if (t.n < uint64_t(openAfterRamp) || t.tsMs <= 0)
            continue;
        firstLags.push_back(double(t.firstUs - t.tsMs * 1000) / 1000);
        spreads.push_back(double(t.lastUs - t.firstUs) / 1000);
    }
    std::sort(firstLags.begin(), firstLags.end());
    std::sort(spreads.begin(), spreads.end());

    std::string closeCodes = "{";
    for (const auto &[code, count] : all.closeCodes)
        closeCodes += (closeCodes.size() > 1 ? "," : "") + jsonString(std::to_string(code)) + ":" +
                      std::to_string(count);
    closeCodes += "}";
    std::string errors = "{";
    for (const auto &[key, count] : all.errors)
        errors += (errors.size() > 1 ? "," : "") + jsonString(key) + ":" + std::to_string(count);
    errors += "}";

    const double lagP50 = histogramPercentile(all.lagHistogram, all.lagSamples, 50);
    const double lagP90 = histogramPercentile(all.lagHistogram, all.lagSamples, 90);
    const double lagP99 = histogramPercentile(all.lagHistogram, all.lagSamples, 99);
    const double lagMax = all.lagSamples ? double(all.lagMaxUs) / 1000 : 0;
    const double frameBytes = totalMessages ? std::round(double(bytes) / double(totalMessages)) : 0;
    const auto &cnt = all.counters;

    std::vector<std::pair<std::string, std::string>> r = {
        {"client", "\"native\""},
        {"clients", std::to_string(opts.clients)},
        {"workers", std::to_string(n)},
        {"connected", std::to_string(openAfterRamp)},
        {"failed", std::to_string(cnt.failed)},
        {"closed_before_window", std::to_string(cnt.closedEarly)},
        {"closed_in_window", std::to_string(cnt.closedInWindow)},
        {"open_at_end", std::to_string(openAtEnd)},
        {"close_codes", closeCodes},
        {"errors", errors},
        {"ramp_s", num(rampS, 2)},
        {"window_s", num(seconds, 2)},
        {"parse", "\"index\""},
        {"messages", std::to_string(totalMessages)},
        {"msgs_per_s_total", num(double(totalMessages) / seconds, 1)},
        {"frame_bytes", num(frameBytes, 0)},
        {"mb_per_s", num(double(bytes) / seconds / 1e6, 2)},
        {"rate_min", num(rateMin, 3)},
        {"rate_median", num(rateMedian, 3)},
        {"rate_max", num(rateMax, 3)},
        {"lag_samples", std::to_string(all.lagSamples)},
        {"lag_p50_ms", num(lagP50, 1)},
        {"lag_p90_ms", num(lagP90, 1)},
        {"lag_p99_ms", num(lagP99, 1)},
        {"lag_max_ms", num(lagMax, 1)},
        {"lag_negative", std::to_string(all.lagNegative)},
        {"ticks_complete", std::to_string(firstLags.size())},
        {"first_lag_p50_ms", num(percentile(firstLags, 50), 1)},
        {"first_lag_p99_ms", num(percentile(firstLags, 99), 1)},
        {"spread_p50_ms", num(percentile(spreads, 50), 1)},
        {"spread_p99_ms", num(percentile(spreads, 99), 1)},
        {"spread_max_ms", num(spreads.empty() ? NAN : spreads.back(), 1)},
        {"starved", std::to_string(starved)},
        {"zero_messages", std::to_string(zero)},
        {"seq_gaps", std::to_string(seqGaps)},
        {"client_cpu_pct", num(clientCpuPct, 1)},
        {"client_loop_delay_p99_ms", num(busyP99, 1)},
        {"client_loop_delay_max_ms", num(busyMaxMs, 1)},
        {"client_rss_mb", num(clientRssMb, 1)},
        {"server_cpu_pct", num(serverCpuPct, 2)},
        {"server_rss_mb", num(serverRss / 1024, 1)},
        {"server_rss_max_mb", serverRssMaxKb > 0 ? num(serverRssMaxKb / 1024, 1) : "null"},
        {"server_hwm_mb", num(serverHwm / 1024, 1)},
        {"server_lag_ticks", serverLag ? num(serverLag->count, 0) : "null"},
        {"server_lag_p50_le_ms", serverLag ? num(serverLag->p50, 3) : "null"},
        {"server_lag_p99_le_ms", serverLag ? num(serverLag->p99, 3) : "null"},
    };
    auto v = [&](std::string_view key) {
        for (const auto &[k, val] : r)
            if (k == key)
                return val;
        return std::string("?");
    };

    log("");
    log("clients     " + v("connected") + " connected, " + v("failed") + " failed, " +
        v("closed_before_window") + " closed before the window, " + v("closed_in_window") +
        " closed during it; " + v("open_at_end") + " open at the end");
    log("close codes " + closeCodes + (all.errors.empty() ? "" : "  errors " + errors));
    log("window      " + v("window_s") + " s, " + v("messages") + " metrics messages (" +
        v("msgs_per_s_total") + "/s over all clients, " + v("frame_bytes") + " B each, " +
        v("mb_per_s") + " MB/s), parse=index");
    log("per client  min " + v("rate_min") + "  median " + v("rate_median") + "  max " +
        v("rate_max") + " messages/s");
    log("lag         p50 " + v("lag_p50_ms") + " ms  p90 " + v("lag_p90_ms") + " ms  p99 " +
        v("lag_p99_ms") + " ms  max " + v("lag_max_ms") + " ms  (" + v("lag_samples") +
        " samples, receive time - ts)");
    log("per tick    first receiver's lag p50 " + v("first_lag_p50_ms") + " ms  p99 " +
        v("first_lag_p99_ms") + " ms;  first-to-last spread p50 " + v("spread_p50_ms") +
        " ms  p99 " + v("spread_p99_ms") + " ms  max " + v("spread_max_ms") + " ms  (" +
        v("ticks_complete") + " ticks every client got)");
    log("starved     " + v("starved") + " clients below 90% of the median count (" +
        v("zero_messages") + " got nothing); " + v("seq_gaps") + " skipped seq numbers in all");
    log("client      " + v("client_cpu_pct") + "% of one core over " + std::to_string(n) +
        " receiving thread(s) (native), loop busy per wakeup p99 " + v("client_loop_delay_p99_ms") +
        " ms max " + v("client_loop_delay_max_ms") + " ms, RSS " + v("client_rss_mb") + " MB");
    if (opts.serverPid)
        log("server      " + v("server_cpu_pct") + "% of one core over the window, RSS " +
            v("server_rss_mb") + " MB (max seen " + v("server_rss_max_mb") + " MB, high-water " +
            v("server_hwm_mb") + " MB)");
    if (serverLag)
        log("server lag  p50 <= " + v("server_lag_p50_le_ms") +
            " ms  p99 <= " + v("server_lag_p99_le_ms") + " ms over " + v("server_lag_ticks") +
            " ticks (the server's own tidewatch_delivery_lag_seconds: sample start to send() for "
            "the last client; bucket bounds)");

    std::string json = "{";
    for (const auto &[k, val] : r)
        json += (json.size() > 1 ? "," : "") + jsonString(k) + ":" + val;
    json += "}";
    std::printf("FANOUT %s\n", json.c_str());
    std::fflush(stdout);
    return 0;
}
