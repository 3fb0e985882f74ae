// The JSON view's model: lines made on demand that read together as the
// document meterscope-cli export writes, and copies that are valid JSON.
#include "gui/json_model.h"

#include "client/export_format.h"
#include "time/instant.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <sstream>

using namespace meterscope;
using namespace meterscope::app;

namespace {

constexpr qint64 kStart = 1546301700000000; // 2019-01-01T00:15:00Z
constexpr qint64 kStep = 900000000;         // 15 minutes

PointColumns points(int first, int count)
{
    PointColumns out;
    for (int i = first; i < first + count; ++i) {
        out.timesUs << kStart + i * kStep;
        out.values << 50.0 + i * 0.25;
    }
    return out;
}

QString documentOf(const PointColumns &points, const timeutil::Zone &zone)
{
    std::ostringstream out;
    client::PointWriter writer(out, client::ExportFormat::Json, "meterusage", zone);
    for (qsizetype i = 0; i < points.size(); ++i)
        writer.write(points.timesUs[i], points.values[i]);
    writer.finish();
    return QString::fromStdString(out.str());
}

QString rowsJoined(const JsonModel &model)
{
    QStringList lines;
    for (int row = 0; row < model.rowCount(); ++row)
        lines << model.index(row).data().toString();
    return lines.join('\n') + '\n';
}

// The lines the user sees, read as JSON on their own (not through the writer
// the model's copies use): each key is the instant of its point, each value
// its value or null.
void verifyRowsReadBack(const JsonModel &model, const PointColumns &expected)
{
    const QJsonDocument document = QJsonDocument::fromJson(rowsJoined(model).toUtf8());
    QVERIFY(document.isObject());
    const QJsonObject object = document.object();
    QCOMPARE(object.size(), int(expected.size()));
    for (int row = 1; row + 1 < model.rowCount(); ++row) {
        const QString line = model.index(row).data().toString();
        const QString key = line.section('"', 1, 1);
        const std::optional<timeutil::Micros> time = timeutil::parseInstant(key.toStdString(), {}, nullptr);
        QVERIFY2(time, qPrintable(line));
        QCOMPARE(*time, expected.timesUs[row - 1]);
        const double value = expected.values[row - 1];
        if (std::isnan(value))
            QVERIFY2(object.value(key).isNull(), qPrintable(line));
        else
            QCOMPARE(object.value(key).toDouble(), value);
    }
}

} // namespace

class TestJsonModel : public QObject {
    Q_OBJECT

private slots:
    void emptyIsAnEmptyObject();
    void linesAreTheExportedDocument();
    void batchesAppend();
    void copiesAreValidJson();
    void zoneChangesTheKeys();
    void missingValuesAreNull();
};

void TestJsonModel::emptyIsAnEmptyObject()
{
    JsonModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.text(), documentOf({}, {}));
    QVERIFY(QJsonDocument::fromJson(model.text().toUtf8()).isObject());
}

void TestJsonModel::linesAreTheExportedDocument()
{
    JsonModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(points(0, 5));
    QCOMPARE(model.rowCount(), 7);
    QCOMPARE(model.index(0).data().toString(), QString("{"));
    QCOMPARE(model.index(1).data().toString(), QString("  \"2019-01-01T00:15:00Z\": 50,"));
    QCOMPARE(model.index(5).data().toString(), QString("  \"2019-01-01T01:15:00Z\": 51"));
    QCOMPARE(model.index(6).data().toString(), QString("}"));
    // What the user sees, line by line, is what Save and the CLI write.
    QCOMPARE(rowsJoined(model), documentOf(points(0, 5), {}));
    verifyRowsReadBack(model, points(0, 5));
    QCOMPARE(model.text(), documentOf(points(0, 5), {}));
}

void TestJsonModel::batchesAppend()
{
    JsonModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(points(0, 3));
    model.append(points(3, 4));
    // Points it holds already (a live batch overlapping the query) are not repeated.
    model.append(points(5, 4));
    QCOMPARE(model.pointCount(), 9);
    QCOMPARE(rowsJoined(model), documentOf(points(0, 9), {}));
    model.clear();
    QCOMPARE(model.rowCount(), 1);
}

void TestJsonModel::copiesAreValidJson()
{
    JsonModel model;
    model.append(points(0, 10));
    QItemSelection selection;
    selection.select(model.index(0), model.index(2));  // the brace and two points
    selection.select(model.index(9), model.index(11)); // two points and the brace
    const QJsonDocument copied = QJsonDocument::fromJson(model.text(selection).toUtf8());
    QVERIFY(copied.isObject());
    const QJsonObject object = copied.object();
    QCOMPARE(object.size(), 4);
    QCOMPARE(object.value("2019-01-01T00:15:00Z").toDouble(), 50.0);
    QCOMPARE(object.value("2019-01-01T02:30:00Z").toDouble(), 52.25);

    QItemSelection all(model.index(0), model.index(model.rowCount() - 1));
    QCOMPARE(QJsonDocument::fromJson(model.text(all).toUtf8()).object().size(), 10);
}

void TestJsonModel::zoneChangesTheKeys()
{
    JsonModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Across the night summer time begins in Berlin: the offset changes.
    PointColumns night;
    for (int i = 0; i < 16; ++i) {
        night.timesUs << 1553986800000000 + i * kStep; // from 2019-03-30T23:00:00Z
        night.values << 20.0 + i;
    }
    model.append(night);
    model.setZone(DisplayZone::named("Europe/Berlin"));
    QCOMPARE(model.index(1).data().toString(), QString("  \"2019-03-31T00:00:00+01:00\": 20,"));
    QCOMPARE(model.index(9).data().toString(), QString("  \"2019-03-31T03:00:00+02:00\": 28,"));
    QCOMPARE(rowsJoined(model), documentOf(night, timeutil::Zone::byName("Europe/Berlin")));
    verifyRowsReadBack(model, night);
    model.setZone(DisplayZone::named("UTC"));
    QCOMPARE(model.index(1).data().toString(), QString("  \"2019-03-30T23:00:00Z\": 20,"));
    QCOMPARE(rowsJoined(model), documentOf(night, {}));
}

void TestJsonModel::missingValuesAreNull()
{
    JsonModel model;
    PointColumns gap = points(0, 2);
    gap.values[1] = std::numeric_limits<double>::quiet_NaN();
    model.append(gap);
    QCOMPARE(model.index(2).data().toString(), QString("  \"2019-01-01T00:30:00Z\": null"));
    QCOMPARE(rowsJoined(model), documentOf(gap, {}));
    verifyRowsReadBack(model, gap);
    QVERIFY(QJsonDocument::fromJson(model.text().toUtf8()).object().value("2019-01-01T00:30:00Z").isNull());
}

QTEST_GUILESS_MAIN(TestJsonModel)
#include "tst_json_model.moc"
