#include "groups/groups.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <set>
#include <utility>

#include "absl/time/civil_time.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::groups {
namespace {

constexpr std::string_view kDomains[] = {
    "organised_crime", "terrorism",   "drug_trafficking", "human_trafficking",
    "cybercrime",      "wanted_persons", "major_events"};
constexpr std::string_view kMemberRoles[] = {"lead", "member", "liaison"};
constexpr std::string_view kLinkKinds[] = {"alert", "thread", "assistance_request",
                                           "event"};
constexpr std::string_view kTaskStates[] = {"open", "in_progress", "done",
                                            "cancelled"};
constexpr std::string_view kGroupStates[] = {"active", "closed"};
constexpr std::string_view kItemStates[] = {"planned", "in_progress", "done",
                                            "cancelled"};
constexpr std::string_view kOperationStates[] = {"planned", "active", "completed",
                                                 "cancelled"};

std::string Field(std::string_view prefix, std::string_view key) {
  return fmt::format("{}{}", prefix, key);
}

// A time member: RFC 3339, or a day YYYY-MM-DD meaning the end of that day
// (UTC) — a due date "2026-06-30" is met by anything done that day.
absl::StatusOr<std::optional<absl::Time>> OptionalTime(JsonObjectReader& r,
                                                       std::string_view key) {
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> text, r.OptionalString(key, 64));
  if (!text || text->empty()) return std::optional<absl::Time>();
  if (text->size() == 10) {
    absl::CivilDay day;
    if (absl::ParseCivilTime(ToAbsl(*text), &day)) {
      return std::optional<absl::Time>(
          absl::FromCivil(day + 1, absl::UTCTimeZone()) - absl::Milliseconds(1));
    }
  } else {
    absl::StatusOr<absl::Time> t = ParseRfc3339(*text);
    if (t.ok()) return std::optional<absl::Time>(TruncateToMillis(*t));
  }
  return InvalidField(r.FieldName(key),
                      fmt::format("{} must be a day (2026-06-30) or an RFC 3339 time",
                                  r.FieldName(key)));
}

absl::StatusOr<absl::Time> RequiredTime(JsonObjectReader& r, std::string_view key) {
  JISR_ASSIGN_OR_RETURN(std::optional<absl::Time> t, OptionalTime(r, key));
  if (!t) return InvalidField(r.FieldName(key), r.FieldName(key) + " is required");
  return *t;
}

// The array member `key` (absent or null: empty), at most kMaxListItems.
absl::StatusOr<const boost::json::array*> OptionalArray(JsonObjectReader& r,
                                                        const boost::json::object& o,
                                                        std::string_view key) {
  r.MarkRead(key);
  static const boost::json::array kEmpty;
  const auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return &kEmpty;
  if (!it->value().is_array()) {
    return InvalidField(r.FieldName(key), r.FieldName(key) + " must be an array");
  }
  if (it->value().as_array().size() > kMaxListItems) {
    return InvalidField(r.FieldName(key), fmt::format("{} holds more than {} items",
                                                      r.FieldName(key), kMaxListItems));
  }
  return &it->value().as_array();
}

absl::StatusOr<const boost::json::object*> ElementObject(const boost::json::value& v,
                                                         const std::string& field) {
  if (!v.is_object()) return InvalidField(field, field + " must be an object");
  return &v.as_object();
}

absl::StatusOr<double> RequiredNumber(JsonObjectReader& r, const boost::json::object& o,
                                      std::string_view key) {
  r.MarkRead(key);
  const auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) {
    return InvalidField(r.FieldName(key), r.FieldName(key) + " is required");
  }
  double d = 0;
  if (it->value().is_int64()) {
    d = static_cast<double>(it->value().as_int64());
  } else if (it->value().is_uint64()) {
    d = static_cast<double>(it->value().as_uint64());
  } else if (it->value().is_double()) {
    d = it->value().as_double();
  } else {
    return InvalidField(r.FieldName(key), r.FieldName(key) + " must be a number");
  }
  if (!std::isfinite(d) || d < 0 || d > 1e12) {
    return InvalidField(r.FieldName(key),
                        r.FieldName(key) + " must be a number from 0 to 10^12");
  }
  return d;
}

absl::StatusOr<std::vector<std::string>> AgencyList(JsonObjectReader& r,
                                                    const boost::json::object& o,
                                                    std::string_view key) {
  JISR_ASSIGN_OR_RETURN(const boost::json::array* a, OptionalArray(r, o, key));
  std::vector<std::string> out;
  for (size_t i = 0; i < a->size(); ++i) {
    const std::string field = fmt::format("{}[{}]", r.FieldName(key), i);
    if (!(*a)[i].is_string()) return InvalidField(field, field + " must be a string");
    std::string code((*a)[i].as_string());
    JISR_RETURN_IF_ERROR(ValidateAgencyCode(code, field));
    if (std::find(out.begin(), out.end(), code) != out.end()) {
      return InvalidField(field, fmt::format("{} names {} twice", r.FieldName(key), code));
    }
    out.push_back(std::move(code));
  }
  return out;
}

