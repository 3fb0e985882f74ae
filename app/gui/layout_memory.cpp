#include "gui/layout_memory.h"

#include "gui/settings.h"

#include <algorithm>

namespace meterscope::app {

LayoutMemory::LayoutMemory(Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_layouts(settings.importLayouts())
{
}

std::optional<RememberedLayout> LayoutMemory::find(const QStringList &header) const
{
    const auto found = std::find_if(m_layouts.begin(), m_layouts.end(),
                                    [&](const RememberedLayout &layout) { return layout.header == header; });
    return found == m_layouts.end() ? std::nullopt : std::optional(*found);
}

void LayoutMemory::remember(const RememberedLayout &layout)
{
    m_layouts.removeIf([&](const RememberedLayout &old) { return old.header == layout.header; });
    m_layouts.append(layout);
    store();
}

void LayoutMemory::forget(const QStringList &header)
{
    if (m_layouts.removeIf([&](const RememberedLayout &old) { return old.header == header; }) > 0)
        store();
}

void LayoutMemory::store()
{
    m_settings.setImportLayouts(m_layouts);
    m_settings.sync();
    emit changed();
}

} // namespace meterscope::app
