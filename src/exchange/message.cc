#include "exchange/message.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <set>

#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "common/utf8.h"
#include "federation/identity.h"
#include "names/normalize.h"

namespace jisr::exchange {
namespace {

constexpr std::array<std::string_view, 4> kHandlingNames = {"H0", "H1", "H2",
                                                            "H3"};
constexpr std::array<std::string_view, 4> kReliabilityNames = {"A", "B", "C",
                                                               "X"};
constexpr std::array<std::string_view, 4> kLinkNames = {
    "alert", "assistance_request", "working_group", "event"};
constexpr std::array<std::string_view, 2> kRecipientNames = {"agency", "unit"};
constexpr std::array<std::string_view, 4> kDeliveryNames = {
    "pending", "delivered", "read", "acknowledged"};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::string_view, N>& names, E value) {
  const size_t i = static_cast<size_t>(value);
  return i < N ? names[i] : std::string_view("unknown");
}

template <typename E, size_t N>
std::optional<E> FromName(const std::array<std::string_view, N>& names,
                          std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  });
}

bool IsHexHash(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

absl::Status CheckUuid(std::string_view id, std::string_view field) {
  if (!IsUuid(id))
    return InvalidField(field,
                        fmt::format("{} must be a lower-case UUID", field));
  return absl::OkStatus();
}

boost::json::value TimeOrNull(const std::optional<absl::Time>& t) {
  if (!t) return nullptr;
  return boost::json::value(FormatRfc3339(*t));
}

absl::StatusOr<const boost::json::array*> ArrayMember(
    const boost::json::object& json, std::string_view key,
    std::string_view field, bool required) {
  const boost::json::value* v = json.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required)
      return InvalidField(field, fmt::format("{} is required", field));
    return nullptr;
  }
  if (!v->is_array())
    return InvalidField(field, fmt::format("{} must be an array", field));
  return &v->get_array();
}

absl::StatusOr<const boost::json::object*> ObjectMember(
    const boost::json::object& json, std::string_view key,
    std::string_view field) {
  const boost::json::value* v = json.if_contains(key);
  if (v == nullptr || v->is_null()) return nullptr;
  if (!v->is_object())
    return InvalidField(field, fmt::format("{} must be an object", field));
  return &v->get_object();
}

absl::StatusOr<std::vector<Recipient>> RecipientsFromJson(
    const boost::json::object& json, std::string_view prefix) {
  const std::string field = fmt::format("{}recipients", prefix);
  JISR_ASSIGN_OR_RETURN(
      const boost::json::array* list,
      ArrayMember(json, "recipients", field, /*required=*/true));
  if (list->size() > kMaxRecipients) {
    return InvalidField(field, fmt::format("{} holds more than {} recipients",
                                           field, kMaxRecipients));
  }
  std::vector<Recipient> out;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string item = fmt::format("{}[{}]", field, i);
    if (!(*list)[i].is_object())
      return InvalidField(item, fmt::format("{} must be an object", item));
    JsonObjectReader r((*list)[i].get_object(), item + ".");
    Recipient rec;
    JISR_ASSIGN_OR_RETURN(const std::string type,
                          r.RequiredEnum("type", RecipientTypeNames()));
    rec.type = *RecipientTypeFromName(type);
    JISR_ASSIGN_OR_RETURN(rec.code, r.RequiredString("code", 64));
    JISR_RETURN_IF_ERROR(r.RejectUnknown());
    out.push_back(std::move(rec));
  }
  return out;
}

absl::StatusOr<Link> LinkFromJson(const boost::json::object& json,
                                  std::string_view prefix) {
  JsonObjectReader r(json, std::string(prefix));
  Link link;
  JISR_ASSIGN_OR_RETURN(const std::string type,
                        r.RequiredEnum("type", LinkTypeNames()));
  link.type = *LinkTypeFromName(type);
  JISR_ASSIGN_OR_RETURN(link.id, r.RequiredString("id", 64));
  JISR_RETURN_IF_ERROR(CheckUuid(link.id, r.FieldName("id")));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  return link;
}

absl::StatusOr<absl::Time> TimeMember(JsonObjectReader& r,
                                      std::string_view key) {
  JISR_ASSIGN_OR_RETURN(const std::string text, r.RequiredString(key, 64));
  absl::StatusOr<absl::Time> t = ParseRfc3339(text);
  if (!t.ok()) {
    return InvalidField(
        r.FieldName(key),
        fmt::format("{} must be an RFC 3339 time", r.FieldName(key)));
  }
  return *t;
}

