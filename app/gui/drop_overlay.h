#pragma once

#include <QList>
#include <QUrl>
#include <QWidget>

class QMimeData;

namespace meterscope::app {

struct ImportPlan;

/// What a drag carries that could be imported: file and folder URLs, or a
/// link dragged as text from a browser's address bar.
QList<QUrl> importableUrls(const QMimeData *mime);

/// Covers the window while files are dragged over it and says what a drop
/// would do: "Drop to import 3 files", or why it would import nothing.
class DropOverlay : public QWidget {
    Q_OBJECT

public:
    explicit DropOverlay(QWidget *parent);

    /// Shows what dropping would do with `plan`, over the whole parent.
    void showPlan(const ImportPlan &plan);
    QString text() const { return m_text; }
    /// Whether a drop would import anything.
    bool accepting() const { return m_accepting; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_text;
    QString m_detail;
    bool m_accepting = false;
};

} // namespace meterscope::app