absl::StatusOr<int64_t> Progress(JsonObjectReader& r) {
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> p, r.OptionalInt("progress"));
  if (p && (*p < 0 || *p > 100)) {
    return InvalidField(r.FieldName("progress"),
                        r.FieldName("progress") + " must be from 0 to 100");
  }
  return p.value_or(0);
}

// Reads id/owner/version for `form` into the given members.
absl::Status ReadMeta(JsonObjectReader& r, JsonForm form, std::string* id,
                      std::string* owner, int64_t* version) {
  if (form == JsonForm::kShared) {
    JISR_ASSIGN_OR_RETURN(*id, r.RequiredString("id", 64));
    if (!IsUuid(*id)) return InvalidField(r.FieldName("id"), "id must be a UUID");
    JISR_ASSIGN_OR_RETURN(*owner, r.RequiredString("owner", 32));
    JISR_RETURN_IF_ERROR(ValidateAgencyCode(*owner, r.FieldName("owner")));
  }
  if (form != JsonForm::kCreate) {
    JISR_ASSIGN_OR_RETURN(*version, r.RequiredInt("version"));
    if (*version < 1) return InvalidField(r.FieldName("version"), "version must be >= 1");
  }
  return absl::OkStatus();
}

boost::json::value TimeJson(const std::optional<absl::Time>& t) {
  return t ? boost::json::value(FormatRfc3339(*t)) : boost::json::value(nullptr);
}

boost::json::array StringsJson(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const std::string& s : v) a.push_back(boost::json::value(s));
  return a;
}

absl::Status CheckListed(const std::vector<std::string>& agencies, std::string_view code,
                         const std::string& field) {
  if (std::find(agencies.begin(), agencies.end(), code) == agencies.end()) {
    return InvalidField(field, fmt::format("{} ({}) is not one of the agencies", field, code));
  }
  return absl::OkStatus();
}

absl::Status CheckAgencies(const std::vector<std::string>& agencies,
                           std::string_view owner) {
  if (agencies.empty() || agencies.front() != owner) {
    return InvalidField("agencies", fmt::format("agencies must start with the owner {}",
                                                owner));
  }
  return absl::OkStatus();
}

}  // namespace

std::span<const std::string_view> DomainNames() { return kDomains; }
std::span<const std::string_view> MemberRoleNames() { return kMemberRoles; }
std::span<const std::string_view> CaseLinkKindNames() { return kLinkKinds; }
std::span<const std::string_view> TaskStateNames() { return kTaskStates; }
std::span<const std::string_view> GroupStateNames() { return kGroupStates; }
std::span<const std::string_view> ItemStateNames() { return kItemStates; }
std::span<const std::string_view> OperationStateNames() { return kOperationStates; }

absl::Status ValidateAgencyCode(std::string_view code, std::string_view field) {
  bool ok = code.size() >= 5 && code.size() <= 19 && code[2] == '-';
  for (size_t i = 0; ok && i < code.size(); ++i) {
    const char c = code[i];
    if (i == 2) continue;
    ok = (c >= 'A' && c <= 'Z') || (i > 2 && c >= '0' && c <= '9');
  }
  if (!ok) {
    return InvalidField(field, fmt::format("{} must be an agency code such as FR-DGPN",
                                           field));
  }
  return absl::OkStatus();
}

// ---- working groups ---------------------------------------------------------

