#pragma once

#include "gui/layout_choice.h"

#include <QObject>

#include <optional>

namespace meterscope::app {

class Settings;

/// The import layouts the user confirmed, kept in the settings: a file
/// whose header has the cells of one is imported with its choice, without
/// a preview. One per header.
class LayoutMemory : public QObject {
    Q_OBJECT

public:
    explicit LayoutMemory(Settings &settings, QObject *parent = nullptr);

    QList<RememberedLayout> layouts() const { return m_layouts; }
    /// The layout remembered for `header` (layoutKey()), if any.
    std::optional<RememberedLayout> find(const QStringList &header) const;
    /// Keeps `layout`, replacing one with the same header.
    void remember(const RememberedLayout &layout);
    /// Forgets the layout of `header`; files with it get a preview again.
    void forget(const QStringList &header);

signals:
    void changed();

private:
    void store();

    Settings &m_settings;
    QList<RememberedLayout> m_layouts;
};

} // namespace meterscope::app
