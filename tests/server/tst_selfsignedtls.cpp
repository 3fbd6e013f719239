// SPDX-License-Identifier: GPL-3.0-or-later
// --tls-self-signed's pair: made once with private files, kept while
// valid, remade near expiry or when broken, and accepted by a verifying
// client that trusts it, through the feed server.
#include "FeedServer.h"
#include "Hub.h"
#include "RawHttp.h"
#include "SelfSignedTls.h"
#include "TlsCredentials.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace tidewatch;
using namespace Qt::StringLiterals;

class TestSelfSignedTls : public QObject
{
    Q_OBJECT

private slots:
    void madeOnceAndKept();
    void carriesTheNames();
    void remadeNearExpiryOrWhenBroken();
    void unwritableDirectoryIsOneLine();
    void servedAndReportedByTheFeed();
    void namesOfThisMachine();
};

void TestSelfSignedTls::madeOnceAndKept()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(u"tls"_s);
    QString error;
    const auto first = tls::ensureSelfSignedPair(dir, {u"localhost"_s, u"127.0.0.1"_s}, &error);
    QVERIFY2(first, qPrintable(error));
    QVERIFY(first->created);
    QCOMPARE(first->fingerprint.size(), 32 * 3 - 1); // "AB:" × 32 without the last ':'
    // The key and its directory are the owner's only, as the token file must be.
    const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                      QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    QCOMPARE(QFileInfo(first->keyFile).permissions() & others, QFile::Permissions());
    QVERIFY(QFileInfo(first->keyFile).permissions() & QFile::ReadOwner);
    QCOMPARE(QFileInfo(dir).permissions() & others, QFile::Permissions());
    QVERIFY(!QFile::exists(first->keyFile + u".tmp"_s));

    const auto again = tls::ensureSelfSignedPair(dir, {u"localhost"_s}, &error);
    QVERIFY2(again, qPrintable(error));
    QVERIFY(!again->created);
    QCOMPARE(again->fingerprint, first->fingerprint);
}

void TestSelfSignedTls::carriesTheNames()
{
    QTemporaryDir tmp;
    QString error;
    const auto pair = tls::ensureSelfSignedPair(
        tmp.path(), {u"box"_s, u"box.local"_s, u"127.0.0.1"_s, u"::1"_s, u"192.168.1.20"_s}, &error,
        100);
    QVERIFY2(pair, qPrintable(error));
    const auto loaded = TlsCredentials::load(pair->certFile, pair->keyFile, &error);
    QVERIFY2(loaded, qPrintable(error));
    const QSslCertificate &cert = loaded->chain.first();
    QCOMPARE(cert.subjectInfo(QSslCertificate::CommonName), QStringList{u"box"_s});
    QCOMPARE(cert.issuerDisplayName(), cert.subjectDisplayName()); // self-signed
    QVERIFY(cert.isSelfSigned());
    const auto alt = cert.subjectAlternativeNames();
    QStringList dns = alt.values(QSsl::DnsEntry);
    dns.sort();
    QCOMPARE(dns, (QStringList{u"box"_s, u"box.local"_s}));
    QCOMPARE(alt.values(QSsl::IpAddressEntry).size(), 3);
    QVERIFY(alt.values(QSsl::IpAddressEntry).contains(u"192.168.1.20"_s));
    const qint64 days = QDateTime::currentDateTimeUtc().daysTo(cert.expiryDate());
    QVERIFY2(days >= 99 && days <= 100, qPrintable(QString::number(days)));
    QCOMPARE(loaded->key.algorithm(), QSsl::Ec);
}

void TestSelfSignedTls::remadeNearExpiryOrWhenBroken()
{
    QTemporaryDir tmp;
    QString error;
    // Ten days left, renewed at thirty: a new pair.
    const auto shortLived = tls::ensureSelfSignedPair(tmp.path(), {u"localhost"_s}, &error, 10);
    QVERIFY2(shortLived, qPrintable(error));
    const auto renewed = tls::ensureSelfSignedPair(tmp.path(), {u"localhost"_s}, &error);
    QVERIFY2(renewed && renewed->created, qPrintable(error));
    QVERIFY(renewed->fingerprint != shortLived->fingerprint);

    QFile cert(renewed->certFile);
    QVERIFY(cert.open(QIODevice::WriteOnly | QIODevice::Truncate));
    cert.write("not a certificate\n");
    cert.close();
    const auto remade = tls::ensureSelfSignedPair(tmp.path(), {u"localhost"_s}, &error);
    QVERIFY2(remade && remade->created, qPrintable(error));
    QVERIFY(TlsCredentials::load(remade->certFile, remade->keyFile, &error));
}

