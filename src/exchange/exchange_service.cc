#include "exchange/exchange_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <set>
#include <utility>

#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "security/service_util.h"

namespace jisr::exchange {

using audit::AuditOutcome;
using security::Action;
using security::ActionName;
using security::Principal;
using security::internal::AuthorizeAudited;
using security::internal::MakeEntry;
using security::internal::RecordFailure;
using security::internal::SanitizeText;

namespace {

// `s` cut to at most `max` bytes at a UTF-8 character boundary.
std::string CutUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

// Reading message content needs a stated purpose (RequireStatedPurpose,
// after AuthorizeAudited).
absl::Status RequirePurpose(std::string_view purpose) {
  return security::internal::RequireStatedPurpose(
      purpose, "state the purpose of reading message content (the X-Purpose header)");
}

absl::Status CheckId(std::string_view id, std::string_view field) {
  if (!IsUuid(id))
    return InvalidField(field,
                        fmt::format("{} must be a lower-case UUID", field));
  return absl::OkStatus();
}

absl::Status CheckPaging(int64_t page, int64_t page_size) {
  if (page < 1 || page > 1000000)
    return InvalidField("page", "page must be from 1 to 1000000");
  if (page_size < 1 || page_size > kMaxPageSize) {
    return InvalidField(
        "page_size",
        fmt::format("page_size must be from 1 to {}", kMaxPageSize));
  }
  return absl::OkStatus();
}

// The bytes of `hash` are recorded in the store but not in this process's
// attachments directory: another process of the node wrote them elsewhere.
absl::Status MissingHere(std::string_view hash) {
  return absl::UnavailableError(fmt::format(
      "the bytes of attachment {} are recorded but not in this process's "
      "attachments directory: the processes of one node must share "
      "DATA/attachments (docs/exchange.md)",
      hash));
}

std::string MessageObject(std::string_view id) {
  return fmt::format("message/{}", SanitizeText(id, 64));
}
std::string ThreadObject(std::string_view id) {
  return fmt::format("thread/{}", SanitizeText(id, 64));
}

std::string SummaryMarking(HandlingCode code) {
  if (code == HandlingCode::kH3)
    return "H3: other restrictions (stated in each H3 message)";
  return Marking(code, "");
}

boost::json::array CodesJson(const std::vector<HandlingCode>& codes) {
  boost::json::array a;
  for (HandlingCode c : codes) a.emplace_back(HandlingCodeName(c));
  return a;
}

std::vector<HandlingCode> DistinctCodes(const std::vector<Message>& messages) {
  std::set<HandlingCode> codes;
  for (const Message& m : messages) codes.insert(m.handling.code);
  return {codes.begin(), codes.end()};
}

}  // namespace

// ---- JSON
// ----------------------------------------------------------------------

boost::json::object MessageViewToJson(const MessageView& v) {
  boost::json::object o = MessageToJson(v.message);
  o["read"] = v.read;
  boost::json::array& atts = o["attachments"].as_array();
  for (size_t i = 0; i < atts.size() && i < v.attachment_available.size();
       ++i) {
    atts[i].as_object()["available"] =
        static_cast<bool>(v.attachment_available[i]);
  }
  boost::json::array deliveries;
  for (const Delivery& d : v.deliveries)
    deliveries.push_back(DeliveryToJson(d));
  o["deliveries"] = std::move(deliveries);
  o["provenance"] =
      v.provenance
          ? boost::json::value(federation::ProvenanceToJson(*v.provenance))
          : boost::json::value(nullptr);
  return o;
}

boost::json::object ThreadSummaryToJson(const ThreadSummary& s) {
  const Thread& t = s.thread;
  boost::json::object o;
  o["id"] = t.id;
  o["subject"] = t.subject;
  o["origin"] = t.origin;
  o["link"] = t.link ? boost::json::value(LinkToJson(*t.link))
                     : boost::json::value(nullptr);
  o["created_at"] = FormatRfc3339(t.created_at);
  o["last_message_at"] = FormatRfc3339(t.last_message_at);
  o["message_count"] = t.message_count;
  boost::json::array agencies;
  for (const std::string& a : s.agencies) agencies.emplace_back(a);
  o["agencies"] = std::move(agencies);
  o["handling_codes"] = CodesJson(s.handling_codes);
  boost::json::array markings;
  for (HandlingCode c : s.handling_codes)
    markings.emplace_back(SummaryMarking(c));
  o["markings"] = std::move(markings);
  o["unread"] = s.unread;
  return o;
}

boost::json::object ThreadViewToJson(const ThreadView& v) {
  ThreadSummary s;
  s.thread = v.thread;
  s.agencies = v.agencies;
  std::vector<Message> messages;
  int64_t unread = 0;
  for (const MessageView& m : v.messages) {
    messages.push_back(m.message);
    if (!m.read) ++unread;
  }
  s.handling_codes = DistinctCodes(messages);
  s.unread = unread;
  boost::json::object o;
  o["thread"] = ThreadSummaryToJson(s);
  boost::json::array list;
  for (const MessageView& m : v.messages) list.push_back(MessageViewToJson(m));
  o["messages"] = std::move(list);
  return o;
}

boost::json::object SearchHitToJson(const SearchHit& hit) {
  const Message& m = hit.message;
  boost::json::object o;
  o["message_id"] = m.id;
  o["thread_id"] = m.thread_id;
  o["subject"] = hit.subject;
  o["origin"] = m.origin;
  o["sender"] = boost::json::object{{"agency", m.sender.agency},
                                    {"username", m.sender.username},
                                    {"display_name", m.sender.display_name}};
  o["sent_at"] = FormatRfc3339(m.sent_at);
  o["handling"] = HandlingToJson(m.handling);
  o["evaluation"] = EvaluationToJson(m.evaluation);
  std::string excerpt = CutUtf8(m.text, 300);
  if (excerpt.size() < m.text.size()) excerpt += "\xE2\x80\xA6";  // …
  o["excerpt"] = std::move(excerpt);
  boost::json::array names;
  for (const AttachmentRef& a : m.attachments) names.emplace_back(a.name);
  o["attachment_names"] = std::move(names);
  return o;
}

boost::json::object UnitToJson(const Unit& u) {
  boost::json::array members;
  for (const std::string& m : u.members) members.emplace_back(m);
  return boost::json::object{{"code", u.code},
                             {"name", u.name},
                             {"members", std::move(members)},
                             {"updated_by", u.updated_by},
                             {"updated_at", FormatRfc3339(u.updated_at)}};
}

// ---- service
// -------------------------------------------------------------------

struct ExchangeService::Access {
  Viewer viewer;
  std::vector<std::string> units;
};

ExchangeService::ExchangeService(db::Database& db, const audit::AuditLog& audit,
                                 const Clock& clock, AttachmentStore& store,
                                 ExchangeOptions options,
                                 security::UserService* users)
    : db_(db),
      audit_(audit),
      clock_(clock),
      store_(store),
      options_(std::move(options)),
      users_(users) {}

absl::Status ExchangeService::Init() {
  JISR_RETURN_IF_ERROR(store_.Init());
  return EnsureSearchIndex(db_);
}

SharingOptions ExchangeService::sharing_options() const {
  SharingOptions o;
  o.agency = options_.agency;
  o.dialect = db_.dialect();
  o.store = &store_;
  o.max_attachment_bytes = options_.max_attachment_bytes;
  o.chunk_bytes = options_.chunk_bytes;
  return o;
}

absl::StatusOr<ExchangeService::Access> ExchangeService::AccessOf(
    db::Transaction& tx, const Principal& who) {
  Access a;
  a.viewer.user_id = who.user_id;
  a.viewer.all = who.role == security::Role::kSupervisor;
  JISR_ASSIGN_OR_RETURN(a.units, UserUnits(tx, who.user_id));
  return a;
}

absl::StatusOr<MessageView> ExchangeService::ViewOf(db::Transaction& tx,
                                                    const Message& m,
                                                    const Access& access) {
  MessageView v;
  v.message = m;
  if (!m.sender.user_id.empty() && m.sender.user_id == access.viewer.user_id) {
    v.read = true;
  } else {
    JISR_ASSIGN_OR_RETURN(v.read, HasRead(tx, m.id, access.viewer.user_id));
  }
  JISR_ASSIGN_OR_RETURN(v.deliveries, Deliveries(tx, m.id));
  for (const AttachmentRef& a : m.attachments) {
    JISR_ASSIGN_OR_RETURN(std::optional<int64_t> size,
                          StoredAttachmentSize(tx, a.hash));
    v.attachment_available.push_back(size.has_value() &&
                                     store_.Contains(a.hash));
  }
  if (m.envelope_id) {
    JISR_ASSIGN_OR_RETURN(v.provenance,
                          federation::FindProvenance(tx, *m.envelope_id));
  }
  return v;
}

absl::Status ExchangeService::CheckRecipientsExist(
    db::Transaction& tx, const std::vector<Recipient>& recipients) {
  for (size_t i = 0; i < recipients.size(); ++i) {
    const Recipient& r = recipients[i];
    const std::string field = fmt::format("recipients[{}].code", i);
    if (r.type == RecipientType::kAgency) {
      if (r.code == options_.agency) {
        return InvalidField(
            field, fmt::format("{} is this agency: address its units instead",
                               r.code));
      }
      JISR_ASSIGN_OR_RETURN(std::optional<federation::Peer> peer,
                            federation::FindPeer(tx, r.code));
      if (!peer) {
        return InvalidField(
            field,
            fmt::format("unknown recipient: {} is not a partner agency of "
                        "this node (jisr peer list)",
                        r.code));
      }
    } else {
      JISR_ASSIGN_OR_RETURN(std::optional<Unit> unit, GetUnit(tx, r.code));
      if (!unit) {
        return InvalidField(
            field, fmt::format("unknown recipient: no unit {} here", r.code));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<MessageView> ExchangeService::DoSend(
    db::Transaction& tx, const Principal& who, const Draft& draft,
    const Access& access, std::optional<ForwardedFrom> forwarded,
    std::optional<std::string> content_origin, std::optional<Handling> handling,
    std::optional<Evaluation> evaluation) {
  JISR_RETURN_IF_ERROR(ValidateDraft(draft));
  const absl::Time now = TruncateToMillis(clock_.Now());
  Thread thread;
  if (draft.thread_id) {
    JISR_ASSIGN_OR_RETURN(std::optional<Thread> known,
                          exchange::GetThread(tx, *draft.thread_id));
    JISR_ASSIGN_OR_RETURN(
        const bool visible,
        known ? CanSeeThread(tx, access.viewer, *draft.thread_id)
              : absl::StatusOr<bool>(false));
    if (!visible) {
      return WithField(absl::NotFoundError(fmt::format(
                           "no thread {} that you may see", *draft.thread_id)),
                       "thread_id");
    }
    thread = *known;
    JISR_ASSIGN_OR_RETURN(std::vector<std::string> parties,
                          ThreadAgencies(tx, thread.id));
    for (size_t i = 0; i < draft.recipients.size(); ++i) {
      const Recipient& r = draft.recipients[i];
      if (r.type == RecipientType::kAgency &&
          std::find(parties.begin(), parties.end(), r.code) == parties.end()) {
        return InvalidField(
            fmt::format("recipients[{}].code", i),
            fmt::format("{} takes no part in this thread: a reply goes only to "
                        "the agencies of the thread (start a new thread, or "
                        "forward the message)",
                        r.code));
      }
    }
    if (draft.in_reply_to) {
      JISR_ASSIGN_OR_RETURN(std::optional<Message> parent,
                            GetMessage(tx, *draft.in_reply_to));
      if (!parent || parent->thread_id != thread.id) {
        return InvalidField("in_reply_to",
                            fmt::format("no message {} in thread {}",
                                        *draft.in_reply_to, thread.id));
      }
    }
  } else {
    thread.id = NewUuidV7(now);
    thread.subject = *draft.subject;
    thread.origin = options_.agency;
    thread.link = draft.link;
    thread.created_at = thread.last_message_at = now;
    thread.message_count = 0;
  }
  JISR_RETURN_IF_ERROR(CheckRecipientsExist(tx, draft.recipients));
  std::vector<AttachmentRef> refs;
  for (size_t i = 0; i < draft.attachments.size(); ++i) {
    const DraftAttachment& a = draft.attachments[i];
    const std::string field = fmt::format("attachments[{}].hash", i);
    JISR_ASSIGN_OR_RETURN(const bool uploaded,
                          HasUploaded(tx, a.hash, who.user_id));
    bool allowed = uploaded;
    if (!allowed) {
      JISR_ASSIGN_OR_RETURN(
          std::vector<Message> carriers,
          VisibleMessagesWithAttachment(tx, access.viewer, a.hash));
      allowed = !carriers.empty();
    }
    if (!allowed) {
      return InvalidField(
          field,
          "no such attachment: upload it first (POST /api/v1/attachments); "
          "you may attach only what you uploaded or can see in a message");
    }
    JISR_ASSIGN_OR_RETURN(std::optional<int64_t> size,
                          StoredAttachmentSize(tx, a.hash));
    if (!size) {
      return WithField(
          absl::FailedPreconditionError(fmt::format(
              "the bytes of attachment {} have not arrived here yet", a.hash)),
          field);
    }
    if (!store_.Contains(a.hash)) return MissingHere(a.hash);
    refs.push_back(AttachmentRef{a.hash, a.name, a.media_type, *size});
  }
  if (!draft.thread_id) JISR_RETURN_IF_ERROR(InsertThread(tx, thread));

  Message m;
  m.id = NewUuidV7(now);
  m.thread_id = thread.id;
  m.in_reply_to = draft.in_reply_to;
  m.origin = options_.agency;
  m.content_origin = content_origin.value_or(options_.agency);
  m.sender =
      Sender{options_.agency, who.username, who.display_name, who.user_id};
  m.text = draft.text;
  m.handling = handling.value_or(draft.handling);
  m.evaluation = evaluation.value_or(draft.evaluation);
  m.ack_requested = draft.ack_requested;
  m.forwarded_from = std::move(forwarded);
  m.recipients = draft.recipients;
  m.attachments = std::move(refs);
  m.sent_at = now;
  JISR_RETURN_IF_ERROR(InsertMessage(tx, db_.dialect(), m, thread.subject));
  JISR_RETURN_IF_ERROR(NoteMessage(tx, thread.id, now));
  std::vector<std::string> agencies = {options_.agency};
  for (const Recipient& r : m.recipients) {
    if (r.type == RecipientType::kAgency) agencies.push_back(r.code);
  }
  JISR_RETURN_IF_ERROR(AddThreadAgencies(tx, thread.id, agencies));
  JISR_RETURN_IF_ERROR(GrantAccess(tx, thread.id, "user", who.user_id));
  for (const Recipient& r : m.recipients) {
    Delivery d;
    d.type = r.type;
    d.code = r.code;
    if (r.type == RecipientType::kUnit) {
      JISR_RETURN_IF_ERROR(GrantAccess(tx, thread.id, "unit", r.code));
      d.state = DeliveryState::kDelivered;
      d.delivered_at = now;
    }
    JISR_RETURN_IF_ERROR(InsertDelivery(tx, m.id, d));
  }
  JISR_RETURN_IF_ERROR(PublishMessage(tx, thread, m, sharing_options(), now));
  return ViewOf(tx, m, access);
}

absl::StatusOr<MessageView> ExchangeService::Send(const Principal& who,
                                                  const Draft& draft,
                                                  std::string_view purpose) {
  const Action action = Action::kMessageSend;
  const std::string object =
      draft.thread_id ? ThreadObject(*draft.thread_id) : "thread/new";
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  MessageView view;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(ValidateDraft(draft));
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(const Access access, AccessOf(tx, who));
          JISR_ASSIGN_OR_RETURN(
              view, DoSend(tx, who, draft, access, std::nullopt, std::nullopt,
                           std::nullopt, std::nullopt));
          boost::json::array recipients;
          for (const Recipient& r : view.message.recipients)
            recipients.push_back(RecipientToJson(r));
          boost::json::object details{
              {"thread", view.message.thread_id},
              {"reply", draft.thread_id.has_value()},
              {"recipients", std::move(recipients)},
              {"handling_code", HandlingCodeName(view.message.handling.code)},
              {"attachments",
               static_cast<int64_t>(view.message.attachments.size())}};
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action),
                                    MessageObject(view.message.id), purpose,
                                    AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok())
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  return view;
}

absl::StatusOr<MessageView> ExchangeService::Forward(
    const Principal& who, std::string_view id, const ForwardRequest& request,
    std::string_view purpose) {
  const Action action = Action::kMessageForward;
  const std::string object = MessageObject(id);
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  MessageView view;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckId(id, "id"));
    JISR_RETURN_IF_ERROR(ValidateRecipients(request.recipients));
    if (!request.note.empty()) {
      JISR_RETURN_IF_ERROR(
          CheckText(request.note, "note", kMaxNoteBytes, false, true));
    }
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(const Access access, AccessOf(tx, who));
          JISR_ASSIGN_OR_RETURN(std::optional<Message> original,
                                GetMessage(tx, id));
          JISR_ASSIGN_OR_RETURN(
              const bool visible,
              original ? CanSeeThread(tx, access.viewer, original->thread_id)
                       : absl::StatusOr<bool>(false));
          if (!visible)
            return absl::NotFoundError(
                fmt::format("no message {} that you may see", id));
          // The handling code travels with the content.
          for (size_t i = 0; i < request.recipients.size(); ++i) {
            const Recipient& r = request.recipients[i];
            if (r.type != RecipientType::kAgency) continue;
            const std::string field = fmt::format("recipients[{}].code", i);
            if (original->handling.code == HandlingCode::kH2 &&
                original->content_origin != options_.agency) {
              return WithField(
                  absl::FailedPreconditionError(fmt::format(
                      "refused: message {} is H2 (not to be passed on without "
                      "the sender's "
                      "permission) and its content comes from {}; only {} may "
                      "pass it on to {} — "
                      "forward it to internal units only, or ask {}",
                      original->id, original->content_origin,
                      original->content_origin, r.code,
                      original->content_origin)),
                  field);
            }
            if (original->handling.code == HandlingCode::kH3 &&
                !request.h3_restrictions_respected) {
              return InvalidField(
                  "h3_restrictions_respected",
                  fmt::format("message {} is H3 (other restrictions: {}): "
                              "confirm that forwarding it "
                              "to {} respects them by setting "
                              "h3_restrictions_respected to true",
                              original->id, original->handling.text, r.code));
            }
          }
          JISR_ASSIGN_OR_RETURN(std::optional<Thread> thread,
                                exchange::GetThread(tx, original->thread_id));
          if (!thread)
            return absl::DataLossError(
                fmt::format("message {} has no thread", id));
          Draft draft;
          draft.subject = CutUtf8("Fwd: " + thread->subject, kMaxSubjectBytes);
          draft.link = thread->link;
          draft.text = original->text;
          draft.handling = original->handling;
          draft.evaluation = original->evaluation;
          draft.recipients = request.recipients;
          draft.ack_requested = request.ack_requested;
          for (const AttachmentRef& a : original->attachments) {
            draft.attachments.push_back(
                DraftAttachment{a.hash, a.name, a.media_type});
          }
          ForwardedFrom from{original->id,      original->thread_id,
                             original->origin,  original->sender.display_name,
                             original->sent_at, request.note};
          JISR_ASSIGN_OR_RETURN(
              view, DoSend(tx, who, draft, access, std::move(from),
                           original->content_origin, original->handling,
                           original->evaluation));
          boost::json::array recipients;
          for (const Recipient& r : request.recipients)
            recipients.push_back(RecipientToJson(r));
          boost::json::object details{
              {"forward", view.message.id},
              {"thread", view.message.thread_id},
              {"recipients", std::move(recipients)},
              {"handling_code", HandlingCodeName(original->handling.code)},
              {"content_origin", original->content_origin}};
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok())
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  return view;
}

absl::StatusOr<ThreadPage> ExchangeService::ListThreads(
    const Principal& who, const ThreadFilter& filter,
    std::string_view purpose) {
  const Action action = Action::kMessageList;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "threads", purpose));
  JISR_RETURN_IF_ERROR(RequirePurpose(purpose));
  ThreadPage page;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckPaging(filter.page, filter.page_size));
    if (filter.agency)
      JISR_RETURN_IF_ERROR(
          federation::CheckAgencyCode(*filter.agency, "agency"));
    if (filter.link_id)
      JISR_RETURN_IF_ERROR(CheckId(*filter.link_id, "link_id"));
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(const Access access, AccessOf(tx, who));
          JISR_ASSIGN_OR_RETURN(
              page, exchange::ListThreads(tx, access.viewer, filter));
          boost::json::object details{
              {"returned", static_cast<int64_t>(page.threads.size())},
              {"total", page.total},
              {"page", page.page}};
          if (filter.agency) details["agency"] = *filter.agency;
          if (filter.link_type)
            details["link_type"] = LinkTypeName(*filter.link_type);
          if (filter.link_id) details["link_id"] = *filter.link_id;
          if (filter.handling_code)
            details["handling_code"] = HandlingCodeName(*filter.handling_code);
          if (filter.unread_only) details["unread"] = true;
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), "threads",
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), "threads",
                         purpose, status);
  }
  return page;
}

