// The agency that runs this node (table `agency`, one row), set by `jisr init`.
//
// Thread-safety: free functions over the store; safe from any thread.
#ifndef JISR_NODE_AGENCY_H_
#define JISR_NODE_AGENCY_H_

#include <string>

#include <boost/json/object.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "db/database.h"

namespace jisr::node {

struct Agency {
  std::string code;     // e.g. "MA-DGSN": country prefix, '-', 2..16 of [A-Z0-9]
  std::string country;  // ISO 3166-1 alpha-2, e.g. "MA"; equals the code prefix
  std::string name_en;
  std::string name_fr;
  std::string name_ar;
  absl::Time created_at;
};

// OK when code and country are well formed and agree; InvalidArgument naming
// "agency" / "country" / "name_*" otherwise.
absl::Status ValidateAgency(const Agency& agency);

// Inserts the node's agency. AlreadyExists when the store already has one.
absl::Status InsertAgency(db::Transaction& tx, const Agency& agency);

// Reads the node's agency. NotFound when the store was never initialised.
absl::StatusOr<Agency> LoadAgency(db::Transaction& tx);

// JSON for GET /api/v1/agency: {code, country, names: {en, fr, ar}, created_at}.
boost::json::object AgencyToJson(const Agency& agency);

}  // namespace jisr::node

#endif  // JISR_NODE_AGENCY_H_
