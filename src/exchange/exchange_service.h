// The exchange service: messages in threads between this agency's users,
// its internal units and partner agencies, under enforced handling codes;
// attachments; delivery, read and acknowledgement states; full-text search;
// internal units. Every call asks the policy table (message.* rows of
// security/policy.h) and is audited: successes in the transaction of the
// work, denials and failures on their own. Every read of message content
// (list, thread, search, export, attachment download) must state its
// purpose, which the audit entry records.
//
// Who may see a thread: supervisors every thread of this node; officers and
// analysts the threads they sent a message in, the threads addressed to one
// of their units, and the threads a partner addressed to this agency.
// Administrators and auditors see no content.
//
// Handling codes are enforced here:
//  - H3 needs its restrictions in handling_text (refused without);
//  - forwarding another agency's H2 content to any agency is refused (only
//    the originating agency may pass it on); internal forwarding to units is
//    allowed;
//  - forwarding H3 content to an agency needs h3_restrictions_respected;
//  - a forward keeps the original's handling and evaluation codes and its
//    content origin, so the rules follow the content;
//  - a reply may only be addressed to agencies already taking part in the
//    thread (no third agency learns of a thread through a reply).
//
// Thread-safety: safe to share between threads.
#ifndef JISR_EXCHANGE_EXCHANGE_SERVICE_H_
#define JISR_EXCHANGE_EXCHANGE_SERVICE_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "exchange/attachment_store.h"
#include "exchange/exchange_repository.h"
#include "exchange/exchange_sharing.h"
#include "exchange/message.h"
#include "federation/store.h"
#include "security/policy.h"
#include "security/user_service.h"

namespace jisr::exchange {

struct ExchangeOptions {
  // This node's agency code. Required.
  std::string agency;
  // The largest attachment accepted (upload and from partners), in bytes.
  // Default 50 MiB (NodeConfig attachment_max_bytes).
  int64_t max_attachment_bytes = 50 * 1024 * 1024;
  // Raw bytes per attachment chunk sent to partners. Default 64 KiB.
  size_t chunk_bytes = kDefaultChunkBytes;
};

// A message as one viewer sees it.
struct MessageView {
  Message message;
  bool read = false;  // by the viewer (always true for what the viewer sent)
  // The recipients' states: every recipient for a message sent here; this
  // agency's own row for a partner's message.
  std::vector<Delivery> deliveries;
  // For each attachment: whether its bytes are here (a partner's attachment
  // may still be on its way).
  std::vector<bool> attachment_available;
  std::optional<federation::Provenance> provenance;  // a partner's message
};

struct ThreadView {
  Thread thread;
  std::vector<std::string> agencies;
  std::vector<MessageView> messages;  // oldest first
};

struct StoredAttachment {
  std::string hash;
  int64_t size = 0;
  bool created = false;  // false when the same bytes were stored already
};

struct AttachmentDownload {
  std::string hash;
  std::string bytes;  // checked against the hash
  // The handling codes of the messages the viewer may see that name it,
  // distinct and sorted (e.g. H1: the download is marked).
  std::vector<HandlingCode> handling_codes;
  std::string name;        // from the first such message
  std::string media_type;  // idem
};

// {message..., read, deliveries, attachments[i].available, provenance}.
boost::json::object MessageViewToJson(const MessageView& view);
// {id, subject, origin, link, created_at, last_message_at, message_count,
// agencies, handling_codes, markings, unread}.
boost::json::object ThreadSummaryToJson(const ThreadSummary& summary);
// {thread: {...}, agencies, messages: [...]}.
boost::json::object ThreadViewToJson(const ThreadView& view);
// {message_id, thread_id, subject, sender, sent_at, handling {code, text,
// marking}, excerpt}.
boost::json::object SearchHitToJson(const SearchHit& hit);
// {code, name, members, updated_by, updated_at}.
boost::json::object UnitToJson(const Unit& unit);

class ExchangeService {
 public:
  // `db`, `audit`, `clock` and `store` must outlive the service. `users`
  // (may be null in tests) checks unit members exist.
  ExchangeService(db::Database& db, const audit::AuditLog& audit,
                  const Clock& clock, AttachmentStore& store,
                  ExchangeOptions options,
                  security::UserService* users = nullptr);
  ExchangeService(const ExchangeService&) = delete;
  ExchangeService& operator=(const ExchangeService&) = delete;

  // Prepares the attachment directory and the full-text index. Call once
  // before serving. Errors: the store's or the file system's.
  absl::Status Init();

  // The options for RegisterExchangeHandlers (same agency, store, limits).
  SharingOptions sharing_options() const;
  const ExchangeOptions& options() const { return options_; }

  // Sends a new thread's first message or a reply (message.send). Returns
  // the message as the sender sees it. Errors: PermissionDenied;
  // InvalidArgument naming the member (form, handling codes, an unknown
  // recipient agency or unit, a reply to an agency outside the thread, an
  // attachment the sender did not upload and cannot see); NotFound for a
  // thread or in_reply_to the sender cannot see; the store's.
  absl::StatusOr<MessageView> Send(const security::Principal& who,
                                   const Draft& draft,
                                   std::string_view purpose);

