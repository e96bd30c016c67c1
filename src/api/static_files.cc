#include "api/static_files.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "api/problem.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::http {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";
constexpr size_t kMaxRouteName = 100;

// One file held in memory, shared by the handlers that serve it.
struct StaticFile {
  std::string body;
  std::string content_type;
  std::string etag;  // quoted, e.g. "\"q1w2...\""
  std::string_view cache_control;
};

struct Headers {
  std::string csp;
};

char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string Etag(std::string_view body) {
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash,
                     reinterpret_cast<const unsigned char*>(body.data()),
                     body.size(), nullptr, 0);
  return fmt::format("\"{}\"",
                     ToBase64Url(std::string_view(
                         reinterpret_cast<const char*>(hash), sizeof hash)));
}

// True when the If-None-Match header value lists `etag` (weak comparison, as
// RFC 9110 §13.1.2 asks for GET) or is "*".
bool NoneMatchHits(std::string_view header, std::string_view etag) {
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view tag = header.substr(pos, comma - pos);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t'))
      tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t'))
      tag.remove_suffix(1);
    if (tag == "*") return true;
    if (tag.size() > 2 && tag[0] == 'W' && tag[1] == '/') tag.remove_prefix(2);
    if (tag == etag) return true;
    pos = comma + 1;
  }
  return false;
}

Response Serve(const StaticFile& file, const Headers& headers,
               const Request& request) {
  Response r;
  r.AddHeader("ETag", file.etag);
  r.AddHeader("Cache-Control", file.cache_control);
  r.AddHeader("Content-Security-Policy", headers.csp);
  r.AddHeader("Cross-Origin-Opener-Policy", "same-origin");
  r.AddHeader("Cross-Origin-Resource-Policy", "same-origin");
  const std::optional<std::string_view> none_match =
      request.Header("If-None-Match");
  if (none_match && NoneMatchHits(*none_match, file.etag)) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.status = 200;
  r.content_type = file.content_type;
  r.body = file.body;
  return r;
}

// A route name from `prefix` and a path: characters outside [A-Za-z0-9_.-]
// become '.', braces are dropped; made unique within `used`.
std::string RouteName(std::string_view prefix, std::string_view path,
                      std::set<std::string>* used) {
  std::string name(prefix);
  for (char c : path) {
    if (c == '{' || c == '}') continue;
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    name.push_back(ok ? c : '.');
  }
  while (!name.empty() && name.back() == '.') name.pop_back();
  if (name.size() > kMaxRouteName - 8) name.resize(kMaxRouteName - 8);
  std::string unique = name;
  for (int i = 2; used->count(unique) > 0; ++i)
    unique = fmt::format("{}-{}", name, i);
  used->insert(unique);
  return unique;
}

absl::StatusOr<std::string> ReadFile(const fs::path& path, uint64_t size_hint) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::UnavailableError(fmt::format("cannot read {}", path.string()));
  std::string body;
  body.reserve(size_hint);
  body.assign(std::istreambuf_iterator<char>(in),
              std::istreambuf_iterator<char>());
  if (in.bad())
    return absl::UnavailableError(fmt::format("cannot read {}", path.string()));
  return body;
}

bool IsWithin(const fs::path& path, const fs::path& root) {
  auto [root_end, unused] =
      std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  (void)unused;
  return root_end == root.end();
}

// The client-side routes listed in ROOT/routes.json (["/"] without the file).
absl::StatusOr<std::vector<std::string>> ReadClientRoutes(
    const fs::path& file, const std::string* text) {
  if (text == nullptr) return std::vector<std::string>{"/"};
  const std::string name = file.string();
  absl::StatusOr<boost::json::object> doc = ParseJsonObject(*text);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("{}: {}", name, std::string(doc.status().message())));
  }
  std::vector<std::string> routes;
  for (const auto& [key, value] : *doc) {
    if (key != "routes") {
      return InvalidField(
          std::string(key),
          fmt::format("{}: unknown member \"{}\"", name, std::string(key)));
    }
    if (!value.is_array()) {
      return InvalidField(
          "routes",
          fmt::format("{}: \"routes\" must be an array of strings", name));
    }
    for (const boost::json::value& v : value.as_array()) {
      if (!v.is_string()) {
        return InvalidField(
            "routes",
            fmt::format("{}: \"routes\" must be an array of strings", name));
      }
      std::string route(v.as_string());
      if (route.empty() || route.front() != '/') {
        return InvalidField(
            "routes",
            fmt::format("{}: route \"{}\" must start with '/'", name, route));
      }
      if (route == "/api" || route.rfind("/api/", 0) == 0) {
        return InvalidField(
            "routes", fmt::format("{}: route \"{}\" is under /api/, which "
                                  "belongs to the REST API",
                                  name, route));
      }
      routes.push_back(std::move(route));
    }
  }
  if (!doc->contains("routes")) {
    return InvalidField("routes",
                        fmt::format("{}: missing member \"routes\"", name));
  }
  return routes;
}

}  // namespace

