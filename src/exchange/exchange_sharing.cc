#include "exchange/exchange_sharing.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <vector>

#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "exchange/exchange_repository.h"
#include "federation/envelope.h"
#include "federation/store.h"

namespace jisr::exchange {
namespace {

int64_t ReceiptVersion(DeliveryState s) {
  switch (s) {
    case DeliveryState::kPending:
      return 0;
    case DeliveryState::kDelivered:
      return 1;
    case DeliveryState::kRead:
      return 2;
    case DeliveryState::kAcknowledged:
      return 3;
  }
  return 0;
}

absl::Status Refuse(const absl::Status& s, std::string_view what) {
  const std::optional<std::string> field = FieldOf(s);
  return absl::InvalidArgumentError(
      fmt::format("{}: {}{}", what, std::string(s.message()),
                  field ? fmt::format(" (field {})", *field) : ""));
}

absl::StatusOr<boost::json::object> BodyObject(const federation::Envelope& e) {
  absl::StatusOr<boost::json::object> body = ParseJsonObject(e.body);
  if (!body.ok()) {
    return absl::InvalidArgumentError(fmt::format(
        "body is not a JSON object: {}", std::string(body.status().message())));
  }
  return body;
}

absl::Status CheckRecord(const federation::Envelope& e,
                         std::string_view expected, int64_t version) {
  if (e.record_id != expected) {
    return absl::InvalidArgumentError(fmt::format(
        "record_id {} does not match the body ({})", e.record_id, expected));
  }
  if (e.version != version) {
    return absl::InvalidArgumentError(fmt::format(
        "version {} does not match the body ({})", e.version, version));
  }
  return absl::OkStatus();
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

boost::json::value TimeOrNull(const std::optional<absl::Time>& t) {
  if (!t) return nullptr;
  return boost::json::value(FormatRfc3339(*t));
}

absl::StatusOr<std::optional<absl::Time>> OptionalTime(
    const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<absl::Time>();
  if (!v->is_string())
    return InvalidField(key, fmt::format("{} must be an RFC 3339 time", key));
  absl::StatusOr<absl::Time> t = ParseRfc3339(std::string(v->get_string()));
  if (!t.ok())
    return InvalidField(key, fmt::format("{} must be an RFC 3339 time", key));
  return std::optional<absl::Time>(*t);
}

// ---- message.send
// --------------------------------------------------------------

absl::Status ApplyMessage(db::Transaction& tx, const federation::Envelope& e,
                          const SharingOptions& options, const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, BodyObject(e));
  absl::StatusOr<std::pair<Thread, Message>> parsed =
      SharedMessageFromJson(body);
  if (!parsed.ok()) return Refuse(parsed.status(), "invalid message");
  auto [thread, message] = *std::move(parsed);
  JISR_RETURN_IF_ERROR(CheckRecord(e, MessageRecord(message.id), 1));
  // The federation rule: a node sends only its own messages.
  if (message.origin != e.from) {
    return absl::PermissionDeniedError(
        fmt::format("message {} originates from {}: {} may not pass it on",
                    message.id, message.origin, e.from));
  }
  std::vector<std::string> agencies;
  for (const Recipient& r : message.recipients) agencies.push_back(r.code);
  if (!Contains(agencies, options.agency)) {
    return absl::PermissionDeniedError(fmt::format(
        "message {} is not addressed to {}", message.id, options.agency));
  }
  if (message.handling.code == HandlingCode::kH2 &&
      message.content_origin != e.from) {
    return absl::PermissionDeniedError(fmt::format(
        "message {} carries H2 content of {}: {} may not pass it on without "
        "{}'s permission",
        message.id, message.content_origin, e.from, message.content_origin));
  }
  for (const AttachmentRef& a : message.attachments) {
    if (a.size > options.max_attachment_bytes) {
      return absl::FailedPreconditionError(fmt::format(
          "attachment {} ({} bytes) is over this node's limit of {} bytes",
          a.hash, a.size, options.max_attachment_bytes));
    }
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Message> existing,
                        GetMessage(tx, message.id));
  if (existing) {
    return absl::FailedPreconditionError(
        fmt::format("message {} exists here already", message.id));
  }
  const absl::Time now = TruncateToMillis(clock.Now());
  JISR_ASSIGN_OR_RETURN(std::optional<Thread> known, GetThread(tx, thread.id));
  if (known) {
    JISR_ASSIGN_OR_RETURN(std::vector<std::string> parties,
                          ThreadAgencies(tx, thread.id));
    if (!Contains(parties, e.from)) {
      return absl::PermissionDeniedError(
          fmt::format("{} takes no part in thread {} here", e.from, thread.id));
    }
    thread = *known;
  } else {
    thread.message_count = 0;
    JISR_RETURN_IF_ERROR(InsertThread(tx, thread));
  }
  message.received_at = now;
  message.envelope_id = e.id;
  message.sender.user_id.clear();
  JISR_RETURN_IF_ERROR(
      InsertMessage(tx, options.dialect, message, thread.subject));
  JISR_RETURN_IF_ERROR(NoteMessage(tx, thread.id, message.sent_at));
  agencies.push_back(message.origin);
  JISR_RETURN_IF_ERROR(AddThreadAgencies(tx, thread.id, agencies));
  JISR_RETURN_IF_ERROR(GrantAccess(tx, thread.id, "agency", ""));
  Delivery own;
  own.type = RecipientType::kAgency;
  own.code = options.agency;
  own.state = DeliveryState::kDelivered;
  own.delivered_at = now;
  JISR_RETURN_IF_ERROR(InsertDelivery(tx, message.id, own));
  return PublishReceipt(tx, message, own, now);
}

// ---- message.attachment
// --------------------------------------------------------

absl::Status ApplyChunk(db::Transaction& tx, const federation::Envelope& e,
                        const SharingOptions& options, const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, BodyObject(e));
  JsonObjectReader r(body);
  Chunk chunk;
  absl::Status form = [&]() -> absl::Status {
    JISR_ASSIGN_OR_RETURN(const std::string hash, r.RequiredString("hash", 64));
    (void)hash;
    JISR_ASSIGN_OR_RETURN(chunk.total_size, r.RequiredInt("size"));
    JISR_ASSIGN_OR_RETURN(chunk.index, r.RequiredInt("index"));
    JISR_ASSIGN_OR_RETURN(chunk.count, r.RequiredInt("count"));
    JISR_ASSIGN_OR_RETURN(chunk.offset, r.RequiredInt("offset"));
    JISR_ASSIGN_OR_RETURN(const std::string chunk_hash,
                          r.RequiredString("chunk_hash", 64));
    (void)chunk_hash;
    // data may be "" (an empty attachment): read it without RequiredString.
    const boost::json::value* data = body.if_contains("data");
    r.MarkRead("data");
    if (data == nullptr || !data->is_string()) {
      return InvalidField("data", "data must be a Base64 string");
    }
    if (data->get_string().size() > kMaxChunkBytes / 3 * 4 + 4) {
      return InvalidField("data", fmt::format("a chunk holds at most {} bytes",
                                              kMaxChunkBytes));
    }
    JISR_ASSIGN_OR_RETURN(
        chunk.data,
        federation::FromBase64(std::string_view(data->get_string()), "data"));
    return r.RejectUnknown();
  }();
  if (!form.ok()) return Refuse(form, "invalid attachment chunk");
  const std::string hash(body.at("hash").get_string());
  const std::string chunk_hash(body.at("chunk_hash").get_string());
  if (!IsAttachmentHash(hash) || !IsAttachmentHash(chunk_hash)) {
    return absl::InvalidArgumentError(
        "hash and chunk_hash must be 64 lower-case hex digits");
  }
  JISR_RETURN_IF_ERROR(CheckRecord(e, ChunkRecord(hash, chunk.index), 1));
  if (chunk.total_size < 0 || chunk.total_size > options.max_attachment_bytes) {
    return absl::FailedPreconditionError(fmt::format(
        "attachment {} ({} bytes) is over this node's limit of {} bytes", hash,
        chunk.total_size, options.max_attachment_bytes));
  }
  const int64_t data_size = static_cast<int64_t>(chunk.data.size());
  if (chunk.count < 1 || chunk.count > chunk.total_size + 1 ||
      chunk.index < 0 || chunk.index >= chunk.count || chunk.offset < 0 ||
      chunk.offset + data_size > chunk.total_size) {
    return absl::InvalidArgumentError(
        fmt::format("chunk {} of {} of attachment {} does not fit its size ({} "
                    "bytes at offset {} of {})",
                    chunk.index, chunk.count, hash, data_size, chunk.offset,
                    chunk.total_size));
  }
  // End to end: the chunk's bytes as they arrived must be the bytes sent.
  if (AttachmentHash(chunk.data) != chunk_hash) {
    return absl::InvalidArgumentError(
        fmt::format("chunk {} of attachment {} is corrupted (its bytes do not "
                    "match chunk_hash): refused, "
                    "nothing stored",
                    chunk.index, hash));
  }
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> stored,
                        StoredAttachmentSize(tx, hash));
  if (stored && options.store->Contains(hash))
    return absl::OkStatus();  // we have these bytes
  const absl::Time now = TruncateToMillis(clock.Now());
  JISR_RETURN_IF_ERROR(InsertChunk(tx, hash, e.from, chunk, now));
  JISR_ASSIGN_OR_RETURN(const int64_t have, ChunkCount(tx, hash, e.from));
  if (have < chunk.count) return absl::OkStatus();
  // Every chunk is here: reassemble and check the whole.
  JISR_ASSIGN_OR_RETURN(std::vector<Chunk> chunks,
                        ReadChunks(tx, hash, e.from));
  std::string bytes;
  bytes.reserve(static_cast<size_t>(chunk.total_size));
  for (size_t i = 0; i < chunks.size(); ++i) {
    const Chunk& c = chunks[i];
    if (c.index != static_cast<int64_t>(i) || c.count != chunk.count ||
        c.total_size != chunk.total_size ||
        c.offset != static_cast<int64_t>(bytes.size())) {
      return absl::InvalidArgumentError(
          fmt::format("the chunks of attachment {} do not fit together (chunk "
                      "{}): refused, not stored",
                      hash, c.index));
    }
    bytes += c.data;
  }
  if (static_cast<int64_t>(bytes.size()) != chunk.total_size) {
    return absl::InvalidArgumentError(
        fmt::format("the chunks of attachment {} make {} bytes, not {}: "
                    "refused, not stored",
                    hash, bytes.size(), chunk.total_size));
  }
  if (AttachmentHash(bytes) != hash) {
    return absl::InvalidArgumentError(
        fmt::format("attachment {} does not match its hash once reassembled: "
                    "refused, not stored",
                    hash));
  }
  absl::StatusOr<AttachmentStore::Stored> put = options.store->Put(bytes, hash);
  if (!put.ok()) {
    // A disk problem here is not the sender's fault: fail the batch (retried).
    return absl::UnavailableError(
        fmt::format("cannot store attachment {}: {}", hash,
                    std::string(put.status().message())));
  }
  JISR_RETURN_IF_ERROR(RecordAttachment(tx, hash, put->size, now));
  return DeleteChunks(tx, hash, e.from);
}