  // Forwards message `id` (message.forward) as a new message of this agency
  // in a new thread "Fwd: <subject>", carrying the original's text,
  // attachments, codes and content origin. Errors: as Send, plus
  // FailedPrecondition when the handling code forbids it (H2 of another
  // agency to an agency) and InvalidArgument naming
  // "h3_restrictions_respected" for H3 content to an agency unconfirmed.
  absl::StatusOr<MessageView> Forward(const security::Principal& who,
                                      std::string_view id,
                                      const ForwardRequest& request,
                                      std::string_view purpose);

  // The threads `who` may see (message.list), most recent first.
  // Errors: InvalidArgument naming "purpose" (required), "page",
  // "page_size"; PermissionDenied; the store's.
  absl::StatusOr<ThreadPage> ListThreads(const security::Principal& who,
                                         const ThreadFilter& filter,
                                         std::string_view purpose);

  // One thread with its messages (message.read). Errors: NotFound when it
  // does not exist or `who` may not see it; as ListThreads.
  absl::StatusOr<ThreadView> GetThread(const security::Principal& who,
                                       std::string_view id,
                                       std::string_view purpose);

  // The thread as text for export (message.export): every message with its
  // handling marking; H1 content between explicit H1 banners.
  absl::StatusOr<std::string> ExportThread(const security::Principal& who,
                                           std::string_view id,
                                           std::string_view purpose);

  // Marks message `id` read by `who` (message.read); the first read of a
  // partner's message here sends the read receipt, and a member's first
  // read of a message to one of their units marks that unit's delivery
  // read. Idempotent. Errors: NotFound; PermissionDenied; the store's.
  absl::StatusOr<MessageView> MarkRead(const security::Principal& who,
                                       std::string_view id,
                                       std::string_view purpose);

  // Acknowledges message `id` for the recipients `who` stands for (this
  // agency for a partner's message; `who`'s units) with an optional note
  // (message.ack); the acknowledgement receipt goes to a partner.
  // Errors: FailedPrecondition when `who` stands for no recipient of it or
  // it is acknowledged already; NotFound; PermissionDenied; InvalidArgument
  // naming "note"; the store's.
  absl::StatusOr<MessageView> Acknowledge(const security::Principal& who,
                                          std::string_view id,
                                          std::string_view note,
                                          std::string_view purpose);

  // Full-text search over the messages `who` may see (message.search).
  // Errors: InvalidArgument naming "q" when it holds no letter or digit,
  // "purpose", "page", "page_size"; PermissionDenied; the store's.
  absl::StatusOr<SearchPage> Search(const security::Principal& who,
                                    std::string_view q, int64_t page,
                                    int64_t page_size,
                                    std::string_view purpose);

  // Stores an uploaded attachment (message.attachment_upload) and returns
  // its hash and size; the same bytes are stored once. Errors:
  // ResourceExhausted naming "body" when over max_attachment_bytes;
  // PermissionDenied; Unavailable when the file cannot be written.
  absl::StatusOr<StoredAttachment> Upload(const security::Principal& who,
                                          std::string_view bytes,
                                          std::string_view purpose);

  // An attachment's bytes (message.attachment_read), only for a viewer who
  // may see a message naming it. Errors: InvalidArgument naming "hash";
  // NotFound when no visible message names it; FailedPrecondition when its
  // bytes have not arrived yet; DataLoss when they are corrupted here;
  // Unavailable when they are recorded but missing from this process's
  // attachments directory (processes not sharing DATA/attachments).
  absl::StatusOr<AttachmentDownload> Download(const security::Principal& who,
                                              std::string_view hash,
                                              std::string_view purpose);

  // Internal units (message.unit_list): every unit with its members.
  absl::StatusOr<std::vector<Unit>> ListUnits(const security::Principal& who);

  // Creates or replaces unit `code` (message.unit_manage) with `name` and
  // `members` (user ids). Errors: InvalidArgument naming "code", "name" or
  // "members[i]" (an unknown user); PermissionDenied; the store's.
  absl::StatusOr<Unit> PutUnit(const security::Principal& who,
                               std::string_view code, std::string_view name,
                               const std::vector<std::string>& members,
                               std::string_view purpose);

  // Housekeeping (the node's scheduler): deletes partner chunks of
  // transfers idle for `stale_after` and attachment files no record names
  // (left by rolled-back transactions) older than an hour. Returns how many
  // chunk rows and files were removed.
  absl::StatusOr<int64_t> CleanUp(absl::Duration stale_after = absl::Hours(24 *
                                                                           7));

 private:
  struct Access;  // what the viewer may see and stands for
  absl::StatusOr<Access> AccessOf(db::Transaction& tx,
                                  const security::Principal& who);
  absl::StatusOr<MessageView> ViewOf(db::Transaction& tx, const Message& m,
                                     const Access& access);
  absl::StatusOr<MessageView> DoSend(db::Transaction& tx,
                                     const security::Principal& who,
                                     const Draft& draft, const Access& access,
                                     std::optional<ForwardedFrom> forwarded,
                                     std::optional<std::string> content_origin,
                                     std::optional<Handling> handling,
                                     std::optional<Evaluation> evaluation);
  absl::Status CheckRecipientsExist(db::Transaction& tx,
                                    const std::vector<Recipient>& recipients);

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  AttachmentStore& store_;
  ExchangeOptions options_;
  security::UserService* users_;
};

}  // namespace jisr::exchange

#endif  // JISR_EXCHANGE_EXCHANGE_SERVICE_H_