std::string_view ContentTypeForFile(std::string_view filename) {
  const size_t dot = filename.rfind('.');
  const size_t slash = filename.rfind('/');
  if (dot == std::string_view::npos ||
      (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  std::string ext;
  for (char c : filename.substr(dot + 1)) ext.push_back(AsciiLower(c));
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"webmanifest", "application/manifest+json"},
      {"txt", "text/plain; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"avif", "image/avif"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"otf", "font/otf"},
      {"wasm", "application/wasm"},
      {"pdf", "application/pdf"},
  };
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

absl::Status AddStaticFiles(Router* router, const fs::path& root,
                            const StaticFilesOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return absl::NotFoundError(fmt::format(
        "web root {} is not a directory (build the web interface: make web)",
        root.string()));
  }
  const fs::path canonical_root = fs::canonical(root, ec);
  if (ec) {
    return absl::UnavailableError(fmt::format("cannot resolve web root {}: {}",
                                              root.string(), ec.message()));
  }

  // Collect every servable file (relative path with '/' separators).
  struct Found {
    std::string relative;
    fs::path path;
    uint64_t size;
  };
  std::vector<Found> found;
  uint64_t total = 0;
  fs::recursive_directory_iterator it(canonical_root,
                                      fs::directory_options::none, ec);
  if (ec) {
    return absl::UnavailableError(fmt::format("cannot list web root {}: {}",
                                              root.string(), ec.message()));
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::directory_entry& entry = *it;
    const std::string leaf = entry.path().filename().string();
    if (!leaf.empty() && leaf.front() == '.') {
      if (entry.is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    const fs::path relative = entry.path().lexically_relative(canonical_root);
    if (entry.is_symlink(ec)) {
      const fs::path target = fs::canonical(entry.path(), ec);
      if (ec || !IsWithin(target, canonical_root)) {
        return absl::FailedPreconditionError(
            fmt::format("web root {}: symbolic link {} leads outside the root",
                        root.string(), relative.generic_string()));
      }
    }
    if (!entry.is_regular_file(ec)) continue;
    const uint64_t size = entry.file_size(ec);
    if (ec) {
      return absl::UnavailableError(fmt::format(
          "cannot read {}: {}", entry.path().string(), ec.message()));
    }
    total += size;
    if (found.size() + 1 > options.max_files) {
      return absl::ResourceExhaustedError(
          fmt::format("web root {} holds more than {} files", root.string(),
                      options.max_files));
    }
    if (total > options.max_total_bytes) {
      return absl::ResourceExhaustedError(
          fmt::format("web root {} holds more than {} bytes", root.string(),
                      options.max_total_bytes));
    }
    found.push_back(Found{relative.generic_string(), entry.path(), size});
  }
  if (ec) {
    return absl::UnavailableError(fmt::format("cannot list web root {}: {}",
                                              root.string(), ec.message()));
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return a.relative < b.relative;
  });

  auto headers =
      std::make_shared<const Headers>(Headers{options.content_security_policy});
  auto assets =
      std::make_shared<absl::flat_hash_map<std::string, StaticFile>>();
  std::shared_ptr<const StaticFile> index;
  std::optional<std::string> routes_json;
  std::set<std::string> used_names;
  std::vector<std::pair<std::string, std::shared_ptr<const StaticFile>>>
      literal_files;

  for (const Found& f : found) {
    JISR_ASSIGN_OR_RETURN(std::string body, ReadFile(f.path, f.size));
    if (f.relative == "routes.json") {
      routes_json = std::move(body);
      continue;
    }
    StaticFile file;
    file.content_type = std::string(ContentTypeForFile(f.relative));
    file.etag = Etag(body);
    file.body = std::move(body);
    const bool hashed_asset = f.relative.rfind("assets/", 0) == 0 &&
                              f.relative.find('/', 7) == std::string::npos;
    file.cache_control = hashed_asset ? kImmutable : kRevalidate;
    if (hashed_asset) {
      const std::string name = f.relative.substr(7);
      assets->emplace(name, std::move(file));
      continue;
    }
    auto shared = std::make_shared<const StaticFile>(std::move(file));
    if (f.relative == "index.html") index = shared;
    literal_files.emplace_back(f.relative, std::move(shared));
  }
  if (index == nullptr) {
    return absl::NotFoundError(fmt::format(
        "web root {} holds no index.html (build the web interface: make web)",
        root.string()));
  }
  JISR_ASSIGN_OR_RETURN(
      std::vector<std::string> pages,
      ReadClientRoutes(canonical_root / "routes.json",
                       routes_json ? &*routes_json : nullptr));

  // Register: client routes first (they are what a person types), then files.
  for (const std::string& page : pages) {
    const std::string name =
        RouteName("web.page.",
                  page == "/" ? std::string_view("root")
                              : std::string_view(page).substr(1),
                  &used_names);
    absl::Status s =
        router->Add(Method::kGet, page, name, [index, headers](Request& req) {
          return Serve(*index, *headers, req);
        });
    if (!s.ok()) {
      return absl::Status(
          s.code(), fmt::format("web route \"{}\" from routes.json: {}", page,
                                std::string(s.message())));
    }
  }
  for (auto& [relative, file] : literal_files) {
    const std::string pattern = "/" + relative;
    const std::string name = RouteName("web.file.", relative, &used_names);
    absl::Status s = router->Add(Method::kGet, pattern, name,
                                 [file = file, headers](Request& req) {
                                   return Serve(*file, *headers, req);
                                 });
    if (!s.ok()) {
      return absl::Status(s.code(), fmt::format("web file \"{}\": {}", relative,
                                                std::string(s.message())));
    }
  }
  if (!assets->empty()) {
    std::shared_ptr<const absl::flat_hash_map<std::string, StaticFile>> frozen =
        std::move(assets);
    JISR_RETURN_IF_ERROR(router->Add(
        Method::kGet, "/assets/{file}", "web.asset",
        [frozen, headers](Request& req) {
          const std::string_view file = req.PathParam("file").value_or("");
          auto found_file = frozen->find(ToAbsl(file));
          if (found_file == frozen->end()) {
            return MakeProblem(404, "route-not-found",
                               "no such file in the web interface's assets");
          }
          return Serve(found_file->second, *headers, req);
        }));
  }
  return absl::OkStatus();
}

}  // namespace jisr::http
