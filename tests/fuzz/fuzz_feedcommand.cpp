// SPDX-License-Identifier: GPL-3.0-or-later
// FeedCodec::parseCommand reads every text frame a WebSocket client sends.

#include "FeedCodec.h"
#include "FuzzCheck.h"

#include <QJsonDocument>
#include <QJsonObject>

using tidewatch::FeedCodec;
using tidewatch::FeedCommand;

namespace {

/// The server's replies must stay valid JSON whatever the client sent,
/// since error messages quote parts of the command back.
void checkJsonObject(const QByteArray &message, const char *type)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(message, &error);
    TIDEWATCH_FUZZ_CHECK(error.error == QJsonParseError::NoError && doc.isObject());
    TIDEWATCH_FUZZ_CHECK(doc.object().value(QLatin1StringView("type")).toString() ==
                         QLatin1StringView(type));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const FeedCommand c = FeedCodec::parseCommand(tidewatch::fuzz::input(data, size));
    switch (c.type) {
    case FeedCommand::Type::Invalid:
        TIDEWATCH_FUZZ_CHECK(!c.errorCode.isEmpty() && !c.errorMessage.isEmpty());
        checkJsonObject(FeedCodec::errorMessage(c.errorCode, c.errorMessage), "error");
        break;
    case FeedCommand::Type::Subscribe:
        TIDEWATCH_FUZZ_CHECK(c.intervalMs >= -1);
        checkJsonObject(
            FeedCodec::subscribedMessage(c.hasMetrics ? &c.metrics : nullptr, c.intervalMs),
            "subscribed");
        [[fallthrough]];
    case FeedCommand::Type::History:
        TIDEWATCH_FUZZ_CHECK(c.metrics.size() <= FeedCodec::MaxPatterns);
        for (const QString &pattern : c.metrics)
            TIDEWATCH_FUZZ_CHECK(!pattern.isEmpty() &&
                                 pattern.size() <= FeedCodec::MaxPatternLength);
        TIDEWATCH_FUZZ_CHECK(c.maxPoints == -1 || c.maxPoints > 0);
        break;
    case FeedCommand::Type::Ping:
    case FeedCommand::Type::RequestMetrics:
        break;
    }
    return 0;
}
