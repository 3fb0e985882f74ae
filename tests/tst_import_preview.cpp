// The app's import preview against a real meterscoped (#14): files in the
// layouts people download (generated, support/meter_exports.h) get a
// preview showing what the server's reader makes of them; roles and
// settings edited there change the rows shown; Import remembers the layout,
// so the next file of that export imports without asking; the prototype's
// layout never asks; remembered layouts can be forgotten.
#include "client/client.h"
#include "gui/connection.h"
#include "gui/import_controller.h"
#include "gui/import_preview_dialog.h"
#include "gui/import_report_dialog.h"
#include "gui/layout_gate.h"
#include "gui/main_window.h"
#include "gui/remembered_layouts_dialog.h"
#include "gui/settings.h"
#include "gui/task_progress.h"
#include "support/app_window.h"
#include "support/clients.h"
#include "support/meter_exports.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace meterscope;
using namespace meterscope::app;
using test::ExportShape;

namespace {

constexpr int kSlowMs = 60000;

// The readings an export writes for `meter` (the rest are its gaps).
qint64 readings(int meter, const ExportShape &shape)
{
    qint64 count = 0;
    for (std::size_t i = 0; i < std::size_t(shape.days * 24 * 60 / shape.cadenceMinutes); ++i)
        count += test::isGap(meter, i) ? 0 : 1;
    return count;
}

QString number(double value)
{
    return QString::number(value, 'g', 12);
}

// "header=role" for every column, as the preview's headers say.
QString roles(const ImportPreviewDialog *dialog)
{
    QStringList out;
    const QTableWidget *lines = dialog->linesTable();
    for (int c = 0; c < lines->columnCount(); ++c) {
        const QStringList label = lines->horizontalHeaderItem(c)->text().split('\n');
        out << label.value(0) + "=" + label.value(1).remove(" ▾");
    }
    return out.join(" ");
}

// "line series time value" of a row of the rows that would be stored.
QString row(const ImportPreviewDialog *dialog, int r)
{
    QStringList cells;
    for (int c = 0; c < dialog->rowsTable()->columnCount(); ++c) {
        const QTableWidgetItem *item = dialog->rowsTable()->item(r, c);
        cells << (item ? item->text() : QString("(none)"));
    }
    return cells.join(' ');
}

} // namespace

class TestImportPreview : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void prototypeLayoutImportsDirectly();
    void previewShowsWhatTheReaderReads_data();
    void previewShowsWhatTheReaderReads();
    void editedRoleUpdatesRowsAndIsRemembered();
    void importAppliesToEveryFileOfTheLayoutInTheDrop();
    void settingsChangeTheRows();
    void staleAnswersAreDropped();
    void forgetARememberedLayout();
    void cancelWhilePreviewing();

private:
    QString write(const QString &name, const std::string &content)
    {
        return test::writeFile(m_dir.filePath(name), QByteArray::fromStdString(content));
    }
    void openWindow();
    void drop(const QStringList &paths);
    // Waits for the preview of the file being checked, and its answer.
    ImportPreviewDialog *preview();
    void waitForAnswer(ImportPreviewDialog *dialog);
    void chooseRole(ImportPreviewDialog *dialog, int column, const QString &role);
    // Waits for the import report and returns its summary.
    QString report();
    qint64 points(const std::string &series);
    LayoutGate *gate() const { return m_app.window->importController()->layoutGate(); }

    test::TestDir m_dir;
    test::ServerProcess m_server;
    std::unique_ptr<client::Client> m_client;
    test::AppWindow m_app;
    std::unique_ptr<QSignalSpy> m_previews;
};

void TestImportPreview::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(
        m_server.start({"--listen", "127.0.0.1:0", "--data-dir", m_dir.filePath("data"), "--log-level", "warning"}),
        qPrintable(m_server.log()));
    m_client = test::clientFor(m_server.address());
}

void TestImportPreview::init()
{
    QFile::remove(m_dir.filePath("settings.ini"));
    openWindow();
}

void TestImportPreview::openWindow()
{
    m_app.open(m_dir.filePath("settings.ini"), m_server.address(), false);
    if (QTest::currentTestFailed())
        return;
    m_previews = std::make_unique<QSignalSpy>(gate(), &LayoutGate::previewOpened);
}