absl::StatusOr<WorkingGroup> GroupFromJson(const boost::json::object& o, JsonForm form) {
  JsonObjectReader r(o);
  WorkingGroup g;
  JISR_RETURN_IF_ERROR(ReadMeta(r, form, &g.id, &g.owner, &g.version));
  JISR_ASSIGN_OR_RETURN(g.name, r.RequiredString("name", kMaxNameBytes));
  JISR_ASSIGN_OR_RETURN(g.domain, r.RequiredEnum("domain", kDomains));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> d,
                        r.OptionalString("description", kMaxTextBytes));
  g.description = d.value_or("");
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> state,
                        r.OptionalEnum("state", kGroupStates));
  g.state = state.value_or("active");
  JISR_ASSIGN_OR_RETURN(g.agencies, AgencyList(r, o, "agencies"));

  JISR_ASSIGN_OR_RETURN(const boost::json::array* members, OptionalArray(r, o, "members"));
  for (size_t i = 0; i < members->size(); ++i) {
    const std::string prefix = fmt::format("members[{}].", i);
    JISR_ASSIGN_OR_RETURN(const boost::json::object* e,
                          ElementObject((*members)[i], fmt::format("members[{}]", i)));
    JsonObjectReader m(*e, prefix);
    Member x;
    JISR_ASSIGN_OR_RETURN(x.agency, m.RequiredString("agency", 32));
    JISR_RETURN_IF_ERROR(ValidateAgencyCode(x.agency, Field(prefix, "agency")));
    JISR_ASSIGN_OR_RETURN(x.reference, m.RequiredString("reference", 128));
    JISR_ASSIGN_OR_RETURN(x.name, m.RequiredString("name", kMaxNameBytes));
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> role,
                          m.OptionalEnum("role", kMemberRoles));
    x.role = role.value_or("member");
    JISR_RETURN_IF_ERROR(m.RejectUnknown());
    g.members.push_back(std::move(x));
  }
  JISR_ASSIGN_OR_RETURN(const boost::json::array* links, OptionalArray(r, o, "case_file"));
  for (size_t i = 0; i < links->size(); ++i) {
    const std::string prefix = fmt::format("case_file[{}].", i);
    JISR_ASSIGN_OR_RETURN(const boost::json::object* e,
                          ElementObject((*links)[i], fmt::format("case_file[{}]", i)));
    JsonObjectReader m(*e, prefix);
    CaseLink x;
    JISR_ASSIGN_OR_RETURN(x.kind, m.RequiredEnum("kind", kLinkKinds));
    JISR_ASSIGN_OR_RETURN(x.ref, m.RequiredString("ref", 128));
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> note,
                          m.OptionalString("note", kMaxShortBytes));
    x.note = note.value_or("");
    JISR_RETURN_IF_ERROR(m.RejectUnknown());
    g.case_file.push_back(std::move(x));
  }
  JISR_ASSIGN_OR_RETURN(const boost::json::array* tasks, OptionalArray(r, o, "tasks"));
  for (size_t i = 0; i < tasks->size(); ++i) {
    const std::string prefix = fmt::format("tasks[{}].", i);
    JISR_ASSIGN_OR_RETURN(const boost::json::object* e,
                          ElementObject((*tasks)[i], fmt::format("tasks[{}]", i)));
    JsonObjectReader m(*e, prefix);
    Task x;
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> id, m.OptionalString("id", 64));
    x.id = id.value_or("");
    if (!x.id.empty() && !IsUuid(x.id)) {
      return InvalidField(Field(prefix, "id"), "a task id must be a lower-case UUID");
    }
    if (form == JsonForm::kShared && x.id.empty()) {
      return InvalidField(Field(prefix, "id"), "a shared task has an id");
    }
    JISR_ASSIGN_OR_RETURN(x.title, m.RequiredString("title", kMaxNameBytes));
    JISR_ASSIGN_OR_RETURN(x.owner_agency, m.RequiredString("owner_agency", 32));
    JISR_RETURN_IF_ERROR(ValidateAgencyCode(x.owner_agency, Field(prefix, "owner_agency")));
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> assignee,
                          m.OptionalString("assignee", 128));
    x.assignee = assignee.value_or("");
    JISR_ASSIGN_OR_RETURN(x.due_at, OptionalTime(m, "due_at"));
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> st,
                          m.OptionalEnum("state", kTaskStates));
    x.state = st.value_or("open");
    JISR_RETURN_IF_ERROR(m.RejectUnknown());
    g.tasks.push_back(std::move(x));
  }
  if (form == JsonForm::kShared) {
    r.MarkRead("created_at");
    r.MarkRead("updated_at");
  }
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  if (form == JsonForm::kShared) JISR_RETURN_IF_ERROR(ValidateGroup(g));
  return g;
}

absl::StatusOr<TaskProgress> TaskProgressFromJson(const boost::json::object& o, JsonForm form) {
  JsonObjectReader r(o);
  TaskProgress p;
  if (form == JsonForm::kShared) {
    JISR_ASSIGN_OR_RETURN(p.group_id, r.RequiredString("group_id", 64));
    JISR_ASSIGN_OR_RETURN(p.task_id, r.RequiredString("task_id", 64));
    for (const auto& [field, id] : {std::pair{"group_id", &p.group_id},
                                    std::pair{"task_id", &p.task_id}}) {
      if (!IsUuid(*id)) return InvalidField(field, fmt::format("{} must be a UUID", field));
    }
  }
  JISR_ASSIGN_OR_RETURN(p.state, r.RequiredEnum("state", kTaskStates));
  JISR_ASSIGN_OR_RETURN(p.assignee, r.OptionalString("assignee", 128));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  return p;
}

boost::json::object TaskProgressToJson(const TaskProgress& p) {
  boost::json::object o{{"group_id", p.group_id}, {"task_id", p.task_id}, {"state", p.state}};
  if (p.assignee) o["assignee"] = *p.assignee;
  return o;
}

