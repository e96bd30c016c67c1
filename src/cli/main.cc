// The `jisr` command: node set-up, serving, users, audit log and the
// screening tools. Each subcommand prints a clear error to stderr and exits
// non-zero on failure (1 for a failed operation, 2 for bad usage).
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include "alerts/alert_commands.h"
#include "audit/audit_log.h"
#include "cli/db_command.h"
#include "cli/peer_command.h"
#include "common/clock.h"
#include "common/json.h"
#include "node/node.h"
#include "screening/screen_command.h"
#include "security/password.h"
#include "security/audit_access.h"
#include "security/policy.h"
#include "security/user_service.h"

#ifndef JISR_VERSION
#define JISR_VERSION "0.0.0"
#endif

namespace jisr::cli {
namespace {

std::string OsUser() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr) return pw->pw_name;
  return "unknown";
}

// Prints `status` as "jisr: error: ..." and returns exit code 1.
int Fail(const absl::Status& status) {
  std::fprintf(stderr, "jisr: error: %s\n", std::string(status.message()).c_str());
  return 1;
}

absl::StatusOr<std::unique_ptr<node::Node>> OpenNode(const std::string& dir) {
  return node::Node::Open(dir, SystemClock::Instance());
}

// Finds a user by name through the service (audited as a user.list read).
absl::StatusOr<security::User> FindUser(node::Node& n, const security::Principal& op,
                                        const std::string& username) {
  security::UserListOptions options;
  options.limit = 500;
  for (;;) {
    absl::StatusOr<security::UserPage> page = n.users().List(op, options, "operator lookup");
    if (!page.ok()) return page.status();
    for (const security::User& u : page->users) {
      if (u.username == username) return u;
    }
    if (!page->next_after) break;
    options.after = page->next_after;
  }
  return absl::NotFoundError(fmt::format("no user named \"{}\"", username));
}

struct Args {
  std::string data;
  // init
  std::string agency, country, name_en, name_fr, name_ar, database = "sqlite:jisr.db";
  bool demo = false;
  // serve (and init)
  std::string listen, access_log, web_root, federation_listen, federation_url;
  // users
  std::string username, display_name, role, purpose;
  // audit
  std::string output;
  int64_t after_seq = 0;
};

int RunInit(const Args& a) {
  node::InitOptions options;
  options.data_dir = a.data;
  options.agency.code = a.agency;
  options.agency.country = a.country;
  options.agency.name_en = a.name_en;
  options.agency.name_fr = a.name_fr;
  options.agency.name_ar = a.name_ar;
  options.database = a.database;
  options.demo = a.demo;
  options.os_user = OsUser();
  if (!a.listen.empty()) options.listen = a.listen;
  if (!a.federation_listen.empty()) options.federation_listen = a.federation_listen;
  if (!a.federation_url.empty()) options.federation_url = a.federation_url;
  absl::StatusOr<node::InitResult> r = node::InitNode(options, SystemClock::Instance());
  if (!r.ok()) return Fail(r.status());
  std::printf("jisr: created node %s in %s\n", a.agency.c_str(), a.data.c_str());
  std::printf("jisr: admin password (shown once; also in %s/admin-password, mode 0600): %s\n",
              a.data.c_str(), r->admin_password.c_str());
  if (!r->demo.empty()) {
    std::printf("jisr: %zu synthetic demo accounts; passwords in %s/demo-passwords\n",
                r->demo.size(), a.data.c_str());
  }
  return 0;
}

int RunServe(const Args& a) {
  absl::StatusOr<std::unique_ptr<node::Node>> n = OpenNode(a.data);
  if (!n.ok()) return Fail(n.status());
  node::ServeOptions options;
  if (!a.listen.empty()) options.listen = a.listen;
  if (!a.access_log.empty()) options.access_log = a.access_log;
  if (!a.web_root.empty()) options.web_root = a.web_root;
  if (!a.federation_listen.empty()) options.federation_listen = a.federation_listen;
  if (absl::Status s = node::Serve(**n, options); !s.ok()) return Fail(s);
  return 0;
}

void PrintUser(const security::User& u) {
  std::printf("%s\t%s\t%s\t%s\t%s\n", u.id.c_str(), u.username.c_str(),
              std::string(security::RoleName(u.role)).c_str(),
              u.disabled ? "disabled" : "enabled", u.display_name.c_str());
}

int RunUserAdd(const Args& a) {
  absl::StatusOr<std::unique_ptr<node::Node>> n = OpenNode(a.data);
  if (!n.ok()) return Fail(n.status());
  std::optional<security::Role> role = security::RoleFromName(a.role);
  if (!role) return Fail(absl::InvalidArgumentError(fmt::format("unknown role \"{}\"", a.role)));
  const std::string password = security::GeneratePassword();
  absl::StatusOr<security::User> u = (*n)->users().Create(
      security::Principal::CliOperator(OsUser()),
      security::NewUser{a.username, a.display_name.empty() ? a.username : a.display_name, *role,
                        password},
      a.purpose);
  if (!u.ok()) return Fail(u.status());
  PrintUser(*u);
  std::printf("password (shown once): %s\n", password.c_str());
  return 0;
}