void TestImportPreview::cleanup()
{
    m_previews.reset();
    m_app.close();
}

void TestImportPreview::drop(const QStringList &paths)
{
    QList<QUrl> urls;
    for (const QString &path : paths)
        urls << QUrl::fromLocalFile(path);
    m_app.window->importController()->importFiles(urls);
}

ImportPreviewDialog *TestImportPreview::preview()
{
    [&] { QTRY_VERIFY_WITH_TIMEOUT(gate()->previewDialog() && gate()->previewDialog()->isVisible(), kSlowMs); }();
    ImportPreviewDialog *dialog = gate()->previewDialog();
    if (dialog)
        waitForAnswer(dialog);
    return dialog;
}

void TestImportPreview::waitForAnswer(ImportPreviewDialog *dialog)
{
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->busy(), kSlowMs);
}

void TestImportPreview::chooseRole(ImportPreviewDialog *dialog, int column, const QString &role)
{
    // As a user does: click the column's header, pick the role from its menu.
    QHeaderView *header = dialog->linesTable()->horizontalHeader();
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                      QPoint(header->sectionViewportPosition(column) + 10, header->height() / 2));
    QTRY_VERIFY(qobject_cast<QMenu *>(QApplication::activePopupWidget()));
    auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
    QAction *wanted = nullptr;
    for (QAction *action : menu->actions())
        wanted = action->text() == role ? action : wanted;
    QVERIFY2(wanted, qPrintable(role));
    menu->close();
    wanted->trigger();
    waitForAnswer(dialog);
}

QString TestImportPreview::report()
{
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(m_app.window->reportDialog() && m_app.window->reportDialog()->isVisible()
                                     && !m_app.window->importController()->busy(),
                                 kSlowMs);
    }();
    const QString summary = m_app.window->reportDialog() ? m_app.window->reportDialog()->summary() : QString();
    if (m_app.window->reportDialog())
        m_app.window->reportDialog()->hide();
    return summary;
}

qint64 TestImportPreview::points(const std::string &series)
{
    for (const v1::Series &s : m_client->listSeries()) {
        if (s.name() == series)
            return s.points();
    }
    return 0;
}

void TestImportPreview::prototypeLayoutImportsDirectly()
{
    const ExportShape shape{3, 2, 30};
    drop({test::sampleCsv(), write("wide.csv", test::wideExport(shape))});
    const QString summary = report();
    QVERIFY2(summary.contains("from 2 files"), qPrintable(summary));
    QCOMPARE(m_previews->count(), 0);
    QCOMPARE(points("meterusage"), 2974);
    for (int m = 0; m < 3; ++m)
        QCOMPARE(points("meter_" + std::to_string(m + 1)), readings(m, shape));
    QVERIFY(gate()->memory()->layouts().isEmpty());
}

void TestImportPreview::previewShowsWhatTheReaderReads_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("roles");
    QTest::addColumn<QStringList>("firstLines");
    QTest::addColumn<QString>("firstRow");

    const ExportShape three{3, 2, 30};
    const ExportShape one{1, 2, 30};
    const ExportShape quarter{1, 2, 15};
    QTest::addRow("smart-meter trial") << "trial.csv" << QByteArray::fromStdString(test::smartMeterTrial(three))
                                       << "LCLid=ignore stdorToU=ignore DateTime=time KWH/hh (per half hour)=value"
                                       << QStringList{"1", "2"}
                                       << "2 KWH/hh (per half hour) 2012-10-12T00:00:00Z "
                                              + number(test::meterReading(0, 0, 30));
    QTest::addRow("utility consumption") << "consumption.csv"
                                         << QByteArray::fromStdString(test::utilityConsumption(one))
                                         << "Consumption (kwh)=value Start=time End=ignore" << QStringList{"1", "2"}
                                         << "2 Consumption 2023-03-25T00:00:00Z "
                                                + number(test::meterReading(0, 0, 30));
    // The preamble is shown and its blank line left out; the header is line 6.
    QTest::addRow("utility download") << "usage.csv" << QByteArray::fromStdString(test::utilityDownload(quarter))
                                      << "TYPE=ignore DATE=time START TIME=time END TIME=ignore USAGE=value "
                                         "UNITS=ignore COST=ignore NOTES=ignore"
                                      << QStringList{"1", "2", "3", "4", "6", "7"}
                                      << "7 USAGE 2024-01-01T00:00:00Z " + number(test::meterReading(0, 0, 15));
    QTest::addRow("home-automation history")
        << "history.csv" << QByteArray::fromStdString(test::homeAutomationHistory(three))
        << "entity_id=series key state=value last_changed=time" << QStringList{"1", "2"}
        << "2 sensor.meter_0_power 2023-06-01T00:00:00Z " + number(test::meterReading(0, 0, 30));
    QTest::addRow("household power") << "household_power_consumption.txt"
                                     << QByteArray::fromStdString(test::householdPower({4, 1, 1}))
                                     << "Date=time Time=time Global_active_power=value Global_reactive_power=value "
                                        "Voltage=value Global_intensity=value"
                                     << QStringList{"1", "2"}
                                     << "2 Global_active_power 2006-12-16T00:00:00Z "
                                            + number(test::meterReading(0, 0, 1));
}

