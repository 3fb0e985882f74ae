// #5: the downsampled line looks like the raw one. A series is drawn twice
// into images of the same size (1 px pen, no antialiasing): once from every
// point, once from what Query returns with max_points set to the image
// width. At most 0.1% of the pixels may differ. Two series: 1,000,000
// readings a second apart (a random walk with spikes), and ten years of
// 15-minute meter readings (#15). Where 16 summary cells fit in a bucket
// they stand in for the points (every width for the first, 50 and 200 px
// for the second); else the points are reduced.
#include "client/client.h"
#include "support/clients.h"
#include "support/meter_data.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"
#include "time/instant.h"

#include <QImage>
#include <QPainter>
#include <QTest>

#include <QTemporaryDir>

#include <map>
#include <random>
#include <sstream>

using namespace meterscope;

namespace {

constexpr int kPoints = 1'000'000;
constexpr int kHeight = 400;

using test::Points;

Points query(client::Client &client, const std::string &series, std::uint32_t maxPoints)
{
    v1::QueryRequest request;
    request.set_series(series);
    request.set_max_points(maxPoints);
    return test::queryPoints(client, request);
}

QImage draw(const Points &points, int width, timeutil::Micros first, timeutil::Micros last, double low, double high)
{
    QImage image(width, kHeight, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(QPen(Qt::black, 1));
    QPolygonF line;
    line.reserve(qsizetype(points.times.size()));
    const double xScale = double(width) / double(last - first + 1);
    const double yScale = (kHeight - 1) / (high - low);
    for (std::size_t i = 0; i < points.times.size(); ++i)
        line << QPointF(double(points.times[i] - first) * xScale, (high - points.values[i]) * yScale);
    painter.drawPolyline(line);
    return image;
}

} // namespace

class TestM4Fidelity : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void looksTheSame_data();
    void looksTheSame();

private:
    test::TestCluster m_cluster;
    test::ServerProcess m_server;
    std::unique_ptr<client::Client> m_client;
    std::map<std::string, Points> m_raw;
};

void TestM4Fidelity::initTestCase()
{
    METERSCOPE_SKIP_UNLESS_STORAGE_MODE();
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY2(m_server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0"}),
             qPrintable(m_server.log()));
    client::ConnectionOptions options;
    options.address = m_server.address().toStdString();
    m_client = std::make_unique<client::Client>(options);

    // A meter a second apart: a random walk with noise and rare spikes, the
    // kind of line where a lost extreme shows.
    std::mt19937_64 random(42);
    std::normal_distribution<double> step(0.0, 1.0);
    std::uniform_real_distribution<double> chance(0.0, 1.0);
    std::ostringstream csv;
    csv << "time,fidelity\n";
    double level = 0;
    const timeutil::Micros start = *timeutil::parseInstant("2024-01-01T00:00:00Z", timeutil::Zone(), nullptr);
    for (int i = 0; i < kPoints; ++i) {
        level += step(random);
        const double spike = chance(random) < 0.0005 ? 200 * (chance(random) - 0.5) : 0;
        csv << timeutil::formatIso(start + timeutil::Micros(i) * timeutil::kMicrosPerSecond) << ','
            << level + 5 * step(random) + spike << '\n';
    }
    const std::string text = csv.str();
    std::istringstream in(text);
    QCOMPARE(m_client->importStream(in, "fidelity.csv", text.size(), {}).rows_new(), std::uint64_t(kPoints));

    QTemporaryDir dir;
    const QString meters = dir.filePath("meter.csv");
    const test::MeterSeries tenYears{1, 900, 10 * 35'040, test::at("2015-01-01T00:00:00Z")};
    QVERIFY(test::writeMeterFile(meters, tenYears, test::MeterLayout::OneSeries) > 0);
    QCOMPARE(m_client->importFile(meters.toStdString(), {}).rows_new(), tenYears.readings);
    for (const std::string series : {"fidelity", "meter_0001"})
        m_raw[series] = query(*m_client, series, 0);
    QCOMPARE(m_raw["fidelity"].times.size(), std::size_t(kPoints));
    QCOMPARE(m_raw["meter_0001"].times.size(), std::size_t(tenYears.readings));
}

void TestM4Fidelity::looksTheSame_data()
{
    QTest::addColumn<std::string>("series");
    QTest::addColumn<int>("width");
    for (const char *series : {"fidelity", "meter_0001"}) {
        for (const int width : {50, 200, 800, 1000, 1920})
            QTest::addRow("%s, %d px", series, width) << std::string(series) << width;
    }
}

void TestM4Fidelity::looksTheSame()
{
    QFETCH(std::string, series);
    QFETCH(int, width);
    const Points reduced = query(*m_client, series, std::uint32_t(width));
    QVERIFY2(reduced.times.size() <= std::size_t(4 * width), qPrintable(QString::number(reduced.times.size())));

    const Points &raw = m_raw.at(series);
    const auto [low, high] = std::minmax_element(raw.values.begin(), raw.values.end());
    const timeutil::Micros first = raw.times.front();
    const timeutil::Micros last = raw.times.back();
    const QImage all = draw(raw, width, first, last, *low, *high);
    const QImage m4 = draw(reduced, width, first, last, *low, *high);
    qint64 differing = 0;
    for (int y = 0; y < kHeight; ++y) {
        const auto *a = reinterpret_cast<const QRgb *>(all.constScanLine(y));
        const auto *b = reinterpret_cast<const QRgb *>(m4.constScanLine(y));
        for (int x = 0; x < width; ++x)
            differing += a[x] != b[x];
    }
    const double share = double(differing) / double(width * kHeight);
    qInfo("%s, %d px: %zu points instead of %zu, %lld pixels (%.4f%%) differ", series.c_str(), width,
          reduced.times.size(), raw.times.size(), differing, share * 100);
    QVERIFY2(share <= 0.001, qPrintable(QString("%1% of the pixels differ").arg(share * 100)));
}

QTEST_MAIN(TestM4Fidelity)
#include "tst_m4_fidelity.moc"
