// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpRequest.h"

namespace tidewatch {

namespace {

// RFC 9110 token characters, for methods and header names.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Field values may hold visible ASCII, obs-text (>= 0x80), space and tab.
bool isFieldValue(QByteArrayView s)
{
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

// The request-target: visible ASCII only, no spaces or controls.
bool isTargetChars(QByteArrayView s)
{
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7f)
            return false;
    }
    return true;
}

HttpRequest::Status fail(QByteArray *error, const char *reason)
{
    if (error)
        *error = QByteArray(reason);
    return HttpRequest::Status::Invalid;
}

} // namespace

QByteArray HttpRequest::header(QByteArrayView lowerName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return true;
    }
    return false;
}

bool HttpRequest::headerHasToken(QByteArrayView lowerName, QByteArrayView token) const
{
    for (const auto &[name, value] : headers) {
        if (name != lowerName)
            continue;
        QByteArrayView rest(value);
        while (!rest.isEmpty()) {
            const qsizetype comma = rest.indexOf(',');
            const QByteArrayView part = comma < 0 ? rest : rest.first(comma);
            if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
                return true;
            rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 1);
        }
    }
    return false;
}

bool HttpRequest::keepAlive() const
{
    if (versionMinor >= 1)
        return !headerHasToken("connection", "close");
    return headerHasToken("connection", "keep-alive");
}

bool HttpRequest::isWebSocketUpgrade() const
{
    return method == "GET" && headerHasToken("upgrade", "websocket") &&
           headerHasToken("connection", "upgrade");
}

HttpRequest::Status HttpRequest::parse(QByteArrayView data, qsizetype maxHeadBytes,
                                       HttpRequest *out, QByteArray *error)
{
    *out = HttpRequest();
    const QByteArrayView window = data.first(qMin(data.size(), maxHeadBytes));
    const qsizetype end = window.indexOf(QByteArrayView("\r\n\r\n"));
    if (end < 0)
        return data.size() >= maxHeadBytes ? Status::TooLarge : Status::Incomplete;
    out->headLength = end + 4;

    // Lines are split on CRLF only; a bare CR or LF anywhere is malformed
    // (request smuggling relies on parsers that disagree about them).
    const QByteArrayView head = window.first(end);
    for (qsizetype i = 0; i < head.size(); ++i) {
        if (head[i] == '\r' && (i + 1 >= head.size() || head[i + 1] != '\n'))
            return fail(error, "bare CR in request head");
        if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r'))
            return fail(error, "bare LF in request head");
    }

    qsizetype lineStart = 0;
    qsizetype lineEnd = head.indexOf(QByteArrayView("\r\n"));
    if (lineEnd < 0)
        lineEnd = head.size();
    const QByteArrayView requestLine = head.sliced(0, lineEnd);

    // request-line = method SP request-target SP HTTP-version
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0)
        return fail(error, "malformed request line");
    const QByteArrayView method = requestLine.first(sp1);
    QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (!isToken(method))
        return fail(error, "malformed method");
    if (version == "HTTP/1.1")
        out->versionMinor = 1;
    else if (version == "HTTP/1.0")
        out->versionMinor = 0;
    else
        return fail(error, "unsupported HTTP version");
    if (target.isEmpty() || !isTargetChars(target))
        return fail(error, "malformed request target");
    out->method = method.toByteArray();
    out->target = target.toByteArray();

    // absolute-form ("http://host/path") must be accepted by servers; keep its path.
    for (QByteArrayView scheme : {QByteArrayView("http://"), QByteArrayView("https://")}) {
        if (target.size() > scheme.size() &&
            target.first(scheme.size()).compare(scheme, Qt::CaseInsensitive) == 0) {
            const qsizetype slash = target.indexOf('/', scheme.size());
            target = slash < 0 ? QByteArrayView("/") : target.sliced(slash);
            break;
        }
    }
    if (!target.startsWith('/') && target != "*")
        return fail(error, "malformed request target");
    const qsizetype q = target.indexOf('?');
    out->path = (q < 0 ? target : target.first(q)).toByteArray();
    if (q >= 0)
        out->query = target.sliced(q + 1).toByteArray();

    lineStart = lineEnd + 2;
    while (lineStart < head.size()) {
        lineEnd = head.indexOf(QByteArrayView("\r\n"), lineStart);
        if (lineEnd < 0)
            lineEnd = head.size();
        const QByteArrayView line = head.sliced(lineStart, lineEnd - lineStart);
        lineStart = lineEnd + 2;
        if (line.startsWith(' ') || line.startsWith('\t'))
            return fail(error, "obsolete header line folding");
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(error, "malformed header line");
        const QByteArrayView name = line.first(colon); // no space allowed before ':'
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (!isToken(name))
            return fail(error, "malformed header name");
        if (!isFieldValue(value))
            return fail(error, "control character in header value");
        if (out->headers.size() >= MaxHeaders)
            return fail(error, "too many header lines");
        out->headers.append({name.toByteArray().toLower(), value.toByteArray()});
    }
    // Two different Content-Length values, or one with Transfer-Encoding, are
    // the classic smuggling shapes; refuse them outright.
    QByteArray contentLength;
    for (const auto &[name, value] : std::as_const(out->headers)) {
        if (name != "content-length")
            continue;
        if (!contentLength.isNull() && contentLength != value)
            return fail(error, "conflicting Content-Length");
        contentLength = value;
    }
    if (!contentLength.isNull() && out->hasHeader("transfer-encoding"))
        return fail(error, "Content-Length with Transfer-Encoding");
    if (out->versionMinor == 1 && !out->hasHeader("host"))
        return fail(error, "missing Host header");
    return Status::Complete;
}

} // namespace tidewatch
