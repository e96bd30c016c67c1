#include "api/http_types.h"

#include <array>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/grammar/string_token.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cstring>

namespace jisr::http {
namespace {

constexpr std::array<std::string_view, kMethodCount> kMethodNames = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"};

inline char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

// Appends the percent-decoding of `encoded` to `out`; returns false when the
// decoded text holds a NUL byte.
bool AppendDecoded(boost::urls::pct_string_view encoded, bool plus_is_space,
                   std::string& out) {
  const size_t start = out.size();
  encoded.decode(boost::urls::encoding_opts(plus_is_space, false, false),
                 boost::urls::string_token::append_to(out));
  return std::memchr(out.data() + start, '\0', out.size() - start) == nullptr;
}

}  // namespace

std::string_view MethodName(Method method) {
  return kMethodNames[static_cast<size_t>(method)];
}

Method ParseMethod(std::string_view name) {
  for (size_t i = 0; i + 1 < kMethodCount; ++i) {
    if (kMethodNames[i] == name) return static_cast<Method>(i);
  }
  return Method::kOther;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

void ParamList::Add(std::string_view name, std::string_view value) {
  Entry& e = AddEmpty();
  e.first.assign(name);
  e.second.assign(value);
}

ParamList::Entry& ParamList::AddEmpty() {
  if (size_ == items_.size()) items_.emplace_back();
  Entry& e = items_[size_++];
  e.first.clear();
  e.second.clear();
  return e;
}

std::optional<std::string_view> ParamList::Get(std::string_view name) const {
  for (size_t i = 0; i < size_; ++i) {
    if (items_[i].first == name) return std::string_view(items_[i].second);
  }
  return std::nullopt;
}

std::optional<std::string_view> ParamList::GetIgnoreCase(
    std::string_view name) const {
  for (size_t i = 0; i < size_; ++i) {
    if (EqualsIgnoreCase(items_[i].first, name))
      return std::string_view(items_[i].second);
  }
  return std::nullopt;
}

std::vector<std::string_view> ParamList::GetAll(std::string_view name) const {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < size_; ++i) {
    if (items_[i].first == name) out.emplace_back(items_[i].second);
  }
  return out;
}

void Request::Reset() {
  method_ = Method::kGet;
  method_name_.assign("GET");
  target_.clear();
  path_.clear();
  segments_.clear();
  query_.Clear();
  path_params_.Clear();
  headers_.Clear();
  body_.clear();
  remote_address_.clear();
  request_id_.clear();
  route_name_.clear();
  user_.clear();
}

void Request::SetMethod(std::string_view name) {
  method_ = ParseMethod(name);
  method_name_.assign(name);
}

absl::Status Request::SetTarget(std::string_view target) {
  namespace urls = boost::urls;
  target_.assign(target);
  path_.clear();
  segments_.clear();
  query_.Clear();
  if (target.empty()) return absl::InvalidArgumentError("empty request target");
  urls::result<urls::url_view> parsed = target.front() == '/'
                                            ? urls::parse_origin_form(target)
                                            : urls::parse_absolute_uri(target);
  if (!parsed) {
    return absl::InvalidArgumentError(
        "malformed request target (expected \"/path?query\")");
  }
  const urls::url_view& url = *parsed;
  if (target.front() != '/') {
    const std::string_view scheme = url.scheme();
    if (!(EqualsIgnoreCase(scheme, "http") ||
          EqualsIgnoreCase(scheme, "https")) ||
        !url.has_authority()) {
      return absl::InvalidArgumentError(
          "malformed request target (absolute form must be http)");
    }
  }
  for (urls::pct_string_view segment : url.encoded_segments()) {
    path_.push_back('/');
    const size_t offset = path_.size();
    if (!AppendDecoded(segment, /*plus_is_space=*/false, path_)) {
      path_.clear();
      segments_.clear();
      return absl::InvalidArgumentError(
          "request path contains an encoded NUL byte");
    }
    segments_.emplace_back(static_cast<uint32_t>(offset),
                           static_cast<uint32_t>(path_.size() - offset));
  }
  if (path_.empty()) path_.push_back('/');
  for (const urls::param_pct_view& param : url.encoded_params()) {
    if (param.key.empty() && !param.has_value) continue;  // "a&&b"
    ParamList::Entry& entry = query_.AddEmpty();
    if (!AppendDecoded(param.key, true, entry.first) ||
        (param.has_value && !AppendDecoded(param.value, true, entry.second))) {
      path_.clear();
      segments_.clear();
      query_.Clear();
      return absl::InvalidArgumentError(
          "query string contains an encoded NUL byte");
    }
  }
  return absl::OkStatus();
}

std::optional<std::string_view> Response::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

}  // namespace jisr::http
