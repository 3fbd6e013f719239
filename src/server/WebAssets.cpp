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
        asset.etag =
            '"' +
            QCryptographicHash::hash(asset.body, QCryptographicHash::Sha256).toHex().left(20) + '"';
        assets.insert(urlPath, asset);
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
