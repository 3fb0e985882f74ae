#include "gui/layout_gate.h"

#include "gui/connection.h"
#include "gui/import_preview_dialog.h"
#include "gui/remembered_layouts_dialog.h"

#include <QAction>

#include <utility>

namespace meterscope::app {

LayoutGate::LayoutGate(Connection &connection, Settings &settings, QWidget *window, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_window(window)
    , m_memory(new LayoutMemory(settings, this))
    , m_layoutsAction(new QAction(tr("Import &Layouts…"), this))
{
    m_layoutsAction->setToolTip(tr("The file layouts confirmed in import previews; forget one to preview it again"));
    connect(m_layoutsAction, &QAction::triggered, this, &LayoutGate::showLayouts);
    connect(&m_rpc, &RpcThread::previewed, this, &LayoutGate::onPreviewed);
    connect(&m_rpc, &RpcThread::failed, this, [this](const RpcError &error) {
        finish();
        emit failed(error);
    });
}

LayoutGate::~LayoutGate() = default;

ImportPreviewDialog *LayoutGate::previewDialog() const
{
    return m_preview;
}

RememberedLayoutsDialog *LayoutGate::layoutsDialog() const
{
    return m_layoutsDialog;
}

void LayoutGate::check(const QString &path, const QString &name)
{
    m_checking = true;
    m_path = path;
    m_name = name;
    m_rpc.start([client = m_connection.client(), path, name, settings = ImportPreviewDialog::request({})](
                    RpcWorker &worker, quint64 generation, client::Cancellation &cancellation) {
        worker.previewFile(client, generation, path, name, settings, cancellation);
    });
}

void LayoutGate::cancel()
{
    if (!m_checking)
        return;
    m_rpc.abandon();
    finish();
    if (ImportPreviewDialog *preview = std::exchange(m_preview, nullptr))
        preview->close();
    emit declined(tr("nothing was stored"), true);
}

void LayoutGate::finish()
{
    m_checking = false;
}

void LayoutGate::onPreviewed(const v1::ImportReport &report)
{
    // A file without records: the import itself says what is wrong with it.
    if (!report.has_layout() || importsDirectly(report.layout())) {
        finish();
        emit decided({});
        return;
    }
    m_key = layoutKey(report.layout());
    if (const std::optional<RememberedLayout> remembered = m_memory->find(m_key)) {
        finish();
        emit decided(remembered->choice.importSettings());
    } else if (m_skipped.contains(m_key)) {
        finish();
        emit declined(tr("skipped: a file with the same columns was skipped in the import preview"), true);
    } else {
        openPreview(report);
    }
}

void LayoutGate::openPreview(const v1::ImportReport &report)
{
    auto *dialog = new ImportPreviewDialog(m_connection, m_path, m_name, report, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_preview = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        // Closed by cancel(): it said so already.
        if (m_preview != dialog)
            return;
        m_preview = nullptr;
        finish();
        if (result != QDialog::Accepted) {
            m_skipped.insert(m_key);
            emit declined(tr("skipped in the import preview; nothing was stored"), true);
            return;
        }
        const LayoutChoice choice = dialog->choice();
        m_memory->remember({m_key, m_name, choice, dialog->columns()});
        emit decided(choice.importSettings());
    });
    dialog->open();
    emit previewOpened(dialog);
}

void LayoutGate::showLayouts()
{
    if (!m_layoutsDialog)
        m_layoutsDialog = new RememberedLayoutsDialog(*m_memory, m_window);
    m_layoutsDialog->show();
    m_layoutsDialog->raise();
    m_layoutsDialog->activateWindow();
}

} // namespace meterscope::app
