// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the real `tidewatch --screenshot` and checks the PNG it writes.
#include <QHash>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

class TestScreenshot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rendersTheWindow()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(u"shot.png"_s);
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s)); // no user settings
        env.insert(u"LANG"_s, u"C.UTF-8"_s);
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(TIDEWATCH_PATH),
                  {u"--no-feed"_s, u"--interval"_s, u"200"_s, u"--screenshot"_s, file, u"--after"_s,
                   u"2000"_s});
        QVERIFY2(app.waitForFinished(60000), "tidewatch did not exit");
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());

        const QImage image(file);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1280, 800));

        // Not blank: no single colour covers most of the picture, and there
        // are many colours (antialiased text and chart lines).
        QHash<QRgb, int> histogram;
        for (int y = 0; y < image.height(); ++y) {
            const QRgb *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
            for (int x = 0; x < image.width(); ++x)
                ++histogram[line[x] | 0xff000000u];
        }
        int top = 0;
        for (int n : std::as_const(histogram))
            top = std::max(top, n);
        QVERIFY2(histogram.size() > 200, QByteArray::number(histogram.size()));
        QVERIFY2(top < image.width() * image.height() * 0.8, QByteArray::number(top));

        // Charts drawn, in the CPU card (the left third of the top half):
        // the value grid, as long runs of one light grey per row, and the
        // chart's blue (#3daee9) in its line, fill and legend. The blue is
        // not counted from the fill alone: two seconds after start on an
        // idle machine the CPU line is a few pixels flat at 0 %.
        const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
        int gridRows = 0;
        int blue = 0;
        for (int y = 100; y < 400; ++y) {
            int grey = 0;
            for (int x = 0; x < 420; ++x) {
                const QColor c = rgb.pixelColor(x, y);
                if (c.red() == c.green() && c.green() == c.blue() && c.red() > 200 && c.red() < 250)
                    ++grey;
                if (c.blue() > c.red() + 40 && c.blue() > 150 && c.green() > 120)
                    ++blue;
            }
            if (grey >= 250)
                ++gridRows;
        }
        QVERIFY2(gridRows >= 4, QByteArray::number(gridRows));
        QVERIFY2(blue > 40, QByteArray::number(blue));
    }
};

QTEST_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
