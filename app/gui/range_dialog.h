#pragma once

#include "gui/display_zone.h"

#include <QDialog>

class QLabel;
class QLineEdit;

namespace meterscope::app {

/// Asks for a time range [from, to) as wall-clock times in the display
/// zone (or ISO 8601 with an offset). OK stays open, saying what is wrong,
/// until both times parse and from is before to.
class RangeDialog : public QDialog {
    Q_OBJECT

public:
    /// Prefilled with [startUs, endUs).
    RangeDialog(const QString &title, const DisplayZone &zone, qint64 startUs, qint64 endUs, QWidget *parent = nullptr);

    QLineEdit *fromEdit() const { return m_from; }
    QLineEdit *toEdit() const { return m_to; }
    /// The range chosen, once accepted.
    qint64 startUs() const { return m_startUs; }
    qint64 endUs() const { return m_endUs; }

    void accept() override;

private:
    DisplayZone m_zone;
    QLineEdit *m_from;
    QLineEdit *m_to;
    QLabel *m_problem;
    qint64 m_startUs = 0;
    qint64 m_endUs = 0;
};

} // namespace meterscope::app
