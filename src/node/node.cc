#include "node/node.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "alerts/alert_index.h"      // alerts (src/alerts)
#include "alerts/alert_service.h"    // alerts
#include "alerts/alerts_routes.h"    // alerts
#include "alerts/demo_alerts.h"      // alerts
#include "alerts/hit_service.h"      // alerts
#include "alerts/screening_jobs.h"   // alerts
#include "alerts/screening_service.h"  // alerts
#include "api/operational_routes.h"
#include "alerts/alert_sharing.h"        // federation handlers of alerts
#include "assistance/assistance_routes.h"   // assistance (src/assistance)
#include "assistance/assistance_service.h"  // assistance
#include "assistance/assistance_sharing.h"  // federation handlers of assistance
#include "reports/reports_routes.h"  // reports (src/reports): the cooperation report
#include "groups/groups_routes.h"    // groups (src/groups)
#include "groups/groups_service.h"   // groups
#include "groups/groups_sharing.h"   // federation handlers of groups
#include "training/training_routes.h"   // training (src/training)
#include "training/training_service.h"  // training
#include "training/training_sharing.h"  // federation handlers of training
#include "events/event_service.h"   // events (src/events)
#include "events/event_sharing.h"   // events
#include "events/events_routes.h"   // events
#include "exchange/attachment_store.h"    // exchange (src/exchange)
#include "exchange/exchange_routes.h"     // exchange
#include "exchange/exchange_service.h"    // exchange
#include "exchange/exchange_sharing.h"    // federation handlers of exchange
#include "federation/federation_routes.h"
#include "federation/receiver.h"
#include "federation/sender.h"
#include "federation/store.h"
#include "federation/transport.h"
#include "api/router.h"
#include "api/routes.h"
#include "api/server.h"
#include "api/static_files.h"
#include "common/logging.h"
#include "common/status.h"
#include "db/migrations.h"

namespace jisr::node {
namespace {

namespace fs = std::filesystem;

// Writes `text` to a new file `path` with mode 0600; fails if it exists.
absl::Status WriteSecretFile(const fs::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(
        fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)));
  }
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      ::close(fd);
      return absl::UnavailableError(fmt::format("cannot write {}", path.string()));
    }
    done += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return absl::UnavailableError(fmt::format("cannot write {}", path.string()));
  return absl::OkStatus();
}

struct DemoUser {
  const char* username;
  const char* display_name;
  security::Role role;
};

// Synthetic accounts for demonstrations: no real person.
constexpr DemoUser kDemoUsers[] = {
    {"demo.supervisor", "Demo Supervisor", security::Role::kSupervisor},
    {"demo.officer", "Demo Officer", security::Role::kOfficer},
    {"demo.analyst", "Demo Analyst", security::Role::kAnalyst},
    {"demo.auditor", "Demo Auditor", security::Role::kAuditor},
};

