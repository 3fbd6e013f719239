// SPDX-License-Identifier: GPL-3.0-or-later
#include "WebAssets.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QHash>

namespace tidewatch {

namespace {

constexpr QLatin1StringView ResourceRoot(":/web");

QByteArray contentTypeFor(QByteArrayView path)
{
    struct Type
    {
        const char *suffix;
        const char *type;
    };
    static constexpr Type types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".json", "application/json"},
        {".webmanifest", "application/manifest+json"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    for (const Type &t : types) {
        if (path.endsWith(QByteArrayView(t.suffix)))
            return QByteArray(t.type);
    }
    return QByteArrayLiteral("application/octet-stream");
}

// Nothing inline but what inlineAssets() put there, no eval, no framing.
QByteArray policy(const QByteArray &scriptHashes, const QByteArray &styleHashes)
{
    return "default-src 'self'; script-src 'self'" + scriptHashes + "; style-src 'self'" +
           styleHashes +
           "; img-src 'self'; connect-src 'self' ws: wss:; object-src 'none'; "
           "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

// Replaces each `<open>/X<close>` of an HTML page by `<tag>` + the text of
// the file /X + `</tag>`, and returns the CSP sources that allow exactly
// those texts (" 'sha256-…'" each). A file that is missing, or that holds
// "</tag", stays a reference.
QByteArray inlineAssets(QByteArray &html, const QHash<QByteArray, WebAsset> &assets,
                        QByteArrayView open, QByteArrayView close, QByteArrayView tag)
{
    const QByteArray endTag = "</" + tag.toByteArray();
    QByteArray hashes;
    qsizetype from = 0;
    while ((from = html.indexOf(open, from)) >= 0) {
        const qsizetype end = html.indexOf('"', from + open.size());
        if (end < 0 || !QByteArrayView(html).sliced(end).startsWith(close)) {
            from += open.size();
            continue;
        }
        const auto file = assets.constFind(html.mid(from + open.size(), end - from - open.size()));
        if (file == assets.constEnd() || file->body.contains(endTag)) {
            from = end;
            continue;
        }
        const QByteArray element = '<' + tag.toByteArray() + '>' + file->body + endTag + '>';
        html.replace(from, end + close.size() - from, element);
        hashes += " 'sha256-" +
                  QCryptographicHash::hash(file->body, QCryptographicHash::Sha256).toBase64() +
                  '\'';
        from += element.size();
    }
    return hashes;
}

// Every file under :/web, keyed by URL path. Built once: the resources are
// compiled in and never change while the process runs.
QHash<QByteArray, WebAsset> loadAssets()
{
    QHash<QByteArray, WebAsset> assets;
    QDirIterator it(ResourceRoot, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray urlPath = file.mid(ResourceRoot.size()).toUtf8();
        WebAsset asset;
        asset.body = f.readAll();
        asset.contentType = contentTypeFor(urlPath);
        assets.insert(urlPath, asset);
    }
    for (auto entry = assets.begin(); entry != assets.end(); ++entry) {
        WebAsset &asset = entry.value();
        QByteArray scripts;
        QByteArray styles;
        if (entry.key().endsWith(".html")) {
            scripts = inlineAssets(asset.body, assets, "<script src=\"", "\" data-inline></script>",
                                   "script");
            styles = inlineAssets(asset.body, assets, "<link rel=\"stylesheet\" href=\"",
                                  "\" data-inline>", "style");
            asset.firstDataAt = asset.body.indexOf(FirstDataMarker);
        }
        asset.contentSecurityPolicy = policy(scripts, styles);
        asset.etag =
            '"' +
            QCryptographicHash::hash(asset.body, QCryptographicHash::Sha256).toHex().left(20) + '"';
    }
    return assets;
}

} // namespace

const WebAsset *findWebAsset(QByteArrayView path)
{
    static const QHash<QByteArray, WebAsset> assets = loadAssets();
    if (path == "/")
        path = "/index.html";
    const auto it = assets.constFind(path.toByteArray());
    return it == assets.constEnd() ? nullptr : &it.value();
}

bool etagMatches(QByteArrayView ifNoneMatch, QByteArrayView etag)
{
    const QByteArrayView wanted = etag.startsWith("W/") ? etag.sliced(2) : etag;
    for (QByteArrayView candidate : QByteArray(ifNoneMatch.toByteArray()).split(',')) {
        candidate = candidate.trimmed();
        if (candidate == "*")
            return true;
        if (candidate.startsWith("W/"))
            candidate = candidate.sliced(2);
        if (!candidate.isEmpty() && candidate == wanted)
            return true;
    }
    return false;
}

} // namespace tidewatch
