// Messages, receipts and attachments across agencies (through federation/).
//
// Publishing (in the transaction of the change):
//  - "message.send" (record "message:<id>", version 1; body
//    SharedMessageJson): a message sent here goes to every agency among its
//    recipients (internal units never cross). Only messages that originate
//    here are ever published: a partner's message is not passed on (a
//    forward is a new message of this agency, refused for another agency's
//    H2 content).
//  - "message.attachment" (record "attachment:<hash>:<index>", version 1;
//    body {hash, size, index, count, offset, chunk_hash, data (Base64)}):
//    each attachment of such a message, in chunks of at most chunk_bytes,
//    to each recipient agency that was not sent those bytes before.
//  - "message.receipt" (record "receipt:<message id>:<agency>", version 1
//    delivered, 2 read, 3 acknowledged, so the newest state wins whatever
//    the order of arrival; body {message_id, agency, state, delivered_at,
//    read_at, read_by, acknowledged_at, acknowledged_by, note}): from the
//    receiving node back to the message's origin when the message is
//    stored (delivered, at once, in the same transaction), first read, and
//    acknowledged.
//
// Receiving (the handlers registered with federation::Receiver):
//  - message.send: accepted only when the message originates from the
//    sender (origin == envelope from: no node relays another's message),
//    names this agency among its recipients, is not another agency's H2
//    content, and, for a thread known here, the sender takes part in it;
//    each member is checked as a local draft is. Stored with the envelope id
//    (provenance), visible to every local reader (access "agency"), and the
//    delivered receipt goes back.
//  - message.attachment: the chunk's bytes must hash to its chunk_hash and
//    fit the declared size and this node's limit (max_attachment_bytes);
//    chunks wait in exchange_attachment_chunks; when the last one arrives
//    the whole is reassembled and must hash to the attachment's hash, then
//    written to the attachment store. A corrupted chunk or a whole that
//    does not match is refused and never stored.
//  - message.receipt: accepted only from the agency it is about, for a
//    message of this agency addressed to that agency; the delivery state
//    only moves forward.
//
// Thread-safety: free functions over the caller's transaction; the
// registered handlers are thread-safe.
#ifndef JISR_EXCHANGE_EXCHANGE_SHARING_H_
#define JISR_EXCHANGE_EXCHANGE_SHARING_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "db/database.h"
#include "exchange/attachment_store.h"
#include "exchange/message.h"
#include "federation/receiver.h"

namespace jisr::exchange {

inline constexpr std::string_view kMessageKind = "message.send";
inline constexpr std::string_view kAttachmentKind = "message.attachment";
inline constexpr std::string_view kReceiptKind = "message.receipt";

// The raw bytes of one attachment chunk: small enough that a full sender
// batch (500 envelopes of about 88 KiB) stays under the partner's 64 MiB
// request limit (see docs/exchange.md).
inline constexpr size_t kDefaultChunkBytes = 64 * 1024;
// The largest chunk a node accepts.
inline constexpr size_t kMaxChunkBytes = 2 * 1024 * 1024;

std::string MessageRecord(std::string_view message_id);
std::string ReceiptRecord(std::string_view message_id, std::string_view agency);
std::string ChunkRecord(std::string_view hash, int64_t index);

struct SharingOptions {
  std::string agency;  // this node's code
  db::Dialect dialect = db::Dialect::kSqlite;
  AttachmentStore* store = nullptr;  // must outlive the receiver
  int64_t max_attachment_bytes = 50 * 1024 * 1024;
  size_t chunk_bytes = kDefaultChunkBytes;
};

// Publishes `message` of `thread` (originated here) as described above.
// Errors: InvalidArgument naming "text" when the message's envelope would
// be over kMaxMessageEnvelopeBytes; FailedPrecondition / DataLoss when an
// attachment's bytes are missing or corrupted here; the store's.
absl::Status PublishMessage(db::Transaction& tx, const Thread& thread,
                            const Message& message,
                            const SharingOptions& options, absl::Time now);

// Publishes this agency's delivery state `own` of a partner's `message` to
// its origin. Errors: the store's.
absl::Status PublishReceipt(db::Transaction& tx, const Message& message,
                            const Delivery& own, absl::Time now);

// Registers the three handlers on `receiver`. `clock` must outlive it.
// Errors: the receiver's (a kind registered twice); InvalidArgument when
// options.store is null.
absl::Status RegisterExchangeHandlers(federation::Receiver& receiver,
                                      SharingOptions options,
                                      const Clock& clock);

}  // namespace jisr::exchange

#endif  // JISR_EXCHANGE_EXCHANGE_SHARING_H_