absl::StatusOr<ThreadView> ExchangeService::GetThread(
    const Principal& who, std::string_view id, std::string_view purpose) {
  const Action action = Action::kMessageRead;
  const std::string object = ThreadObject(id);
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  JISR_RETURN_IF_ERROR(RequirePurpose(purpose));
  ThreadView view;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckId(id, "id"));
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          view = ThreadView();
          JISR_ASSIGN_OR_RETURN(const Access access, AccessOf(tx, who));
          JISR_ASSIGN_OR_RETURN(std::optional<Thread> thread,
                                exchange::GetThread(tx, id));
          JISR_ASSIGN_OR_RETURN(const bool visible,
                                thread ? CanSeeThread(tx, access.viewer, id)
                                       : absl::StatusOr<bool>(false));
          if (!visible)
            return absl::NotFoundError(
                fmt::format("no thread {} that you may see", id));
          view.thread = *thread;
          JISR_ASSIGN_OR_RETURN(view.agencies, ThreadAgencies(tx, id));
          JISR_ASSIGN_OR_RETURN(std::vector<Message> messages,
                                ThreadMessages(tx, id));
          for (const Message& m : messages) {
            JISR_ASSIGN_OR_RETURN(MessageView v, ViewOf(tx, m, access));
            view.messages.push_back(std::move(v));
          }
          boost::json::object details{
              {"messages", static_cast<int64_t>(messages.size())},
              {"handling_codes", CodesJson(DistinctCodes(messages))}};
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok())
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  return view;
}

