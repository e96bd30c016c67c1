#include "alerts/screening_jobs.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/json.hpp>
#include <map>
#include <utility>

#include "alerts/alert_repository.h"
#include "alerts/json_util.h"
#include "alerts/paxlst.h"
#include "alerts/screening_service.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "screening/persons_csv.h"
#include "security/service_util.h"

namespace jisr::alerts {

using audit::AuditOutcome;
using security::Action;
using security::ActionName;
using security::Principal;
using security::internal::AuthorizeAudited;
using security::internal::MakeEntry;
using security::internal::RecordFailure;
using security::internal::SanitizeText;

namespace {

constexpr std::array<std::string_view, 2> kFormatNames = {"csv", "paxlst"};
constexpr std::array<std::string_view, 5> kStateNames = {
    "queued", "running", "done", "failed", "staging"};
// Staged rows inserted per statement (6 parameters each).
constexpr size_t kInsertBatch = 200;
constexpr int64_t kMaxResultPage = 1000;
constexpr size_t kMaxAuditedMatches = 1000;
constexpr size_t kMaxAuditedBytes = 48 * 1024;

constexpr std::string_view kJobColumns =
    "id, created_by, created_at, purpose, format, description, threshold, "
    "top_k, state, total, "
    "processed, matched, error, finished_at, parts, upload_expires_at";

std::string JobObject(std::string_view id) {
  return fmt::format("screening_job/{}", SanitizeText(id, 64));
}

absl::StatusOr<ScreeningJob> JobFromRow(const db::Row& row) {
  ScreeningJob j;
  j.id = row.GetText(0);
  j.created_by = row.GetText(1);
  j.created_at = FromUnixMillis(row.GetInt(2));
  j.purpose = row.GetText(3);
  const std::optional<JobFormat> format = JobFormatFromName(row.GetText(4));
  std::optional<JobState> state;
  for (size_t i = 0; i < kStateNames.size(); ++i) {
    if (kStateNames[i] == row.GetText(8)) state = static_cast<JobState>(i);
  }
  if (!format || !state)
    return absl::DataLossError(fmt::format("job {} is unreadable", j.id));
  j.format = *format;
  j.description = row.GetText(5);
  j.threshold = row.GetDouble(6);
  j.top_k = row.GetInt(7);
  j.state = *state;
  j.total = row.GetInt(9);
  j.processed = row.GetInt(10);
  j.matched = row.GetInt(11);
  j.error = row.GetText(12);
  if (std::optional<int64_t> f = row.GetOptionalInt(13))
    j.finished_at = FromUnixMillis(*f);
  j.parts = row.GetInt(14);
  if (std::optional<int64_t> e = row.GetOptionalInt(15))
    j.upload_expires_at = FromUnixMillis(*e);
  return j;
}

// Job `id` as stored, or nullopt. Errors: the store's; DataLoss for an
// unreadable row.
absl::StatusOr<std::optional<ScreeningJob>> JobById(db::Transaction& tx,
                                                    std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(
          fmt::format("SELECT {} FROM screening_jobs WHERE id = $1",
                      kJobColumns),
          {std::string(id)}));
  if (!row) return std::optional<ScreeningJob>();
  JISR_ASSIGN_OR_RETURN(ScreeningJob job, JobFromRow(*row));
  return std::optional<ScreeningJob>(std::move(job));
}

// Job `id` when `who` created it or is a supervisor. Errors: InvalidArgument
// naming "id" for a malformed id; NotFound; PermissionDenied with `denied`.
absl::StatusOr<ScreeningJob> FindJob(const Principal& who, std::string_view id,
                                     db::Transaction& tx,
                                     std::string_view denied) {
  if (!IsUuid(id))
    return InvalidField("id", "the job id must be a lower-case UUID");
  JISR_ASSIGN_OR_RETURN(std::optional<ScreeningJob> found, JobById(tx, id));
  if (!found)
    return absl::NotFoundError(fmt::format("no screening job with id {}", id));
  ScreeningJob job = *std::move(found);
  if (job.created_by != who.Actor() &&
      who.role != security::Role::kSupervisor) {
    return absl::PermissionDeniedError(std::string(denied));
  }
  return job;
}

struct ParsedInput {
  std::vector<screening::Person> persons;
  std::string description;
};

absl::StatusOr<ParsedInput> ParseInput(JobFormat format, std::string_view input,
                                       absl::CivilDay today,
                                       int64_t max_persons) {
  ParsedInput out;
  if (format == JobFormat::kCsv) {
    absl::StatusOr<std::vector<screening::Person>> persons =
        screening::ParsePersonsCsv(input, "input");
    if (!persons.ok()) return WithField(persons.status(), "input");
    out.persons = *std::move(persons);
    out.description = fmt::format("list of {} persons", out.persons.size());
  } else {
    absl::StatusOr<PaxlstMessage> m = ParsePaxlst(input, today);
    if (!m.ok()) return WithField(m.status(), "input");
    out.persons = PaxlstPersons(*m);
    size_t crew = 0;
    for (const PaxlstPerson& p : m->persons) crew += p.crew ? 1 : 0;
    out.description = SanitizeText(
        fmt::format("flight {} {}-{}, {} passengers, {} crew", m->flight,
                    m->departure, m->arrival, m->persons.size() - crew, crew),
        300);
  }
  if (out.persons.empty())
    return InvalidField("input", "the input lists no person");
  if (static_cast<int64_t>(out.persons.size()) > max_persons) {
    return InvalidField(
        "input",
        fmt::format("the input lists more than {} persons", max_persons));
  }
  return out;
}

ScreeningSubject SubjectOf(const screening::Person& p) {
  ScreeningSubject s;
  s.names = p.names;
  s.birth_date = p.birth_date;
  s.nationalities = p.nationalities;
  s.gender = p.gender == screening::Gender::kMale     ? Gender::kMale
             : p.gender == screening::Gender::kFemale ? Gender::kFemale
             : p.gender == screening::Gender::kOther  ? Gender::kOther
                                                      : Gender::kUnknown;
  s.documents = p.documents;
  return s;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos)
    return std::string(s);
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
  return out;
}