absl::Status CheckHandling(const Handling& h, std::string_view text_field) {
  if (h.code == HandlingCode::kH3) {
    return CheckText(h.text, text_field, kMaxHandlingTextBytes,
                     /*required=*/true,
                     /*multiline=*/true);
  }
  if (!h.text.empty()) {
    return InvalidField(
        text_field,
        fmt::format(
            "{} is only for H3 (other restrictions); this message is {}",
            text_field, HandlingCodeName(h.code)));
  }
  return absl::OkStatus();
}

absl::Status CheckEvaluation(const Evaluation& e, std::string_view field) {
  if (e.accuracy < kMinAccuracy || e.accuracy > kMaxAccuracy) {
    return InvalidField(
        field, fmt::format("{} must be an integer from {} to {}", field,
                           kMinAccuracy, kMaxAccuracy));
  }
  return absl::OkStatus();
}

absl::Status CheckAttachmentRef(std::string_view hash, std::string_view name,
                                std::string_view media_type,
                                std::string_view prefix) {
  if (!IsHexHash(hash)) {
    return InvalidField(fmt::format("{}hash", prefix),
                        "hash must be the 64 lower-case hex digits of the "
                        "attachment's BLAKE2b-256 "
                        "(as POST /api/v1/attachments returned it)");
  }
  JISR_RETURN_IF_ERROR(CheckText(name, fmt::format("{}name", prefix),
                                 kMaxAttachmentNameBytes,
                                 /*required=*/true, /*multiline=*/false));
  if (name.find('/') != std::string_view::npos ||
      name.find('\\') != std::string_view::npos) {
    return InvalidField(fmt::format("{}name", prefix),
                        "a file name holds no / or \\");
  }
  // type/subtype with token characters only.
  const size_t slash = media_type.find('/');
  const auto token = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '+' ||
             c == '_';
    });
  };
  if (media_type.size() > kMaxMediaTypeBytes ||
      slash == std::string_view::npos || !token(media_type.substr(0, slash)) ||
      !token(media_type.substr(slash + 1))) {
    return InvalidField(
        fmt::format("{}media_type", prefix),
        "media_type must be a media type such as application/pdf");
  }
  return absl::OkStatus();
}

