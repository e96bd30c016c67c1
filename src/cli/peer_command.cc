#include "cli/peer_command.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "alerts/alert_sharing.h"
#include "common/clock.h"
#include "common/json.h"
#include "federation/identity.h"
#include "federation/peer_service.h"
#include "fmt/format.h"
#include "node/node.h"

namespace jisr::cli {
namespace {

struct PeerArgs {
  std::string data, output, card, agency, owner, partner;
};

std::string OperatorName() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr) return pw->pw_name;
  return "unknown";
}

[[noreturn]] void Fail(const absl::Status& s) {
  std::fprintf(stderr, "jisr: error: %s\n", std::string(s.message()).c_str());
  throw CLI::RuntimeError(1);
}

std::unique_ptr<node::Node> Open(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<node::Node>> n = node::Node::Open(dir, SystemClock::Instance());
  if (!n.ok()) Fail(n.status());
  return *std::move(n);
}

void Card(const PeerArgs& a) {
  std::unique_ptr<node::Node> n = Open(a.data);
  const std::string url = n->config().FederationUrl();
  if (url.empty()) {
    Fail(absl::FailedPreconditionError(
        "this node has no federation listener (federation_listen is off in jisr.json): set "
        "federation_listen or federation_url first"));
  }
  federation::PeerCard card;
  card.agency = n->agency().code;
  card.country = n->agency().country;
  card.name_en = n->agency().name_en.empty() ? card.agency : n->agency().name_en;
  card.name_fr = n->agency().name_fr.empty() ? card.name_en : n->agency().name_fr;
  card.name_ar = n->agency().name_ar.empty() ? card.name_en : n->agency().name_ar;
  card.federation_url = url;
  card.tls_fingerprint = n->identity().tls_fingerprint;
  card.signing_key = n->identity().signing.public_key;
  const std::string text = ToJson(federation::PeerCardToJson(card)) + "\n";
  if (a.output.empty()) {
    std::fputs(text.c_str(), stdout);
    return;
  }
  std::ofstream out(a.output, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) Fail(absl::UnavailableError(fmt::format("cannot write {}", a.output)));
}

void Add(const PeerArgs& a) {
  std::ifstream in(a.card, std::ios::binary);
  if (!in) Fail(absl::NotFoundError(fmt::format("cannot read the card file {}", a.card)));
  std::stringstream text;
  text << in.rdbuf();
  std::unique_ptr<node::Node> n = Open(a.data);
  federation::PeerService peers(n->db(), n->audit(), n->clock(), n->agency().code);
  absl::StatusOr<federation::Peer> p =
      peers.Add(security::Principal::CliOperator(OperatorName()), text.str());
  if (!p.ok()) Fail(p.status());
  std::printf("jisr: registered %s at %s (certificate %s)\n", p->card.agency.c_str(),
              p->card.federation_url.c_str(), p->card.tls_fingerprint.c_str());
}

void List(const PeerArgs& a) {
  std::unique_ptr<node::Node> n = Open(a.data);
  federation::PeerService peers(n->db(), n->audit(), n->clock(), n->agency().code);
  absl::StatusOr<std::vector<federation::PeerHealth>> list =
      peers.List(security::Principal::CliOperator(OperatorName()));
  if (!list.ok()) Fail(list.status());
  for (const federation::PeerHealth& h : *list) {
    std::printf("%s\n", ToJson(federation::PeerHealthToJson(h, n->clock().Now())).c_str());
  }
}

void Remove(const PeerArgs& a) {
  std::unique_ptr<node::Node> n = Open(a.data);
  federation::PeerService peers(n->db(), n->audit(), n->clock(), n->agency().code);
  if (absl::Status s = peers.Remove(security::Principal::CliOperator(OperatorName()), a.agency);
      !s.ok()) {
    Fail(s);
  }
  std::printf("jisr: removed %s\n", a.agency.c_str());
}

void Digest(const PeerArgs& a) {
  std::unique_ptr<node::Node> n = Open(a.data);
  absl::StatusOr<alerts::SharedDigest> d;
  absl::Status s = n->db().Run(db::TxMode::kRead, [&](db::Transaction& tx) {
    d = alerts::SharedAlertsDigest(tx, a.owner, a.partner, n->agency().code);
    return d.status();
  });
  if (!s.ok()) Fail(s);
  std::printf("%s\n", ToJson(boost::json::object{{"owner", a.owner},
                                                  {"partner", a.partner},
                                                  {"alerts", d->alerts},
                                                  {"digest", d->digest}})
                          .c_str());
}

}  // namespace

void AddPeerCommands(CLI::App& app) {
  auto args = std::make_shared<PeerArgs>();
  CLI::App* peer = app.add_subcommand("peer", "Pair with partner nodes (federation)");
  peer->require_subcommand(1);

  CLI::App* card = peer->add_subcommand("card", "Print this node's card for its partners");
  card->add_option("--data", args->data, "Node directory")->required();
  card->add_option("--output", args->output, "File (default standard output)");
  card->callback([args] { Card(*args); });

  CLI::App* add = peer->add_subcommand("add", "Register a partner node from its card");
  add->add_option("--data", args->data, "Node directory")->required();
  add->add_option("--card", args->card, "The partner's card (JSON file)")->required();
  add->callback([args] { Add(*args); });

  CLI::App* list = peer->add_subcommand("list", "The partners and their delivery health");
  list->add_option("--data", args->data, "Node directory")->required();
  list->callback([args] { List(*args); });

  CLI::App* remove = peer->add_subcommand("remove", "Unregister a partner node");
  remove->add_option("--data", args->data, "Node directory")->required();
  remove->add_option("--agency", args->agency, "The partner's agency code")->required();
  remove->callback([args] { Remove(*args); });

  CLI::App* digest = peer->add_subcommand(
      "digest", "Digest of the alerts of OWNER shared with PARTNER, as held here");
  digest->add_option("--data", args->data, "Node directory")->required();
  digest->add_option("--owner", args->owner, "The owning agency")->required();
  digest->add_option("--partner", args->partner, "The agency they are shared with")->required();
  digest->callback([args] { Digest(*args); });
}

}  // namespace jisr::cli