absl::StatusOr<std::string> ExchangeService::ExportThread(
    const Principal& who, std::string_view id, std::string_view purpose) {
  const Action action = Action::kMessageExport;
  const std::string object = ThreadObject(id);
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  JISR_RETURN_IF_ERROR(RequirePurpose(purpose));
  std::string text;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckId(id, "id"));
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(const Access access, AccessOf(tx, who));
          JISR_ASSIGN_OR_RETURN(std::optional<Thread> thread,
                                exchange::GetThread(tx, id));
          JISR_ASSIGN_OR_RETURN(const bool visible,
                                thread ? CanSeeThread(tx, access.viewer, id)
                                       : absl::StatusOr<bool>(false));
          if (!visible)
            return absl::NotFoundError(
                fmt::format("no thread {} that you may see", id));
          JISR_ASSIGN_OR_RETURN(std::vector<Message> messages,
                                ThreadMessages(tx, id));
          const std::vector<HandlingCode> codes = DistinctCodes(messages);
          text = fmt::format("Thread {}\nSubject: {}\nOpened by: {}\n",
                             thread->id, thread->subject, thread->origin);
          if (thread->link) {
            text +=
                fmt::format("Linked to: {} {}\n",
                            LinkTypeName(thread->link->type), thread->link->id);
          }
          text += fmt::format("Exported by {} ({}) at {} for: {}\n",
                              who.display_name, options_.agency,
                              FormatRfc3339(clock_.Now()), purpose);
          for (HandlingCode c : codes)
            text += fmt::format("Contains {}\n", SummaryMarking(c));
          for (const Message& m : messages) {
            text += fmt::format("\n======== Message {} ========\n", m.id);
            text += fmt::format("From: {} ({}) at {}\n", m.sender.display_name,
                                m.origin, FormatRfc3339(m.sent_at));
            std::string to;
            for (const Recipient& r : m.recipients) {
              to += fmt::format("{}{}{}", to.empty() ? "" : ", ",
                                r.type == RecipientType::kUnit ? "unit " : "",
                                r.code);
            }
            text += fmt::format("To: {}\n", to);
            text += fmt::format("Handling: {}\n",
                                Marking(m.handling.code, m.handling.text));
            text += fmt::format("Evaluation: {}{} ({}; {})\n",
                                SourceReliabilityName(m.evaluation.source),
                                m.evaluation.accuracy,
                                SourceReliabilityMeaning(m.evaluation.source),
                                AccuracyMeaning(m.evaluation.accuracy));
            if (m.forwarded_from) {
              text += fmt::format(
                  "Forwarded from: message {} of {} ({}), sent {}\n",
                  m.forwarded_from->message_id, m.forwarded_from->origin,
                  m.forwarded_from->sender_name,
                  FormatRfc3339(m.forwarded_from->sent_at));
              if (!m.forwarded_from->note.empty()) {
                text += fmt::format("Forwarding note: {}\n",
                                    m.forwarded_from->note);
              }
            }
            for (const AttachmentRef& a : m.attachments) {
              text +=
                  fmt::format("Attachment: {} ({}, {} bytes, BLAKE2b-256 {})\n",
                              a.name, a.media_type, a.size, a.hash);
            }
            const bool h1 = m.handling.code == HandlingCode::kH1;
            if (h1) {
              text +=
                  "\n[H1 - NOT TO BE USED IN JUDICIAL PROCEEDINGS WITHOUT THE "
                  "SENDER'S "
                  "PERMISSION]\n";
            }
            text += "\n" + m.text + "\n";
            if (h1) text += "[END OF H1 CONTENT]\n";
          }
          boost::json::object details{
              {"messages", static_cast<int64_t>(messages.size())},
              {"handling_codes", CodesJson(codes)},
              {"format", "text"}};
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok())
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  return text;
}