constexpr std::string_view kResultColumns =
    "item, rank, input_id, input_name, alert_id, score, matched_name, "
    "category, owner, action, "
    "warnings, explanation";

JobResult ResultFromRow(const db::Row& row) {
  JobResult r;
  r.item = row.GetInt(0);
  r.rank = row.GetInt(1);
  r.input_id = row.GetText(2);
  r.input_name = row.GetText(3);
  r.alert_id = row.GetText(4);
  r.score = row.GetDouble(5);
  r.matched_name = row.GetText(6);
  r.category = row.GetText(7);
  r.owner = row.GetText(8);
  r.action = row.GetText(9);
  absl::StatusOr<boost::json::value> w = ParseJson(row.GetText(10));
  if (w.ok() && w->is_array()) {
    for (const boost::json::value& v : w->get_array()) {
      if (v.is_string())
        r.warnings.emplace_back(v.get_string().data(), v.get_string().size());
    }
  }
  r.explanation = row.GetText(11);
  return r;
}

}  // namespace

std::string_view JobFormatName(JobFormat f) {
  const size_t i = static_cast<size_t>(f);
  return i < kFormatNames.size() ? kFormatNames[i] : "unknown";
}

std::optional<JobFormat> JobFormatFromName(std::string_view name) {
  for (size_t i = 0; i < kFormatNames.size(); ++i) {
    if (kFormatNames[i] == name) return static_cast<JobFormat>(i);
  }
  return std::nullopt;
}

std::string_view JobStateName(JobState s) {
  const size_t i = static_cast<size_t>(s);
  return i < kStateNames.size() ? kStateNames[i] : "unknown";
}

boost::json::object ScreeningJobToJson(const ScreeningJob& j) {
  boost::json::object o;
  o["id"] = j.id;
  o["state"] = JobStateName(j.state);
  o["format"] = JobFormatName(j.format);
  o["description"] = j.description;
  o["purpose"] = j.purpose;
  o["created_by"] = j.created_by;
  o["created_at"] = FormatRfc3339(j.created_at);
  o["finished_at"] = j.finished_at
                         ? boost::json::value(FormatRfc3339(*j.finished_at))
                         : boost::json::value(nullptr);
  o["total"] = j.total;
  o["processed"] = j.processed;
  o["matched"] = j.matched;
  o["threshold"] = j.threshold;
  o["top_k"] = j.top_k;
  o["error"] = j.error;
  o["parts"] = j.parts;
  o["upload_expires_at"] =
      j.upload_expires_at
          ? boost::json::value(FormatRfc3339(*j.upload_expires_at))
          : boost::json::value(nullptr);
  return o;
}

boost::json::object JobResultToJson(const JobResult& r) {
  boost::json::object o;
  o["item"] = r.item;
  o["rank"] = r.rank;
  o["input_id"] = r.input_id;
  o["input_name"] = r.input_name;
  o["alert_id"] = r.alert_id;
  o["score"] = r.score;
  o["matched_name"] = r.matched_name;
  o["category"] = r.category;
  o["owner"] = r.owner;
  o["action"] = r.action;
  boost::json::array warnings;
  for (const std::string& w : r.warnings) warnings.emplace_back(w);
  o["warnings"] = std::move(warnings);
  absl::StatusOr<boost::json::object> e = ParseJsonObject(r.explanation);
  o["explanation"] =
      e.ok() ? boost::json::value(*std::move(e)) : boost::json::value(nullptr);
  return o;
}

ScreeningJobService::ScreeningJobService(db::Database& db,
                                         const audit::AuditLog& audit,
                                         const Clock& clock,
                                         const AlertIndex& index,
                                         ScreeningJobOptions options)
    : db_(db), audit_(audit), clock_(clock), index_(index), options_(options) {}