absl::Status ValidateGroup(const WorkingGroup& g) {
  JISR_RETURN_IF_ERROR(CheckAgencies(g.agencies, g.owner));
  std::set<std::pair<std::string, std::string>> refs;
  for (size_t i = 0; i < g.members.size(); ++i) {
    const Member& m = g.members[i];
    JISR_RETURN_IF_ERROR(
        CheckListed(g.agencies, m.agency, fmt::format("members[{}].agency", i)));
    if (!refs.emplace(m.agency, m.reference).second) {
      return InvalidField(fmt::format("members[{}].reference", i),
                          fmt::format("{} of {} is a member twice", m.reference, m.agency));
    }
  }
  std::set<std::pair<std::string, std::string>> links;
  for (size_t i = 0; i < g.case_file.size(); ++i) {
    if (!links.emplace(g.case_file[i].kind, g.case_file[i].ref).second) {
      return InvalidField(fmt::format("case_file[{}].ref", i), "linked twice");
    }
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < g.tasks.size(); ++i) {
    const Task& t = g.tasks[i];
    JISR_RETURN_IF_ERROR(
        CheckListed(g.agencies, t.owner_agency, fmt::format("tasks[{}].owner_agency", i)));
    if (!t.id.empty() && !ids.insert(t.id).second) {
      return InvalidField(fmt::format("tasks[{}].id", i), "two tasks with one id");
    }
  }
  return absl::OkStatus();
}

boost::json::object GroupToJson(const WorkingGroup& g) {
  boost::json::array members;
  for (const Member& m : g.members) {
    members.push_back(boost::json::object{{"agency", m.agency},
                                          {"reference", m.reference},
                                          {"name", m.name},
                                          {"role", m.role}});
  }
  boost::json::array links;
  for (const CaseLink& l : g.case_file) {
    links.push_back(
        boost::json::object{{"kind", l.kind}, {"ref", l.ref}, {"note", l.note}});
  }
  boost::json::array tasks;
  for (const Task& t : g.tasks) {
    tasks.push_back(boost::json::object{{"id", t.id},
                                        {"title", t.title},
                                        {"owner_agency", t.owner_agency},
                                        {"assignee", t.assignee},
                                        {"due_at", TimeJson(t.due_at)},
                                        {"state", t.state}});
  }
  return boost::json::object{{"id", g.id},
                             {"owner", g.owner},
                             {"version", g.version},
                             {"name", g.name},
                             {"domain", g.domain},
                             {"description", g.description},
                             {"state", g.state},
                             {"agencies", StringsJson(g.agencies)},
                             {"members", std::move(members)},
                             {"case_file", std::move(links)},
                             {"tasks", std::move(tasks)},
                             {"created_at", FormatRfc3339(g.created_at)},
                             {"updated_at", FormatRfc3339(g.updated_at)}};
}

// ---- plans ------------------------------------------------------------------

absl::StatusOr<Plan> PlanFromJson(const boost::json::object& o, JsonForm form) {
  JsonObjectReader r(o);
  Plan p;
  JISR_RETURN_IF_ERROR(ReadMeta(r, form, &p.id, &p.owner, &p.version));
  JISR_ASSIGN_OR_RETURN(p.title, r.RequiredString("title", kMaxNameBytes));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> d,
                        r.OptionalString("description", kMaxTextBytes));
  p.description = d.value_or("");
  JISR_ASSIGN_OR_RETURN(p.agencies, AgencyList(r, o, "agencies"));
  JISR_ASSIGN_OR_RETURN(p.starts_at, OptionalTime(r, "starts_at"));
  JISR_ASSIGN_OR_RETURN(p.ends_at, OptionalTime(r, "ends_at"));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> state,
                        r.OptionalEnum("state", kGroupStates));
  p.state = state.value_or("active");
  if (form == JsonForm::kShared) {
    r.MarkRead("created_at");
    r.MarkRead("updated_at");
  }
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  if (p.starts_at && p.ends_at && *p.ends_at < *p.starts_at) {
    return InvalidField("ends_at", "ends_at must not be before starts_at");
  }
  if (form == JsonForm::kShared) JISR_RETURN_IF_ERROR(ValidatePlan(p));
  return p;
}

absl::Status ValidatePlan(const Plan& p) {
  JISR_RETURN_IF_ERROR(CheckAgencies(p.agencies, p.owner));
  if (p.starts_at && p.ends_at && *p.ends_at < *p.starts_at) {
    return InvalidField("ends_at", "ends_at must not be before starts_at");
  }
  return absl::OkStatus();
}