// ---- message.receipt
// -----------------------------------------------------------

absl::Status ApplyReceipt(db::Transaction& tx, const federation::Envelope& e,
                          const SharingOptions& options) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, BodyObject(e));
  JsonObjectReader r(body);
  Delivery d;
  std::string message_id;
  absl::Status form = [&]() -> absl::Status {
    JISR_ASSIGN_OR_RETURN(message_id, r.RequiredString("message_id", 64));
    if (!IsUuid(message_id))
      return InvalidField("message_id", "message_id is not a UUID");
    JISR_ASSIGN_OR_RETURN(d.code, r.RequiredString("agency", 32));
    JISR_ASSIGN_OR_RETURN(const std::string state,
                          r.RequiredEnum("state", DeliveryStateNames()));
    d.state = *DeliveryStateFromName(state);
    if (d.state == DeliveryState::kPending)
      return InvalidField("state", "a receipt is never pending");
    for (std::string_view key : {"delivered_at", "read_at", "acknowledged_at"})
      r.MarkRead(key);
    JISR_ASSIGN_OR_RETURN(d.delivered_at, OptionalTime(body, "delivered_at"));
    JISR_ASSIGN_OR_RETURN(d.read_at, OptionalTime(body, "read_at"));
    JISR_ASSIGN_OR_RETURN(d.acknowledged_at,
                          OptionalTime(body, "acknowledged_at"));
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> read_by,
                          r.OptionalString("read_by", 200));
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> ack_by,
                          r.OptionalString("acknowledged_by", 200));
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> note,
                          r.OptionalString("note", kMaxNoteBytes));
    d.read_by = read_by.value_or("");
    d.acknowledged_by = ack_by.value_or("");
    d.note = note.value_or("");
    JISR_RETURN_IF_ERROR(CheckText(d.read_by, "read_by", 200, false, false));
    JISR_RETURN_IF_ERROR(
        CheckText(d.acknowledged_by, "acknowledged_by", 200, false, false));
    JISR_RETURN_IF_ERROR(CheckText(d.note, "note", kMaxNoteBytes, false, true));
    return r.RejectUnknown();
  }();
  if (!form.ok()) return Refuse(form, "invalid receipt");
  JISR_RETURN_IF_ERROR(CheckRecord(e, ReceiptRecord(message_id, d.code),
                                   ReceiptVersion(d.state)));
  if (d.code != e.from) {
    return absl::PermissionDeniedError(
        fmt::format("a receipt of {} cannot come from {}", d.code, e.from));
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Message> message,
                        GetMessage(tx, message_id));
  if (!message || message->origin != options.agency) {
    return absl::NotFoundError(
        fmt::format("no message {} of {} here", message_id, options.agency));
  }
  JISR_ASSIGN_OR_RETURN(std::vector<Delivery> deliveries,
                        Deliveries(tx, message_id));
  auto it = std::find_if(
      deliveries.begin(), deliveries.end(), [&](const Delivery& x) {
        return x.type == RecipientType::kAgency && x.code == e.from;
      });
  if (it == deliveries.end()) {
    return absl::PermissionDeniedError(
        fmt::format("message {} was not addressed to {}", message_id, e.from));
  }
  Delivery merged = *it;
  if (static_cast<int>(d.state) > static_cast<int>(merged.state))
    merged.state = d.state;
  if (d.delivered_at) merged.delivered_at = d.delivered_at;
  if (d.read_at) {
    merged.read_at = d.read_at;
    merged.read_by = d.read_by;
  }
  if (d.acknowledged_at) {
    merged.acknowledged_at = d.acknowledged_at;
    merged.acknowledged_by = d.acknowledged_by;
    merged.note = d.note;
  }
  return UpdateDelivery(tx, message_id, merged);
}

}  // namespace