// Reads a MessageToJson body for SharedMessageFromJson.
absl::StatusOr<Message> SharedMessageBody(const boost::json::object& json) {
  JsonObjectReader r(json, "message.");
  Message m;
  JISR_ASSIGN_OR_RETURN(m.id, r.RequiredString("id", 64));
  JISR_RETURN_IF_ERROR(CheckUuid(m.id, "message.id"));
  JISR_ASSIGN_OR_RETURN(m.thread_id, r.RequiredString("thread_id", 64));
  JISR_RETURN_IF_ERROR(CheckUuid(m.thread_id, "message.thread_id"));
  JISR_ASSIGN_OR_RETURN(m.in_reply_to, r.OptionalString("in_reply_to", 64));
  if (m.in_reply_to)
    JISR_RETURN_IF_ERROR(CheckUuid(*m.in_reply_to, "message.in_reply_to"));
  JISR_ASSIGN_OR_RETURN(m.origin, r.RequiredString("origin", 32));
  JISR_RETURN_IF_ERROR(federation::CheckAgencyCode(m.origin, "message.origin"));
  JISR_ASSIGN_OR_RETURN(m.content_origin,
                        r.RequiredString("content_origin", 32));
  JISR_RETURN_IF_ERROR(
      federation::CheckAgencyCode(m.content_origin, "message.content_origin"));
  // sender
  JISR_ASSIGN_OR_RETURN(const boost::json::object* sender,
                        ObjectMember(json, "sender", "message.sender"));
  r.MarkRead("sender");
  if (sender == nullptr)
    return InvalidField("message.sender", "message.sender is required");
  JsonObjectReader sr(*sender, "message.sender.");
  JISR_ASSIGN_OR_RETURN(m.sender.agency, sr.RequiredString("agency", 32));
  JISR_ASSIGN_OR_RETURN(m.sender.username, sr.RequiredString("username", 64));
  JISR_ASSIGN_OR_RETURN(m.sender.display_name,
                        sr.RequiredString("display_name", 200));
  JISR_RETURN_IF_ERROR(sr.RejectUnknown());
  JISR_RETURN_IF_ERROR(
      CheckText(m.sender.username, "message.sender.username", 64, true, false));
  JISR_RETURN_IF_ERROR(CheckText(
      m.sender.display_name, "message.sender.display_name", 200, true, false));
  if (m.sender.agency != m.origin) {
    return InvalidField("message.sender.agency",
                        "the sender's agency is not the message's origin");
  }
  JISR_ASSIGN_OR_RETURN(m.text, r.RequiredString("text", kMaxTextBytes));
  JISR_RETURN_IF_ERROR(
      CheckText(m.text, "message.text", kMaxTextBytes, true, true));
  // handling {code, text, marking}
  JISR_ASSIGN_OR_RETURN(const boost::json::object* handling,
                        ObjectMember(json, "handling", "message.handling"));
  r.MarkRead("handling");
  if (handling == nullptr)
    return InvalidField("message.handling", "message.handling is required");
  JsonObjectReader hr(*handling, "message.handling.");
  JISR_ASSIGN_OR_RETURN(const std::string code,
                        hr.RequiredEnum("code", HandlingCodeNames()));
  m.handling.code = *HandlingCodeFromName(code);
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> htext,
                        hr.OptionalString("text", kMaxHandlingTextBytes));
  m.handling.text = htext.value_or("");
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> marking,
                        hr.OptionalString("marking", 2000));
  (void)marking;  // derived; recomputed here
  JISR_RETURN_IF_ERROR(hr.RejectUnknown());
  JISR_RETURN_IF_ERROR(CheckHandling(m.handling, "message.handling.text"));
  // evaluation
  JISR_ASSIGN_OR_RETURN(const boost::json::object* evaluation,
                        ObjectMember(json, "evaluation", "message.evaluation"));
  r.MarkRead("evaluation");
  if (evaluation == nullptr) {
    return InvalidField("message.evaluation", "message.evaluation is required");
  }
  JsonObjectReader er(*evaluation, "message.evaluation.");
  JISR_ASSIGN_OR_RETURN(
      const std::string source,
      er.RequiredEnum("source_reliability", SourceReliabilityNames()));
  m.evaluation.source = *SourceReliabilityFromName(source);
  JISR_ASSIGN_OR_RETURN(const int64_t accuracy,
                        er.RequiredInt("information_accuracy"));
  m.evaluation.accuracy =
      static_cast<int>(std::clamp<int64_t>(accuracy, -1, 100));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> meaning,
                        er.OptionalString("meaning", 2000));
  (void)meaning;
  JISR_RETURN_IF_ERROR(er.RejectUnknown());
  JISR_RETURN_IF_ERROR(
      CheckEvaluation(m.evaluation, "message.evaluation.information_accuracy"));
  JISR_ASSIGN_OR_RETURN(std::optional<bool> ack,
                        r.OptionalBool("ack_requested"));
  m.ack_requested = ack.value_or(false);
  // forwarded_from
  JISR_ASSIGN_OR_RETURN(
      const boost::json::object* fwd,
      ObjectMember(json, "forwarded_from", "message.forwarded_from"));
  r.MarkRead("forwarded_from");
  if (fwd != nullptr) {
    JsonObjectReader fr(*fwd, "message.forwarded_from.");
    ForwardedFrom f;
    JISR_ASSIGN_OR_RETURN(f.message_id, fr.RequiredString("message_id", 64));
    JISR_RETURN_IF_ERROR(
        CheckUuid(f.message_id, "message.forwarded_from.message_id"));
    JISR_ASSIGN_OR_RETURN(f.thread_id, fr.RequiredString("thread_id", 64));
    JISR_RETURN_IF_ERROR(
        CheckUuid(f.thread_id, "message.forwarded_from.thread_id"));
    JISR_ASSIGN_OR_RETURN(f.origin, fr.RequiredString("origin", 32));
    JISR_RETURN_IF_ERROR(
        federation::CheckAgencyCode(f.origin, "message.forwarded_from.origin"));
    JISR_ASSIGN_OR_RETURN(f.sender_name, fr.RequiredString("sender_name", 200));
    JISR_ASSIGN_OR_RETURN(f.sent_at, TimeMember(fr, "sent_at"));
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> note,
                          fr.OptionalString("note", kMaxNoteBytes));
    f.note = note.value_or("");
    JISR_RETURN_IF_ERROR(fr.RejectUnknown());
    if (!f.note.empty()) {
      JISR_RETURN_IF_ERROR(CheckText(f.note, "message.forwarded_from.note",
                                     kMaxNoteBytes, false, true));
    }
    m.forwarded_from = std::move(f);
  }
  r.MarkRead("recipients");
  JISR_ASSIGN_OR_RETURN(m.recipients, RecipientsFromJson(json, "message."));
  for (size_t i = 0; i < m.recipients.size(); ++i) {
    if (m.recipients[i].type != RecipientType::kAgency) {
      return InvalidField(
          fmt::format("message.recipients[{}].type", i),
          "only agencies are named as recipients between nodes");
    }
  }
  JISR_RETURN_IF_ERROR(ValidateRecipients(m.recipients));
  // attachments
  r.MarkRead("attachments");
  JISR_ASSIGN_OR_RETURN(
      const boost::json::array* atts,
      ArrayMember(json, "attachments", "message.attachments", false));
  if (atts != nullptr) {
    if (atts->size() > kMaxAttachments) {
      return InvalidField(
          "message.attachments",
          fmt::format("at most {} attachments", kMaxAttachments));
    }
    for (size_t i = 0; i < atts->size(); ++i) {
      const std::string prefix = fmt::format("message.attachments[{}].", i);
      if (!(*atts)[i].is_object()) {
        return InvalidField(prefix.substr(0, prefix.size() - 1),
                            "an attachment must be an object");
      }
      JsonObjectReader ar((*atts)[i].get_object(), prefix);
      AttachmentRef a;
      JISR_ASSIGN_OR_RETURN(a.hash, ar.RequiredString("hash", 64));
      JISR_ASSIGN_OR_RETURN(a.name,
                            ar.RequiredString("name", kMaxAttachmentNameBytes));
      JISR_ASSIGN_OR_RETURN(
          a.media_type, ar.RequiredString("media_type", kMaxMediaTypeBytes));
      JISR_ASSIGN_OR_RETURN(a.size, ar.RequiredInt("size"));
      JISR_RETURN_IF_ERROR(ar.RejectUnknown());
      JISR_RETURN_IF_ERROR(
          CheckAttachmentRef(a.hash, a.name, a.media_type, prefix));
      if (a.size < 0)
        return InvalidField(prefix + "size", "size must not be negative");
      m.attachments.push_back(std::move(a));
    }
  }
  JISR_ASSIGN_OR_RETURN(m.sent_at, TimeMember(r, "sent_at"));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> received,
                        r.OptionalString("received_at", 64));
  (void)received;  // the receiving node sets its own
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  return m;
}

}  // namespace

