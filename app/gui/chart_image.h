#pragma once

#include <QString>

class QChartView;

namespace meterscope::app {

/// Saves what `view` shows (its viewport, not the rest of its scene) as
/// PNG, or as SVG when `path` ends in .svg, for Export Chart as Image… and
/// --export-png. On failure returns false and sets `error` to a sentence
/// naming the file.
bool saveChartImage(const QChartView &view, const QString &path, QString *error = nullptr);

} // namespace meterscope::app
