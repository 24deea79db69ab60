#include "io/cf.h"

#include <cctype>

namespace careabm::io::cf {

void describe(H5Writer& out, const std::string& path, std::string_view long_name, std::string_view units) {
  out.attr(path, "long_name", long_name);
  out.attr(path, "units", units);
}

void parameter_values(H5Writer& out, const std::string& path, std::string_view long_name) {
  out.attr(path, "long_name", long_name);
}

std::string flag_meanings(const std::vector<std::string>& meanings) {
  std::string text;
  for (const std::string& meaning : meanings) {
    if (!text.empty()) text += ' ';
    if (meaning.empty()) text += '_';
    for (const char c : meaning) {
      const bool allowed = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' ||
                           c == '.' || c == '+' || c == '@';
      text += allowed ? c : '_';
    }
  }
  return text;
}

void flags(H5Writer& out, const std::string& path, const std::vector<std::string>& meanings, bool int8) {
  if (int8) {
    std::vector<std::int8_t> values;
    for (std::size_t i = 0; i < meanings.size(); ++i) values.push_back(static_cast<std::int8_t>(i));
    out.attr(path, "flag_values", std::span<const std::int8_t>(values));
  } else {
    std::vector<std::int32_t> values;
    for (std::size_t i = 0; i < meanings.size(); ++i) values.push_back(static_cast<std::int32_t>(i));
    out.attr(path, "flag_values", std::span<const std::int32_t>(values));
  }
  out.attr(path, "flag_meanings", flag_meanings(meanings));
}

}  // namespace careabm::io::cf
