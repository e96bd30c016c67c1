// The exchange model (Europol SIENA in spirit): threads with a subject and an
// optional link to another record; messages with text, attachments, a sender
// (user and agency) and recipients (partner agencies and this agency's
// internal units), carrying a handling code (H0-H3) and an evaluation code
// (source reliability A/B/C/X, information accuracy 1-4); per-recipient
// delivery states. Also the JSON forms of the API and of what crosses to
// partners, and the checks every input goes through (each error names the
// member at fault).
//
// Handling codes (the rule each carries is repeated, as its "marking", in
// every JSON output and export of the message):
//   H0  police purposes only;
//   H1  not to be used in judicial proceedings without the sender's
//       permission;
//   H2  not to be passed on without the sender's permission (enforced:
//       forwarding H2 content of another agency to an agency is refused);
//   H3  other restrictions, stated in handling_text (required).
//
// Thread-safety: values and pure functions.
#ifndef JISR_EXCHANGE_MESSAGE_H_
#define JISR_EXCHANGE_MESSAGE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jisr::exchange {

// ---- limits
// ------------------------------------------------------------------

inline constexpr size_t kMaxSubjectBytes = 300;
inline constexpr size_t kMaxTextBytes = 64 * 1024;
inline constexpr size_t kMaxHandlingTextBytes = 1000;
inline constexpr size_t kMaxNoteBytes = 2000;
inline constexpr size_t kMaxRecipients = 50;
inline constexpr size_t kMaxAttachments = 20;
inline constexpr size_t kMaxAttachmentNameBytes = 255;
inline constexpr size_t kMaxMediaTypeBytes = 127;
inline constexpr size_t kMaxUnitNameBytes = 200;
inline constexpr size_t kMaxUnitMembers = 500;
// The largest body of a message envelope (message.send): kept small so that a
// full sender batch (500 envelopes) stays under the partner's 64 MiB request
// limit whatever it holds; see docs/exchange.md.
inline constexpr size_t kMaxMessageEnvelopeBytes = 120 * 1024;

// ---- codes
// -------------------------------------------------------------------

enum class HandlingCode : uint8_t { kH0, kH1, kH2, kH3 };
// "H0".."H3".
std::string_view HandlingCodeName(HandlingCode code);
std::optional<HandlingCode> HandlingCodeFromName(std::string_view name);
std::span<const std::string_view> HandlingCodeNames();
// The rule of `code` in words, e.g. "H1: not to be used in judicial
// proceedings without the sender's permission"; for H3 followed by the text.
std::string Marking(HandlingCode code, std::string_view h3_text);

// Source reliability (4x4 system): A no doubt about the source's authenticity,
// trustworthiness and competence; B the source has mostly proved reliable;
// C mostly proved unreliable; X cannot be assessed.
enum class SourceReliability : uint8_t { kA, kB, kC, kX };
std::string_view SourceReliabilityName(SourceReliability s);
std::optional<SourceReliability> SourceReliabilityFromName(
    std::string_view name);
std::span<const std::string_view> SourceReliabilityNames();
// Information accuracy: 1 known to be true without reservation; 2 known
// personally to the source but not to the official passing it on; 3 not
// known personally to the source but corroborated; 4 cannot be corroborated.
inline constexpr int kMinAccuracy = 1;
inline constexpr int kMaxAccuracy = 4;
// The meaning of a source reliability / accuracy code in words.
std::string_view SourceReliabilityMeaning(SourceReliability s);
std::string_view AccuracyMeaning(int accuracy);

// What a thread may be linked to (stored as type + id; the id is not
// resolved: the record may live in another module or at a partner).
enum class LinkType : uint8_t {
  kAlert,
  kAssistanceRequest,
  kWorkingGroup,
  kEvent
};
std::string_view LinkTypeName(LinkType t);
std::optional<LinkType> LinkTypeFromName(std::string_view name);
std::span<const std::string_view> LinkTypeNames();

enum class RecipientType : uint8_t { kAgency, kUnit };
std::string_view RecipientTypeName(RecipientType t);
std::optional<RecipientType> RecipientTypeFromName(std::string_view name);
std::span<const std::string_view> RecipientTypeNames();

