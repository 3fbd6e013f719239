// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProcessTableModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QtTest>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

ProcessSummary summary(const QList<ProcessInfo> &byCpu, const QList<ProcessInfo> &byRss)
{
    ProcessSummary s;
    s.count = int(byCpu.size() + byRss.size());
    s.topCpu = byCpu;
    s.topRss = byRss;
    return s;
}

const ProcessInfo Firefox{100, u"firefox"_s, 35.0, 900'000'000};
const ProcessInfo Kwin{200, u"kwin_wayland"_s, 12.5, 250'000'000};
const ProcessInfo Bash{300, u"bash"_s, 0.0, 5'000'000};
const ProcessInfo Make{400, u"make"_s, 99.0, 20'000'000};

QList<qint64> pidsInViewOrder(const QSortFilterProxyModel &proxy)
{
    QList<qint64> pids;
    for (int row = 0; row < proxy.rowCount(); ++row)
        pids.append(proxy.index(row, ProcessTableModel::Pid)
                        .data(ProcessTableModel::SortRole)
                        .toLongLong());
    return pids;
}

} // namespace

class TestProcessTableModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void sortsByEveryColumn_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<QList<qint64>>("expected");
        QTest::newRow("cpu desc") << int(ProcessTableModel::Cpu) << int(Qt::DescendingOrder)
                                  << QList<qint64>{400, 100, 200, 300};
        QTest::newRow("memory desc") << int(ProcessTableModel::Memory) << int(Qt::DescendingOrder)
                                     << QList<qint64>{100, 200, 400, 300};
        QTest::newRow("name asc") << int(ProcessTableModel::Name) << int(Qt::AscendingOrder)
                                  << QList<qint64>{300, 100, 200, 400};
        QTest::newRow("pid desc") << int(ProcessTableModel::Pid) << int(Qt::DescendingOrder)
                                  << QList<qint64>{400, 300, 200, 100};
    }

    void sortsByEveryColumn()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(QList<qint64>, expected);
        ProcessTableModel model;
        QAbstractItemModelTester tester(&model);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(ProcessTableModel::SortRole);
        // Both lists overlap (firefox is in both): one row per pid.
        model.setProcesses(summary({Make, Firefox, Kwin}, {Firefox, Kwin, Make, Bash}));
        QCOMPARE(model.rowCount(), 4);
        proxy.sort(column, Qt::SortOrder(order));
        QCOMPARE(pidsInViewOrder(proxy), expected);
    }

    void updatesInPlaceAndResorts()
    {
        ProcessTableModel model;
        QAbstractItemModelTester tester(&model);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(ProcessTableModel::SortRole);
        proxy.setDynamicSortFilter(true);
        proxy.sort(ProcessTableModel::Cpu, Qt::DescendingOrder);
        model.setProcesses(summary({Make, Firefox, Kwin}, {}));
        QCOMPARE(pidsInViewOrder(proxy), (QList<qint64>{400, 100, 200}));

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        ProcessInfo busyKwin = Kwin;
        busyKwin.cpuPercent = 150.0;
        model.setProcesses(summary({busyKwin, Firefox, Bash}, {})); // make left, bash came
        QCOMPARE(reset.count(), 0);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(pidsInViewOrder(proxy), (QList<qint64>{200, 100, 300}));
        QCOMPARE(proxy.index(0, ProcessTableModel::Cpu).data().toString(), u"150.0 %"_s);
    }

    void filtersByName()
    {
        ProcessTableModel model;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setFilterKeyColumn(ProcessTableModel::Name);
        proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
        model.setProcesses(summary({Make, Firefox, Kwin, Bash}, {}));
        proxy.setFilterFixedString(u"FIRE"_s);
        QCOMPARE(pidsInViewOrder(proxy), QList<qint64>{100});
        proxy.setFilterFixedString(QString());
        QCOMPARE(proxy.rowCount(), 4);
    }

    void showsUnits()
    {
        ProcessTableModel model;
        model.setProcesses(summary({Firefox}, {}));
        QCOMPARE(model.index(0, ProcessTableModel::Memory).data().toString(), u"858 MiB"_s);
        QCOMPARE(model.headerData(ProcessTableModel::Cpu, Qt::Horizontal).toString(), u"CPU"_s);
    }
};

QTEST_MAIN(TestProcessTableModel)
#include "tst_processtablemodel.moc"