absl::StatusOr<MessageView> ExchangeService::MarkRead(
    const Principal& who, std::string_view id, std::string_view purpose) {
  const Action action = Action::kMessageRead;
  const std::string object = MessageObject(id);
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  JISR_RETURN_IF_ERROR(RequirePurpose(purpose));
  MessageView view;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckId(id, "id"));
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(const Access access, AccessOf(tx, who));
          JISR_ASSIGN_OR_RETURN(std::optional<Message> m, GetMessage(tx, id));
          JISR_ASSIGN_OR_RETURN(
              const bool visible,
              m ? CanSeeThread(tx, access.viewer, m->thread_id)
                : absl::StatusOr<bool>(false));
          if (!visible)
            return absl::NotFoundError(
                fmt::format("no message {} that you may see", id));
          const absl::Time now = TruncateToMillis(clock_.Now());
          JISR_ASSIGN_OR_RETURN(const bool first,
                                RecordRead(tx, m->id, who.user_id, now));
          JISR_ASSIGN_OR_RETURN(std::vector<Delivery> deliveries,
                                Deliveries(tx, m->id));
          int64_t receipts = 0;
          for (Delivery& d : deliveries) {
            const bool mine =
                (d.type == RecipientType::kAgency &&
                 d.code == options_.agency && m->origin != options_.agency) ||
                (d.type == RecipientType::kUnit &&
                 std::find(access.units.begin(), access.units.end(), d.code) !=
                     access.units.end());
            if (!mine || static_cast<int>(d.state) >=
                             static_cast<int>(DeliveryState::kRead))
              continue;
            d.state = DeliveryState::kRead;
            d.read_at = now;
            d.read_by = who.display_name;
            if (!d.delivered_at) d.delivered_at = now;
            JISR_RETURN_IF_ERROR(UpdateDelivery(tx, m->id, d));
            if (d.type == RecipientType::kAgency) {
              JISR_RETURN_IF_ERROR(PublishReceipt(tx, *m, d, now));
              ++receipts;
            }
          }
          JISR_ASSIGN_OR_RETURN(view, ViewOf(tx, *m, access));
          boost::json::object details{
              {"first_read", first},
              {"receipts", receipts},
              {"handling_code", HandlingCodeName(m->handling.code)}};
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok())
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  return view;
}

