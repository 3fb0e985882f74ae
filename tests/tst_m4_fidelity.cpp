// #5: the downsampled line looks like the raw one. A 1,000,000-point series
// is drawn twice into images of the same size (1 px pen, no antialiasing):
// once from every point, once from what Query returns with max_points set to
// the image width. At most 0.1% of the pixels may differ.
#include "client/client.h"
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "time/instant.h"

#include <QImage>
#include <QPainter>
#include <QTest>

#include <random>
#include <sstream>

using namespace meterscope;

namespace {

constexpr int kPoints = 1'000'000;
constexpr int kHeight = 400;

using test::Points;

Points query(client::Client &client, std::uint32_t maxPoints)
{
    v1::QueryRequest request;
    request.set_series("fidelity");
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
    Points m_raw;
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
    m_raw = query(*m_client, 0);
    QCOMPARE(m_raw.times.size(), std::size_t(kPoints));
}

void TestM4Fidelity::looksTheSame_data()
{
    QTest::addColumn<int>("width");
    QTest::addRow("800 px") << 800;
    QTest::addRow("1000 px") << 1000;
    QTest::addRow("1920 px") << 1920;
}

void TestM4Fidelity::looksTheSame()
{
    QFETCH(int, width);
    const Points reduced = query(*m_client, std::uint32_t(width));
    QVERIFY2(reduced.times.size() <= std::size_t(4 * width), qPrintable(QString::number(reduced.times.size())));

    const auto [low, high] = std::minmax_element(m_raw.values.begin(), m_raw.values.end());
    const timeutil::Micros first = m_raw.times.front();
    const timeutil::Micros last = m_raw.times.back();
    const QImage raw = draw(m_raw, width, first, last, *low, *high);
    const QImage m4 = draw(reduced, width, first, last, *low, *high);
    qint64 differing = 0;
    for (int y = 0; y < kHeight; ++y) {
        const auto *a = reinterpret_cast<const QRgb *>(raw.constScanLine(y));
        const auto *b = reinterpret_cast<const QRgb *>(m4.constScanLine(y));
        for (int x = 0; x < width; ++x)
            differing += a[x] != b[x];
    }
    const double share = double(differing) / double(width * kHeight);
    qInfo("%d px: %zu points instead of %d, %lld pixels (%.4f%%) differ", width, reduced.times.size(), kPoints,
          differing, share * 100);
    QVERIFY2(share <= 0.001, qPrintable(QString("%1% of the pixels differ").arg(share * 100)));
}

QTEST_MAIN(TestM4Fidelity)
#include "tst_m4_fidelity.moc"