ScreeningJobService::~ScreeningJobService() {
  {
    std::lock_guard lock(worker_mu_);
    stopping_ = true;
  }
  worker_cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

absl::Status ScreeningJobService::InsertJob(db::Transaction& tx,
                                            const ScreeningJob& job,
                                            std::string_view input) {
  return tx
      .Execute(
          "INSERT INTO screening_jobs (id, created_by, created_at, "
          "purpose, format, "
          "input, description, threshold, top_k, state, total, parts, "
          "upload_expires_at) "
          "VALUES ($1, $2, $3, "
          "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
          {job.id, job.created_by, ToUnixMillis(job.created_at), job.purpose,
           std::string(JobFormatName(job.format)), std::string(input),
           job.description, job.threshold, job.top_k,
           std::string(JobStateName(job.state)), job.total, job.parts,
           job.upload_expires_at
               ? db::Value(ToUnixMillis(*job.upload_expires_at))
               : db::Value(db::Null{})})
      .status();
}

absl::Status ScreeningJobService::DuplicateError(
    std::string_view job_id, std::string_view label,
    const std::vector<std::pair<std::string, int64_t>>& batch) {
  absl::Status out = absl::InternalError("a duplicate id was not found again");
  JISR_RETURN_IF_ERROR(
      db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
        for (const auto& [id, line] : batch) {
          JISR_ASSIGN_OR_RETURN(
              std::optional<db::Row> row,
              tx.QueryOptional("SELECT part, line FROM screening_job_inputs "
                               "WHERE job_id = $1 AND input_id = $2",
                               {std::string(job_id), id}));
          if (!row) continue;
          out = InvalidField(
              "input",
              fmt::format("{}:{}:1: id: duplicate id \"{}\" (first in part {} "
                          "on line {}) (line {}, column 1)",
                          label, line, SanitizeText(id, 100), row->GetInt(0),
                          row->GetInt(1), line));
          return absl::OkStatus();
        }
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<InputPart> ScreeningJobService::StoreInputPart(
    db::Transaction& tx, ScreeningJob& job, std::string_view csv,
    std::string source,
    std::vector<std::pair<std::string, int64_t>>* conflict) {
  InputPart part;
  part.part = job.parts + 1;
  part.first_item = job.total;
  struct Pending {
    std::string id;
    int64_t line;
    std::string record;
  };
  std::vector<Pending> batch;
  batch.reserve(kInsertBatch);
  const std::string label = source;
  // Writes the batch. An id stored by an earlier part violates the unique
  // index (job_id, input_id): the batch is kept in *conflict so that the
  // caller, once the transaction is rolled back, names the id and where it
  // was first (DuplicateError). No lookup per row: a million rows stay
  // cheap on both stores.
  auto flush = [&]() -> absl::Status {
    if (batch.empty()) return absl::OkStatus();
    std::vector<db::Value> params;
    if (conflict != nullptr) {
      conflict->clear();
      for (const Pending& p : batch) conflict->emplace_back(p.id, p.line);
    }
    std::string values;
    for (size_t i = 0; i < batch.size(); ++i) {
      const size_t b = i * 6;
      if (i > 0) values += ", ";
      values += fmt::format("(${}, ${}, ${}, ${}, ${}, ${})", b + 1, b + 2,
                            b + 3, b + 4, b + 5, b + 6);
      params.emplace_back(job.id);
      params.emplace_back(part.first_item + part.added -
                          static_cast<int64_t>(batch.size()) +
                          static_cast<int64_t>(i));
      params.emplace_back(std::move(batch[i].id));
      params.emplace_back(part.part);
      params.emplace_back(batch[i].line);
      params.emplace_back(std::move(batch[i].record));
    }
    batch.clear();
    JISR_RETURN_IF_ERROR(
        tx.Execute(fmt::format("INSERT INTO screening_job_inputs (job_id, "
                               "item, input_id, part, line, record) VALUES {}",
                               values),
                   params)
            .status());
    if (conflict != nullptr) conflict->clear();
    return absl::OkStatus();
  };
  absl::Status read = screening::ForEachPerson(
      csv, std::move(source),
      [&](screening::Person&& p, size_t line) -> absl::Status {
        if (job.total + part.added >= options_.max_persons) {
          return InvalidField(
              "input", fmt::format("the input lists more than {} persons",
                                   options_.max_persons));
        }
        ++part.added;
        batch.push_back(Pending{p.id, static_cast<int64_t>(line),
                                screening::FormatPersonsCsvRecord(p)});
        if (batch.size() == kInsertBatch) return flush();
        return absl::OkStatus();
      });
  if (read.ok()) read = flush();
  if (absl::IsAlreadyExists(read)) return read;  // see DuplicateError
  if (!read.ok()) return WithField(read, "input");
  if (part.added == 0) {
    return InvalidField("input", part.part == 1 && label == "input"
                                     ? "the input lists no person"
                                     : "the part lists no person");
  }
  job.parts = part.part;
  job.total += part.added;
  part.total = job.total;
  JISR_RETURN_IF_ERROR(
      tx.Execute("UPDATE screening_jobs SET parts = $1, total = $2 WHERE id = "
                 "$3",
                 {job.parts, job.total, job.id})
          .status());
  return part;
}

absl::StatusOr<ScreeningJob> ScreeningJobService::Submit(
    const Principal& who, std::string_view input, const SubmitOptions& options,
    std::string_view purpose) {
  const Action action = Action::kScreenBatch;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "screening_job", purpose));
  JISR_RETURN_IF_ERROR(security::internal::RequireStatedPurpose(
      purpose, "a purpose is required to screen a list"));
  ScreeningJob job;
  absl::Status status = [&]() -> absl::Status {
    const double threshold = options.threshold.value_or(DefaultThreshold());
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
      return InvalidField("threshold",
                          "threshold must be a number from 0 to 1");
    }
    if (options.top_k < 1 || options.top_k > static_cast<int64_t>(kMaxTopK)) {
      return InvalidField(
          "top_k",
          fmt::format("top_k must be an integer from 1 to {}", kMaxTopK));
    }
    const absl::Time now = TruncateToMillis(clock_.Now());
    // A PAXLST message (one flight) is checked whole and stored as it is.
    std::optional<ParsedInput> parsed;
    if (options.format != JobFormat::kCsv) {
      JISR_ASSIGN_OR_RETURN(
          parsed,
          ParseInput(options.format, input, UtcDay(now), options_.max_persons));
    }
    job.id = NewUuidV7(now);
    job.created_by = who.Actor();
    job.created_at = now;
    job.purpose = std::string(purpose);
    job.format = options.format;
    job.threshold = threshold;
    job.top_k = options.top_k;
    job.state = JobState::kQueued;
    if (parsed) {
      job.description = parsed->description;
      job.total = static_cast<int64_t>(parsed->persons.size());
      parsed.reset();
    }
    std::vector<std::pair<std::string, int64_t>> conflict;
    absl::Status stored =
        db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          if (options.format == JobFormat::kCsv) {
            // A CSV list is checked and stored row by row, as part 1.
            job.total = 0;
            job.parts = 0;
            JISR_RETURN_IF_ERROR(InsertJob(tx, job, ""));
            JISR_RETURN_IF_ERROR(
                StoreInputPart(tx, job, input, "input", &conflict).status());
            job.description = fmt::format("list of {} persons", job.total);
            JISR_RETURN_IF_ERROR(
                tx.Execute("UPDATE screening_jobs SET description = $1 WHERE "
                           "id = $2",
                           {job.description, job.id})
                    .status());
          } else {
            JISR_RETURN_IF_ERROR(InsertJob(tx, job, input));
          }
          boost::json::object details;
          details["event"] = "submitted";
          details["format"] = JobFormatName(job.format);
          details["description"] = job.description;
          details["total"] = job.total;
          details["threshold"] = job.threshold;
          if (options.in_transaction) {
            JISR_RETURN_IF_ERROR(options.in_transaction(tx, job));
          }
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action),
                                    JobObject(job.id), purpose,
                                    AuditOutcome::kSuccess, details))
              .status();
        });
    if (absl::IsAlreadyExists(stored) && !conflict.empty())
      return DuplicateError(job.id, "input", conflict);
    return stored;
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), "screening_job",
                         purpose, status);
  }
  {
    std::lock_guard lock(worker_mu_);
    wake_ = true;
  }
  worker_cv_.notify_all();
  return job;
}