absl::StatusOr<MessageView> ExchangeService::Acknowledge(
    const Principal& who, std::string_view id, std::string_view note,
    std::string_view purpose) {
  const Action action = Action::kMessageAck;
  const std::string object = MessageObject(id);
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  MessageView view;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckId(id, "id"));
    JISR_RETURN_IF_ERROR(CheckText(note, "note", kMaxNoteBytes, false, true));
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(const Access access, AccessOf(tx, who));
          JISR_ASSIGN_OR_RETURN(std::optional<Message> m, GetMessage(tx, id));
          JISR_ASSIGN_OR_RETURN(
              const bool visible,
              m ? CanSeeThread(tx, access.viewer, m->thread_id)
                : absl::StatusOr<bool>(false));
          if (!visible)
            return absl::NotFoundError(
                fmt::format("no message {} that you may see", id));
          const absl::Time now = TruncateToMillis(clock_.Now());
          JISR_ASSIGN_OR_RETURN(std::vector<Delivery> deliveries,
                                Deliveries(tx, m->id));
          std::vector<Delivery*> mine;
          for (Delivery& d : deliveries) {
            if ((d.type == RecipientType::kAgency &&
                 d.code == options_.agency && m->origin != options_.agency) ||
                (d.type == RecipientType::kUnit &&
                 std::find(access.units.begin(), access.units.end(), d.code) !=
                     access.units.end())) {
              mine.push_back(&d);
            }
          }
          if (mine.empty()) {
            return absl::FailedPreconditionError(
                fmt::format("you stand for no recipient of message {} (its "
                            "recipients are acknowledged by them)",
                            m->id));
          }
          std::vector<Delivery*> open;
          for (Delivery* d : mine) {
            if (d->state != DeliveryState::kAcknowledged) open.push_back(d);
          }
          if (open.empty()) {
            const Delivery& d = *mine.front();
            return absl::FailedPreconditionError(fmt::format(
                "message {} was acknowledged already by {} at {}", m->id,
                d.acknowledged_by,
                d.acknowledged_at ? FormatRfc3339(*d.acknowledged_at)
                                  : std::string("?")));
          }
          JISR_RETURN_IF_ERROR(
              RecordRead(tx, m->id, who.user_id, now).status());
          for (Delivery* d : open) {
            d->state = DeliveryState::kAcknowledged;
            if (!d->delivered_at) d->delivered_at = now;
            if (!d->read_at) {
              d->read_at = now;
              d->read_by = who.display_name;
            }
            d->acknowledged_at = now;
            d->acknowledged_by = who.display_name;
            d->note = std::string(note);
            JISR_RETURN_IF_ERROR(UpdateDelivery(tx, m->id, *d));
            if (d->type == RecipientType::kAgency)
              JISR_RETURN_IF_ERROR(PublishReceipt(tx, *m, *d, now));
          }
          JISR_ASSIGN_OR_RETURN(view, ViewOf(tx, *m, access));
          boost::json::array recipients;
          for (const Delivery* d : open) {
            recipients.push_back(RecipientToJson(Recipient{d->type, d->code}));
          }
          boost::json::object details{{"for", std::move(recipients)},
                                      {"note", !note.empty()}};
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok())
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  return view;
}

