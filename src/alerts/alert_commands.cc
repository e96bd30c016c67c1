#include "alerts/alert_commands.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "alerts/alert_io.h"
#include "alerts/alert_service.h"
#include "common/clock.h"
#include "common/status.h"
#include "node/node.h"

namespace jisr::alerts {
namespace {

std::string OsUser() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr)
    return pw->pw_name;
  return "unknown";
}

absl::StatusOr<AlertFormat> Format(const std::string& name, bool for_export) {
  std::optional<AlertFormat> f = AlertFormatFromName(name);
  if (!f || (for_export && *f == AlertFormat::kInterpol)) {
    return InvalidField("format",
                        for_export ? "--format must be ftm or csv"
                                   : "--format must be interpol, ftm or csv");
  }
  return *f;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(fmt::format("cannot open {}", path));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0)
    return absl::UnavailableError(fmt::format("cannot read {}", path));
  if (static_cast<uint64_t>(size) > kMaxImportBytes) {
    return absl::InvalidArgumentError(
        fmt::format("{} is larger than {} bytes", path, kMaxImportBytes));
  }
  in.seekg(0);
  std::string data(static_cast<size_t>(size), '\0');
  if (!in.read(data.data(), size))
    return absl::UnavailableError(fmt::format("cannot read {}", path));
  return data;
}

AlertServiceOptions ServiceOptions(node::Node& n) {
  AlertServiceOptions o;
  o.agency = n.agency().code;
  return o;
}

void Check(const absl::Status& s) {
  if (s.ok()) return;
  std::fprintf(stderr, "jisr: error: %s\n", std::string(s.message()).c_str());
  throw CLI::RuntimeError(1);
}

}  // namespace

absl::Status RunAlertImport(const AlertImportCommand& c) {
  JISR_ASSIGN_OR_RETURN(AlertFormat format, Format(c.format, false));
  ImportOptions options;
  options.skip_invalid = c.skip_invalid;
  std::optional<Category> category = CategoryFromName(c.category);
  if (!category) {
    return InvalidField("category",
                        fmt::format("--category must be one of: {}",
                                    fmt::join(CategoryNames(), ", ")));
  }
  options.defaults.category = *category;
  options.defaults.action = c.action;
  bool handling_ok = false;
  for (size_t i = 0; i < HandlingCodeNames().size(); ++i) {
    if (HandlingCodeNames()[i] == c.handling_code) {
      options.defaults.handling_code = static_cast<HandlingCode>(i);
      handling_ok = true;
    }
  }
  if (!handling_ok)
    return InvalidField("handling_code",
                        "--handling-code must be H0, H1, H2 or H3");
  JISR_ASSIGN_OR_RETURN(std::string data, ReadFile(c.file));
  JISR_ASSIGN_OR_RETURN(std::unique_ptr<node::Node> n,
                        node::Node::Open(c.data, SystemClock::Instance()));
  AlertService service(n->db(), n->audit(), n->clock(), nullptr,
                       ServiceOptions(*n));
  const security::Principal op = security::Principal::CliOperator(
      c.os_user.empty() ? OsUser() : c.os_user, security::Role::kOfficer);
  JISR_ASSIGN_OR_RETURN(
      ImportResult result,
      service.Import(op, format, data, options,
                     c.purpose.empty() ? "alert import" : c.purpose));
  for (const ImportProblem& p : result.problems) {
    std::fprintf(stderr, "%s:%s\n", c.file.c_str(),
                 FormatImportProblem(p).c_str());
  }
  if (!result.imported) {
    return absl::InvalidArgumentError(
        fmt::format("{} bad record(s) in {}: nothing imported (--skip-invalid "
                    "imports the good ones)",
                    result.problems.size(), c.file));
  }
  std::fprintf(
      stderr,
      "jisr: %zu draft alert(s) created, %zu already imported, %zu skipped\n",
      result.created.size(), result.unchanged.size(), result.problems.size());
  return absl::OkStatus();
}