std::string MessageRecord(std::string_view message_id) {
  return fmt::format("message:{}", message_id);
}

std::string ReceiptRecord(std::string_view message_id,
                          std::string_view agency) {
  return fmt::format("receipt:{}:{}", message_id, agency);
}

std::string ChunkRecord(std::string_view hash, int64_t index) {
  return fmt::format("attachment:{}:{}", hash, index);
}

absl::Status PublishMessage(db::Transaction& tx, const Thread& thread,
                            const Message& message,
                            const SharingOptions& options, absl::Time now) {
  if (message.origin != options.agency)
    return absl::OkStatus();  // never relayed
  std::vector<std::string> agencies;
  for (const Recipient& r : message.recipients) {
    if (r.type == RecipientType::kAgency && r.code != options.agency)
      agencies.push_back(r.code);
  }
  if (agencies.empty()) return absl::OkStatus();
  const std::string body = ToJson(SharedMessageJson(thread, message));
  if (body.size() > kMaxMessageEnvelopeBytes) {
    return InvalidField(
        "text",
        fmt::format("the message is {} bytes once encoded for partners; "
                    "at most {} cross: shorten the text",
                    body.size(), kMaxMessageEnvelopeBytes));
  }
  JISR_RETURN_IF_ERROR(federation::Publish(
      tx, agencies, kMessageKind, MessageRecord(message.id), 1, body, now));
  const size_t chunk_bytes =
      std::clamp<size_t>(options.chunk_bytes, 1, kMaxChunkBytes);
  for (const AttachmentRef& a : message.attachments) {
    std::vector<std::string> to;
    for (const std::string& agency : agencies) {
      JISR_ASSIGN_OR_RETURN(const bool sent_before,
                            TransferOnce(tx, a.hash, agency, now));
      if (!sent_before) to.push_back(agency);
    }
    if (to.empty()) continue;
    if (options.store == nullptr)
      return absl::FailedPreconditionError("no attachment store");
    absl::StatusOr<std::string> bytes = options.store->Get(a.hash);
    if (!bytes.ok()) {
      return absl::Status(
          bytes.status().code() == absl::StatusCode::kNotFound
              ? absl::StatusCode::kFailedPrecondition
              : bytes.status().code(),
          fmt::format("attachment {} cannot be sent: {}", a.hash,
                      std::string(bytes.status().message())));
    }
    const size_t size = bytes->size();
    const int64_t count =
        size == 0
            ? 1
            : static_cast<int64_t>((size + chunk_bytes - 1) / chunk_bytes);
    for (int64_t i = 0; i < count; ++i) {
      const size_t offset = static_cast<size_t>(i) * chunk_bytes;
      const std::string_view data =
          std::string_view(*bytes).substr(std::min(offset, size), chunk_bytes);
      boost::json::object chunk{{"hash", a.hash},
                                {"size", static_cast<int64_t>(size)},
                                {"index", i},
                                {"count", count},
                                {"offset", static_cast<int64_t>(offset)},
                                {"chunk_hash", AttachmentHash(data)},
                                {"data", federation::ToBase64(data)}};
      JISR_RETURN_IF_ERROR(federation::Publish(tx, to, kAttachmentKind,
                                               ChunkRecord(a.hash, i), 1,
                                               ToJson(chunk), now));
    }
  }
  return absl::OkStatus();
}