void TestImportPreview::previewShowsWhatTheReaderReads()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, roles);
    QFETCH(QStringList, firstLines);
    QFETCH(QString, firstRow);
    const QStringList before = [&] {
        QStringList names;
        for (const v1::Series &s : m_client->listSeries())
            names << QString::fromStdString(s.name());
        return names;
    }();
    drop({test::writeFile(m_dir.filePath(file), content)});
    ImportPreviewDialog *dialog = preview();
    QVERIFY(dialog);
    QCOMPARE(::roles(dialog), roles);
    for (int r = 0; r < firstLines.size(); ++r)
        QCOMPARE(dialog->linesTable()->verticalHeaderItem(r)->text(), firstLines[r]);
    QCOMPARE(row(dialog, 0), firstRow);
    QVERIFY(dialog->importButton()->isEnabled());

    // Skipping stores nothing and remembers nothing.
    dialog->reject();
    QVERIFY2(report().contains("1 file was not imported"), qPrintable(m_app.window->reportDialog()->summary()));
    QCOMPARE(m_app.window->reportDialog()->filesTable()->item(0, 1)->text(),
             QString("Cancelled: skipped in the import preview; nothing was stored"));
    QVERIFY(gate()->memory()->layouts().isEmpty());
    QStringList after;
    for (const v1::Series &s : m_client->listSeries())
        after << QString::fromStdString(s.name());
    QCOMPARE(after, before);
}

void TestImportPreview::editedRoleUpdatesRowsAndIsRemembered()
{
    const ExportShape three{3, 2, 30};
    drop({write("CC_LCL-FullData.csv", test::smartMeterTrial(three))});
    ImportPreviewDialog *dialog = preview();
    QVERIFY(dialog);
    QVERIFY(row(dialog, 0).startsWith("2 KWH/hh (per half hour) "));

    // The meter's id names the series: every row says which meter.
    chooseRole(dialog, 0, "series key");
    QVERIFY2(::roles(dialog).startsWith("LCLid=series key stdorToU=ignore"), qPrintable(::roles(dialog)));
    QCOMPARE(row(dialog, 0), "2 MAC000002 2012-10-12T00:00:00Z " + number(test::meterReading(0, 0, 30)));
    QTest::mouseClick(dialog->importButton(), Qt::LeftButton);
    QVERIFY2(report().contains("(series MAC000002, MAC000003, MAC000004)"),
             qPrintable(m_app.window->reportDialog()->summary()));
    for (int m = 0; m < 3; ++m)
        QCOMPARE(points("MAC00000" + std::to_string(m + 2)), readings(m, three));
    QCOMPARE(points("KWH/hh (per half hour)"), 0);

    const QStringList header{"LCLid", "stdorToU", "DateTime", "KWH/hh (per half hour)"};
    const std::optional<RememberedLayout> remembered = gate()->memory()->find(header);
    QVERIFY(remembered);
    QCOMPARE(remembered->fileName, QString("CC_LCL-FullData.csv"));
    QCOMPARE(remembered->choice.roles.value(0), v1::COLUMN_ROLE_SERIES_KEY);

    // The next file of that export imports at once, with the roles chosen,
    // also after a restart.
    cleanup();
    openWindow();
    const ExportShape four{4, 1, 30};
    drop({write("CC_LCL-FullData-2.csv", test::smartMeterTrial(four))});
    QVERIFY2(report().contains("(series MAC000002, MAC000003, MAC000004, MAC000005)"),
             qPrintable(m_app.window->reportDialog()->summary()));
    QCOMPARE(m_previews->count(), 0);
    QCOMPARE(points("MAC000005"), readings(3, four));
}

