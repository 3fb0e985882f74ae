// #20 the checks every request goes through before a handler sees it:
// UTF-8, NUL, lengths and series names, on the raw bytes of a message, and
// the short quotes of bad input in messages. Mutated ImportRequest bytes
// (bounded, seeded) never crash the parser and never get past it unchecked.
#include "meterscope/v1/meterscope.pb.h"
#include "service/status.h"
#include "service/validation.h"

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>

#include <QTest>

#include <random>

using namespace meterscope;

namespace {

grpc::ByteBuffer bufferOf(const std::string &bytes)
{
    grpc::Slice slice(bytes);
    return grpc::ByteBuffer(&slice, 1);
}

// What parseRequest() says about `bytes`: "" when they are accepted.
template<typename Message>
std::string verdict(const std::string &bytes, Message &message)
{
    try {
        service::parseRequest(bufferOf(bytes), message);
        return {};
    } catch (const service::StatusError &e) {
        if (e.code() != grpc::StatusCode::INVALID_ARGUMENT)
            return "unexpected code: " + std::string(e.what());
        return e.what();
    }
}

} // namespace

class TestValidation : public QObject {
    Q_OBJECT

private slots:
    void utf8_data();
    void utf8();
    void quotesAreShortAndPrintable();
    void fieldsAreNamed();
    void seriesNames_data();
    void seriesNames();
    void mutatedImportRequests();
};

void TestValidation::utf8_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addRow("empty") << QByteArray() << true;
    QTest::addRow("ascii") << QByteArray("meterusage") << true;
    QTest::addRow("umlaut") << QByteArray("Zähler") << true;
    QTest::addRow("emoji") << QByteArray("\xf0\x9f\x94\x8c") << true;
    QTest::addRow("overlong slash") << QByteArray("\xc0\xaf") << false;
    QTest::addRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::addRow("beyond U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::addRow("cut short") << QByteArray("\xe2\x82") << false;
    QTest::addRow("lone continuation") << QByteArray("a\x80z") << false;
    QTest::addRow("latin-1") << QByteArray("Z\xe4hler") << false;
}

void TestValidation::utf8()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QCOMPARE(service::validUtf8(text.toStdString()), valid);
}

void TestValidation::quotesAreShortAndPrintable()
{
    const std::string quoted = service::quoted(std::string(100000, 'Z'));
    QCOMPARE(quoted, "'" + std::string(40, 'Z') + "…'");
    QCOMPARE(service::quoted("a\nb\x01\xff"), std::string("'a\\x0ab\\x01\\xff'"));
    QCOMPARE(service::quoted("Zähler"), std::string("'Zähler'"));
    for (const std::string &text : {std::string("\xe2\x82\xac\xe2"), std::string(50, '\xff'), std::string("\0x", 2)})
        QVERIFY(service::validUtf8(service::quoted(text)));
}

void TestValidation::fieldsAreNamed()
{
    v1::ImportRequest request;
    request.mutable_options()->set_file_name("meter.csv");
    request.mutable_options()->set_series("bad\xff");
    v1::ImportRequest parsed;
    QCOMPARE(verdict(request.SerializeAsString(), parsed), std::string("field 'options.series' is not valid UTF-8"));
    request.mutable_options()->set_series(std::string("meterusage\0evil", 15));
    QCOMPARE(verdict(request.SerializeAsString(), parsed),
             std::string("field 'options.series' contains a NUL character"));
    request.mutable_options()->set_series(std::string(5000, 's'));
    QCOMPARE(verdict(request.SerializeAsString(), parsed),
             std::string("field 'options.series' is longer than 4096 bytes"));
    // Bytes fields may hold anything.
    v1::ImportRequest chunk;
    chunk.set_chunk(std::string("\0\xff\xfe", 3));
    QCOMPARE(verdict(chunk.SerializeAsString(), parsed), std::string());
    QCOMPARE(parsed.chunk(), chunk.chunk());
    // Bytes that are no such message at all.
    QCOMPARE(verdict(std::string("\x0a\xff\xff\xff\xff\x0f", 6), parsed),
             std::string("the request is not a valid meterscope.v1.ImportRequest message"));
}

void TestValidation::seriesNames_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("valid");
    QTest::addRow("sample") << QByteArray("meterusage") << true;
    QTest::addRow("200 characters") << QByteArray(200, 'm') << true;
    QTest::addRow("200 umlauts") << QString(200, QChar(0xe4)).toUtf8() << true;
    QTest::addRow("201 characters") << QByteArray(201, 'm') << false;
    QTest::addRow("empty") << QByteArray() << false;
    QTest::addRow("tab") << QByteArray("meter\tusage") << false;
    QTest::addRow("newline") << QByteArray("meter\n") << false;
    QTest::addRow("NUL") << QByteArray("meter\0usage", 11) << false;
    QTest::addRow("C1 control") << QByteArray("meter\xc2\x85") << false;
    QTest::addRow("not UTF-8") << QByteArray("meter\xe4") << false;
}

void TestValidation::seriesNames()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, valid);
    try {
        service::checkSeriesName(name.toStdString(), "field 'series'");
        QVERIFY(valid);
    } catch (const service::StatusError &e) {
        QVERIFY2(!valid, e.what());
        QCOMPARE(e.code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY(std::string(e.what()).size() < 200);
    }
}

void TestValidation::mutatedImportRequests()
{
    // Every mutation either parses into a request whose strings are all
    // clean, or is refused with INVALID_ARGUMENT; none crashes.
    v1::ImportRequest seed;
    v1::ImportOptions *options = seed.mutable_options();
    options->set_file_name("2019/meterusage.csv");
    options->set_series("meterusage");
    options->set_timezone("Europe/Berlin");
    options->set_import_id("0123456789abcdef");
    options->set_time_format("%d/%m/%Y %H:%M");
    options->set_epoch_unit(v1::EPOCH_UNIT_SECONDS);
    const std::string original = seed.SerializeAsString();
    std::mt19937 random(20);
    int accepted = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string bytes = original;
        for (int edits = 1 + int(random() % 4); edits > 0; --edits) {
            const std::size_t at = random() % bytes.size();
            switch (random() % 3) {
            case 0:
                bytes[at] = char(random());
                break;
            case 1:
                bytes.erase(at, 1 + random() % 3);
                break;
            default:
                bytes.insert(at, 1, char(random()));
                break;
            }
            if (bytes.empty())
                bytes = original;
        }
        v1::ImportRequest parsed;
        const std::string why = verdict(bytes, parsed);
        QVERIFY2(why.rfind("unexpected", 0) != 0, why.c_str());
        if (!why.empty())
            continue;
        ++accepted;
        const v1::ImportOptions &o = parsed.options();
        for (const std::string *text :
             {&o.file_name(), &o.series(), &o.timezone(), &o.import_id(), &o.time_format(), &o.delimiter()}) {
            QVERIFY(service::validUtf8(*text));
            QVERIFY(text->find('\0') == std::string::npos);
        }
    }
    qInfo("%d of 20000 mutated requests parsed cleanly, the rest were refused", accepted);
}

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