absl::StatusOr<PlanItem> ItemFromJson(const boost::json::object& o, ItemKind kind,
                                      JsonForm form) {
  JsonObjectReader r(o);
  PlanItem it;
  it.kind = kind;
  JISR_RETURN_IF_ERROR(ReadMeta(r, form, &it.id, &it.owner, &it.version));
  if (form == JsonForm::kShared) {
    JISR_ASSIGN_OR_RETURN(it.plan_id, r.RequiredString("plan_id", 64));
    if (!IsUuid(it.plan_id)) return InvalidField("plan_id", "plan_id must be a UUID");
  }
  if (kind == ItemKind::kAction) {
    // Required at creation; on an update, absent keeps the objective and a
    // value moves the action to that objective of the same plan.
    if (form == JsonForm::kUpdate) {
      JISR_ASSIGN_OR_RETURN(std::optional<std::string> objective,
                            r.OptionalString("objective_id", 64));
      it.objective_id = objective.value_or("");
    } else {
      JISR_ASSIGN_OR_RETURN(it.objective_id, r.RequiredString("objective_id", 64));
    }
    if (!it.objective_id.empty() && !IsUuid(it.objective_id)) {
      return InvalidField("objective_id", "objective_id must be a lower-case UUID");
    }
  }
  JISR_ASSIGN_OR_RETURN(it.title, r.RequiredString("title", kMaxNameBytes));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> d,
                        r.OptionalString("description", kMaxTextBytes));
  it.description = d.value_or("");
  JISR_ASSIGN_OR_RETURN(it.due_at, OptionalTime(r, "due_at"));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> state,
                        r.OptionalEnum("state", kItemStates));
  it.state = state.value_or("planned");
  JISR_ASSIGN_OR_RETURN(it.progress, Progress(r));

  if (kind == ItemKind::kAction) {
    JISR_ASSIGN_OR_RETURN(const boost::json::array* ms, OptionalArray(r, o, "milestones"));
    for (size_t i = 0; i < ms->size(); ++i) {
      const std::string prefix = fmt::format("milestones[{}].", i);
      JISR_ASSIGN_OR_RETURN(const boost::json::object* e,
                            ElementObject((*ms)[i], fmt::format("milestones[{}]", i)));
      JsonObjectReader m(*e, prefix);
      Milestone x;
      JISR_ASSIGN_OR_RETURN(std::optional<std::string> id, m.OptionalString("id", 64));
      x.id = id.value_or("");
      if (!x.id.empty() && !IsUuid(x.id)) {
        return InvalidField(Field(prefix, "id"), "a milestone id must be a lower-case UUID");
      }
      if (form == JsonForm::kShared && x.id.empty()) {
        return InvalidField(Field(prefix, "id"), "a shared milestone has an id");
      }
      JISR_ASSIGN_OR_RETURN(x.title, m.RequiredString("title", kMaxNameBytes));
      JISR_ASSIGN_OR_RETURN(x.due_at, OptionalTime(m, "due_at"));
      JISR_ASSIGN_OR_RETURN(std::optional<std::string> st,
                            m.OptionalEnum("state", kItemStates));
      x.state = st.value_or("planned");
      JISR_ASSIGN_OR_RETURN(x.progress, Progress(m));
      JISR_RETURN_IF_ERROR(m.RejectUnknown());
      it.milestones.push_back(std::move(x));
    }
  }
  JISR_ASSIGN_OR_RETURN(const boost::json::array* ind, OptionalArray(r, o, "indicators"));
  for (size_t i = 0; i < ind->size(); ++i) {
    const std::string prefix = fmt::format("indicators[{}].", i);
    JISR_ASSIGN_OR_RETURN(const boost::json::object* e,
                          ElementObject((*ind)[i], fmt::format("indicators[{}]", i)));
    JsonObjectReader m(*e, prefix);
    Indicator x;
    JISR_ASSIGN_OR_RETURN(x.name, m.RequiredString("name", kMaxNameBytes));
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> unit, m.OptionalString("unit", 64));
    x.unit = unit.value_or("");
    JISR_ASSIGN_OR_RETURN(x.target, RequiredNumber(m, *e, "target"));
    JISR_ASSIGN_OR_RETURN(x.measured, RequiredNumber(m, *e, "measured"));
    JISR_ASSIGN_OR_RETURN(x.measured_at, OptionalTime(m, "measured_at"));
    JISR_RETURN_IF_ERROR(m.RejectUnknown());
    it.indicators.push_back(std::move(x));
  }
  if (form == JsonForm::kShared) {
    r.MarkRead("created_at");
    r.MarkRead("updated_at");
    r.MarkRead("kind");
  }
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_RETURN_IF_ERROR(ValidateItem(it));
  return it;
}

absl::Status ValidateItem(const PlanItem& it) {
  std::set<std::string> ids;
  for (size_t i = 0; i < it.milestones.size(); ++i) {
    if (!it.milestones[i].id.empty() && !ids.insert(it.milestones[i].id).second) {
      return InvalidField(fmt::format("milestones[{}].id", i), "two milestones with one id");
    }
  }
  std::set<std::string> names;
  for (size_t i = 0; i < it.indicators.size(); ++i) {
    if (!names.insert(it.indicators[i].name).second) {
      return InvalidField(fmt::format("indicators[{}].name", i), "two indicators with one name");
    }
  }
  return absl::OkStatus();
}