absl::StatusOr<InitResult> DoInit(const InitOptions& options, const Clock& clock,
                                  std::vector<fs::path>* created) {
  const fs::path& dir = options.data_dir;
  const std::string url = ResolveDatabaseUrl(dir, options.database);
  if (url.starts_with("sqlite:")) {
    // Remove the store on failure only when this call creates it.
    const std::string file = url.substr(7);
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      for (const char* suffix : {"", "-wal", "-shm"}) created->push_back(file + suffix);
    }
  }
  JISR_ASSIGN_OR_RETURN(std::unique_ptr<db::Database> db, db::OpenDatabase(url));
  // A store that already holds a node (e.g. a shared PostgreSQL database) is
  // never initialised again: refused before anything is written.
  JISR_ASSIGN_OR_RETURN(const int version, db::SchemaVersion(*db));
  if (version > 0) {
    return absl::AlreadyExistsError(fmt::format(
        "the store {} already holds a jisr node (schema version {}): use an empty one, or "
        "open that node with its own directory",
        url.starts_with("sqlite:") ? url : "at --db", version));
  }
  JISR_RETURN_IF_ERROR(db::Migrate(*db));
  audit::AuditLog audit(clock);
  const security::Principal op = security::Principal::CliOperator(options.os_user);
  Agency agency = options.agency;
  agency.created_at = clock.Now();
  JISR_RETURN_IF_ERROR(db->Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
    JISR_RETURN_IF_ERROR(InsertAgency(tx, agency));
    audit::AuditEntry e;
    e.actor = op.Actor();
    e.action = "node.init";
    e.object = "agency/" + agency.code;
    e.details = fmt::format(R"({{"agency":"{}","country":"{}"}})", agency.code, agency.country);
    return audit.Append(tx, e).status();
  }));
  created->push_back(federation::IdentityDir(dir));
  JISR_RETURN_IF_ERROR(federation::CreateIdentity(dir, agency.code, clock.Now()).status());
  security::UserServiceOptions user_options;
  user_options.password = options.password;
  security::UserService users(*db, audit, clock, user_options);

  InitResult result;
  result.admin_password = security::GeneratePassword();
  JISR_RETURN_IF_ERROR(users
                           .Create(op,
                                   security::NewUser{"admin", "Administrator",
                                                     security::Role::kAdmin,
                                                     result.admin_password},
                                   "node initialisation")
                           .status());
  if (options.demo) {
    std::optional<security::Principal> demo_officer, demo_supervisor;  // alerts
    for (const DemoUser& d : kDemoUsers) {
      DemoAccount account{d.username, std::string(security::RoleName(d.role)),
                          security::GeneratePassword()};
      JISR_ASSIGN_OR_RETURN(
          security::User demo_user,
          users.Create(op, security::NewUser{d.username, d.display_name, d.role, account.password},
                       "demo data"));
      if (d.role == security::Role::kOfficer) demo_officer = demo_user.AsPrincipal();
      if (d.role == security::Role::kSupervisor) demo_supervisor = demo_user.AsPrincipal();
      result.demo.push_back(std::move(account));
    }
    // --- alerts (src/alerts): synthetic demo alerts, drafted by the demo
    // officer and approved by the demo supervisor.
    if (demo_officer && demo_supervisor) {
      JISR_RETURN_IF_ERROR(alerts::CreateDemoAlerts(*db, audit, clock, agency.code, *demo_officer,
                                                    *demo_supervisor)
                               .status());
    }
  }
  db.reset();

  created->push_back(dir / "admin-password");
  JISR_RETURN_IF_ERROR(WriteSecretFile(dir / "admin-password", result.admin_password + "\n"));
  if (!result.demo.empty()) {
    std::string text = "# Synthetic demo accounts: username role password\n";
    for (const DemoAccount& a : result.demo) {
      text += fmt::format("{} {} {}\n", a.username, a.role, a.password);
    }
    created->push_back(dir / "demo-passwords");
    JISR_RETURN_IF_ERROR(WriteSecretFile(dir / "demo-passwords", text));
  }
  NodeConfig config;
  config.database = options.database;
  if (options.listen) config.listen = *options.listen;
  if (options.federation_listen) config.federation_listen = *options.federation_listen;
  if (options.federation_url) config.federation_url = *options.federation_url;
  created->push_back(ConfigPath(dir));
  JISR_RETURN_IF_ERROR(SaveNodeConfig(dir, config));
  return result;
}

// The web interface's directory for the `web_root` setting (see
// NodeConfig), or nullopt when the node serves no web interface.
std::optional<fs::path> ResolveWebRoot(const std::string& setting, const fs::path& data_dir) {
  if (setting == "off") return std::nullopt;
  if (!setting.empty()) {
    const fs::path p(setting);
    return p.is_absolute() ? p : data_dir / p;
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  const fs::path built = (exe.parent_path() / ".." / ".." / "web" / "dist").lexically_normal();
  if (!fs::is_regular_file(built / "index.html", ec)) return std::nullopt;
  return built;
}

}  // namespace

absl::StatusOr<InitResult> InitNode(const InitOptions& options, const Clock& clock) {
  const fs::path& dir = options.data_dir;
  if (dir.empty()) return InvalidField("data", "--data names no directory");
  JISR_RETURN_IF_ERROR(ValidateAgency(options.agency));
  std::error_code ec;
  if (fs::exists(ConfigPath(dir), ec)) {
    return absl::AlreadyExistsError(
        fmt::format("{} already holds a jisr node ({} exists)", dir.string(),
                    ConfigPath(dir).string()));
  }
  if (fs::exists(dir / "admin-password", ec)) {
    return absl::AlreadyExistsError(fmt::format(
        "{} holds an admin-password file but no jisr.json: remove the directory's "
        "leftovers first",
        dir.string()));
  }
  const bool made_dir = !fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) {
    return absl::UnavailableError(
        fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  }
  if (made_dir) ::chmod(dir.c_str(), 0700);
  std::vector<fs::path> created;
  absl::StatusOr<InitResult> result = DoInit(options, clock, &created);
  if (!result.ok()) {
    if (made_dir) {
      fs::remove_all(dir, ec);
    } else {
      for (const fs::path& p : created) fs::remove_all(p, ec);
    }
  }
  return result;
}