absl::StatusOr<ScreeningJob> ScreeningJobService::CreateStaged(
    const Principal& who, const SubmitOptions& options,
    std::string_view purpose) {
  const Action action = Action::kScreenBatch;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "screening_job", purpose));
  JISR_RETURN_IF_ERROR(security::internal::RequireStatedPurpose(
      purpose, "a purpose is required to screen a list"));
  ScreeningJob job;
  absl::Status status = [&]() -> absl::Status {
    if (options.format != JobFormat::kCsv)
      return InvalidField("format", "only a CSV list is uploaded in parts");
    const double threshold = options.threshold.value_or(DefaultThreshold());
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
      return InvalidField("threshold",
                          "threshold must be a number from 0 to 1");
    }
    if (options.top_k < 1 || options.top_k > static_cast<int64_t>(kMaxTopK)) {
      return InvalidField(
          "top_k",
          fmt::format("top_k must be an integer from 1 to {}", kMaxTopK));
    }
    const absl::Time now = TruncateToMillis(clock_.Now());
    job.id = NewUuidV7(now);
    job.created_by = who.Actor();
    job.created_at = now;
    job.purpose = std::string(purpose);
    job.format = JobFormat::kCsv;
    job.description = "list uploaded in parts";
    job.threshold = threshold;
    job.top_k = options.top_k;
    job.state = JobState::kStaging;
    job.upload_expires_at = now + options_.upload_expiry;
    return db_.Run(db::TxMode::kWrite,
                   [&](db::Transaction& tx) -> absl::Status {
                     JISR_RETURN_IF_ERROR(InsertJob(tx, job, ""));
                     if (options.in_transaction) {
                       JISR_RETURN_IF_ERROR(options.in_transaction(tx, job));
                     }
                     boost::json::object details;
                     details["event"] = "created";
                     details["format"] = JobFormatName(job.format);
                     details["threshold"] = job.threshold;
                     return audit_
                         .Append(tx, MakeEntry(who.Actor(), ActionName(action),
                                               JobObject(job.id), purpose,
                                               AuditOutcome::kSuccess, details))
                         .status();
                   });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), "screening_job",
                         purpose, status);
  }
  return job;
}

absl::StatusOr<ScreeningJob> ScreeningJobService::LoadOwned(
    const Principal& who, std::string_view id, db::Transaction& tx) {
  return FindJob(who, id, tx,
                 "a screening job is changed by the user who created it and "
                 "by supervisors");
}

absl::StatusOr<InputPart> ScreeningJobService::AppendInput(
    const Principal& who, std::string_view id, std::string_view csv,
    std::string_view purpose,
    const std::function<absl::Status(db::Transaction&, const InputPart&)>&
        in_transaction) {
  const Action action = Action::kScreenBatch;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, JobObject(id), purpose));
  JISR_RETURN_IF_ERROR(security::internal::RequireStatedPurpose(
      purpose, "a purpose is required to screen a list"));
  InputPart out;
  std::vector<std::pair<std::string, int64_t>> conflict;
  std::string label;
  absl::Status status =
      db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(ScreeningJob job, LoadOwned(who, id, tx));
        if (job.state != JobState::kStaging) {
          return absl::FailedPreconditionError(
              fmt::format("job {} is {}: parts are added before it starts",
                          job.id, JobStateName(job.state)));
        }
        JISR_RETURN_IF_ERROR(CheckNotExpired(job));
        label = fmt::format("part {}", job.parts + 1);
        JISR_ASSIGN_OR_RETURN(out,
                              StoreInputPart(tx, job, csv, label, &conflict));
        // Every part moves the upload's expiry forward.
        out.expires_at =
            TruncateToMillis(clock_.Now()) + options_.upload_expiry;
        JISR_RETURN_IF_ERROR(
            tx.Execute("UPDATE screening_jobs SET upload_expires_at = $1 "
                       "WHERE id = $2",
                       {ToUnixMillis(out.expires_at), job.id})
                .status());
        if (in_transaction) JISR_RETURN_IF_ERROR(in_transaction(tx, out));
        boost::json::object details;
        details["event"] = "part";
        details["part"] = out.part;
        details["added"] = out.added;
        details["total"] = out.total;
        return audit_
            .Append(tx, MakeEntry(who.Actor(), ActionName(action),
                                  JobObject(job.id), purpose,
                                  AuditOutcome::kSuccess, details))
            .status();
      });
  if (absl::IsAlreadyExists(status) && !conflict.empty())
    status = DuplicateError(id, label, conflict);
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), JobObject(id),
                         purpose, status);
  }
  return out;
}