boost::json::object ItemToJson(const PlanItem& it) {
  boost::json::object o{{"id", it.id},
                        {"kind", it.kind == ItemKind::kObjective ? "objective" : "action"},
                        {"plan_id", it.plan_id},
                        {"owner", it.owner},
                        {"version", it.version},
                        {"title", it.title},
                        {"description", it.description},
                        {"due_at", TimeJson(it.due_at)},
                        {"state", it.state},
                        {"progress", it.progress}};
  if (it.kind == ItemKind::kAction) {
    o["objective_id"] = it.objective_id;
    boost::json::array ms;
    for (const Milestone& m : it.milestones) {
      ms.push_back(boost::json::object{{"id", m.id},
                                       {"title", m.title},
                                       {"due_at", TimeJson(m.due_at)},
                                       {"state", m.state},
                                       {"progress", m.progress}});
    }
    o["milestones"] = std::move(ms);
  }
  boost::json::array ind;
  for (const Indicator& i : it.indicators) {
    ind.push_back(boost::json::object{{"name", i.name},
                                      {"unit", i.unit},
                                      {"target", i.target},
                                      {"measured", i.measured},
                                      {"measured_at", TimeJson(i.measured_at)}});
  }
  o["indicators"] = std::move(ind);
  o["created_at"] = FormatRfc3339(it.created_at);
  o["updated_at"] = FormatRfc3339(it.updated_at);
  return o;
}

boost::json::object PlanToJson(const Plan& p) {
  return boost::json::object{{"id", p.id},
                             {"owner", p.owner},
                             {"version", p.version},
                             {"title", p.title},
                             {"description", p.description},
                             {"agencies", StringsJson(p.agencies)},
                             {"starts_at", TimeJson(p.starts_at)},
                             {"ends_at", TimeJson(p.ends_at)},
                             {"state", p.state},
                             {"created_at", FormatRfc3339(p.created_at)},
                             {"updated_at", FormatRfc3339(p.updated_at)}};
}

// ---- operations -------------------------------------------------------------

absl::StatusOr<Operation> OperationFromJson(const boost::json::object& o, JsonForm form) {
  JsonObjectReader r(o);
  Operation op;
  JISR_RETURN_IF_ERROR(ReadMeta(r, form, &op.id, &op.owner, &op.version));
  JISR_ASSIGN_OR_RETURN(op.code_name, r.RequiredString("code_name", kMaxNameBytes));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> d,
                        r.OptionalString("description", kMaxTextBytes));
  op.description = d.value_or("");
  JISR_ASSIGN_OR_RETURN(op.starts_at, RequiredTime(r, "starts_at"));
  JISR_ASSIGN_OR_RETURN(op.ends_at, RequiredTime(r, "ends_at"));
  JISR_ASSIGN_OR_RETURN(op.area, r.RequiredString("area", kMaxShortBytes));
  JISR_ASSIGN_OR_RETURN(op.agencies, AgencyList(r, o, "agencies"));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> gid, r.OptionalString("group_id", 64));
  op.group_id = gid.value_or("");
  if (!op.group_id.empty() && !IsUuid(op.group_id)) {
    return InvalidField("group_id", "group_id must be a lower-case UUID");
  }
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> state,
                        r.OptionalEnum("state", kOperationStates));
  op.state = state.value_or("planned");
  JISR_ASSIGN_OR_RETURN(const boost::json::array* units, OptionalArray(r, o, "units"));
  for (size_t i = 0; i < units->size(); ++i) {
    const std::string prefix = fmt::format("units[{}].", i);
    JISR_ASSIGN_OR_RETURN(const boost::json::object* e,
                          ElementObject((*units)[i], fmt::format("units[{}]", i)));
    JsonObjectReader m(*e, prefix);
    Unit x;
    JISR_ASSIGN_OR_RETURN(x.agency, m.RequiredString("agency", 32));
    JISR_RETURN_IF_ERROR(ValidateAgencyCode(x.agency, Field(prefix, "agency")));
    JISR_ASSIGN_OR_RETURN(x.name, m.RequiredString("name", kMaxShortBytes));
    JISR_RETURN_IF_ERROR(m.RejectUnknown());
    op.units.push_back(std::move(x));
  }
  JISR_ASSIGN_OR_RETURN(const boost::json::array* los,
                        OptionalArray(r, o, "liaison_officers"));
  for (size_t i = 0; i < los->size(); ++i) {
    const std::string prefix = fmt::format("liaison_officers[{}].", i);
    JISR_ASSIGN_OR_RETURN(const boost::json::object* e,
                          ElementObject((*los)[i], fmt::format("liaison_officers[{}]", i)));
    JsonObjectReader m(*e, prefix);
    LiaisonOfficer x;
    JISR_ASSIGN_OR_RETURN(x.agency, m.RequiredString("agency", 32));
    JISR_RETURN_IF_ERROR(ValidateAgencyCode(x.agency, Field(prefix, "agency")));
    JISR_ASSIGN_OR_RETURN(x.reference, m.RequiredString("reference", 128));
    JISR_ASSIGN_OR_RETURN(x.name, m.RequiredString("name", kMaxNameBytes));
    JISR_ASSIGN_OR_RETURN(x.posted_with, m.RequiredString("posted_with", 32));
    JISR_RETURN_IF_ERROR(ValidateAgencyCode(x.posted_with, Field(prefix, "posted_with")));
    JISR_RETURN_IF_ERROR(m.RejectUnknown());
    op.liaison_officers.push_back(std::move(x));
  }
  r.MarkRead("report");
  if (const auto it = o.find("report"); it != o.end() && !it->value().is_null()) {
    JISR_ASSIGN_OR_RETURN(const boost::json::object* e, ElementObject(it->value(), "report"));
    JsonObjectReader m(*e, "report.");
    AfterActionReport rep;
    JISR_ASSIGN_OR_RETURN(rep.summary, m.RequiredString("summary", kMaxTextBytes));
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> results,
                          m.OptionalString("results", kMaxTextBytes));
    rep.results = results.value_or("");
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> lessons,
                          m.OptionalString("lessons", kMaxTextBytes));
    rep.lessons = lessons.value_or("");
    if (form == JsonForm::kShared) {
      JISR_ASSIGN_OR_RETURN(rep.submitted_at, RequiredTime(m, "submitted_at"));
    } else {
      m.MarkRead("submitted_at");  // given by the node
    }
    JISR_RETURN_IF_ERROR(m.RejectUnknown());
    op.report = std::move(rep);
  }
  if (form == JsonForm::kShared) {
    r.MarkRead("created_at");
    r.MarkRead("updated_at");
  }
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  if (op.ends_at < op.starts_at) {
    return InvalidField("ends_at", "ends_at must not be before starts_at");
  }
  if (op.report && op.state != "completed") {
    return InvalidField("report",
                        "the after-action report is written once the operation is completed");
  }
  if (form == JsonForm::kShared) JISR_RETURN_IF_ERROR(ValidateOperation(op));
  return op;
}