// ---- names
// -------------------------------------------------------------------

std::string_view HandlingCodeName(HandlingCode code) {
  return NameOf(kHandlingNames, code);
}
std::optional<HandlingCode> HandlingCodeFromName(std::string_view name) {
  return FromName<HandlingCode>(kHandlingNames, name);
}
std::span<const std::string_view> HandlingCodeNames() { return kHandlingNames; }

std::string Marking(HandlingCode code, std::string_view h3_text) {
  switch (code) {
    case HandlingCode::kH0:
      return "H0: police purposes only";
    case HandlingCode::kH1:
      return "H1: not to be used in judicial proceedings without the sender's "
             "permission";
    case HandlingCode::kH2:
      return "H2: not to be passed on without the sender's permission";
    case HandlingCode::kH3:
      return fmt::format("H3: other restrictions: {}", h3_text);
  }
  return "unknown handling code";
}

std::string_view SourceReliabilityName(SourceReliability s) {
  return NameOf(kReliabilityNames, s);
}
std::optional<SourceReliability> SourceReliabilityFromName(
    std::string_view name) {
  return FromName<SourceReliability>(kReliabilityNames, name);
}
std::span<const std::string_view> SourceReliabilityNames() {
  return kReliabilityNames;
}

std::string_view SourceReliabilityMeaning(SourceReliability s) {
  switch (s) {
    case SourceReliability::kA:
      return "no doubt about the source's authenticity, trustworthiness and "
             "competence";
    case SourceReliability::kB:
      return "the source has in most instances proved reliable";
    case SourceReliability::kC:
      return "the source has in most instances proved unreliable";
    case SourceReliability::kX:
      return "the reliability of the source cannot be assessed";
  }
  return "";
}