int RunUserList(const Args& a) {
  absl::StatusOr<std::unique_ptr<node::Node>> n = OpenNode(a.data);
  if (!n.ok()) return Fail(n.status());
  security::UserListOptions options;
  options.limit = 500;
  const security::Principal op = security::Principal::CliOperator(OsUser());
  for (;;) {
    absl::StatusOr<security::UserPage> page = (*n)->users().List(op, options, a.purpose);
    if (!page.ok()) return Fail(page.status());
    for (const security::User& u : page->users) PrintUser(u);
    if (!page->next_after) break;
    options.after = page->next_after;
  }
  return 0;
}

int RunUserSetDisabled(const Args& a, bool disabled) {
  absl::StatusOr<std::unique_ptr<node::Node>> n = OpenNode(a.data);
  if (!n.ok()) return Fail(n.status());
  const security::Principal op = security::Principal::CliOperator(OsUser());
  absl::StatusOr<security::User> u = FindUser(**n, op, a.username);
  if (!u.ok()) return Fail(u.status());
  security::UserUpdate update;
  update.disabled = disabled;
  absl::StatusOr<security::User> changed = (*n)->users().Update(op, u->id, update, a.purpose);
  if (!changed.ok()) return Fail(changed.status());
  PrintUser(*changed);
  return 0;
}

int RunUserResetPassword(const Args& a) {
  absl::StatusOr<std::unique_ptr<node::Node>> n = OpenNode(a.data);
  if (!n.ok()) return Fail(n.status());
  const security::Principal op = security::Principal::CliOperator(OsUser());
  absl::StatusOr<security::User> u = FindUser(**n, op, a.username);
  if (!u.ok()) return Fail(u.status());
  const std::string password = security::GeneratePassword();
  absl::StatusOr<security::User> changed =
      (*n)->users().ResetPassword(op, u->id, password, a.purpose);
  if (!changed.ok()) return Fail(changed.status());
  PrintUser(*changed);
  std::printf("password (shown once): %s\n", password.c_str());
  return 0;
}

int RunAuditVerify(const Args& a) {
  absl::StatusOr<std::unique_ptr<node::Node>> n = OpenNode(a.data);
  if (!n.ok()) return Fail(n.status());
  security::AuditAccess access((*n)->db(), (*n)->audit());
  absl::StatusOr<audit::VerifyResult> r =
      access.Verify(security::Principal::CliOperator(OsUser()), a.purpose);
  if (!r.ok()) return Fail(r.status());
  if (r->ok()) {
    std::printf("audit chain intact: %lld entries, head %s\n",
                static_cast<long long>(r->entries_checked), r->head_hash.c_str());
    return 0;
  }
  std::fprintf(stderr, "audit chain BROKEN at entry %s (%s): %s\n",
               r->first_broken_seq ? std::to_string(*r->first_broken_seq).c_str() : "-",
               std::string(audit::ProblemName(r->problem)).c_str(), r->reason.c_str());
  return 1;
}