absl::StatusOr<std::unique_ptr<Node>> Node::Open(const fs::path& data_dir, const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(NodeConfig config, LoadNodeConfig(data_dir));
  std::unique_ptr<Node> node(new Node(data_dir, config, clock));
  JISR_ASSIGN_OR_RETURN(node->db_,
                        db::OpenDatabase(ResolveDatabaseUrl(data_dir, config.database)));
  JISR_RETURN_IF_ERROR(db::Migrate(*node->db_));
  JISR_RETURN_IF_ERROR(node->db_->Run(db::TxMode::kRead, [&](db::Transaction& tx) {
    absl::StatusOr<Agency> agency = LoadAgency(tx);
    if (!agency.ok()) return agency.status();
    node->agency_ = *std::move(agency);
    return absl::OkStatus();
  }));
  absl::StatusOr<federation::NodeIdentity> identity = federation::LoadIdentity(data_dir);
  if (identity.status().code() == absl::StatusCode::kNotFound) {
    spdlog::info("creating the federation identity of {} in {}", node->agency_.code,
                 federation::IdentityDir(data_dir).string());
    identity = federation::CreateIdentity(data_dir, node->agency_.code, clock.Now());
  }
  if (!identity.ok()) return identity.status();
  node->identity_ = *std::move(identity);
  node->audit_ = std::make_unique<audit::AuditLog>(clock);
  node->users_ = std::make_unique<security::UserService>(*node->db_, *node->audit_, clock);
  security::SessionOptions session_options;
  session_options.ttl = absl::Hours(config.session_hours);
  node->sessions_ = std::make_unique<security::SessionService>(*node->db_, *node->audit_, clock,
                                                               session_options);
  return node;
}

Node::~Node() = default;