void TestImportPreview::importAppliesToEveryFileOfTheLayoutInTheDrop()
{
    // Two household files (the second from February 2007) and a wide file, dropped together.
    drop({write("household_a.txt", test::householdPower({4, 1, 60})),
          write("household_b.txt", test::householdPower({4, 1, 60}, true)),
          write("wide_house.csv", "time,hall\n2019-05-01 00:00:00,1\n")});
    ImportPreviewDialog *dialog = preview();
    QVERIFY(dialog);
    chooseRole(dialog, 4, "ignore");
    QVERIFY2(::roles(dialog).contains("Voltage=ignore"), qPrintable(::roles(dialog)));
    for (int r = 0; r < dialog->rowsTable()->rowCount(); ++r)
        QVERIFY2(!row(dialog, r).contains("Voltage"), qPrintable(row(dialog, r)));
    QTest::mouseClick(dialog->importButton(), Qt::LeftButton);
    const QString summary = report();
    QVERIFY2(summary.contains("from 3 files"), qPrintable(summary));
    QCOMPARE(m_previews->count(), 1);
    QCOMPARE(points("Voltage"), 0);
    // 24 hours of each file, a reading an hour.
    QCOMPARE(points("Global_active_power"), readings(0, {4, 1, 60}) * 2);
    QCOMPARE(points("hall"), 1);
}

void TestImportPreview::settingsChangeTheRows()
{
    // Day and month cannot be told apart in February 2007's first days.
    drop({write("household_ambiguous.txt", test::householdPower({4, 1, 1}, true))});
    ImportPreviewDialog *dialog = preview();
    QVERIFY(dialog);
    QVERIFY2(dialog->status().contains("may be day-first or month-first"), qPrintable(dialog->status()));
    QVERIFY(row(dialog, 0).contains(" 2007-02-01T00:00:00Z "));
    QVERIFY(dialog->dateOrderBox()->isEnabled());
    dialog->dateOrderBox()->setCurrentIndex(dialog->dateOrderBox()->findData("month-day-year"));
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->busy() && row(dialog, 0).contains(" 2007-01-02T00:00:00Z "), kSlowMs);

    // The zone of naive times: the offset of each row.
    dialog->zoneBox()->setCurrentText("America/New_York");
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->busy() && row(dialog, 0).contains(" 2007-01-02T00:00:00-05:00 "), kSlowMs);

    // A delimiter that cuts nothing: the server's reason, and no Import.
    dialog->delimiterBox()->setCurrentIndex(dialog->delimiterBox()->findData(","));
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->busy() && dialog->rowsTable()->rowCount() == 0, kSlowMs);
    QVERIFY2(!dialog->status().isEmpty(), "no reason shown");
    QVERIFY(!dialog->importButton()->isEnabled());
    dialog->delimiterBox()->setCurrentIndex(0);
    waitForAnswer(dialog);
    QVERIFY(dialog->importButton()->isEnabled());

    // Lines skipped: two take the header with them, the data starts on line 3.
    dialog->skipLinesBox()->setValue(2);
    waitForAnswer(dialog);
    QCOMPARE(dialog->linesTable()->horizontalHeaderItem(0)->text().section('\n', 0, 0), QString("column 1"));
    QCOMPARE(row(dialog, 0).section(' ', 0, 0), QString("3"));
    dialog->skipLinesBox()->setValue(-1);
    waitForAnswer(dialog);
    QCOMPARE(dialog->linesTable()->horizontalHeaderItem(0)->text().section('\n', 0, 0), QString("Date"));

    // Import reads the file as the preview last showed it.
    QTest::mouseClick(dialog->importButton(), Qt::LeftButton);
    report();
    const std::optional<RememberedLayout> remembered = gate()->memory()->find(
        {"Date", "Time", "Global_active_power", "Global_reactive_power", "Voltage", "Global_intensity"});
    QVERIFY(remembered);
    QCOMPARE(remembered->choice.timeZone, QString("America/New_York"));
    QCOMPARE(remembered->choice.timeFormat, QString("%m/%d/%Y %H:%M:%S"));
    // 01/02/2007 read month first, in New York: the readings of January 2.
    v1::QueryRequest query;
    query.set_series("Global_intensity");
    query.set_start_time_us(test::at("2007-01-02T05:00:00Z"));
    query.set_end_time_us(test::at("2007-01-03T05:00:00Z"));
    qint64 stored = 0;
    m_client->query(query, [&](const v1::PointBatch &batch) {
        stored += batch.time_us_size();
        return true;
    });
    QCOMPARE(stored, readings(0, {4, 1, 1}));
}

