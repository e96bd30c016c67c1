// Static files of the web interface: the built single-page application
// (web/dist) served from memory by the node's router.
//
// AddStaticFiles reads every file under a web root once, when the router is
// built, and registers GET (and so HEAD) routes:
//   /assets/{file}   the files directly in ROOT/assets/ (Vite's content-hashed
//                    build outputs): "Cache-Control: public, max-age=31536000,
//                    immutable" (route "web.asset")
//   /<relative path> every other file (favicon, robots.txt, nested folders):
//                    "Cache-Control: no-cache" (route "web.file.<path>")
//   each client-side route listed in ROOT/routes.json answers ROOT/index.html
//                    with "Cache-Control: no-cache" (route "web.page.<path>"),
//                    so that a bookmarked or reloaded address of the
//                    application works. Without routes.json only "/" does.
// routes.json is {"routes": ["/", "/users", "/users/{id}", ...]}; patterns use
// the Router's syntax and may not start with /api/. It is not itself served.
//
// Every answer carries a strong ETag (BLAKE2b-128 of the content, base64url);
// a request whose If-None-Match matches it gets 304 with no body. Every answer
// carries the Content-Type of its extension (UTF-8 for text types;
// application/octet-stream when unknown) and a strict Content-Security-Policy
// (`options.content_security_policy`) plus Cross-Origin-Opener-Policy and
// Cross-Origin-Resource-Policy: same-origin. The server adds nosniff,
// X-Frame-Options: DENY and Referrer-Policy: no-referrer.
//
// Path traversal cannot happen: only the files found at start-up are known
// and request paths are looked up, never joined to the root. Files whose name
// begins with '.' are not served; a symbolic link resolving outside the root
// is refused when the routes are added.
//
// Thread-safety: AddStaticFiles is called while building the router (not
// thread-safe, like Router::Add). The handlers it registers only read
// immutable shared data and are safe from any number of threads.
#ifndef JISR_API_STATIC_FILES_H_
#define JISR_API_STATIC_FILES_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "api/router.h"

namespace jisr::http {

// The default Content-Security-Policy: everything from this origin only, no
// inline script or style, no plug-ins, no framing, no <base>, forms post to
// this origin.
inline constexpr std::string_view kDefaultContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

struct StaticFilesOptions {
  // The Content-Security-Policy header sent with every file. Default
  // kDefaultContentSecurityPolicy.
  std::string content_security_policy =
      std::string(kDefaultContentSecurityPolicy);
  // Largest total size of the files under the root, in bytes; a larger tree
  // is refused (ResourceExhausted). Default 256 MiB.
  uint64_t max_total_bytes = uint64_t{256} * 1024 * 1024;
  // Largest number of files under the root; more is refused
  // (ResourceExhausted). Default 10000.
  size_t max_files = 10000;
};

// Reads the web root `root` and registers its routes in `router` (see above).
// Returns OK when every route is registered. Errors: NotFound when `root` is
// not a directory or holds no index.html; InvalidArgument naming the file or
// route when routes.json is malformed, a route starts with /api/ or is not a
// valid Router pattern, or a file name cannot be a route; FailedPrecondition
// for a symbolic link leading outside the root; ResourceExhausted over the
// limits; Unavailable when a file cannot be read; the router's error (e.g.
// AlreadyExists) when a route clashes with one already registered. On error
// the router may hold some of the routes already: do not serve it.
absl::Status AddStaticFiles(Router* router, const std::filesystem::path& root,
                            const StaticFilesOptions& options = {});

// Returns the Content-Type served for a file named `filename` by its
// extension (case-insensitive), e.g. "text/javascript; charset=utf-8" for
// "index-3f2a.js", and "application/octet-stream" when the extension is
// unknown.
std::string_view ContentTypeForFile(std::string_view filename);

}  // namespace jisr::http

#endif  // JISR_API_STATIC_FILES_H_