absl::StatusOr<ScreeningJob> ScreeningJobService::Start(
    const Principal& who, std::string_view id, std::string_view purpose,
    const std::function<absl::Status(db::Transaction&, const ScreeningJob&)>&
        in_transaction) {
  const Action action = Action::kScreenBatch;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, JobObject(id), purpose));
  ScreeningJob out;
  absl::Status status =
      db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(out, LoadOwned(who, id, tx));
        if (out.state != JobState::kStaging) {
          return absl::FailedPreconditionError(fmt::format(
              "job {} is {} already", out.id, JobStateName(out.state)));
        }
        if (out.total == 0) {
          return absl::FailedPreconditionError(
              fmt::format("job {} has no person: add a part first", out.id));
        }
        JISR_RETURN_IF_ERROR(CheckNotExpired(out));
        out.state = JobState::kQueued;
        out.upload_expires_at.reset();
        out.description =
            fmt::format("list of {} persons in {} parts", out.total, out.parts);
        JISR_RETURN_IF_ERROR(
            tx.Execute("UPDATE screening_jobs SET state = 'queued', "
                       "description = $1, upload_expires_at = NULL "
                       "WHERE id = $2 AND state = 'staging'",
                       {out.description, out.id})
                .status());
        if (in_transaction) JISR_RETURN_IF_ERROR(in_transaction(tx, out));
        boost::json::object details;
        details["event"] = "submitted";
        details["format"] = JobFormatName(out.format);
        details["description"] = out.description;
        details["total"] = out.total;
        details["parts"] = out.parts;
        details["threshold"] = out.threshold;
        return audit_
            .Append(tx, MakeEntry(who.Actor(), ActionName(action),
                                  JobObject(out.id), purpose,
                                  AuditOutcome::kSuccess, details))
            .status();
      });
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), JobObject(id),
                         purpose, status);
  }
  {
    std::lock_guard lock(worker_mu_);
    wake_ = true;
  }
  worker_cv_.notify_all();
  return out;
}

absl::Status ScreeningJobService::Discard(
    const Principal& who, std::string_view id, std::string_view purpose,
    const std::function<absl::Status(db::Transaction&, const ScreeningJob&)>&
        in_transaction) {
  const Action action = Action::kScreenBatch;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, JobObject(id), purpose));
  absl::Status status =
      db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(ScreeningJob job, LoadOwned(who, id, tx));
        if (job.state != JobState::kStaging) {
          return absl::FailedPreconditionError(
              fmt::format("job {} is {}: only a job not started is discarded",
                          job.id, JobStateName(job.state)));
        }
        JISR_ASSIGN_OR_RETURN(
            boost::json::object details,
            DeleteStaged(tx, job, "discarded", in_transaction));
        return audit_
            .Append(tx, MakeEntry(who.Actor(), ActionName(action),
                                  JobObject(job.id), purpose,
                                  AuditOutcome::kSuccess, details))
            .status();
      });
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), JobObject(id),
                         purpose, status);
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ScreeningJobService::ExpireStaged(
    absl::Time now,
    const std::function<absl::Status(db::Transaction&, const ScreeningJob&)>&
        in_transaction) {
  const int64_t now_ms = ToUnixMillis(now);
  std::vector<std::string> ids;
  JISR_RETURN_IF_ERROR(
      db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(
            std::vector<db::Row> rows,
            tx.Query("SELECT id FROM screening_jobs WHERE state = 'staging' "
                     "AND upload_expires_at <= $1 ORDER BY id",
                     {now_ms}));
        for (const db::Row& r : rows) ids.push_back(r.GetText(0));
        return absl::OkStatus();
      }));
  int64_t expired = 0;
  absl::Status first_error;
  for (const std::string& id : ids) {
    bool deleted_job = false;
    // One job that cannot be deleted (a damaged row) does not keep the
    // others' personal data: its error is returned after the loop.
    absl::Status status =
        db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          deleted_job = false;
          JISR_ASSIGN_OR_RETURN(std::optional<ScreeningJob> found,
                                JobById(tx, id));
          if (!found) return absl::OkStatus();  // discarded meanwhile
          const ScreeningJob& job = *found;
          // A part or the start since the query: kept.
          if (job.state != JobState::kStaging || !job.upload_expires_at ||
              *job.upload_expires_at > now) {
            return absl::OkStatus();
          }
          JISR_ASSIGN_OR_RETURN(
              boost::json::object details,
              DeleteStaged(tx, job, "expired", in_transaction));
          details["created_by"] = job.created_by;
          details["expired_at"] = FormatRfc3339(*job.upload_expires_at);
          JISR_RETURN_IF_ERROR(
              audit_
                  .Append(tx, MakeEntry(Principal::System().Actor(),
                                        ActionName(Action::kScreenBatch),
                                        JobObject(job.id), kUploadExpiryPurpose,
                                        AuditOutcome::kSuccess, details))
                  .status());
          deleted_job = true;
          return absl::OkStatus();
        });
    if (!status.ok() && first_error.ok()) {
      first_error = absl::Status(
          status.code(), fmt::format("expiring job {}: {}", id, std::string(status.message())));
    }
    if (status.ok() && deleted_job) ++expired;
  }
  if (!first_error.ok()) return first_error;
  return expired;
}

absl::Status ScreeningJobService::CheckNotExpired(const ScreeningJob& job) const {
  if (job.upload_expires_at && *job.upload_expires_at <= clock_.Now()) {
    return absl::FailedPreconditionError(fmt::format(
        "the upload of job {} expired at {}: it is deleted with its persons "
        "(start again with a new upload)",
        job.id, FormatRfc3339(*job.upload_expires_at)));
  }
  return absl::OkStatus();
}

