// SPDX-License-Identifier: GPL-3.0-or-later
// Renders the main window in Simplified Chinese and right to left, saves the
// pictures (build/tests/gui/screenshots) and checks that every label and
// button shows its whole text and that the window really is translated and
// mirrored.
#include "Appearance.h"
#include "Hub.h"
#include "MainWindow.h"
#include "SnapshotFactory.h"

#include <QAbstractButton>
#include <QDir>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QTranslator>
#include <QtTest>

using namespace tidewatch;
using namespace tidewatch::testing;
using namespace Qt::StringLiterals;

namespace {

QString plainText(const QLabel *label)
{
    if (label->textFormat() == Qt::RichText ||
        (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(label->text()))) {
        QTextDocument doc;
        doc.setHtml(label->text());
        return doc.toPlainText();
    }
    return label->text();
}

// Labels and buttons, visible in `window`, whose text needs more room than
// they were given.
QStringList clipped(QWidget *window)
{
    QStringList out;
    for (QLabel *label : window->findChildren<QLabel *>()) {
        if (!label->isVisibleTo(window) || label->wordWrap() || label->text().isEmpty() ||
            !label->pixmap().isNull())
            continue;
        const QFontMetrics fm = label->fontMetrics();
        int need = 0;
        for (const QString &line : plainText(label).split(u'\n'))
            need = std::max(need, fm.horizontalAdvance(line.trimmed()));
        const int have = label->contentsRect().width() - 2 * label->margin() - label->indent();
        if (need > have + 1)
            out << u"label %1 \"%2\": needs %3 px, has %4"_s
                       .arg(label->objectName(), plainText(label))
                       .arg(need)
                       .arg(have);
    }
    for (QAbstractButton *button : window->findChildren<QAbstractButton *>()) {
        if (!button->isVisibleTo(window) || button->text().isEmpty())
            continue;
        if (button->width() < button->minimumSizeHint().width())
            out << u"button %1 \"%2\": %3 px wide, needs %4"_s
                       .arg(button->objectName(), button->text())
                       .arg(button->width())
                       .arg(button->minimumSizeHint().width());
    }
    return out;
}

} // namespace

class TestI18nLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(shotDir()));
    }

    void rendersWithoutClipping_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<bool>("rtl");
        QTest::addColumn<QString>("overview"); // the first tab, translated
        QTest::newRow("zh_CN") << u"zh_CN"_s << false << u"概览"_s;
        QTest::newRow("zh_CN-rtl") << u"zh_CN"_s << true << u"概览"_s;
        QTest::newRow("en-rtl") << u"en"_s << true << u"Overview"_s;
    }
    void rendersWithoutClipping()
    {
        QFETCH(QString, language);
        QFETCH(bool, rtl);
        QFETCH(QString, overview);
        // Translators stack up; the previous row's must not answer for this one.
        for (QTranslator *old : QCoreApplication::instance()->findChildren<QTranslator *>()) {
            QCoreApplication::removeTranslator(old);
            delete old;
        }
        Appearance::installTranslations(language);
        QGuiApplication::setLayoutDirection(rtl ? Qt::RightToLeft : Qt::LeftToRight);

        Hub hub(60 * 60 * 1000);
        const CatalogPtr catalog = machineCatalog();
        const qint64 t0 = 1'700'000'000'000;
        for (int i = 0; i < 30; ++i)
            hub.publish(snapshotAt(catalog, t0 + i * 1000, quint64(i + 1),
                                   {{u"cpu.total"_s, 20.0 + i}, {u"mem.percent"_s, 40.0}}));
        QSettings store(m_dir.filePath(language + u".conf"_s), QSettings::IniFormat);
        MainWindow window(&hub, nullptr, nullptr, &store, AppSettings());
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCoreApplication::processEvents();

        const QImage image = window.grab().toImage();
        const QString file =
            shotDir() + u"/mainwindow-%1%2.png"_s.arg(language, rtl ? u"-rtl"_s : QString());
        QVERIFY(image.save(file));
        QCOMPARE(image.size(), QSize(1280, 800));
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 2)
            for (int x = 0; x < image.width(); x += 2)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 100, qPrintable(QString::number(colours.size())));

        auto *pages = window.findChild<QTabWidget *>(u"pages"_s);
        QVERIFY(pages);
        QCOMPARE(pages->tabText(0).remove(u'&'), overview);
        QCOMPARE(window.layoutDirection(), rtl ? Qt::RightToLeft : Qt::LeftToRight);
        // Mirrored: the first menu sits at the right end of the menu bar.
        QMenuBar *bar = window.menuBar();
        const QRect first = bar->actionGeometry(bar->actions().constFirst());
        QCOMPARE(first.center().x() > bar->width() / 2, rtl);

        const QStringList problems = clipped(&window);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QGuiApplication::setLayoutDirection(Qt::LeftToRight);
    }

private:
    static QString shotDir() { return QStringLiteral(TIDEWATCH_SHOT_DIR); }
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestI18nLayout)
#include "tst_i18nlayout.moc"