absl::StatusOr<SearchPage> ExchangeService::Search(const Principal& who,
                                                   std::string_view q,
                                                   int64_t page,
                                                   int64_t page_size,
                                                   std::string_view purpose) {
  const Action action = Action::kMessageSearch;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "messages", purpose));
  JISR_RETURN_IF_ERROR(RequirePurpose(purpose));
  SearchPage result;
  const std::string query = SanitizeText(q, 500);
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckPaging(page, page_size));
    if (q.size() > 500) return InvalidField("q", "q is longer than 500 bytes");
    const std::vector<std::string> terms = SearchTerms(q);
    if (terms.empty())
      return InvalidField("q", "q must hold at least one letter or digit");
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(const Access access, AccessOf(tx, who));
          JISR_ASSIGN_OR_RETURN(
              result, SearchMessages(tx, db_.dialect(), access.viewer, terms,
                                     page, page_size));
          boost::json::object details{
              {"q", query}, {"total", result.total}, {"page", page}};
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), "messages",
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok()) {
    boost::json::object details{{"q", query}};
    return RecordFailure(db_, audit_, who, ActionName(action), "messages",
                         purpose, status, details);
  }
  return result;
}

absl::StatusOr<StoredAttachment> ExchangeService::Upload(
    const Principal& who, std::string_view bytes, std::string_view purpose) {
  const Action action = Action::kMessageAttachmentUpload;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "attachment", purpose));
  StoredAttachment out;
  absl::Status status = [&]() -> absl::Status {
    if (static_cast<int64_t>(bytes.size()) > options_.max_attachment_bytes) {
      return WithField(
          absl::ResourceExhaustedError(fmt::format(
              "the attachment is {} bytes; this node accepts at most {} bytes",
              bytes.size(), options_.max_attachment_bytes)),
          "body");
    }
    JISR_ASSIGN_OR_RETURN(AttachmentStore::Stored stored, store_.Put(bytes));
    out = StoredAttachment{stored.hash, stored.size, stored.created};
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          const absl::Time now = TruncateToMillis(clock_.Now());
          JISR_RETURN_IF_ERROR(
              RecordAttachment(tx, stored.hash, stored.size, now));
          JISR_RETURN_IF_ERROR(RecordUpload(tx, stored.hash, who.user_id, now));
          boost::json::object details{{"size", stored.size},
                                      {"new_bytes", stored.created}};
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action),
                                    fmt::format("attachment/{}", stored.hash),
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok()) {
    boost::json::object details{{"size", static_cast<int64_t>(bytes.size())}};
    return RecordFailure(db_, audit_, who, ActionName(action), "attachment",
                         purpose, status, details);
  }
  return out;
}

