#include "gui/window_dialogs.h"

#include "gui/display_zone.h"
#include "gui/settings.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QScreen>
#include <QTimeZone>

#include <algorithm>

namespace meterscope::app {

namespace {

QString folderOr(const QString &folder)
{
    return folder.isEmpty() ? QDir::homePath() : folder;
}

// The dialog's field about `characters` wide, never wider than the screen.
// (The dialog's layout sets its own minimum size from its fields.)
void widen(QInputDialog *dialog, int characters)
{
    const int width = std::min(dialog->fontMetrics().averageCharWidth() * characters,
                               dialog->screen()->availableSize().width() - 80);
    for (QWidget *field : dialog->findChildren<QWidget *>(Qt::FindDirectChildrenOnly)) {
        if (qobject_cast<QLineEdit *>(field) || qobject_cast<QComboBox *>(field))
            field->setMinimumWidth(width);
    }
}

} // namespace

QFileDialog *openImportDialog(QWidget *parent, const Settings &settings)
{
    auto *dialog = new QFileDialog(parent, QFileDialog::tr("Import CSV Files"), folderOr(settings.lastImportFolder()),
                                   QFileDialog::tr("CSV files (*.csv);;All files (*)"));
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void rememberImportFolder(Settings &settings, const QList<QUrl> &urls)
{
    for (const QUrl &url : urls) {
        if (!url.isLocalFile())
            continue;
        const QFileInfo file(url.toLocalFile());
        settings.setLastImportFolder(file.isDir() ? file.absoluteFilePath() : file.absolutePath());
        return;
    }
}

QFileDialog *openSaveDialog(QWidget *parent, Settings &settings, const QString &title, const QString &fileName,
                            const QString &filter)
{
    const QString folder = folderOr(settings.lastSaveFolder());
    auto *dialog = new QFileDialog(parent, title, folder, filter);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->selectFile(QDir(folder).filePath(fileName));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QFileDialog::fileSelected, dialog,
                     [&settings](const QString &path) { settings.setLastSaveFolder(QFileInfo(path).absolutePath()); });
    dialog->open();
    return dialog;
}

QInputDialog *openZoneDialog(QWidget *parent, const DisplayZone &current)
{
    QStringList zones;
    for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
        zones << QString::fromUtf8(id);
    auto *dialog = new QInputDialog(parent);
    dialog->setWindowTitle(QInputDialog::tr("Time Zone"));
    dialog->setLabelText(QInputDialog::tr("Show times in this zone (IANA name):"));
    dialog->setComboBoxItems(zones);
    dialog->setComboBoxEditable(true);
    if (current.kind() == DisplayZone::Kind::Named)
        dialog->setTextValue(current.toString());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    widen(dialog, 48);
    dialog->open();
    return dialog;
}

QInputDialog *openTextDialog(QWidget *parent, const QString &title, const QString &label, const QString &text)
{
    auto *dialog = new QInputDialog(parent);
    dialog->setWindowTitle(title);
    dialog->setLabelText(label);
    dialog->setTextValue(text);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->resize(std::max(dialog->sizeHint().width(), 380), dialog->sizeHint().height());
    dialog->open();
    return dialog;
}

QInputDialog *openUrlDialog(QWidget *parent)
{
    auto *dialog = new QInputDialog(parent);
    dialog->setWindowTitle(QInputDialog::tr("Import from URL"));
    dialog->setLabelText(QInputDialog::tr("Address of a CSV file (http or https):"));
    dialog->setInputMode(QInputDialog::TextInput);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    widen(dialog, 80);
    dialog->open();
    return dialog;
}

QMessageBox *openQuitQuestion(QWidget *parent)
{
    auto *question = new QMessageBox(QMessageBox::Warning, QMessageBox::tr("Quit Meterscope"),
                                     QMessageBox::tr("An import is still running."), QMessageBox::NoButton, parent);
    question->setInformativeText(QMessageBox::tr("If you quit now, the file being imported is not stored and the "
                                                 "files waiting after it are not imported."));
    question->addButton(QMessageBox::tr("&Quit Anyway"), QMessageBox::DestructiveRole);
    question->addButton(QMessageBox::tr("&Keep Importing"), QMessageBox::RejectRole);
    question->setAttribute(Qt::WA_DeleteOnClose);
    question->open();
    return question;
}

} // namespace meterscope::app
