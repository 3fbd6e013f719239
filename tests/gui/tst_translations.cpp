// SPDX-License-Identifier: GPL-3.0-or-later
// Every shipped catalogue in translations/ is complete: each message has a
// finished translation (none unfinished, vanished or obsolete), and each
// plural message has exactly the forms its language needs. English is the
// source language and only has to carry the plural forms.
#include "Appearance.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QXmlStreamReader>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

struct Message
{
    QString context;
    QString source;
    bool numerus = false;
    QString type;      // "", "unfinished", "vanished", "obsolete"
    QStringList forms; // numerus forms, or the one translation
};

struct Catalogue
{
    QString language;
    QList<Message> messages;
    QString error;
};

Catalogue parse(const QString &path)
{
    Catalogue cat;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        cat.error = file.errorString();
        return cat;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Message msg;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == "TS"_L1) {
            cat.language = xml.attributes().value("language"_L1).toString();
        } else if (name == "name"_L1) {
            context = xml.readElementText();
        } else if (name == "message"_L1) {
            msg = Message{};
            msg.context = context;
            msg.numerus = xml.attributes().value("numerus"_L1) == "yes"_L1;
        } else if (name == "source"_L1) {
            msg.source = xml.readElementText();
        } else if (name == "translation"_L1) {
            msg.type = xml.attributes().value("type"_L1).toString();
            if (msg.numerus) {
                while (xml.readNextStartElement()) {
                    if (xml.name() == "numerusform"_L1)
                        msg.forms.append(xml.readElementText());
                    else
                        xml.skipCurrentElement();
                }
            } else {
                msg.forms.append(xml.readElementText());
            }
            cat.messages.append(msg);
        }
    }
    if (xml.hasError())
        cat.error = xml.errorString();
    return cat;
}

// Plural forms per language, as Qt's lrelease counts them.
int numerusForms(const QString &language)
{
    if (language.startsWith("zh"_L1) || language.startsWith("ja"_L1))
        return 1;
    return 2; // de, en, es, fr
}

QString describe(const Message &m)
{
    return m.context + u": \""_s + m.source + u'"';
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void catalogueIsComplete_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(QStringLiteral(TIDEWATCH_TRANSLATIONS_DIR));
        const QStringList files = dir.entryList({u"tidewatch_*.ts"_s}, QDir::Files, QDir::Name);
        // The languages the app ships, so dropping a file fails too.
        for (const char *lang : {"de", "en", "es", "fr", "zh_CN"})
            QVERIFY2(files.contains(u"tidewatch_%1.ts"_s.arg(QLatin1String(lang))), lang);
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }
    void catalogueIsComplete()
    {
        QFETCH(QString, path);
        const Catalogue cat = parse(path);
        QVERIFY2(cat.error.isEmpty(), qPrintable(cat.error));
        QVERIFY(!cat.language.isEmpty());
        // The German catalogue sets the number of messages every other one has.
        const Catalogue reference =
            parse(QDir(QStringLiteral(TIDEWATCH_TRANSLATIONS_DIR)).filePath(u"tidewatch_de.ts"_s));
        QVERIFY(reference.messages.size() > 100);
        QCOMPARE(cat.messages.size(), reference.messages.size());

        const bool sourceLanguage = cat.language.startsWith("en"_L1);
        const int forms = numerusForms(cat.language);
        QStringList problems;
        for (const Message &m : cat.messages) {
            if (m.type == "vanished"_L1 || m.type == "obsolete"_L1) {
                problems << u"%1 is %2"_s.arg(describe(m), m.type);
                continue;
            }
            if (sourceLanguage && !m.numerus)
                continue;
            if (m.type == "unfinished"_L1)
                problems << u"%1 is unfinished"_s.arg(describe(m));
            if (m.numerus && m.forms.size() != forms)
                problems << u"%1 has %2 plural forms, not %3"_s.arg(describe(m))
                                .arg(m.forms.size())
                                .arg(forms);
            for (const QString &t : m.forms) {
                if (t.trimmed().isEmpty())
                    problems << u"%1 has an empty translation"_s.arg(describe(m));
                // Placeholders must survive: a lost %1 silently drops a value.
                for (const QString &ph : {u"%1"_s, u"%2"_s, u"%3"_s, u"%4"_s, u"%n"_s}) {
                    if (m.source.contains(ph) && !t.contains(ph))
                        problems << u"%1 loses %2 in \"%3\""_s.arg(describe(m), ph, t);
                }
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    // The compiled catalogues are embedded and found from a language name.
    void embeddedCatalogueLoads_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("memory");
        QTest::newRow("de") << u"de"_s << u"Speicher"_s;
        QTest::newRow("fr") << u"fr"_s << u"Mémoire"_s;
        QTest::newRow("es") << u"es"_s << u"Memoria"_s;
        QTest::newRow("zh_CN") << u"zh_CN"_s << u"内存"_s;
    }
    void embeddedCatalogueLoads()
    {
        QFETCH(QString, language);
        QFETCH(QString, memory);
        tidewatch::Appearance::installTranslations(language);
        QCOMPARE(QCoreApplication::translate("tidewatch::OverviewPage", "Memory"), memory);
    }

    // A catalogue installed in ../share/tidewatch/translations wins over the
    // embedded one: a Spanish file installed under the French name is used.
    void installedCatalogueWins()
    {
        const QString dir =
            QCoreApplication::applicationDirPath() + u"/../share/tidewatch/translations"_s;
        QVERIFY(QDir().mkpath(dir));
        const QString target = dir + u"/tidewatch_fr.qm"_s;
        QFile::remove(target);
        QVERIFY(QFile::copy(QStringLiteral(TIDEWATCH_QM_DIR "/tidewatch_es.qm"), target));
        tidewatch::Appearance::installTranslations(u"fr"_s);
        const QString memory = QCoreApplication::translate("tidewatch::OverviewPage", "Memory");
        QFile::remove(target);
        QCOMPARE(memory, u"Memoria"_s);
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