absl::StatusOr<AttachmentDownload> ExchangeService::Download(
    const Principal& who, std::string_view hash, std::string_view purpose) {
  const Action action = Action::kMessageAttachmentRead;
  const std::string object =
      fmt::format("attachment/{}", SanitizeText(hash, 64));
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  JISR_RETURN_IF_ERROR(RequirePurpose(purpose));
  AttachmentDownload out;
  absl::Status status = [&]() -> absl::Status {
    if (!IsAttachmentHash(hash)) {
      return InvalidField(
          "hash", "hash must be 64 lower-case hex digits (BLAKE2b-256)");
    }
    std::vector<std::string> carriers;
    JISR_RETURN_IF_ERROR(
        db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(const Access access, AccessOf(tx, who));
          JISR_ASSIGN_OR_RETURN(
              std::vector<Message> messages,
              VisibleMessagesWithAttachment(tx, access.viewer, hash));
          if (messages.empty()) {
            return absl::NotFoundError(fmt::format(
                "no message you may see carries attachment {}", hash));
          }
          JISR_ASSIGN_OR_RETURN(std::optional<int64_t> size,
                                StoredAttachmentSize(tx, hash));
          if (!size) {
            return absl::FailedPreconditionError(fmt::format(
                "the bytes of attachment {} have not arrived here yet", hash));
          }
          out.handling_codes = DistinctCodes(messages);
          for (const AttachmentRef& a : messages.front().attachments) {
            if (a.hash == hash) {
              out.name = a.name;
              out.media_type = a.media_type;
              break;
            }
          }
          for (const Message& m : messages) {
            if (carriers.size() < 20) carriers.push_back(m.id);
          }
          return absl::OkStatus();
        }));
    absl::StatusOr<std::string> bytes = store_.Get(hash);
    if (bytes.status().code() == absl::StatusCode::kNotFound)
      return MissingHere(hash);
    JISR_ASSIGN_OR_RETURN(out.bytes, std::move(bytes));
    out.hash = std::string(hash);
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          boost::json::array ids;
          for (const std::string& id : carriers) ids.emplace_back(id);
          boost::json::object details{
              {"size", static_cast<int64_t>(out.bytes.size())},
              {"messages", std::move(ids)},
              {"handling_codes", CodesJson(out.handling_codes)}};
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok())
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  return out;
}

