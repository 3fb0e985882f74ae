#include "gui/chart_render.h"

#include "gui/chart_view.h"
#include "gui/connection.h"

#include <QStringList>
#include <QTimer>

#include <cstdio>

namespace meterscope::app {

ChartRender::ChartRender(Connection &connection, const CommandLine &options, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_options(options)
    , m_view(std::make_unique<ChartView>(connection))
{
    // Scripts want an answer, not a wait for a server that may come back.
    m_connection.setAutoRetry(false);
    m_view->setAttribute(Qt::WA_DontShowOnScreen);
    m_view->resize(options.size);
    if (options.zone)
        m_view->setDisplayZone(*options.zone);
    m_view->show();
    connect(&m_connection, &Connection::messageChanged, this, &ChartRender::onConnection);
    connect(m_view.get(), &ChartView::loadFailed, this, &ChartRender::fail);
}

ChartRender::~ChartRender() = default;

void ChartRender::onConnection()
{
    if (m_started)
        return;
    switch (m_connection.state()) {
    case Connection::State::Connected:
        m_started = true;
        // After the layout the show() asked for, so the chart knows its width.
        QTimer::singleShot(0, this, &ChartRender::draw);
        break;
    case Connection::State::Unreachable:
        fail(m_connection.detail());
        break;
    case Connection::State::Idle:
        if (!m_connection.detail().isEmpty())
            fail(m_connection.detail());
        break;
    case Connection::State::Connecting:
        break;
    }
}

void ChartRender::draw()
{
    const std::optional<SeriesInfo> series = m_connection.findSeries(m_options.series);
    if (!series) {
        QStringList names;
        for (const SeriesInfo &info : m_connection.series())
            names << info.name;
        fail(QStringLiteral("no series named '%1' on %2 (%3)")
                 .arg(m_options.series, m_connection.address(),
                      names.isEmpty() ? QStringLiteral("it holds none") : "it holds: " + names.join(", ")));
        return;
    }
    m_view->showSeries(*series);
    if (m_options.fromUs || m_options.toUs) {
        const qint64 start = m_options.fromUs.value_or(series->firstUs.value_or(0));
        const qint64 end = m_options.toUs.value_or(series->lastUs.value_or(0) + 1);
        m_view->setVisibleRange(start, end);
    }
    if (m_view->busy())
        connect(m_view.get(), &ChartView::settled, this, &ChartRender::save, Qt::SingleShotConnection);
    else
        save();
}

void ChartRender::save()
{
    // The last points changed the axes' labels: let the chart lay them out first.
    if (!std::exchange(m_laidOut, true)) {
        QTimer::singleShot(0, this, &ChartRender::save);
        return;
    }
    QString error;
    if (!m_view->saveImage(m_options.exportPng, &error)) {
        fail(error);
        return;
    }
    finish(0);
}

void ChartRender::fail(const QString &message)
{
    std::fprintf(stderr, "meterscope: %s\n", qPrintable(message));
    finish(1);
}

void ChartRender::finish(int exitCode)
{
    if (!std::exchange(m_finished, true))
        emit done(exitCode);
}

} // namespace meterscope::app