// pending (waiting in the outbox for the partner) -> delivered (stored by the
// partner's node, or at once for an internal unit) -> read -> acknowledged.
// A state never goes back.
enum class DeliveryState : uint8_t {
  kPending,
  kDelivered,
  kRead,
  kAcknowledged
};
std::string_view DeliveryStateName(DeliveryState s);
std::optional<DeliveryState> DeliveryStateFromName(std::string_view name);
std::span<const std::string_view> DeliveryStateNames();

// ---- values
// ------------------------------------------------------------------

struct Link {
  LinkType type = LinkType::kAlert;
  std::string id;  // a lower-case UUID
  bool operator==(const Link&) const = default;
};

struct Recipient {
  RecipientType type = RecipientType::kAgency;
  std::string code;  // an agency code (FR-DGPN) or an internal unit code
  bool operator==(const Recipient&) const = default;
};

struct AttachmentRef {
  std::string hash;        // BLAKE2b-256 of the bytes, 64 lower-case hex digits
  std::string name;        // file name as given by the sender
  std::string media_type;  // e.g. application/pdf (as declared, not sniffed)
  int64_t size = 0;        // bytes
  bool operator==(const AttachmentRef&) const = default;
};

struct Handling {
  HandlingCode code = HandlingCode::kH0;
  std::string text;  // H3's restrictions (required then); empty otherwise
  bool operator==(const Handling&) const = default;
};

struct Evaluation {
  SourceReliability source = SourceReliability::kX;
  int accuracy = kMaxAccuracy;
  bool operator==(const Evaluation&) const = default;
};

struct Sender {
  std::string agency;
  std::string username;
  std::string display_name;
  std::string
      user_id;  // the local user (empty for a partner's message); never crosses
  bool operator==(const Sender&) const = default;
};

// Where a forwarded message's content came from.
struct ForwardedFrom {
  std::string message_id;
  std::string thread_id;
  std::string origin;  // the agency that sent the original
  std::string sender_name;
  absl::Time sent_at;
  std::string note;  // the forwarder's cover note ("" when none)
  bool operator==(const ForwardedFrom&) const = default;
};

struct Delivery {
  RecipientType type = RecipientType::kAgency;
  std::string code;
  DeliveryState state = DeliveryState::kPending;
  std::optional<absl::Time> delivered_at;
  std::optional<absl::Time> read_at;
  std::string read_by;  // display name of the first reader
  std::optional<absl::Time> acknowledged_at;
  std::string acknowledged_by;
  std::string note;  // the acknowledgement's note
  bool operator==(const Delivery&) const = default;
};

struct Message {
  std::string id;  // UUIDv7, the same on every node
  std::string thread_id;
  std::optional<std::string> in_reply_to;
  std::string origin;          // the agency that sent it
  std::string content_origin;  // the agency whose information it carries
                               // (origin unless forwarded)
  Sender sender;
  std::string text;
  Handling handling;
  Evaluation evaluation;
  bool ack_requested = false;
  std::optional<ForwardedFrom> forwarded_from;
  std::vector<Recipient> recipients;  // at a partner: the agencies only
  std::vector<AttachmentRef> attachments;
  absl::Time sent_at;
  std::optional<absl::Time>
      received_at;  // when a partner's message arrived here
  std::optional<std::string> envelope_id;  // the envelope that brought it

  bool operator==(const Message&) const = default;
};

struct Thread {
  std::string id;  // UUIDv7, the same on every node
  std::string subject;
  std::string origin;  // the agency that opened it
  std::optional<Link> link;
  absl::Time created_at;
  absl::Time last_message_at;
  int64_t message_count = 0;
  bool operator==(const Thread&) const = default;
};

// ---- input
// -------------------------------------------------------------------

struct DraftAttachment {
  std::string hash;
  std::string name;
  std::string media_type = "application/octet-stream";
};

// POST /api/v1/messages: a new thread (subject, optional link) or a reply
// (thread_id, optional in_reply_to).
struct Draft {
  std::optional<std::string> thread_id;
  std::optional<std::string> subject;
  std::optional<Link> link;
  std::optional<std::string> in_reply_to;
  std::string text;
  Handling handling;
  Evaluation evaluation;
  std::vector<Recipient> recipients;
  std::vector<DraftAttachment> attachments;
  bool ack_requested = false;
};

