#include "metrics/exposition.h"

#include <charconv>
#include <cmath>

namespace meterscope::metrics {

namespace {

void appendNumber(std::string &out, double value)
{
    if (std::isnan(value)) {
        out += "NaN";
    } else if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
    } else {
        char buffer[32];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
        out.append(buffer, result.ptr);
    }
}

// Label values escape backslash, double quote and line feed; HELP texts
// backslash and line feed.
void appendEscaped(std::string &out, std::string_view text, bool quotes)
{
    for (const char c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '"' && quotes)
            out += "\\\"";
        else
            out += c;
    }
}

} // namespace

void Exposition::family(std::string_view name, std::string_view help, std::string_view type)
{
    if (m_family == name)
        return;
    m_family = name;
    m_text += "# HELP ";
    m_text += name;
    m_text += ' ';
    appendEscaped(m_text, help, false);
    m_text += "\n# TYPE ";
    m_text += name;
    m_text += ' ';
    m_text += type;
    m_text += '\n';
}

void Exposition::sample(std::string_view name, const Labels &labels, double value, std::string_view le)
{
    m_text += name;
    if (!labels.empty() || !le.empty()) {
        m_text += '{';
        bool first = true;
        auto label = [&](std::string_view key, std::string_view text) {
            if (!first)
                m_text += ',';
            first = false;
            m_text += key;
            m_text += "=\"";
            appendEscaped(m_text, text, true);
            m_text += '"';
        };
        for (const auto &[key, text] : labels)
            label(key, text);
        if (!le.empty())
            label("le", le);
        m_text += '}';
    }
    m_text += ' ';
    appendNumber(m_text, value);
    m_text += '\n';
}

void Exposition::counter(std::string_view name, std::string_view help, double value, const Labels &labels)
{
    family(name, help, "counter");
    sample(name, labels, value);
}

void Exposition::gauge(std::string_view name, std::string_view help, double value, const Labels &labels)
{
    family(name, help, "gauge");
    sample(name, labels, value);
}

void Exposition::histogram(std::string_view name, std::string_view help, const Histogram::Snapshot &snapshot,
                           const Labels &labels)
{
    family(name, help, "histogram");
    const std::string bucket = std::string(name) + "_bucket";
    for (std::size_t i = 0; i < Histogram::kBounds.size(); ++i) {
        std::string le;
        appendNumber(le, Histogram::kBounds[i]);
        sample(bucket, labels, double(snapshot.cumulative[i]), le);
    }
    sample(bucket, labels, double(snapshot.count), "+Inf");
    sample(std::string(name) + "_sum", labels, snapshot.sum);
    sample(std::string(name) + "_count", labels, double(snapshot.count));
}

} // namespace meterscope::metrics