absl::Status PublishReceipt(db::Transaction& tx, const Message& message,
                            const Delivery& own, absl::Time now) {
  const boost::json::object body{
      {"message_id", message.id},
      {"agency", own.code},
      {"state", DeliveryStateName(own.state)},
      {"delivered_at", TimeOrNull(own.delivered_at)},
      {"read_at", TimeOrNull(own.read_at)},
      {"read_by", own.read_by},
      {"acknowledged_at", TimeOrNull(own.acknowledged_at)},
      {"acknowledged_by", own.acknowledged_by},
      {"note", own.note}};
  const std::string to[] = {message.origin};
  return federation::Publish(tx, to, kReceiptKind,
                             ReceiptRecord(message.id, own.code),
                             ReceiptVersion(own.state), ToJson(body), now);
}

absl::Status RegisterExchangeHandlers(federation::Receiver& receiver,
                                      SharingOptions options,
                                      const Clock& clock) {
  if (options.store == nullptr)
    return absl::InvalidArgumentError("no attachment store");
  JISR_RETURN_IF_ERROR(receiver.Register(
      kMessageKind,
      [options, &clock](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyMessage(tx, e, options, clock);
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kAttachmentKind,
      [options, &clock](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyChunk(tx, e, options, clock);
      }));
  return receiver.Register(
      kReceiptKind,
      [options](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyReceipt(tx, e, options);
      });
}

}  // namespace jisr::exchange
