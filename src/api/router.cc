#include "api/router.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"

namespace jisr::http {

struct Router::Node {
  Node() { routes.fill(-1); }
  absl::flat_hash_map<std::string, std::unique_ptr<Node>> literals;
  std::unique_ptr<Node> param;
  std::string param_name;  // name of `param`'s segment
  std::array<int32_t, kMethodCount>
      routes;  // route index per Method, -1 if none
};

struct Router::Route {
  RouteInfo info;
  Handler handler;
};

namespace {

constexpr size_t kMaxSegments = 32;

bool IsLiteralChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9'))
    return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
      return true;
    default:
      return false;
  }
}

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool IsRouteName(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Splits a pattern into its segments; the root "/" has none.
absl::Status SplitPattern(std::string_view pattern,
                          std::vector<std::string_view>* segments) {
  if (pattern.empty() || pattern.front() != '/') {
    return absl::InvalidArgumentError(
        fmt::format("route pattern \"{}\" must start with '/'", pattern));
  }
  if (pattern == "/") return absl::OkStatus();
  size_t pos = 1;
  while (true) {
    const size_t slash = pattern.find('/', pos);
    const std::string_view seg = pattern.substr(
        pos,
        slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (seg.empty()) {
      return absl::InvalidArgumentError(
          fmt::format("route pattern \"{}\" has an empty segment (\"//\" or a "
                      "trailing '/')",
                      pattern));
    }
    segments->push_back(seg);
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  if (segments->size() > kMaxSegments) {
    return absl::InvalidArgumentError(
        fmt::format("route pattern \"{}\" has more than {} segments", pattern,
                    kMaxSegments));
  }
  return absl::OkStatus();
}

struct SearchState {
  const Request* request;
  Method method;
  int32_t route = -1;
  uint32_t allow_mask = 0;
  std::array<const std::string*, kMaxSegments> param_names{};  // null: literal
};

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

absl::Status Router::Add(Method method, std::string_view pattern,
                         std::string_view route_name, Handler handler) {
  if (method == Method::kOther) {
    return absl::InvalidArgumentError(
        fmt::format("route \"{}\": method must be GET, HEAD, POST, PUT, PATCH, "
                    "DELETE or OPTIONS",
                    route_name));
  }
  if (!IsRouteName(route_name) || route_name == kUnmatchedRoute) {
    return absl::InvalidArgumentError(
        fmt::format("route name \"{}\" must be 1-100 characters of "
                    "[A-Za-z0-9_.-] and not \"unmatched\"",
                    route_name));
  }
  if (!handler) {
    return absl::InvalidArgumentError(
        fmt::format("route \"{}\" has no handler", route_name));
  }
  std::vector<std::string_view> segments;
  JISR_RETURN_IF_ERROR(SplitPattern(pattern, &segments));
  // Validate every segment before touching the tree.
  std::vector<std::string_view> param_names;
  for (std::string_view seg : segments) {
    if (seg.front() == '{') {
      if (seg.size() < 3 || seg.back() != '}' ||
          !IsIdentifier(seg.substr(1, seg.size() - 2))) {
        return absl::InvalidArgumentError(
            fmt::format("route pattern \"{}\": segment \"{}\" must be a "
                        "parameter \"{{name}}\" with name "
                        "[A-Za-z_][A-Za-z0-9_]*",
                        pattern, seg));
      }
      const std::string_view name = seg.substr(1, seg.size() - 2);
      for (std::string_view other : param_names) {
        if (other == name) {
          return absl::InvalidArgumentError(
              fmt::format("route pattern \"{}\" uses parameter \"{}\" twice",
                          pattern, name));
        }
      }
      param_names.push_back(name);
    } else {
      for (char c : seg) {
        if (!IsLiteralChar(c)) {
          return absl::InvalidArgumentError(
              fmt::format("route pattern \"{}\": segment \"{}\" has a "
                          "character that is not allowed ('{}')",
                          pattern, seg, c));
        }
      }
    }
  }
  for (const Route& r : routes_) {
    if (r.info.name == route_name) {
      return absl::AlreadyExistsError(
          fmt::format("route name \"{}\" is already registered", route_name));
    }
  }
  // Check parameter-name conflicts and the (method, pattern) duplicate first,
  // so that a failed Add leaves no half-built branch behind it that matters.
  {
    const Node* node = root_.get();
    for (std::string_view seg : segments) {
      if (node == nullptr) break;
      if (seg.front() == '{') {
        const std::string_view name = seg.substr(1, seg.size() - 2);
        if (node->param && node->param_name != name) {
          return absl::InvalidArgumentError(
              fmt::format("route pattern \"{}\": parameter \"{}\" conflicts "
                          "with \"{}\" used by another "
                          "route at the same position",
                          pattern, name, node->param_name));
        }
        node = node->param.get();
      } else {
        auto it = node->literals.find(ToAbsl(seg));
        node = it == node->literals.end() ? nullptr : it->second.get();
      }
    }
    if (node != nullptr && node->routes[static_cast<size_t>(method)] >= 0) {
      return absl::AlreadyExistsError(fmt::format(
          "route {} {} is already registered", MethodName(method), pattern));
    }
  }
  Node* node = root_.get();
  for (std::string_view seg : segments) {
    if (seg.front() == '{') {
      if (!node->param) {
        node->param = std::make_unique<Node>();
        node->param_name = std::string(seg.substr(1, seg.size() - 2));
      }
      node = node->param.get();
    } else {
      auto& child = node->literals[ToAbsl(seg)];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  node->routes[static_cast<size_t>(method)] =
      static_cast<int32_t>(routes_.size());
  routes_.push_back(
      Route{RouteInfo{method, std::string(pattern), std::string(route_name)},
            std::move(handler)});
  return absl::OkStatus();
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const Route& r : routes_) out.push_back(r.info);
  return out;
}

size_t Router::route_count() const { return routes_.size(); }
const Router::RouteInfo& Router::info(size_t route_index) const {
  return routes_[route_index].info;
}
const Handler& Router::handler(size_t route_index) const {
  return routes_[route_index].handler;
}

namespace {

// Depth-first search, literal before parameter. Each node of the tree is
// visited at most once, so this is linear in the tree size at worst.
template <typename NodeT>
bool Search(const NodeT& node, size_t index, SearchState& state) {
  const Request& request = *state.request;
  if (index == request.segment_count()) {
    int32_t route = node.routes[static_cast<size_t>(state.method)];
    if (route < 0 && state.method == Method::kHead) {
      route = node.routes[static_cast<size_t>(Method::kGet)];
    }
    if (route >= 0) {
      state.route = route;
      return true;
    }
    for (size_t m = 0; m < kMethodCount; ++m) {
      if (node.routes[m] >= 0) state.allow_mask |= 1u << m;
    }
    return false;
  }
  const std::string_view seg = request.segment(index);
  if (seg.empty()) return false;  // neither literals nor parameters match ""
  if (auto it = node.literals.find(ToAbsl(seg)); it != node.literals.end()) {
    state.param_names[index] = nullptr;
    if (Search(*it->second, index + 1, state)) return true;
  }
  if (node.param) {
    state.param_names[index] = &node.param_name;
    if (Search(*node.param, index + 1, state)) return true;
  }
  return false;
}

}  // namespace

Router::Match Router::Find(Request& request) const {
  Match match;
  if (request.segment_count() > kMaxSegments) return match;
  SearchState state;
  state.request = &request;
  state.method = request.method();
  if (Search(*root_, 0, state)) {
    match.kind = Match::Kind::kFound;
    match.route_index = static_cast<size_t>(state.route);
    ParamList& params = request.mutable_path_params();
    params.Clear();
    for (size_t i = 0; i < request.segment_count(); ++i) {
      if (state.param_names[i] != nullptr)
        params.Add(*state.param_names[i], request.segment(i));
    }
    request.set_route_name(routes_[match.route_index].info.name);
    return match;
  }
  if (state.allow_mask != 0) {
    if (state.allow_mask & (1u << static_cast<size_t>(Method::kGet))) {
      state.allow_mask |= 1u << static_cast<size_t>(Method::kHead);
    }
    match.kind = Match::Kind::kMethodNotAllowed;
    for (size_t m = 0; m + 1 < kMethodCount; ++m) {
      if (state.allow_mask & (1u << m)) {
        if (!match.allow.empty()) match.allow.append(", ");
        match.allow.append(MethodName(static_cast<Method>(m)));
      }
    }
  }
  return match;
}

}  // namespace jisr::http