// POST /api/v1/messages/{id}/forward.
struct ForwardRequest {
  std::vector<Recipient> recipients;
  std::string note;
  // Must be true to forward H3 content to an agency: the forwarder confirms
  // the H3 restrictions allow it.
  bool h3_restrictions_respected = false;
  bool ack_requested = false;
};

// Reads a draft: {thread_id?, subject?, link?: {type, id}, in_reply_to?, text,
// handling_code, handling_text?, source_reliability, information_accuracy,
// recipients: [{type, code}], attachments?: [{hash, name, media_type?}],
// ack_requested?}. Checks form only (ValidateDraft checks the content).
// Errors: InvalidArgument naming the member.
absl::StatusOr<Draft> DraftFromJson(const boost::json::object& json);

// Checks a draft's content: a new thread has a subject (and no in_reply_to),
// a reply has no subject or link; text, subject, handling text (required for
// H3, refused otherwise) are clean UTF-8 within their limits; evaluation codes
// in range; 1..kMaxRecipients distinct recipients of valid codes;
// at most kMaxAttachments attachments with a hash and a clean name.
// Errors: InvalidArgument naming the member.
absl::Status ValidateDraft(const Draft& draft);

// Reads {recipients, note?, h3_restrictions_respected?, ack_requested?}.
absl::StatusOr<ForwardRequest> ForwardRequestFromJson(
    const boost::json::object& json);

// Checks recipients (1..kMaxRecipients, distinct, valid codes), naming
// "recipients[i].code".
absl::Status ValidateRecipients(std::span<const Recipient> recipients);

// Returns OK for a unit code: 1..32 of [A-Z0-9._-], starting with a letter
// or digit; InvalidArgument naming `field` otherwise.
absl::Status CheckUnitCode(std::string_view code, std::string_view field);

// Returns OK when `text` is clean UTF-8 (newlines and tabs allowed when
// `multiline`), non-empty after trimming when `required`, and at most
// `max_bytes`; InvalidArgument naming `field` otherwise.
absl::Status CheckText(std::string_view text, std::string_view field,
                       size_t max_bytes, bool required, bool multiline);

// ---- output
// ------------------------------------------------------------------

// {code, text, marking}.
boost::json::object HandlingToJson(const Handling& h);
// {source_reliability, information_accuracy, meaning}.
boost::json::object EvaluationToJson(const Evaluation& e);
boost::json::object RecipientToJson(const Recipient& r);
boost::json::object DeliveryToJson(const Delivery& d);
boost::json::object LinkToJson(const Link& l);

// The message as the API shows it: {id, thread_id, in_reply_to, origin,
// content_origin, sender {agency, username, display_name}, text, handling
// {code, text, marking}, evaluation, ack_requested, forwarded_from,
// recipients, attachments [{hash, name, media_type, size}], sent_at,
// received_at}. Callers add viewer-dependent members (read, deliveries,
// attachment availability, provenance).
boost::json::object MessageToJson(const Message& m);

// ---- what crosses
// ------------------------------------------------------------

// The body of a message.send envelope: {thread: {id, subject, origin, link},
// message: MessageToJson without received_at (recipients: the agencies only;
// no local user id)}.
boost::json::object SharedMessageJson(const Thread& thread,
                                      const Message& message);

// Reads SharedMessageJson back, checking every member as a local draft is
// checked. The message's received_at and envelope_id are left unset.
// Errors: InvalidArgument naming the member.
absl::StatusOr<std::pair<Thread, Message>> SharedMessageFromJson(
    const boost::json::object& json);

// ---- search
// ------------------------------------------------------------------

// The folded words of `text` for the full-text index and queries: NFKC,
// case folding, accents and Arabic short vowels removed, other scripts
// romanised (names::NormalizeName), every separator one space. Both stores
// index this form, so a search finds the same messages on SQLite and
// PostgreSQL.
std::string SearchText(std::string_view text);

// The terms of a query (SearchText split on spaces; duplicates removed; at
// most 16). Empty when `q` holds no letter or digit.
std::vector<std::string> SearchTerms(std::string_view q);

}  // namespace jisr::exchange

#endif  // JISR_EXCHANGE_MESSAGE_H_
