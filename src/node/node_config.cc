#include "node/node_config.h"

#include "federation/identity.h"

#include <sys/stat.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "common/json.h"
#include "common/status.h"

namespace jisr::node {
namespace {

constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error"};

absl::Status InFile(const std::filesystem::path& file, const absl::Status& s) {
  std::string message = fmt::format("{}: {}", file.string(), std::string(s.message()));
  absl::Status out(s.code(), message);
  if (auto field = FieldOf(s)) out = WithField(out, *field);
  return out;
}

}  // namespace

std::filesystem::path ConfigPath(const std::filesystem::path& data_dir) {
  return data_dir / "jisr.json";
}

absl::Status ParseListen(const std::string& listen, const std::string& field,
                         std::string* host, uint16_t* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= listen.size()) {
    return InvalidField(field, fmt::format("{} must be HOST:PORT (got \"{}\")", field, listen));
  }
  std::string h = listen.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  unsigned value = 0;
  const char* begin = listen.data() + colon + 1;
  const char* end = listen.data() + listen.size();
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || value > 65535) {
    return InvalidField(field,
                        fmt::format("{} has an invalid port (got \"{}\")", field, listen));
  }
  *host = h;
  *port = static_cast<uint16_t>(value);
  return absl::OkStatus();
}

std::string NodeConfig::FederationUrl() const {
  if (!federation_url.empty()) return federation_url;
  if (federation_listen == "off") return "";
  return "https://" + federation_listen;
}

absl::StatusOr<NodeConfig> LoadNodeConfig(const std::filesystem::path& data_dir) {
  const std::filesystem::path file = ConfigPath(data_dir);
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(fmt::format(
        "{} not found: is {} a jisr node directory? (create one with jisr init)",
        file.string(), data_dir.string()));
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<boost::json::object> obj = ParseJsonObject(text.str());
  if (!obj.ok()) return InFile(file, obj.status());
  NodeConfig c;
  JsonObjectReader r(*obj);
  auto fail = [&](const absl::Status& s) { return InFile(file, s); };
  if (auto v = r.OptionalString("database", 4096); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    c.database = **v;
  }
  if (auto v = r.OptionalString("listen", 256); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    c.listen = **v;
  }
  if (auto v = r.OptionalInt("http_threads"); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    if (**v < 0 || **v > 256) {
      return fail(InvalidField("http_threads", "http_threads must be between 0 and 256"));
    }
    c.http_threads = static_cast<int>(**v);
  }
  if (auto v = r.OptionalInt("session_hours"); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    if (**v < 1 || **v > 168) {
      return fail(InvalidField("session_hours", "session_hours must be between 1 and 168"));
    }
    c.session_hours = static_cast<int>(**v);
  }
  if (auto v = r.OptionalEnum("log_level", kLevels); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    c.log_level = **v;
  }
  if (auto v = r.OptionalString("access_log", 4096); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    c.access_log = **v;
  }
  if (auto v = r.OptionalString("web_root", 4096); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    c.web_root = **v;
  }
  if (auto v = r.OptionalString("federation_listen", 256); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    c.federation_listen = **v;
  }
  if (auto v = r.OptionalString("federation_url", 512); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    c.federation_url = **v;
  }
  if (auto v = r.OptionalInt("federation_retry_max_seconds"); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    if (**v < 1 || **v > 3600) {
      return fail(InvalidField("federation_retry_max_seconds",
                               "federation_retry_max_seconds must be between 1 and 3600"));
    }
    c.federation_retry_max_seconds = static_cast<int>(**v);
  }
  if (auto v = r.OptionalInt("federation_lease_seconds"); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    if (**v < 1 || **v > 600) {
      return fail(InvalidField("federation_lease_seconds",
                               "federation_lease_seconds must be between 1 and 600"));
    }
    c.federation_lease_seconds = static_cast<int>(**v);
  }
  if (auto v = r.OptionalInt("federation_max_refusals"); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    if (**v < 1 || **v > 1000) {
      return fail(InvalidField("federation_max_refusals",
                               "federation_max_refusals must be between 1 and 1000"));
    }
    c.federation_max_refusals = static_cast<int>(**v);
  }
  // --- alerts/events: abandoned uploads in parts
  if (auto v = r.OptionalInt("upload_expiry_hours"); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    if (**v < 1 || **v > 720) {
      return fail(InvalidField("upload_expiry_hours",
                               "upload_expiry_hours must be between 1 and 720"));
    }
    c.upload_expiry_hours = static_cast<int>(**v);
  }
  // --- exchange (src/exchange)
  if (auto v = r.OptionalInt("attachment_max_bytes"); !v.ok()) {
    return fail(v.status());
  } else if (*v) {
    if (**v < 1024 || **v > 1024 * 1024 * 1024) {
      return fail(InvalidField("attachment_max_bytes",
                               "attachment_max_bytes must be between 1024 and 1073741824"));
    }
    c.attachment_max_bytes = **v;
  }
  // --- end exchange
  if (absl::Status s = r.RejectUnknown(); !s.ok()) return fail(s);
  std::string host;
  uint16_t port = 0;
  if (absl::Status s = ParseListen(c.listen, "listen", &host, &port); !s.ok()) return fail(s);
  if (c.federation_listen != "off") {
    if (absl::Status s = ParseListen(c.federation_listen, "federation_listen", &host, &port);
        !s.ok()) {
      return fail(s);
    }
  }
  if (!c.federation_url.empty()) {
    if (absl::Status s = federation::ParseFederationUrl(c.federation_url, "federation_url", &host,
                                                        &port);
        !s.ok()) {
      return fail(s);
    }
  }
  return c;
}

absl::Status SaveNodeConfig(const std::filesystem::path& data_dir, const NodeConfig& c) {
  boost::json::object o;
  o["database"] = c.database;
  o["listen"] = c.listen;
  o["http_threads"] = c.http_threads;
  o["session_hours"] = c.session_hours;
  o["log_level"] = c.log_level;
  o["access_log"] = c.access_log;
  if (!c.web_root.empty()) o["web_root"] = c.web_root;
  o["federation_listen"] = c.federation_listen;
  if (!c.federation_url.empty()) o["federation_url"] = c.federation_url;
  o["federation_retry_max_seconds"] = c.federation_retry_max_seconds;
  o["federation_lease_seconds"] = c.federation_lease_seconds;
  o["federation_max_refusals"] = c.federation_max_refusals;
  o["attachment_max_bytes"] = c.attachment_max_bytes;  // exchange (src/exchange)
  o["upload_expiry_hours"] = c.upload_expiry_hours;     // alerts/events
  const std::filesystem::path file = ConfigPath(data_dir);
  const std::filesystem::path tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << boost::json::serialize(o) << "\n";
    if (!out.flush()) {
      return absl::UnavailableError(fmt::format("cannot write {}", tmp.string()));
    }
  }
  ::chmod(tmp.c_str(), 0640);
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    return absl::UnavailableError(
        fmt::format("cannot write {}: {}", file.string(), ec.message()));
  }
  return absl::OkStatus();
}

std::string ResolveDatabaseUrl(const std::filesystem::path& data_dir, const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (!url.starts_with(kSqlite)) return url;
  const std::string path = url.substr(kSqlite.size());
  if (path.empty() || path.front() == '/' || path.starts_with(":memory:") ||
      path.starts_with("file:")) {
    return url;
  }
  return "sqlite:" + (data_dir / path).string();
}

}  // namespace jisr::node