absl::Status ValidateOperation(const Operation& op) {
  JISR_RETURN_IF_ERROR(CheckAgencies(op.agencies, op.owner));
  if (op.ends_at < op.starts_at) {
    return InvalidField("ends_at", "ends_at must not be before starts_at");
  }
  for (size_t i = 0; i < op.units.size(); ++i) {
    JISR_RETURN_IF_ERROR(
        CheckListed(op.agencies, op.units[i].agency, fmt::format("units[{}].agency", i)));
  }
  for (size_t i = 0; i < op.liaison_officers.size(); ++i) {
    const LiaisonOfficer& l = op.liaison_officers[i];
    JISR_RETURN_IF_ERROR(CheckListed(op.agencies, l.agency,
                                     fmt::format("liaison_officers[{}].agency", i)));
    JISR_RETURN_IF_ERROR(CheckListed(op.agencies, l.posted_with,
                                     fmt::format("liaison_officers[{}].posted_with", i)));
    if (l.agency == l.posted_with) {
      return InvalidField(fmt::format("liaison_officers[{}].posted_with", i),
                          "a liaison officer is posted with another agency");
    }
  }
  if (op.report && op.state != "completed") {
    return InvalidField("report",
                        "the after-action report is written once the operation is completed");
  }
  return absl::OkStatus();
}

boost::json::object OperationToJson(const Operation& op) {
  boost::json::array units;
  for (const Unit& u : op.units) {
    units.push_back(boost::json::object{{"agency", u.agency}, {"name", u.name}});
  }
  boost::json::array los;
  for (const LiaisonOfficer& l : op.liaison_officers) {
    los.push_back(boost::json::object{{"agency", l.agency},
                                      {"reference", l.reference},
                                      {"name", l.name},
                                      {"posted_with", l.posted_with}});
  }
  boost::json::value report = nullptr;
  if (op.report) {
    report = boost::json::object{{"summary", op.report->summary},
                                 {"results", op.report->results},
                                 {"lessons", op.report->lessons},
                                 {"submitted_at", FormatRfc3339(op.report->submitted_at)}};
  }
  return boost::json::object{
      {"id", op.id},
      {"owner", op.owner},
      {"version", op.version},
      {"code_name", op.code_name},
      {"description", op.description},
      {"starts_at", FormatRfc3339(op.starts_at)},
      {"ends_at", FormatRfc3339(op.ends_at)},
      {"area", op.area},
      {"agencies", StringsJson(op.agencies)},
      {"units", std::move(units)},
      {"liaison_officers", std::move(los)},
      {"group_id", op.group_id.empty() ? boost::json::value(nullptr)
                                       : boost::json::value(op.group_id)},
      {"state", op.state},
      {"report", std::move(report)},
      {"created_at", FormatRfc3339(op.created_at)},
      {"updated_at", FormatRfc3339(op.updated_at)}};
}

// ---- the road map -----------------------------------------------------------

namespace {

double Round1(double v) { return std::round(v * 10.0) / 10.0; }

bool Open(std::string_view state) { return state != "done" && state != "cancelled"; }

// Mean of the parts (nullopt entries are cancelled), or `own` without any.
double Mean(const std::vector<double>& parts, double own) {
  if (parts.empty()) return own;
  double sum = 0;
  for (double p : parts) sum += p;
  return sum / static_cast<double>(parts.size());
}

}  // namespace