std::string_view AccuracyMeaning(int accuracy) {
  switch (accuracy) {
    case 1:
      return "known to be true without reservation";
    case 2:
      return "known personally to the source but not to the official passing "
             "it on";
    case 3:
      return "not known personally to the source but corroborated by other "
             "information";
    case 4:
      return "not known personally to the source and cannot be corroborated";
    default:
      return "";
  }
}

std::string_view LinkTypeName(LinkType t) { return NameOf(kLinkNames, t); }
std::optional<LinkType> LinkTypeFromName(std::string_view name) {
  return FromName<LinkType>(kLinkNames, name);
}
std::span<const std::string_view> LinkTypeNames() { return kLinkNames; }

std::string_view RecipientTypeName(RecipientType t) {
  return NameOf(kRecipientNames, t);
}
std::optional<RecipientType> RecipientTypeFromName(std::string_view name) {
  return FromName<RecipientType>(kRecipientNames, name);
}
std::span<const std::string_view> RecipientTypeNames() {
  return kRecipientNames;
}

std::string_view DeliveryStateName(DeliveryState s) {
  return NameOf(kDeliveryNames, s);
}
std::optional<DeliveryState> DeliveryStateFromName(std::string_view name) {
  return FromName<DeliveryState>(kDeliveryNames, name);
}
std::span<const std::string_view> DeliveryStateNames() {
  return kDeliveryNames;
}

// ---- checks
// ------------------------------------------------------------------

absl::Status CheckText(std::string_view text, std::string_view field,
                       size_t max_bytes, bool required, bool multiline) {
  if (text.size() > max_bytes) {
    return InvalidField(
        field, fmt::format("{} is longer than {} bytes", field, max_bytes));
  }
  if (required && IsBlank(text)) {
    return InvalidField(field, fmt::format("{} must not be empty", field));
  }
  if (!IsCleanUtf8(text, multiline ? Utf8Rule::kNoControlsButNewlines
                                   : Utf8Rule::kNoControls)) {
    return InvalidField(
        field, fmt::format("{} must be valid UTF-8 without control characters",
                           field));
  }
  return absl::OkStatus();
}

absl::Status CheckUnitCode(std::string_view code, std::string_view field) {
  const bool ok = !code.empty() && code.size() <= 32 &&
                  std::all_of(code.begin(), code.end(),
                              [](char c) {
                                return (c >= 'A' && c <= 'Z') ||
                                       (c >= '0' && c <= '9') || c == '.' ||
                                       c == '_' || c == '-';
                              }) &&
                  code[0] != '.' && code[0] != '_' && code[0] != '-';
  if (!ok) {
    return InvalidField(
        field, fmt::format("{} must be 1 to 32 of A-Z, 0-9, '.', '_' and '-' "
                           "(starting with a letter or digit)",
                           field));
  }
  return absl::OkStatus();
}

