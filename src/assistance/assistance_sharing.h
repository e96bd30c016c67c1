// Mutual-assistance requests across agencies (through federation/).
//
// Publishing (in the transaction of the change): every change of a request
// made at this node goes to the other party as one envelope whose body is
// the whole request with its whole history (SharedRequestJson), record id
// "assistance:<id>", version the request's version: "assistance.request" for
// the submission, "assistance.update" for every later transition.
//
// Receiving (the handlers registered with federation::Receiver, one for each
// kind, sharing one procedure):
//  - the body must be a valid request naming the sender and this agency as
//    its two parties (PermissionDenied otherwise), its record id and version
//    must match, and the content a requester submitted never changes;
//  - the history the envelope carries is compared with the one held here:
//    every transition not known here must have been made by the sender, and
//    by the party allowed to make it (the requester submits, clarifies and
//    closes; the requested agency receives, starts, answers, refuses, asks
//    for clarification) — otherwise the envelope is refused
//    (PermissionDenied), so the receiver audits federation.reject;
//  - the union of both histories must be one valid chain (DeriveState);
//    an envelope that brings nothing new (an older state) changes nothing:
//    the newer state wins whatever the order of arrival;
//  - the members the sender's party owns are taken from the envelope (the
//    requested agency's answer, refusal, question, receipt time; the
//    requester's clarification, suspension and closing), the state is the
//    derived one and the version the highest seen;
//  - a request that arrives submitted at the requested agency is received at
//    once, in the same transaction: received_at is now, the deadline starts,
//    and the acknowledgement (an "assistance.update" of version 2) goes back
//    to the requester through the outbox;
//  - at the requester, a question for clarification starts the suspension
//    of the deadline (suspended_since = now, Directive (EU) 2023/977,
//    Art. 6(3)); the clarification ends it.
// Each envelope applied adds the audit entry "assistance.apply" (actor
// peer:<sender>), and the automatic receipt "assistance.receive" (system).
//
// Thread-safety: free functions over the caller's transaction.
#ifndef JISR_ASSISTANCE_ASSISTANCE_SHARING_H_
#define JISR_ASSISTANCE_ASSISTANCE_SHARING_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "assistance/assistance.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "federation/receiver.h"

namespace jisr::assistance {

inline constexpr std::string_view kRequestKind = "assistance.request";
inline constexpr std::string_view kUpdateKind = "assistance.update";

// "assistance:<id>".
std::string RequestRecord(std::string_view id);

// Publishes request `r` (with its whole history) from this node (`agency`,
// one of its parties) to the other party, as described above.
// Errors: InvalidArgument when `agency` is not a party; the store's.
absl::Status PublishRequest(db::Transaction& tx, const AssistanceRequest& r,
                            std::string_view agency, absl::Time now);

// Registers the handlers of kRequestKind and kUpdateKind on `receiver`.
// `agency` is this node's code; `audit` and `clock` must outlive the
// receiver. Errors: the receiver's (a kind registered twice).
absl::Status RegisterAssistanceHandlers(federation::Receiver& receiver,
                                        std::string agency,
                                        const audit::AuditLog& audit,
                                        const Clock& clock);

}  // namespace jisr::assistance

#endif  // JISR_ASSISTANCE_ASSISTANCE_SHARING_H_