int RunAuditExport(const Args& a) {
  absl::StatusOr<std::unique_ptr<node::Node>> n = OpenNode(a.data);
  if (!n.ok()) return Fail(n.status());
  security::AuditAccess access((*n)->db(), (*n)->audit());
  // The operator exports in the auditor's role (admins may not read the log).
  const security::Principal op =
      security::Principal::CliOperator(OsUser(), security::Role::kAuditor);
  audit::ExportOptions options;
  if (a.after_seq > 0) options.after_seq = a.after_seq;
  absl::StatusOr<int64_t> count;
  if (a.output.empty() || a.output == "-") {
    count = access.Export(op, std::cout, options, a.purpose);
    std::cout.flush();
    if (!count.ok()) return Fail(count.status());
  } else {
    // Written to a temporary file first: a failed export leaves no file.
    const std::string tmp = a.output + ".partial";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) return Fail(absl::UnavailableError(fmt::format("cannot write {}", tmp)));
      count = access.Export(op, out, options, a.purpose);
      out.flush();
      if (count.ok() && !out) count = absl::UnavailableError(fmt::format("cannot write {}", tmp));
    }
    if (count.ok() && std::rename(tmp.c_str(), a.output.c_str()) != 0) {
      count = absl::UnavailableError(fmt::format("cannot write {}", a.output));
    }
    if (!count.ok()) {
      std::remove(tmp.c_str());
      return Fail(count.status());
    }
  }
  std::fprintf(stderr, "jisr: exported %lld audit entries\n", static_cast<long long>(*count));
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"jisr — a node of the cross-border police cooperation platform"};
  app.require_subcommand(1);
  app.set_version_flag("--version", JISR_VERSION);
  Args a;
  int code = 0;

  CLI::App* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::printf("jisr %s\n", JISR_VERSION); });

  CLI::App* init = app.add_subcommand("init", "Create a node: its store, agency and admin account");
  init->add_option("--data", a.data, "Node directory (created)")->required();
  init->add_option("--agency", a.agency, "Agency code, e.g. MA-DGSN")->required();
  init->add_option("--country", a.country, "ISO 3166-1 alpha-2 country, e.g. MA")->required();
  init->add_option("--name-en", a.name_en, "Agency name in English");
  init->add_option("--name-fr", a.name_fr, "Agency name in French");
  init->add_option("--name-ar", a.name_ar, "Agency name in Arabic");
  init->add_option("--db", a.database, "Store URL (default sqlite:jisr.db in DIR)");
  init->add_flag("--demo", a.demo, "Also create synthetic demo accounts");
  init->add_option("--listen", a.listen, "HTTP HOST:PORT written to jisr.json (default 127.0.0.1:8080)");
  init->add_option("--federation-listen", a.federation_listen,
                   "Federation HOST:PORT (mutual TLS) or off (default 127.0.0.1:8443)");
  init->add_option("--federation-url", a.federation_url,
                   "https://HOST:PORT partners reach the federation listener at (default: from "
                   "--federation-listen)");
  init->callback([&] { code = RunInit(a); });

  CLI::App* serve = app.add_subcommand("serve", "Serve the node's HTTP API until SIGTERM");
  serve->add_option("--data", a.data, "Node directory")->required();
  serve->add_option("--listen", a.listen, "HOST:PORT (default from jisr.json)");
  serve->add_option("--access-log", a.access_log, "off, or a file for the access log");
  serve->add_option("--web-root", a.web_root,
                    "Directory of the built web interface, or off (default: jisr.json's "
                    "web_root, else <binary>/../../web/dist when built)");
  serve->add_option("--federation-listen", a.federation_listen,
                    "Federation HOST:PORT or off (default from jisr.json)");
  serve->callback([&] { code = RunServe(a); });

  CLI::App* user = app.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);
  CLI::App* user_add = user->add_subcommand("add", "Create an account (prints its password)");
  user_add->add_option("--data", a.data, "Node directory")->required();
  user_add->add_option("--username", a.username, "Login name, [a-z0-9._-]")->required();
  user_add->add_option("--display-name", a.display_name, "Name shown in the interface");
  user_add->add_option("--role", a.role, "admin, supervisor, officer, analyst or auditor")
      ->required();
  user_add->add_option("--purpose", a.purpose, "Why (recorded in the audit log)");
  user_add->callback([&] { code = RunUserAdd(a); });
  CLI::App* user_list = user->add_subcommand("list", "List accounts");
  user_list->add_option("--data", a.data, "Node directory")->required();
  user_list->add_option("--purpose", a.purpose, "Why (recorded in the audit log)");
  user_list->callback([&] { code = RunUserList(a); });
  CLI::App* user_disable = user->add_subcommand("disable", "Disable an account (ends its sessions)");
  user_disable->add_option("--data", a.data, "Node directory")->required();
  user_disable->add_option("--username", a.username, "Login name")->required();
  user_disable->add_option("--purpose", a.purpose, "Why (recorded in the audit log)");
  user_disable->callback([&] { code = RunUserSetDisabled(a, true); });
  CLI::App* user_enable = user->add_subcommand("enable", "Enable a disabled account");
  user_enable->add_option("--data", a.data, "Node directory")->required();
  user_enable->add_option("--username", a.username, "Login name")->required();
  user_enable->add_option("--purpose", a.purpose, "Why (recorded in the audit log)");
  user_enable->callback([&] { code = RunUserSetDisabled(a, false); });
  CLI::App* user_reset = user->add_subcommand(
      "reset-password", "Set a new generated password (clears a lock-out; prints it)");
  user_reset->add_option("--data", a.data, "Node directory")->required();
  user_reset->add_option("--username", a.username, "Login name")->required();
  user_reset->add_option("--purpose", a.purpose, "Why (recorded in the audit log)");
  user_reset->callback([&] { code = RunUserResetPassword(a); });

  CLI::App* audit_cmd = app.add_subcommand("audit", "Verify or export the audit log");
  audit_cmd->require_subcommand(1);
  CLI::App* verify = audit_cmd->add_subcommand(
      "verify", "Recompute the hash chain; name the first broken entry (exit 1)");
  verify->add_option("--data", a.data, "Node directory")->required();
  verify->add_option("--purpose", a.purpose, "Why (recorded in the audit log)");
  verify->callback([&] { code = RunAuditVerify(a); });
  CLI::App* export_cmd = audit_cmd->add_subcommand("export", "Write the log as JSON Lines");
  export_cmd->add_option("--data", a.data, "Node directory")->required();
  export_cmd->add_option("--output", a.output, "File (default standard output)");
  export_cmd->add_option("--purpose", a.purpose, "Why (recorded in the audit log)");
  export_cmd->add_option("--after-seq", a.after_seq, "Only entries after this sequence number")
      ->check(CLI::NonNegativeNumber);
  export_cmd->callback([&] { code = RunAuditExport(a); });

  screening::AddScreeningCommands(app);
  alerts::AddAlertCommands(app);
  AddDbCommands(app);
  AddPeerCommands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return code;
}

}  // namespace jisr::cli

int main(int argc, char** argv) { return jisr::cli::Main(argc, argv); }