absl::StatusOr<std::vector<Unit>> ExchangeService::ListUnits(
    const Principal& who) {
  const Action action = Action::kMessageUnitList;
  JISR_RETURN_IF_ERROR(AuthorizeAudited(db_, audit_, who, action, "units", ""));
  std::vector<Unit> units;
  JISR_RETURN_IF_ERROR(
      db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(units, exchange::ListUnits(tx));
        return absl::OkStatus();
      }));
  return units;
}

absl::StatusOr<Unit> ExchangeService::PutUnit(
    const Principal& who, std::string_view code, std::string_view name,
    const std::vector<std::string>& members, std::string_view purpose) {
  const Action action = Action::kMessageUnitManage;
  const std::string object = fmt::format("unit/{}", SanitizeText(code, 32));
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  Unit unit;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUnitCode(code, "code"));
    JISR_RETURN_IF_ERROR(
        CheckText(name, "name", kMaxUnitNameBytes, true, false));
    if (members.size() > kMaxUnitMembers) {
      return InvalidField("members",
                          fmt::format("at most {} members", kMaxUnitMembers));
    }
    std::set<std::string> distinct;
    for (size_t i = 0; i < members.size(); ++i) {
      const std::string field = fmt::format("members[{}]", i);
      JISR_RETURN_IF_ERROR(CheckId(members[i], field));
      if (!distinct.insert(members[i]).second) {
        return InvalidField(field,
                            fmt::format("{} is listed twice", members[i]));
      }
      if (users_ != nullptr) {
        absl::StatusOr<security::User> user =
            users_->Get(who, members[i], purpose);
        if (user.status().code() == absl::StatusCode::kNotFound) {
          return InvalidField(field, fmt::format("no user {}", members[i]));
        }
        JISR_RETURN_IF_ERROR(user.status());
      }
    }
    unit.code = std::string(code);
    unit.name = std::string(name);
    unit.members.assign(distinct.begin(), distinct.end());
    unit.updated_by = who.Actor();
    unit.updated_at = TruncateToMillis(clock_.Now());
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(std::optional<Unit> before, GetUnit(tx, code));
          JISR_RETURN_IF_ERROR(exchange::PutUnit(tx, unit));
          boost::json::object details{
              {"name", unit.name},
              {"members", static_cast<int64_t>(unit.members.size())},
              {"created", !before.has_value()}};
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok())
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  return unit;
}

absl::StatusOr<int64_t> ExchangeService::CleanUp(absl::Duration stale_after) {
  int64_t removed = 0;
  JISR_RETURN_IF_ERROR(
      db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(removed,
                              PurgeStaleChunks(tx, clock_.Now() - stale_after));
        return absl::OkStatus();
      }));
  absl::Status lookup;
  JISR_ASSIGN_OR_RETURN(
      const int64_t files,
      store_.RemoveUnreferenced(
          [&](std::string_view hash) {
            bool known = true;  // on a store error, keep the file
            absl::Status s = db_.Run(
                db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
                  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> size,
                                        StoredAttachmentSize(tx, hash));
                  known = size.has_value();
                  return absl::OkStatus();
                });
            if (!s.ok()) {
              lookup = s;
              known = true;
            }
            return known;
          },
          absl::Hours(1)));
  JISR_RETURN_IF_ERROR(lookup);
  return removed + files;
}

}  // namespace jisr::exchange