void TestSelfSignedTls::unwritableDirectoryIsOneLine()
{
    QTemporaryDir tmp;
    QFile file(tmp.filePath(u"a-file"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    QString error;
    QVERIFY(!tls::ensureSelfSignedPair(tmp.filePath(u"a-file/tls"_s), {u"localhost"_s}, &error));
    QVERIFY2(error.contains(tmp.filePath(u"a-file/tls"_s)) && !error.contains(u'\n'),
             qPrintable(error));
}

// A verifying client that trusts only this certificate gets through, and
// /healthz and /metrics report the certificate's expiry and the handshake.
void TestSelfSignedTls::servedAndReportedByTheFeed()
{
    QTemporaryDir tmp;
    QString error;
    const auto pair =
        tls::ensureSelfSignedPair(tmp.path(), {u"localhost"_s, u"127.0.0.1"_s}, &error);
    QVERIFY2(pair, qPrintable(error));
    Hub hub;
    FeedServer server(&hub);
    QVERIFY2(server.setTls(pair->certFile, pair->keyFile, &error), qPrintable(error));
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));

    // A client that trusts only this certificate, and checks the name.
    QSslSocket client;
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setCaCertificates(QSslCertificate::fromPath(pair->certFile));
    c.setPeerVerifyMode(QSslSocket::VerifyPeer);
    client.setSslConfiguration(c);
    QList<QSslError> errors;
    connect(&client, &QSslSocket::sslErrors, this,
            [&errors](const QList<QSslError> &e) { errors += e; });
    client.connectToHostEncrypted(u"127.0.0.1"_s, server.serverPort());
    // Not waitForEncrypted(): the server's handshake runs in this thread's loop.
    QVERIFY2(QTest::qWaitFor([&client] { return client.isEncrypted(); }, 10'000),
             qPrintable(client.errorString() + u' ' + errors.value(0).errorString()));
    QVERIFY(errors.isEmpty());
    QCOMPARE(TlsCredentials::fingerprint(client.peerCertificate()), pair->fingerprint);

    const auto get = [&client](const QByteArray &path) {
        client.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray buffer;
        test::RawResponse response;
        const bool whole = QTest::qWaitFor(
            [&] { return test::takeResponse(buffer += client.readAll(), &response); }, 5000);
        return whole ? response.body : QByteArray();
    };
    const QJsonObject tlsInfo =
        QJsonDocument::fromJson(get("/healthz")).object().value(u"tls").toObject();
    const qint64 expiresIn = tlsInfo.value(u"certificate_expires_in_s").toInteger();
    QVERIFY2(expiresIn > 396 * 86400 && expiresIn <= 397 * 86400,
             qPrintable(QString::number(expiresIn)));
    QCOMPARE(tlsInfo.value(u"handshakes").toInteger(), 1);
    QCOMPARE(tlsInfo.value(u"handshakes_failed").toInteger(), 0);

    const QByteArray metrics = get("/metrics");
    const QByteArray expiry =
        "\ntidewatch_tls_certificate_expiry_timestamp_seconds " +
        QByteArray::number(
            QSslCertificate::fromPath(pair->certFile).first().expiryDate().toSecsSinceEpoch()) +
        '\n';
    QVERIFY2(metrics.contains(expiry), metrics.right(1500).constData());
    QVERIFY(metrics.contains("\ntidewatch_tls_connections_total{result=\"ok\"} 1\n"));
    QVERIFY(metrics.contains("\ntidewatch_tls_connections_total{result=\"plain_http\"} 0\n"));
    if (QFileInfo::exists(u"/usr/bin/promtool"_s)) {
        QProcess promtool;
        promtool.start(u"/usr/bin/promtool"_s, {u"check"_s, u"metrics"_s});
        promtool.write(metrics);
        promtool.closeWriteChannel();
        QVERIFY(promtool.waitForFinished(30'000));
        const QByteArray said = promtool.readAllStandardOutput() + promtool.readAllStandardError();
        QVERIFY2(promtool.exitCode() == 0, said.constData()); // no snapshot: self metrics only
    }
}

void TestSelfSignedTls::namesOfThisMachine()
{
    const QStringList any = tls::selfSignedNames(u"0.0.0.0"_s);
    QCOMPARE(any.first(), u"localhost"_s);
    QVERIFY(any.contains(u"127.0.0.1"_s) && any.contains(u"::1"_s));
    QVERIFY(!any.contains(u"0.0.0.0"_s));
    QVERIFY(tls::selfSignedNames(u"192.168.7.9"_s).contains(u"192.168.7.9"_s));
    for (const QString &name : any)
        QVERIFY2(!name.contains(u' ') && !name.contains(u','), qPrintable(name));
}

QTEST_GUILESS_MAIN(TestSelfSignedTls)
#include "tst_selfsignedtls.moc"
