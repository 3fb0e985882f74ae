#pragma once

class QAction;
class QLabel;
class QWidget;

namespace meterscope::app {

/// The page shown while there is no series to show: the app's icon, a
/// title (returned in `title`, for the window to reword), how to import,
/// and a button for `importAction`.
QWidget *createPlaceholderPage(QAction *importAction, QLabel *&title, QWidget *parent);

} // namespace meterscope::app