absl::StatusOr<boost::json::object> ScreeningJobService::DeleteStaged(
    db::Transaction& tx, const ScreeningJob& job, std::string_view event,
    const std::function<absl::Status(db::Transaction&, const ScreeningJob&)>&
        in_transaction) {
  if (in_transaction) JISR_RETURN_IF_ERROR(in_transaction(tx, job));
  JISR_ASSIGN_OR_RETURN(
      int64_t deleted,
      tx.Execute("DELETE FROM screening_job_inputs WHERE job_id = $1",
                 {job.id}));
  JISR_RETURN_IF_ERROR(
      tx.Execute("DELETE FROM screening_jobs WHERE id = $1 AND state = "
                 "'staging'",
                 {job.id})
          .status());
  boost::json::object details;
  details["event"] = event;
  details["deleted"] = deleted;
  details["parts"] = job.parts;
  return details;
}

absl::StatusOr<ScreeningJob> ScreeningJobService::Load(const Principal& who,
                                                       std::string_view id,
                                                       std::string_view purpose,
                                                       std::string_view what,
                                                       db::Transaction& tx) {
  JISR_ASSIGN_OR_RETURN(
      ScreeningJob job,
      FindJob(who, id, tx,
              "a screening job is readable by the user who submitted it and "
              "by supervisors"));
  boost::json::object details;
  details["event"] = what;
  JISR_RETURN_IF_ERROR(
      audit_
          .Append(tx, MakeEntry(who.Actor(), ActionName(Action::kScreenBatch),
                                JobObject(id), purpose, AuditOutcome::kSuccess,
                                details))
          .status());
  return job;
}

absl::StatusOr<ScreeningJob> ScreeningJobService::Get(
    const Principal& who, std::string_view id, std::string_view purpose) {
  const Action action = Action::kScreenBatch;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, JobObject(id), purpose));
  ScreeningJob job;
  absl::Status status =
      db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(job, Load(who, id, purpose, "read", tx));
        return absl::OkStatus();
      });
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), JobObject(id),
                         purpose, status);
  }
  return job;
}

absl::StatusOr<JobResultPage> ScreeningJobService::Results(
    const Principal& who, std::string_view id, int64_t page, int64_t page_size,
    std::string_view purpose) {
  const Action action = Action::kScreenBatch;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, JobObject(id), purpose));
  JobResultPage out;
  absl::Status status = [&]() -> absl::Status {
    if (page < 1 || page > 1000000)
      return InvalidField("page", "page must be from 1 to 1000000");
    if (page_size < 1 || page_size > kMaxResultPage) {
      return InvalidField(
          "page_size",
          fmt::format("page_size must be from 1 to {}", kMaxResultPage));
    }
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_RETURN_IF_ERROR(Load(who, id, purpose, "results", tx).status());
          out = JobResultPage();
          out.page = page;
          out.page_size = page_size;
          JISR_ASSIGN_OR_RETURN(
              std::vector<db::Row> count,
              tx.Query("SELECT COUNT(*) FROM screening_job_results WHERE "
                       "job_id = $1",
                       {std::string(id)}));
          out.total = count.empty() ? 0 : count[0].GetInt(0);
          JISR_ASSIGN_OR_RETURN(
              std::vector<db::Row> rows,
              tx.Query(fmt::format("SELECT {} FROM screening_job_results WHERE "
                                   "job_id = $1 ORDER BY "
                                   "item, rank LIMIT $2 OFFSET $3",
                                   kResultColumns),
                       {std::string(id), page_size, (page - 1) * page_size}));
          for (const db::Row& row : rows)
            out.results.push_back(ResultFromRow(row));
          return absl::OkStatus();
        });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), JobObject(id),
                         purpose, status);
  }
  return out;
}

absl::StatusOr<std::string> ScreeningJobService::ResultsCsv(
    const Principal& who, std::string_view id, std::string_view purpose) {
  const Action action = Action::kScreenBatch;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, JobObject(id), purpose));
  std::string csv =
      "job_id,item,input_id,input_name,alert_id,score,matched_name,category,"
      "owner,action,"
      "warnings\n";
  absl::Status status =
      db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        JISR_RETURN_IF_ERROR(
            Load(who, id, purpose, "results_csv", tx).status());
        JISR_ASSIGN_OR_RETURN(
            std::vector<db::Row> rows,
            tx.Query(fmt::format("SELECT {} FROM screening_job_results WHERE "
                                 "job_id = $1 ORDER BY "
                                 "item, rank",
                                 kResultColumns),
                     {std::string(id)}));
        for (const db::Row& row : rows) {
          const JobResult r = ResultFromRow(row);
          csv += fmt::format("{},{},{},{},{},{:.4f},{},{},{},{},{}\n", id,
                             r.item, CsvField(r.input_id),
                             CsvField(r.input_name), r.alert_id, r.score,
                             CsvField(r.matched_name), r.category, r.owner,
                             CsvField(r.action), fmt::join(r.warnings, "|"));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), JobObject(id),
                         purpose, status);
  }
  return csv;
}

absl::StatusOr<std::optional<ScreeningJob>> ScreeningJobService::Claim() {
  std::optional<ScreeningJob> claimed;
  JISR_RETURN_IF_ERROR(
      db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        claimed.reset();
        const int64_t now = ToUnixMillis(clock_.Now());
        const int64_t stale = ToUnixMillis(clock_.Now() - options_.stale_after);
        JISR_ASSIGN_OR_RETURN(
            std::optional<db::Row> row,
            tx.QueryOptional(
                fmt::format(
                    "SELECT {} FROM screening_jobs WHERE state = 'queued' OR "
                    "(state = 'running' AND heartbeat_at < $1) ORDER BY "
                    "created_at, id LIMIT 1",
                    kJobColumns),
                {stale}));
        if (!row) return absl::OkStatus();
        JISR_ASSIGN_OR_RETURN(ScreeningJob job, JobFromRow(*row));
        JISR_ASSIGN_OR_RETURN(int64_t n,
                              tx.Execute("UPDATE screening_jobs SET state = "
                                         "'running', heartbeat_at = $1 "
                                         "WHERE id = $2",
                                         {now, job.id}));
        if (n == 1) {
          job.state = JobState::kRunning;
          claimed = std::move(job);
        }
        return absl::OkStatus();
      }));
  return claimed;
}