absl::Status RunAlertExport(const AlertExportCommand& c) {
  JISR_ASSIGN_OR_RETURN(AlertFormat format, Format(c.format, true));
  std::optional<AlertStatus> status;
  if (!c.status.empty()) {
    status = StatusFromName(c.status);
    if (!status) {
      return InvalidField("status",
                          fmt::format("--status must be one of: {}",
                                      fmt::join(StatusNames(), ", ")));
    }
  }
  JISR_ASSIGN_OR_RETURN(std::unique_ptr<node::Node> n,
                        node::Node::Open(c.data, SystemClock::Instance()));
  AlertService service(n->db(), n->audit(), n->clock(), nullptr,
                       ServiceOptions(*n));
  const security::Principal op = security::Principal::CliOperator(
      c.os_user.empty() ? OsUser() : c.os_user, security::Role::kSupervisor);
  JISR_ASSIGN_OR_RETURN(
      std::vector<Alert> alerts,
      service.Export(op, status,
                     c.purpose.empty() ? "alert export" : c.purpose));
  JISR_ASSIGN_OR_RETURN(std::string text, ExportAlerts(format, alerts));
  if (c.file == "-") {
    std::cout << text;
    std::cout.flush();
    if (!std::cout)
      return absl::UnavailableError("cannot write to standard output");
  } else {
    // Written to a temporary file first: a failed export leaves no file.
    const std::string tmp = c.file + ".partial";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
      out.flush();
      if (!out) {
        std::remove(tmp.c_str());
        return absl::UnavailableError(fmt::format("cannot write {}", tmp));
      }
    }
    if (std::rename(tmp.c_str(), c.file.c_str()) != 0) {
      std::remove(tmp.c_str());
      return absl::UnavailableError(fmt::format("cannot write {}", c.file));
    }
  }
  std::fprintf(stderr, "jisr: exported %zu alert(s)\n", alerts.size());
  return absl::OkStatus();
}

void AddAlertCommands(CLI::App& app) {
  CLI::App* alert =
      app.add_subcommand("alert", "Import and export wanted-person alerts");
  alert->require_subcommand(1);

  auto import_cmd = std::make_shared<AlertImportCommand>();
  CLI::App* import = alert->add_subcommand(
      "import",
      "Draft alerts from an INTERPOL notice JSON, FollowTheMoney or CSV file");
  import->add_option("--data", import_cmd->data, "Node directory")->required();
  import->add_option("--format", import_cmd->format, "interpol, ftm or csv")
      ->required();
  import->add_flag("--skip-invalid", import_cmd->skip_invalid,
                   "Import the good records even when some are bad");
  import->add_option("--category", import_cmd->category,
                     "Category of the drafts (default locate)");
  import->add_option("--action", import_cmd->action,
                     "Action to take (default names the source)");
  import->add_option("--handling-code", import_cmd->handling_code,
                     "H0..H3 (default H1)");
  import->add_option("--purpose", import_cmd->purpose,
                     "Why (recorded in the audit log)");
  import->add_option("file", import_cmd->file, "The file to import")
      ->required();
  import->callback([import_cmd] { Check(RunAlertImport(*import_cmd));
});

auto export_cmd = std::make_shared<AlertExportCommand>();
CLI::App* exp =
    alert->add_subcommand("export", "Write this node's alerts as FTM or CSV");
exp->add_option("--data", export_cmd->data, "Node directory")->required();
exp->add_option("--format", export_cmd->format, "ftm or csv")->required();
exp->add_option("--status", export_cmd->status, "Only alerts of this status");
exp->add_option("--purpose", export_cmd->purpose,
                "Why (recorded in the audit log)");
exp->add_option("file", export_cmd->file, "Output file (- for standard output)")
    ->required();
exp->callback([export_cmd] { Check(RunAlertExport(*export_cmd)); });
}  // namespace jisr::alerts

}  // namespace jisr::alerts