Roadmap BuildRoadmap(const Plan& plan, std::vector<PlanItem> objectives,
                     std::vector<PlanItem> actions, absl::Time now) {
  Roadmap out;
  const auto by_due = [](const PlanItem& a, const PlanItem& b) {
    const absl::Time x = a.due_at.value_or(absl::InfiniteFuture());
    const absl::Time y = b.due_at.value_or(absl::InfiniteFuture());
    return x != y ? x < y : a.id < b.id;
  };
  std::sort(objectives.begin(), objectives.end(), by_due);
  std::sort(actions.begin(), actions.end(), by_due);

  const auto late_entry = [&](std::string_view kind, const std::string& id,
                              const std::string& title, const std::string& owner,
                              const std::optional<absl::Time>& due,
                              std::string_view state) -> boost::json::value {
    if (!due || *due >= now || !Open(state)) return false;
    LateItem l;
    l.kind = std::string(kind);
    l.id = id;
    l.title = title;
    l.owner = owner;
    l.due_at = *due;
    l.days_late = absl::ToInt64Hours(now - *due) / 24;
    out.late.push_back(l);
    return true;
  };

  std::set<std::string> objective_ids;
  for (const PlanItem& o : objectives) objective_ids.insert(o.id);

  // Actions, with their milestones.
  std::map<std::string, boost::json::array> actions_json;  // by objective
  std::map<std::string, std::vector<double>> action_parts;  // by objective
  for (const PlanItem& a : actions) {
    std::vector<double> parts;
    boost::json::array ms;
    for (const Milestone& m : a.milestones) {
      boost::json::object mj{{"id", m.id},
                             {"title", m.title},
                             {"owner", a.owner},
                             {"due_at", TimeJson(m.due_at)},
                             {"state", m.state},
                             {"progress", m.state == "done" ? 100 : m.progress}};
      mj["late"] = late_entry("milestone", m.id, m.title, a.owner, m.due_at, m.state);
      ms.push_back(std::move(mj));
      if (m.state == "done") {
        parts.push_back(100);
      } else if (m.state != "cancelled") {
        parts.push_back(static_cast<double>(m.progress));
      }
    }
    const double progress =
        Round1(a.state == "done" ? 100.0 : Mean(parts, static_cast<double>(a.progress)));
    out.action_progress[a.id] = progress;
    ++out.actions_by_state[a.state];
    boost::json::object aj = ItemToJson(a);
    aj["progress"] = progress;
    aj["own_progress"] = a.progress;
    aj["milestones"] = std::move(ms);
    aj["late"] = late_entry("action", a.id, a.title, a.owner, a.due_at, a.state);
    const std::string key = objective_ids.count(a.objective_id) ? a.objective_id : "";
    actions_json[key].push_back(std::move(aj));
    if (a.state != "cancelled") action_parts[key].push_back(progress);
  }

  boost::json::array objectives_json;
  std::vector<double> plan_parts;
  for (const PlanItem& o : objectives) {
    const double progress = Round1(
        o.state == "done" ? 100.0
                          : Mean(action_parts[o.id], static_cast<double>(o.progress)));
    out.objective_progress[o.id] = progress;
    ++out.objectives_by_state[o.state];
    boost::json::object oj = ItemToJson(o);
    oj["progress"] = progress;
    oj["own_progress"] = o.progress;
    oj["late"] = late_entry("objective", o.id, o.title, o.owner, o.due_at, o.state);
    oj["actions"] = std::move(actions_json[o.id]);
    objectives_json.push_back(std::move(oj));
    if (o.state != "cancelled") plan_parts.push_back(progress);
  }
  out.progress = Round1(Mean(plan_parts, 0));
  std::sort(out.late.begin(), out.late.end(), [](const LateItem& a, const LateItem& b) {
    return a.due_at != b.due_at ? a.due_at < b.due_at : a.id < b.id;
  });

  boost::json::array late;
  for (const LateItem& l : out.late) {
    late.push_back(boost::json::object{{"kind", l.kind},
                                       {"id", l.id},
                                       {"title", l.title},
                                       {"owner", l.owner},
                                       {"due_at", FormatRfc3339(l.due_at)},
                                       {"days_late", l.days_late}});
  }
  boost::json::object objectives_count, actions_count;
  for (const auto& [state, n] : out.objectives_by_state) objectives_count[state] = n;
  for (const auto& [state, n] : out.actions_by_state) actions_count[state] = n;
  out.json = boost::json::object{
      {"plan", PlanToJson(plan)},
      {"generated_at", FormatRfc3339(now)},
      {"progress", out.progress},
      {"counts", boost::json::object{{"objectives", std::move(objectives_count)},
                                     {"actions", std::move(actions_count)},
                                     {"late", static_cast<int64_t>(out.late.size())}}},
      {"late", std::move(late)},
      {"objectives", std::move(objectives_json)},
      {"unassigned_actions", std::move(actions_json[""])}};
  return out;
}

}  // namespace jisr::groups