absl::Status Serve(Node& node, const ServeOptions& options) {
  const NodeConfig& config = node.config();
  LoggingOptions logging;
  logging.level = config.log_level;
  const std::string access = options.access_log.value_or(config.access_log);
  logging.access_log = access != "off";
  if (logging.access_log && !access.empty()) {
    const fs::path p(access);
    logging.access_log_path = p.is_absolute() ? p.string() : (node.data_dir() / p).string();
  }
  InitLogging(logging);

  http::ServerOptions server_options;
  JISR_RETURN_IF_ERROR(ParseListen(options.listen.value_or(config.listen), "listen",
                                   &server_options.host, &server_options.port));
  server_options.threads = static_cast<size_t>(config.http_threads);
  server_options.access_log = logging.access_log;

  metrics::Registry registry;
  http::Router router;
  db::Database& db = node.db();
  JISR_RETURN_IF_ERROR(http::AddOperationalRoutes(&router, &registry, [&db]() -> absl::Status {
    return db.Run(db::TxMode::kRead, [](db::Transaction& tx) {
      return tx.Query("SELECT 1").status();
    });
  }));
  api::ApiContext context;
  security::AuditAccess audit_access(node.db(), node.audit());
  context.audit_access = &audit_access;
  context.users = &node.users();
  context.sessions = &node.sessions();
  context.agency = AgencyToJson(node.agency());
  JISR_RETURN_IF_ERROR(api::AddApiRoutes(router, context));

  // --- alerts (src/alerts): the alerts, screening and hit services, the
  // screening index loaded from the store and kept current, and their routes.
  alerts::AlertIndex alert_index;
  alerts::AlertServiceOptions alert_options;
  alert_options.agency = node.agency().code;
  alerts::AlertService alert_service(node.db(), node.audit(), node.clock(), &alert_index,
                                     alert_options);
  JISR_RETURN_IF_ERROR(alert_service.FollowChanges());
  alerts::ScreeningService screening_service(node.db(), node.audit(), alert_index);
  alerts::HitService hit_service(node.db(), node.audit(), node.clock(), node.agency().code);
  alerts::ScreeningJobOptions job_options;
  job_options.upload_expiry = absl::Hours(config.upload_expiry_hours);
  alerts::ScreeningJobService screening_jobs(node.db(), node.audit(), node.clock(), alert_index,
                                             job_options);
  // (its worker is started in the events block below, once the campaign
  // observer is added)
  alerts::AlertRoutesContext alerts_context;
  alerts_context.sessions = &node.sessions();
  alerts_context.alerts = &alert_service;
  alerts_context.screening = &screening_service;
  alerts_context.hits = &hit_service;
  alerts_context.jobs = &screening_jobs;
  JISR_RETURN_IF_ERROR(alerts::AddAlertRoutes(router, alerts_context));
  // --- end alerts

  // --- assistance (src/assistance): mutual-assistance requests with their
  // legal deadlines, and their routes (the federation handlers are
  // registered with the receiver below; the reminders run in housekeeping).
  assistance::AssistanceService assistance_service(node.db(), node.audit(), node.clock(),
                                                   assistance::AssistanceOptions{node.agency().code});
  assistance::AssistanceRoutesContext assistance_context;
  assistance_context.sessions = &node.sessions();
  assistance_context.assistance = &assistance_service;
  JISR_RETURN_IF_ERROR(assistance::AddAssistanceRoutes(router, assistance_context));
  // --- end assistance

  // --- reports (src/reports): the cooperation report per partner agency,
  // composed from the modules' read-only figures (no table of its own).
  reports::ReportService report_service(node.db(), node.audit(), node.clock(),
                                        reports::ReportOptions{node.agency().code});
  reports::ReportRoutesContext reports_context;
  reports_context.sessions = &node.sessions();
  reports_context.reports = &report_service;
  JISR_RETURN_IF_ERROR(reports::AddReportRoutes(router, reports_context));
  // --- end reports

  // --- groups (src/groups): working groups, the joint action plan with its
  // road map, joint operations, and their routes (the federation handlers
  // are registered with the receiver below).
  groups::GroupsService groups_service(node.db(), node.audit(), node.clock(),
                                       groups::GroupsOptions{node.agency().code});
  groups::GroupsRoutesContext groups_context;
  groups_context.sessions = &node.sessions();
  groups_context.groups = &groups_service;
  JISR_RETURN_IF_ERROR(groups::AddGroupsRoutes(router, groups_context));
  // --- end groups

  // --- training (src/training): programmes, sessions, enrolments and the
  // technical-assistance catalogue, and their routes (the federation
  // handlers are registered with the receiver below).
  training::TrainingService training_service(node.db(), node.audit(), node.clock(),
                                             training::TrainingOptions{node.agency().code});
  training::TrainingRoutesContext training_context;
  training_context.sessions = &node.sessions();
  training_context.training = &training_service;
  JISR_RETURN_IF_ERROR(training::AddTrainingRoutes(router, training_context));
  // --- end training

  // --- events (src/events): major events, liaison-officer deployments, the
  // incident log shared with the event's agencies, and accreditation
  // campaigns run as screening jobs (the observer records each block's
  // progress and matches in the block's transaction; added before the
  // worker starts: RunPending reads the observers unsynchronised).
  events::EventService event_service(node.db(), node.audit(), node.clock(),
                                     events::EventOptions{node.agency().code}, &screening_jobs);
  screening_jobs.AddBlockObserver(
      [&event_service](db::Transaction& tx, const alerts::ScreeningJob& job, int64_t end,
                       const std::vector<alerts::BlockMatch>& matches) {
        return event_service.ObserveBlock(tx, job, end, matches);
      });
  screening_jobs.StartWorker();  // alerts' worker, after every observer is added
  events::EventRoutesContext event_context;
  event_context.sessions = &node.sessions();
  event_context.events = &event_service;
  JISR_RETURN_IF_ERROR(events::AddEventRoutes(router, event_context));
  // --- end events

  // --- exchange (src/exchange): messages between agencies, their attachments
  // in DATA/attachments and the full-text index, and their routes (the
  // federation handlers are registered with the receiver below; the
  // clean-up of stale transfers runs daily in housekeeping). Attachments
  // are uploaded as raw request bodies, so the HTTP body limit follows
  // attachment_max_bytes.
  exchange::AttachmentStore attachment_store(node.data_dir() / "attachments");
  exchange::ExchangeOptions exchange_options;
  exchange_options.agency = node.agency().code;
  exchange_options.max_attachment_bytes = config.attachment_max_bytes;
  exchange::ExchangeService exchange_service(node.db(), node.audit(), node.clock(),
                                             attachment_store, exchange_options, &node.users());
  JISR_RETURN_IF_ERROR(exchange_service.Init());
  server_options.body_limit = std::max<uint64_t>(
      server_options.body_limit, static_cast<uint64_t>(config.attachment_max_bytes) + 1);
  exchange::ExchangeRoutesContext exchange_context;
  exchange_context.sessions = &node.sessions();
  exchange_context.exchange = &exchange_service;
  JISR_RETURN_IF_ERROR(exchange::AddExchangeRoutes(router, exchange_context));
  int exchange_cleanup_round = 0;  // the clean-up runs every 144th round (daily)
  // --- end exchange

  // --- federation (src/federation): the partners' envelopes received on the
  // federation listener (mutual TLS) and applied by the modules' handlers;
  // the senders delivering this node's outbox to every partner.
  federation::Receiver receiver(node.db(), node.audit(), node.clock(),
                                federation::ReceiverOptions{node.agency().code});
  JISR_RETURN_IF_ERROR(alerts::RegisterAlertHandlers(receiver, node.agency().code, node.clock()));
  JISR_RETURN_IF_ERROR(assistance::RegisterAssistanceHandlers(receiver, node.agency().code,
                                                              node.audit(), node.clock()));
  JISR_RETURN_IF_ERROR(groups::RegisterGroupsHandlers(  // groups
      receiver, node.agency().code, node.audit(), node.clock()));
  JISR_RETURN_IF_ERROR(training::RegisterTrainingHandlers(  // training
      receiver, node.agency().code, node.audit(), node.clock()));
  JISR_RETURN_IF_ERROR(events::RegisterEventHandlers(receiver, node.agency().code,  // events
                                                     node.audit(), node.clock()));
  JISR_RETURN_IF_ERROR(exchange::RegisterExchangeHandlers(  // exchange
      receiver, exchange_service.sharing_options(), node.clock()));
  federation::PeerService peer_service(node.db(), node.audit(), node.clock(), node.agency().code);
  federation::FederationRoutesContext federation_context;
  federation_context.sessions = &node.sessions();
  federation_context.peers = &peer_service;
  federation_context.clock = &node.clock();
  JISR_RETURN_IF_ERROR(federation::AddFederationRoutes(router, federation_context));
  std::unique_ptr<federation::FederationServer> federation_server;
  const std::string federation_listen =
      options.federation_listen.value_or(config.federation_listen);
  if (federation_listen != "off") {
    federation::FederationServerOptions fo;
    JISR_RETURN_IF_ERROR(
        ParseListen(federation_listen, "federation_listen", &fo.host, &fo.port));
    federation_server = std::make_unique<federation::FederationServer>(
        fo, node.identity().tls,
        [&receiver](std::string_view fingerprint) { return receiver.IsPinned(fingerprint); },
        [&receiver](std::string_view fingerprint, std::string_view remote,
                    std::string_view reason) {
          receiver.HandshakeRejected(fingerprint, remote, reason);
        },
        [&receiver](const federation::FederationRequest& request) {
          return receiver.Handle(request);
        });
    JISR_RETURN_IF_ERROR(federation_server->Start());
    std::printf("jisr serve: %s federation on https://%s:%u\n", node.agency().code.c_str(),
                fo.host.c_str(), static_cast<unsigned>(federation_server->port()));
  }
  federation::SenderOptions sender_options;
  sender_options.agency = node.agency().code;
  sender_options.retry_max = absl::Seconds(config.federation_retry_max_seconds);
  sender_options.retry_initial = std::min(absl::Seconds(1), sender_options.retry_max);
  sender_options.lease = absl::Seconds(config.federation_lease_seconds);
  sender_options.max_refusals = config.federation_max_refusals;
  federation::Sender sender(node.db(), node.clock(), node.identity(), sender_options, &registry);
  JISR_RETURN_IF_ERROR(sender.Start());
  // --- end federation

  // The web interface last, after every API route.
  const std::optional<fs::path> web_root =
      ResolveWebRoot(options.web_root.value_or(config.web_root), node.data_dir());
  if (web_root) {
    JISR_RETURN_IF_ERROR(http::AddStaticFiles(&router, *web_root));
    spdlog::info("web interface from {}", web_root->string());
  } else {
    spdlog::info("no web interface (build it with `make web`, or set web_root)");
  }

  http::Server server(server_options, &router, &registry);
  JISR_RETURN_IF_ERROR(server.Start());
  std::printf("jisr serve: %s listening on http://%s:%u\n", node.agency().code.c_str(),
              server_options.host.c_str(), static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  spdlog::info("node {} serving on {}:{}", node.agency().code, server_options.host,
               server.port());

  // Housekeeping: purge expired sessions every ten minutes, in one process of
  // the node at a time when several serve one store (db::RunExclusive).
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  // Runs housekeeping task `name` in one process at a time; a failure is
  // logged as "<what> failed: ..." and the others still run.
  const auto exclusive = [&](std::string_view name, std::string_view what,
                             absl::FunctionRef<absl::Status()> task) {
    absl::StatusOr<bool> ran = node.db().RunExclusive(name, task);
    if (!ran.ok()) spdlog::warn("{} failed: {}", what, std::string(ran.status().message()));
  };
  std::thread housekeeping([&] {
    std::unique_lock lock(mu);
    while (!cv.wait_for(lock, std::chrono::minutes(10), [&] { return done; })) {
      lock.unlock();
      exclusive("session.purge", "session purge",
                [&] { return node.sessions().PurgeExpired().status(); });
      // --- alerts (src/alerts): review warnings and expiry.
      exclusive("alerts.reviews", "alert reviews", [&] {
        absl::StatusOr<alerts::ReviewReport> r = alert_service.RunReviews(node.clock().Now());
        if (r.ok() && (!r->warned.empty() || !r->expired.empty())) {
          spdlog::info("alert reviews: {} flagged for review, {} expired", r->warned.size(),
                       r->expired.size());
        }
        return r.status();
      });
      // --- assistance (src/assistance): deadline reminders (75 %) and overdue flags.
      exclusive("assistance.reminders", "assistance reminders", [&] {
        absl::StatusOr<assistance::ReminderReport> r =
            assistance_service.RunReminders(node.clock().Now());
        if (r.ok() && (!r->warned.empty() || !r->overdue.empty())) {
          spdlog::info("assistance deadlines: {} past 75 %, {} overdue", r->warned.size(),
                       r->overdue.size());
        }
        return r.status();
      });
      // --- exchange (src/exchange): partner chunks of transfers idle for a
      // week, and attachment files no record names, once a day.
      if (++exchange_cleanup_round % 144 == 1) {
        exclusive("exchange.cleanup", "exchange clean-up", [&] {
          absl::StatusOr<int64_t> n = exchange_service.CleanUp();
          if (n.ok() && *n > 0) spdlog::info("exchange clean-up: {} stale chunks or files removed", *n);
          return n.status();
        });
      }
      // --- events/alerts: uploads in parts abandoned (no part, no start for
      // upload_expiry_hours) are deleted with the applicants uploaded.
      exclusive("campaign.uploads", "upload expiry", [&] {
        absl::StatusOr<int64_t> n = event_service.ExpireUploads(node.clock().Now());
        if (n.ok() && *n > 0) spdlog::info("uploads in parts expired: {}", *n);
        return n.status();
      });
      // --- federation: delivered envelopes are kept a week, then deleted.
      exclusive("federation.outbox", "outbox clean-up", [&] {
        return node.db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
          return federation::PurgeDelivered(tx, node.clock().Now() - absl::Hours(24 * 7)).status();
        });
      });
      lock.lock();
    }
  });
  absl::Status status = server.RunUntilSignal();
  {
    std::lock_guard lock(mu);
    done = true;
  }
  cv.notify_all();
  housekeeping.join();
  sender.Stop();
  if (federation_server) federation_server->Stop();
  spdlog::info("node {} stopped", node.agency().code);
  ShutdownLogging();
  return status;
}

}  // namespace jisr::node
