// SPDX-License-Identifier: GPL-3.0-or-later
// HttpRequest::parse is the first code every byte from the network meets.

#include "FuzzCheck.h"
#include "HttpRequest.h"

using tidewatch::HttpRequest;
using Status = HttpRequest::Status;

namespace {
// The limit FeedServer parses heads with.
constexpr qsizetype Limit = 16 * 1024;
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView in = tidewatch::fuzz::input(data, size);
    HttpRequest request;
    QByteArray error;
    switch (HttpRequest::parse(in, Limit, &request, &error)) {
    case Status::Incomplete:
        TIDEWATCH_FUZZ_CHECK(in.size() < Limit);
        break;
    case Status::TooLarge:
        TIDEWATCH_FUZZ_CHECK(in.size() >= Limit);
        break;
    case Status::Invalid:
        TIDEWATCH_FUZZ_CHECK(!error.isEmpty());
        break;
    case Status::Complete: {
        TIDEWATCH_FUZZ_CHECK(request.headLength >= 4 &&
                             request.headLength <= qMin(in.size(), Limit));
        TIDEWATCH_FUZZ_CHECK(request.headers.size() <= HttpRequest::MaxHeaders);
        TIDEWATCH_FUZZ_CHECK(request.path.startsWith('/') || request.path == "*");
        TIDEWATCH_FUZZ_CHECK(!request.method.isEmpty());
        for (const auto &[name, value] : std::as_const(request.headers)) {
            TIDEWATCH_FUZZ_CHECK(!name.isEmpty() && name == name.toLower());
            TIDEWATCH_FUZZ_CHECK(request.hasHeader(name));
            TIDEWATCH_FUZZ_CHECK(!request.header(name).isNull());
            // A value with no comma is a one-token list of itself.
            if (!value.isEmpty() && !value.contains(','))
                TIDEWATCH_FUZZ_CHECK(request.headerHasToken(name, value));
        }
        const bool upgrade = request.isWebSocketUpgrade();
        TIDEWATCH_FUZZ_CHECK(!upgrade || (request.method == "GET" && request.hasHeader("upgrade") &&
                                          request.hasHeader("connection")));
        (void)request.keepAlive();
        (void)request.header("sec-websocket-key");
        (void)request.headerHasToken("sec-websocket-protocol", "tidewatch");

        // What follows the blank line (a pipelined request, a body) must not
        // change how the head parses: cut there, the result is the same.
        HttpRequest head;
        TIDEWATCH_FUZZ_CHECK(HttpRequest::parse(in.first(request.headLength), Limit, &head) ==
                             Status::Complete);
        TIDEWATCH_FUZZ_CHECK(head.headLength == request.headLength);
        TIDEWATCH_FUZZ_CHECK(head.target == request.target && head.headers == request.headers);
        break;
    }
    }
    return 0;
}