absl::StatusOr<int> ScreeningJobService::RunPending(int max_jobs) {
  int finished = 0;
  while (finished < max_jobs) {
    {
      std::lock_guard lock(worker_mu_);
      if (stopping_) break;
    }
    JISR_ASSIGN_OR_RETURN(std::optional<ScreeningJob> job, Claim());
    if (!job) break;
    std::string input;
    JISR_RETURN_IF_ERROR(
        db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(
              std::optional<db::Row> row,
              tx.QueryOptional("SELECT input FROM screening_jobs WHERE id = $1",
                               {job->id}));
          if (!row) return absl::NotFoundError("the job disappeared");
          input = row->GetText(0);
          return absl::OkStatus();
        }));
    JISR_RETURN_IF_ERROR(RunJob(*std::move(job), input));
    ++finished;
  }
  return finished;
}

absl::Status ScreeningJobService::RunJob(ScreeningJob job,
                                         const std::string& input) {
  // The input was checked when stored: only a changed parser or a damaged
  // store gets here. The job fails with the reason and its persons, staged
  // or submitted whole (personal data no longer needed), are deleted with it.
  auto fail = [&](const absl::Status& why) {
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          // Only a job still running: another worker that took it over
          // may have finished it (and deleted what this one failed to read).
          JISR_ASSIGN_OR_RETURN(
              int64_t n,
              tx.Execute(
                    "UPDATE screening_jobs SET state = 'failed', error = $1, "
                    "finished_at = $2, input = '' "
                    "WHERE id = $3 AND state = 'running'",
                    {SanitizeText(FromAbsl(why.message()), 500),
                     ToUnixMillis(clock_.Now()), job.id}));
          if (n != 1) return absl::OkStatus();
          return tx
              .Execute("DELETE FROM screening_job_inputs WHERE job_id = $1",
                       {job.id})
              .status();
        });
  };
  // A staged CSV job (parts > 0) is read block by block from
  // screening_job_inputs; an older job or a PAXLST message is parsed whole.
  std::optional<ParsedInput> whole;
  int64_t total = job.total;
  if (job.parts == 0) {
    absl::StatusOr<ParsedInput> parsed = ParseInput(
        job.format, input, UtcDay(job.created_at), options_.max_persons);
    if (!parsed.ok()) return fail(parsed.status());
    whole = *std::move(parsed);
    total = static_cast<int64_t>(whole->persons.size());
  }
  auto load =
      [&](int64_t begin,
          int64_t end) -> absl::StatusOr<std::vector<screening::Person>> {
    if (whole) {
      return std::vector<screening::Person>(whole->persons.begin() + begin,
                                            whole->persons.begin() + end);
    }
    std::string text(screening::kPersonsCsvHeader);
    text.push_back('\n');
    JISR_RETURN_IF_ERROR(
        db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
          text.resize(screening::kPersonsCsvHeader.size() + 1);
          JISR_ASSIGN_OR_RETURN(
              std::vector<db::Row> rows,
              tx.Query("SELECT record FROM screening_job_inputs WHERE job_id "
                       "= $1 AND item >= $2 AND item < $3 ORDER BY item",
                       {job.id, begin, end}));
          if (static_cast<int64_t>(rows.size()) != end - begin) {
            return absl::DataLossError(
                fmt::format("the staged input of job {} lacks persons {} to {}",
                            job.id, begin, end - 1));
          }
          for (const db::Row& row : rows) {
            text += row.GetText(0);
            text.push_back('\n');
          }
          return absl::OkStatus();
        }));
    return screening::ParsePersonsCsv(text, "staged input");
  };
  std::map<std::string, std::optional<Alert>>
      alerts;  // alert cache for this job
  int64_t processed = job.processed;
  while (processed < total) {
    {
      std::lock_guard lock(worker_mu_);
      if (stopping_) {
        // Hand the job back: the next start resumes it at once.
        return db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
          return tx
              .Execute(
                  "UPDATE screening_jobs SET state = 'queued' WHERE id = $1 "
                  "AND "
                  "state = 'running' AND processed = $2",
                  {job.id, processed})
              .status();
        });
      }
    }
    const int64_t end = std::min<int64_t>(processed + options_.block, total);
    absl::StatusOr<std::vector<screening::Person>> persons =
        load(processed, end);
    if (absl::IsDataLoss(persons.status()) ||
        absl::IsInvalidArgument(persons.status())) {
      return fail(persons.status());
    }
    JISR_RETURN_IF_ERROR(persons.status());
    std::vector<std::vector<IndexMatch>> found;
    for (int64_t i = processed; i < end; ++i) {
      absl::StatusOr<std::vector<IndexMatch>> m = index_.Screen(
          SubjectOf((*persons)[static_cast<size_t>(i - processed)]),
          job.threshold, static_cast<size_t>(job.top_k) + 10);
      found.push_back(m.ok() ? *std::move(m) : std::vector<IndexMatch>());
    }
    bool lost = false;
    absl::Status block =
        db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          lost = false;
          // Claim the block first: when another worker took the job over, write
          // nothing.
          JISR_ASSIGN_OR_RETURN(
              int64_t n,
              tx.Execute("UPDATE screening_jobs SET processed = $1, "
                         "heartbeat_at = $2 WHERE id = $3 "
                         "AND processed = $4 AND state = 'running'",
                         {end, ToUnixMillis(clock_.Now()), job.id, processed}));
          if (n != 1) {
            lost = true;
            return absl::FailedPreconditionError(
                "another worker runs this job");
          }
          int64_t matched = 0;
          std::vector<BlockMatch> block_matches;
          for (int64_t i = processed; i < end; ++i) {
            const screening::Person& p =
                (*persons)[static_cast<size_t>(i - processed)];
            int64_t rank = 0;
            for (const IndexMatch& m :
                 found[static_cast<size_t>(i - processed)]) {
              if (rank == job.top_k) break;
              auto it = alerts.find(m.alert_id);
              if (it == alerts.end()) {
                JISR_ASSIGN_OR_RETURN(std::optional<Alert> a,
                                      GetAlert(tx, m.alert_id));
                it = alerts.emplace(m.alert_id, std::move(a)).first;
              }
              if (!it->second || it->second->status != AlertStatus::kActive)
                continue;
              const Alert& a = *it->second;
              boost::json::array warnings;
              for (WarningFlag w : a.content.warnings)
                warnings.emplace_back(WarningName(w));
              JISR_RETURN_IF_ERROR(
                  tx.Execute("INSERT INTO screening_job_results (job_id, item, "
                             "rank, input_id, "
                             "input_name, alert_id, score, matched_name, "
                             "category, owner, action, "
                             "warnings, explanation) VALUES ($1, $2, $3, $4, "
                             "$5, $6, $7, $8, $9, "
                             "$10, $11, $12, $13)",
                             {job.id, i, rank, p.id, m.query_name, a.id,
                              m.score, m.matched_name,
                              std::string(CategoryName(a.content.category)),
                              a.owner, a.content.action, ToJson(warnings),
                              ToJson(m.explanation)})
                      .status());
              if (rank == 0 && !observers_.empty()) {
                BlockMatch bm;
                bm.item = i;
                bm.input_id = p.id;
                bm.input_name = m.query_name;
                bm.alert_id = a.id;
                bm.score = m.score;
                block_matches.push_back(std::move(bm));
              }
              ++rank;
            }
            if (rank > 0) ++matched;
            if (rank > 0 && !observers_.empty()) {
              block_matches.back().matches = rank;
            }
          }
          for (const JobBlockObserver& observer : observers_) {
            JISR_RETURN_IF_ERROR(observer(tx, job, end, block_matches));
          }
          return tx
              .Execute(
                  "UPDATE screening_jobs SET matched = matched + $1 WHERE id = "
                  "$2",
                  {matched, job.id})
              .status();
        });
    if (lost) return absl::OkStatus();
    JISR_RETURN_IF_ERROR(block);
    processed = end;
  }
  // Done: the audit entry of the completion names what came back.
  return db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
    const int64_t now = ToUnixMillis(clock_.Now());
    JISR_ASSIGN_OR_RETURN(
        int64_t n,
        tx.Execute(
            "UPDATE screening_jobs SET state = 'done', finished_at = $1, "
            "heartbeat_at = $1, input = '' WHERE id = $2 AND state = "
            "'running' AND processed = total",
            {now, job.id}));
    if (n != 1) return absl::OkStatus();
    // The persons submitted (the file as it came: a flight's passengers, an
    // event's applicants) are no longer needed, nor are the staged ones:
    // the results name those with a match; the others are not kept.
    JISR_RETURN_IF_ERROR(
        tx.Execute("DELETE FROM screening_job_inputs WHERE job_id = $1",
                   {job.id})
            .status());
    JISR_ASSIGN_OR_RETURN(
        std::vector<db::Row> rows,
        tx.Query("SELECT item, input_id, alert_id, score FROM "
                 "screening_job_results WHERE "
                 "job_id = $1 AND rank = 0 ORDER BY item LIMIT $2",
                 {job.id, static_cast<int64_t>(kMaxAuditedMatches)}));
    // The audit entry's details are bounded (64 KiB): the first matches up
    // to ~48 KiB, and how many more there are (all are in the results).
    boost::json::array matches;
    size_t bytes = 0;
    for (const db::Row& row : rows) {
      boost::json::object m;
      m["item"] = row.GetInt(0);
      m["input_id"] = SanitizeText(row.GetText(1), 100);
      m["alert_id"] = row.GetText(2);
      m["score"] = row.GetDouble(3);
      bytes += ToJson(m).size() + 1;
      if (bytes > kMaxAuditedBytes) break;
      matches.push_back(std::move(m));
    }
    JISR_ASSIGN_OR_RETURN(
        std::optional<db::Row> counts,
        tx.QueryOptional(
            "SELECT total, matched FROM screening_jobs WHERE id = $1",
            {job.id}));
    boost::json::object details;
    details["event"] = "completed";
    details["total"] = counts ? counts->GetInt(0) : 0;
    details["matched"] = counts ? counts->GetInt(1) : 0;
    const int64_t listed = static_cast<int64_t>(matches.size());
    details["matches"] = std::move(matches);
    if (counts && counts->GetInt(1) > listed)
      details["matches_not_listed"] = counts->GetInt(1) - listed;
    return audit_
        .Append(tx, MakeEntry(job.created_by, ActionName(Action::kScreenBatch),
                              JobObject(job.id), job.purpose,
                              AuditOutcome::kSuccess, details))
        .status();
  });
}

void ScreeningJobService::AddBlockObserver(JobBlockObserver observer) {
  observers_.push_back(std::move(observer));
}

void ScreeningJobService::StartWorker() {
  std::lock_guard lock(worker_mu_);
  if (worker_.joinable() || stopping_) return;
  worker_ = std::thread([this] { WorkerLoop(); });
}

void ScreeningJobService::WorkerLoop() {
  for (;;) {
    if (absl::StatusOr<int> ran = RunPending(); !ran.ok()) {
      spdlog::warn("screening jobs: {}", std::string(ran.status().message()));
    }
    std::unique_lock lock(worker_mu_);
    worker_cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.poll),
                        [&] { return stopping_ || wake_; });
    if (stopping_) return;
    wake_ = false;
  }
}

}  // namespace jisr::alerts
