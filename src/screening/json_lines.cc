#include "screening/json_lines.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <cmath>

namespace jisr::screening {

void AppendJson(const boost::json::value& value, std::string* out) {
  switch (value.kind()) {
    case boost::json::kind::null:
      out->append("null");
      return;
    case boost::json::kind::bool_:
      out->append(value.get_bool() ? "true" : "false");
      return;
    case boost::json::kind::int64:
      out->append(fmt::format("{}", value.get_int64()));
      return;
    case boost::json::kind::uint64:
      out->append(fmt::format("{}", value.get_uint64()));
      return;
    case boost::json::kind::double_: {
      const double d = value.get_double();
      if (!std::isfinite(d)) {
        out->append("null");
      } else if (d == std::floor(d) && std::fabs(d) < 1e15) {
        out->append(fmt::format("{:.1f}", d));
      } else {
        out->append(fmt::format("{}", d));
      }
      return;
    }
    case boost::json::kind::string:
      out->append(boost::json::serialize(value.get_string()));
      return;
    case boost::json::kind::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& v : value.get_array()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJson(v, out);
      }
      out->push_back(']');
      return;
    }
    case boost::json::kind::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& kv : value.get_object()) {
        if (!first) out->push_back(',');
        first = false;
        out->append(boost::json::serialize(boost::json::string_view(kv.key())));
        out->push_back(':');
        AppendJson(kv.value(), out);
      }
      out->push_back('}');
      return;
    }
  }
}

std::string ToJsonText(const boost::json::value& value) {
  std::string out;
  AppendJson(value, &out);
  return out;
}

}  // namespace jisr::screening