absl::Status ValidateRecipients(std::span<const Recipient> recipients) {
  if (recipients.empty())
    return InvalidField("recipients", "recipients must name at least one");
  if (recipients.size() > kMaxRecipients) {
    return InvalidField("recipients",
                        fmt::format("at most {} recipients", kMaxRecipients));
  }
  std::set<std::pair<int, std::string>> seen;
  for (size_t i = 0; i < recipients.size(); ++i) {
    const std::string field = fmt::format("recipients[{}].code", i);
    const Recipient& r = recipients[i];
    if (r.type == RecipientType::kAgency) {
      JISR_RETURN_IF_ERROR(federation::CheckAgencyCode(r.code, field));
    } else {
      JISR_RETURN_IF_ERROR(CheckUnitCode(r.code, field));
    }
    if (!seen.emplace(static_cast<int>(r.type), r.code).second) {
      return InvalidField(field,
                          fmt::format("{} names {} twice", field, r.code));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Draft> DraftFromJson(const boost::json::object& json) {
  JsonObjectReader r(json);
  Draft d;
  JISR_ASSIGN_OR_RETURN(d.thread_id, r.OptionalString("thread_id", 64));
  JISR_ASSIGN_OR_RETURN(d.subject,
                        r.OptionalString("subject", kMaxSubjectBytes));
  JISR_ASSIGN_OR_RETURN(const boost::json::object* link,
                        ObjectMember(json, "link", "link"));
  r.MarkRead("link");
  if (link != nullptr) {
    JISR_ASSIGN_OR_RETURN(Link l, LinkFromJson(*link, "link."));
    d.link = std::move(l);
  }
  JISR_ASSIGN_OR_RETURN(d.in_reply_to, r.OptionalString("in_reply_to", 64));
  JISR_ASSIGN_OR_RETURN(d.text, r.RequiredString("text", kMaxTextBytes));
  JISR_ASSIGN_OR_RETURN(const std::string code,
                        r.RequiredEnum("handling_code", HandlingCodeNames()));
  d.handling.code = *HandlingCodeFromName(code);
  JISR_ASSIGN_OR_RETURN(
      std::optional<std::string> htext,
      r.OptionalString("handling_text", kMaxHandlingTextBytes));
  d.handling.text = htext.value_or("");
  JISR_ASSIGN_OR_RETURN(
      const std::string source,
      r.RequiredEnum("source_reliability", SourceReliabilityNames()));
  d.evaluation.source = *SourceReliabilityFromName(source);
  JISR_ASSIGN_OR_RETURN(const int64_t accuracy,
                        r.RequiredInt("information_accuracy"));
  if (accuracy < kMinAccuracy || accuracy > kMaxAccuracy) {
    return InvalidField(
        "information_accuracy",
        fmt::format("information_accuracy must be an integer from {} to {}",
                    kMinAccuracy, kMaxAccuracy));
  }
  d.evaluation.accuracy = static_cast<int>(accuracy);
  r.MarkRead("recipients");
  JISR_ASSIGN_OR_RETURN(d.recipients, RecipientsFromJson(json, ""));
  r.MarkRead("attachments");
  JISR_ASSIGN_OR_RETURN(const boost::json::array* atts,
                        ArrayMember(json, "attachments", "attachments", false));
  if (atts != nullptr) {
    if (atts->size() > kMaxAttachments) {
      return InvalidField("attachments", fmt::format("at most {} attachments",
                                                     kMaxAttachments));
    }
    for (size_t i = 0; i < atts->size(); ++i) {
      const std::string prefix = fmt::format("attachments[{}].", i);
      if (!(*atts)[i].is_object()) {
        return InvalidField(fmt::format("attachments[{}]", i),
                            "an attachment must be an object");
      }
      JsonObjectReader ar((*atts)[i].get_object(), prefix);
      DraftAttachment a;
      JISR_ASSIGN_OR_RETURN(a.hash, ar.RequiredString("hash", 64));
      JISR_ASSIGN_OR_RETURN(a.name,
                            ar.RequiredString("name", kMaxAttachmentNameBytes));
      JISR_ASSIGN_OR_RETURN(
          std::optional<std::string> media,
          ar.OptionalString("media_type", kMaxMediaTypeBytes));
      if (media) a.media_type = *media;
      JISR_RETURN_IF_ERROR(ar.RejectUnknown());
      d.attachments.push_back(std::move(a));
    }
  }
  JISR_ASSIGN_OR_RETURN(std::optional<bool> ack,
                        r.OptionalBool("ack_requested"));
  d.ack_requested = ack.value_or(false);
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  return d;
}

absl::Status ValidateDraft(const Draft& d) {
  if (d.thread_id) {
    JISR_RETURN_IF_ERROR(CheckUuid(*d.thread_id, "thread_id"));
    if (d.subject) {
      return InvalidField(
          "subject", "a reply takes the thread's subject: leave subject out");
    }
    if (d.link)
      return InvalidField("link",
                          "a reply takes the thread's link: leave link out");
  } else {
    if (!d.subject) {
      return InvalidField(
          "subject",
          "subject is required for a new thread (or give thread_id)");
    }
    JISR_RETURN_IF_ERROR(
        CheckText(*d.subject, "subject", kMaxSubjectBytes, true, false));
    if (d.in_reply_to) {
      return InvalidField("in_reply_to",
                          "in_reply_to needs the thread_id of that message");
    }
  }
  if (d.in_reply_to)
    JISR_RETURN_IF_ERROR(CheckUuid(*d.in_reply_to, "in_reply_to"));
  JISR_RETURN_IF_ERROR(CheckText(d.text, "text", kMaxTextBytes, true, true));
  JISR_RETURN_IF_ERROR(CheckHandling(d.handling, "handling_text"));
  JISR_RETURN_IF_ERROR(CheckEvaluation(d.evaluation, "information_accuracy"));
  JISR_RETURN_IF_ERROR(ValidateRecipients(d.recipients));
  if (d.attachments.size() > kMaxAttachments) {
    return InvalidField("attachments",
                        fmt::format("at most {} attachments", kMaxAttachments));
  }
  std::set<std::string> hashes;
  for (size_t i = 0; i < d.attachments.size(); ++i) {
    const DraftAttachment& a = d.attachments[i];
    const std::string prefix = fmt::format("attachments[{}].", i);
    JISR_RETURN_IF_ERROR(
        CheckAttachmentRef(a.hash, a.name, a.media_type, prefix));
    if (!hashes.insert(a.hash).second) {
      return InvalidField(prefix + "hash",
                          "the same attachment is listed twice");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ForwardRequest> ForwardRequestFromJson(
    const boost::json::object& json) {
  JsonObjectReader r(json);
  ForwardRequest f;
  r.MarkRead("recipients");
  JISR_ASSIGN_OR_RETURN(f.recipients, RecipientsFromJson(json, ""));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> note,
                        r.OptionalString("note", kMaxNoteBytes));
  f.note = note.value_or("");
  JISR_ASSIGN_OR_RETURN(std::optional<bool> h3,
                        r.OptionalBool("h3_restrictions_respected"));
  f.h3_restrictions_respected = h3.value_or(false);
  JISR_ASSIGN_OR_RETURN(std::optional<bool> ack,
                        r.OptionalBool("ack_requested"));
  f.ack_requested = ack.value_or(false);
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_RETURN_IF_ERROR(ValidateRecipients(f.recipients));
  if (!f.note.empty())
    JISR_RETURN_IF_ERROR(CheckText(f.note, "note", kMaxNoteBytes, false, true));
  return f;
}

// ---- output
// ------------------------------------------------------------------

boost::json::object HandlingToJson(const Handling& h) {
  return boost::json::object{{"code", HandlingCodeName(h.code)},
                             {"text", h.text},
                             {"marking", Marking(h.code, h.text)}};
}

boost::json::object EvaluationToJson(const Evaluation& e) {
  return boost::json::object{
      {"source_reliability", SourceReliabilityName(e.source)},
      {"information_accuracy", e.accuracy},
      {"meaning", fmt::format("{}{}: {}; {}", SourceReliabilityName(e.source),
                              e.accuracy, SourceReliabilityMeaning(e.source),
                              AccuracyMeaning(e.accuracy))}};
}

boost::json::object RecipientToJson(const Recipient& r) {
  return boost::json::object{{"type", RecipientTypeName(r.type)},
                             {"code", r.code}};
}

boost::json::object LinkToJson(const Link& l) {
  return boost::json::object{{"type", LinkTypeName(l.type)}, {"id", l.id}};
}

boost::json::object DeliveryToJson(const Delivery& d) {
  boost::json::object o;
  o["type"] = RecipientTypeName(d.type);
  o["code"] = d.code;
  o["state"] = DeliveryStateName(d.state);
  o["delivered_at"] = TimeOrNull(d.delivered_at);
  o["read_at"] = TimeOrNull(d.read_at);
  o["read_by"] = d.read_by;
  o["acknowledged_at"] = TimeOrNull(d.acknowledged_at);
  o["acknowledged_by"] = d.acknowledged_by;
  o["note"] = d.note;
  return o;
}

boost::json::object MessageToJson(const Message& m) {
  boost::json::object o;
  o["id"] = m.id;
  o["thread_id"] = m.thread_id;
  o["in_reply_to"] =
      m.in_reply_to ? boost::json::value(*m.in_reply_to) : nullptr;
  o["origin"] = m.origin;
  o["content_origin"] = m.content_origin;
  o["sender"] = boost::json::object{{"agency", m.sender.agency},
                                    {"username", m.sender.username},
                                    {"display_name", m.sender.display_name}};
  o["text"] = m.text;
  o["handling"] = HandlingToJson(m.handling);
  o["evaluation"] = EvaluationToJson(m.evaluation);
  o["ack_requested"] = m.ack_requested;
  if (m.forwarded_from) {
    const ForwardedFrom& f = *m.forwarded_from;
    o["forwarded_from"] =
        boost::json::object{{"message_id", f.message_id},
                            {"thread_id", f.thread_id},
                            {"origin", f.origin},
                            {"sender_name", f.sender_name},
                            {"sent_at", FormatRfc3339(f.sent_at)},
                            {"note", f.note}};
  } else {
    o["forwarded_from"] = nullptr;
  }
  boost::json::array recipients;
  for (const Recipient& r : m.recipients)
    recipients.push_back(RecipientToJson(r));
  o["recipients"] = std::move(recipients);
  boost::json::array attachments;
  for (const AttachmentRef& a : m.attachments) {
    attachments.push_back(boost::json::object{{"hash", a.hash},
                                              {"name", a.name},
                                              {"media_type", a.media_type},
                                              {"size", a.size}});
  }
  o["attachments"] = std::move(attachments);
  o["sent_at"] = FormatRfc3339(m.sent_at);
  o["received_at"] = TimeOrNull(m.received_at);
  return o;
}

boost::json::object SharedMessageJson(const Thread& thread,
                                      const Message& message) {
  Message shared = message;
  std::erase_if(shared.recipients, [](const Recipient& r) {
    return r.type != RecipientType::kAgency;
  });
  boost::json::object m = MessageToJson(shared);
  m.erase("received_at");
  boost::json::object t{{"id", thread.id},
                        {"subject", thread.subject},
                        {"origin", thread.origin}};
  t["link"] =
      thread.link ? boost::json::value(LinkToJson(*thread.link)) : nullptr;
  return boost::json::object{{"thread", std::move(t)},
                             {"message", std::move(m)}};
}

absl::StatusOr<std::pair<Thread, Message>> SharedMessageFromJson(
    const boost::json::object& json) {
  JsonObjectReader top(json);
  JISR_ASSIGN_OR_RETURN(const boost::json::object* thread,
                        ObjectMember(json, "thread", "thread"));
  JISR_ASSIGN_OR_RETURN(const boost::json::object* message,
                        ObjectMember(json, "message", "message"));
  top.MarkRead("thread");
  top.MarkRead("message");
  JISR_RETURN_IF_ERROR(top.RejectUnknown());
  if (thread == nullptr) return InvalidField("thread", "thread is required");
  if (message == nullptr) return InvalidField("message", "message is required");
  JsonObjectReader tr(*thread, "thread.");
  Thread t;
  JISR_ASSIGN_OR_RETURN(t.id, tr.RequiredString("id", 64));
  JISR_RETURN_IF_ERROR(CheckUuid(t.id, "thread.id"));
  JISR_ASSIGN_OR_RETURN(t.subject,
                        tr.RequiredString("subject", kMaxSubjectBytes));
  JISR_RETURN_IF_ERROR(
      CheckText(t.subject, "thread.subject", kMaxSubjectBytes, true, false));
  JISR_ASSIGN_OR_RETURN(t.origin, tr.RequiredString("origin", 32));
  JISR_RETURN_IF_ERROR(federation::CheckAgencyCode(t.origin, "thread.origin"));
  JISR_ASSIGN_OR_RETURN(const boost::json::object* link,
                        ObjectMember(*thread, "link", "thread.link"));
  tr.MarkRead("link");
  if (link != nullptr) {
    JISR_ASSIGN_OR_RETURN(Link l, LinkFromJson(*link, "thread.link."));
    t.link = std::move(l);
  }
  JISR_RETURN_IF_ERROR(tr.RejectUnknown());
  JISR_ASSIGN_OR_RETURN(Message m, SharedMessageBody(*message));
  if (m.thread_id != t.id) {
    return InvalidField("message.thread_id",
                        "the message's thread_id is not the thread's id");
  }
  t.created_at = t.last_message_at = m.sent_at;
  return std::make_pair(std::move(t), std::move(m));
}

// ---- search
// ------------------------------------------------------------------

std::string SearchText(std::string_view text) {
  std::string folded = names::NormalizeName(text);
  for (char& c : folded) {
    if (c == '-' || c == ',' || c == '\'') c = ' ';
  }
  std::string out;
  out.reserve(folded.size());
  bool space = true;
  for (char c : folded) {
    if (c == ' ') {
      if (!space) out.push_back(' ');
      space = true;
    } else {
      out.push_back(c);
      space = false;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> SearchTerms(std::string_view q) {
  const std::string folded = SearchText(q);
  std::vector<std::string> terms;
  size_t start = 0;
  while (start < folded.size() && terms.size() < 16) {
    size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    std::string term = folded.substr(start, end - start);
    if (!term.empty() &&
        std::find(terms.begin(), terms.end(), term) == terms.end()) {
      terms.push_back(std::move(term));
    }
    start = end + 1;
  }
  return terms;
}

}  // namespace jisr::exchange
