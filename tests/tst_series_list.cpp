// The series list: updates from the server keep rows, and the selection, in place.
#include "gui/series_list.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QLocale>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using namespace meterscope::app;

namespace {

SeriesInfo series(const QString &name, qint64 points)
{
    return {name, {}, points, 1546301700000000, 1548978300000000};
}

} // namespace

class TestSeriesList : public QObject {
    Q_OBJECT

private slots:
    void showsCountsAndRanges();
    void updatesInPlace();
    void selectingShowsASeries();
    void focusAndFilterSelectNothing();
    void namesStayReadableWhenNarrow();
};

void TestSeriesList::showsCountsAndRanges()
{
    SeriesListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSeries({series("meterusage", 2974)});
    QCOMPARE(model.rowCount(), 1);
    // The count as a user reads it: grouped the way the locale groups digits.
    const auto restoreLocale = qScopeGuard([previous = QLocale()] { QLocale::setDefault(previous); });
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    QCOMPARE(model.index(0, SeriesListModel::PointsColumn).data().toString(), QString("2.974"));
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QCOMPARE(model.index(0, SeriesListModel::PointsColumn).data().toString(), QString("2,974"));
    QCOMPARE(model.index(0, SeriesListModel::NameColumn).data().toString(), QString("meterusage"));
    QCOMPARE(model.index(0, SeriesListModel::PointsColumn).data(SeriesListModel::SortRole).toLongLong(), 2974);
    QCOMPARE(model.index(0, SeriesListModel::FirstColumn).data().toString(), QString("2019-01-01 00:15"));
    QCOMPARE(model.index(0, SeriesListModel::LastColumn).data().toString(), QString("2019-01-31 23:45"));
    model.setZone(DisplayZone::named("Asia/Tokyo"));
    QCOMPARE(model.index(0, SeriesListModel::FirstColumn).data().toString(), QString("2019-01-01 09:15"));
    QVERIFY(model.index(0, 0).data(Qt::ToolTipRole).toString().contains("2019-01-01T09:15:00+09:00"));
}

void TestSeriesList::updatesInPlace()
{
    SeriesListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSeries({series("a", 1), series("b", 2), series("c", 3)});
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    model.setSeries({series("a", 1), series("c", 30), series("d", 4)});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.rowOf("c"), 1);
    QCOMPARE(model.index(1, SeriesListModel::PointsColumn).data().toString(), QString("30"));

    // The same list again changes nothing.
    model.setSeries(model.series());
    QCOMPARE(changed.count(), 1);
}

void TestSeriesList::selectingShowsASeries()
{
    SeriesList list;
    QAbstractItemModelTester tester(list.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    list.model()->setSeries({series("b", 2), series("a", 1)});
    QSignalSpy selected(&list, &SeriesList::seriesSelected);
    QVERIFY(list.select("b"));
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.takeFirst().at(0).toString(), QString("b"));
    QCOMPARE(list.selected(), QString("b"));
    // Sorted by name: "a" is on top.
    QCOMPARE(list.view()->model()->index(0, 0).data().toString(), QString("a"));
    QVERIFY(!list.select("nope"));

    list.model()->setSeries({series("a", 1), series("b", 5)});
    QCOMPARE(list.selected(), QString("b"));
    QCOMPARE(selected.count(), 0);
}

void TestSeriesList::focusAndFilterSelectNothing()
{
    SeriesList list;
    list.model()->setSeries({series("alpha", 1), series("beta", 2), series("gamma", 3)});
    QVERIFY(list.select("beta"));
    list.show();
    QVERIFY(QTest::qWaitForWindowExposed(&list));
    QSignalSpy selected(&list, &SeriesList::seriesSelected);
    // Home belongs to the chart (show all), not to the list.
    list.view()->setFocus();
    QTest::keyClick(list.view(), Qt::Key_Home);
    QCOMPARE(selected.count(), 0);
    QCOMPARE(list.selected(), QString("beta"));
    // Typing in the filter narrows the list; the series shown stays.
    auto *filter = list.findChild<QLineEdit *>();
    QVERIFY(filter);
    filter->setFocus();
    QTest::keyClicks(filter, "gam");
    QCOMPARE(list.view()->model()->rowCount(), 1);
    QTest::keyClicks(filter, "x");
    QCOMPARE(list.view()->model()->rowCount(), 0);
    filter->clear();
    QCOMPARE(selected.count(), 0);
    QCOMPARE(list.selected(), QString("beta"));
    // Choosing a row with the keys is a choice.
    list.view()->setFocus();
    QTest::keyClick(list.view(), Qt::Key_Down);
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.takeFirst().at(0).toString(), QString("gamma"));
}

void TestSeriesList::namesStayReadableWhenNarrow()
{
    SeriesList list;
    list.model()->setSeries({series("meterusage", 2974), series("building-7-heat", 96)});
    list.resize(700, 300);
    list.show();
    QVERIFY(QTest::qWaitForWindowExposed(&list));
    QVERIFY(!list.view()->isColumnHidden(SeriesListModel::FirstColumn));
    // About the list's width in an 800x600 window: names, not "…".
    list.resize(320, 300);
    QTRY_VERIFY(list.view()->isColumnHidden(SeriesListModel::FirstColumn));
    QVERIFY(list.view()->isColumnHidden(SeriesListModel::LastColumn));
    QVERIFY(list.view()->columnWidth(SeriesListModel::NameColumn)
            >= list.view()->fontMetrics().horizontalAdvance("building-7-heat"));
    list.resize(700, 300);
    QTRY_VERIFY(!list.view()->isColumnHidden(SeriesListModel::LastColumn));

    // As the window starts: the list is narrow before any series is listed.
    SeriesList empty;
    empty.resize(320, 300);
    empty.show();
    QVERIFY(QTest::qWaitForWindowExposed(&empty));
    empty.model()->setSeries({series("meterusage", 2974), series("building-7-heat", 96)});
    QTRY_VERIFY(empty.view()->isColumnHidden(SeriesListModel::FirstColumn));
    QVERIFY(empty.view()->columnWidth(SeriesListModel::NameColumn)
            >= empty.view()->fontMetrics().horizontalAdvance("building-7-heat"));
}

QTEST_MAIN(TestSeriesList)
#include "tst_series_list.moc"