void TestImportPreview::staleAnswersAreDropped()
{
    drop({write("trial_stale.csv", test::smartMeterTrial({2, 1, 30}))});
    ImportPreviewDialog *dialog = preview();
    QVERIFY(dialog);
    // Two requests in one go: the answer to the first comes after the
    // second was sent, and is never shown.
    QStringList shown;
    connect(dialog, &ImportPreviewDialog::answered, this, [&] { shown << ::roles(dialog) + " | " + row(dialog, 0); });
    dialog->setRole(0, v1::COLUMN_ROLE_SERIES_KEY);
    dialog->setRole(0, v1::COLUMN_ROLE_IGNORED);
    QVERIFY(dialog->busy());
    QVERIFY(!dialog->importButton()->isEnabled());
    waitForAnswer(dialog);
    QTest::qWait(500);
    QCOMPARE(shown.size(), 1);
    QVERIFY2(shown[0].startsWith("LCLid=ignore"), qPrintable(shown[0]));
    QVERIFY2(shown[0].contains(" | 2 KWH/hh (per half hour) "), qPrintable(shown[0]));
    QVERIFY(dialog->importButton()->isEnabled());
    dialog->reject();
    report();
}

void TestImportPreview::forgetARememberedLayout()
{
    const ExportShape one{1, 1, 30};
    const QString path = write("consumption_forget.csv", test::utilityConsumption(one));
    drop({path});
    ImportPreviewDialog *dialog = preview();
    QVERIFY(dialog);
    QTest::mouseClick(dialog->importButton(), Qt::LeftButton);
    report();

    // Kept across a restart; File ▸ Import Layouts… lists it.
    cleanup();
    openWindow();
    gate()->layoutsAction()->trigger();
    RememberedLayoutsDialog *layouts = gate()->layoutsDialog();
    QVERIFY(layouts && layouts->isVisible());
    QCOMPARE(layouts->table()->rowCount(), 1);
    QCOMPARE(layouts->table()->item(0, 0)->text(), QString("Consumption (kwh) | Start | End"));
    QCOMPARE(layouts->table()->item(0, 2)->text(), QString("consumption_forget.csv"));
    QVERIFY(!layouts->forgetButton()->isEnabled());
    layouts->table()->selectRow(0);
    QTest::mouseClick(layouts->forgetButton(), Qt::LeftButton);
    QCOMPARE(layouts->table()->rowCount(), 0);
    QVERIFY(gate()->memory()->layouts().isEmpty());
    QVERIFY(Settings(m_dir.filePath("settings.ini")).importLayouts().isEmpty());

    // Its next file gets a preview again.
    drop({path});
    dialog = preview();
    QVERIFY(dialog);
    dialog->reject();
    report();
}

void TestImportPreview::cancelWhilePreviewing()
{
    drop({write("history_cancel.csv", test::homeAutomationHistory({2, 1, 60}))});
    ImportPreviewDialog *dialog = preview();
    QVERIFY(dialog);
    QVERIFY(m_app.window->importProgress()->isVisible());
    QTest::mouseClick(m_app.window->importProgress()->cancelButton(), Qt::LeftButton);
    QTRY_VERIFY(!gate()->previewDialog());
    report();
    QCOMPARE(m_app.window->reportDialog()->filesTable()->item(0, 1)->text(), QString("Cancelled: nothing was stored"));
    QCOMPARE(points("sensor.meter_0_power"), 0);
}

QTEST_MAIN(TestImportPreview)
#include "tst_import_preview.moc"
