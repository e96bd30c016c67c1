#!/usr/bin/env bash
# Two federated nodes on loopback for a demonstration (`make demo`):
#   Rabat  MA-DGSN  http://127.0.0.1:8080  federation https://127.0.0.1:8443  DIR/rabat
#   Paris  FR-DGPN  http://127.0.0.1:8081  federation https://127.0.0.1:8444  DIR/paris
# Creates both nodes on first run (`jisr init --demo`: synthetic accounts and
# alerts, some of Rabat's shared with FR-DGPN) and reuses them afterwards,
# pairs them when they are not paired yet, serves both, prints the URLs and
# the demo credentials, checks that Rabat's shared alerts reached Paris, seeds
# the cooperation records once (scripts/demo-seed.mjs: a working group, the
# joint action plan, an operation, an event, training), and stops both nodes
# on Ctrl-C (or SIGTERM).
# Usage: scripts/demo.sh [path/to/jisr] [DIR]   (DIR default var/demo)
#   env: RABAT_LISTEN, RABAT_FEDERATION, PARIS_LISTEN, PARIS_FEDERATION
#        (HOST:PORT; used when a node is created, then kept in its jisr.json)
set -euo pipefail
jisr=${1:-build/bin/jisr}
base=${2:-var/demo}
rabat_listen=${RABAT_LISTEN:-127.0.0.1:8080}
rabat_federation=${RABAT_FEDERATION:-127.0.0.1:8443}
paris_listen=${PARIS_LISTEN:-127.0.0.1:8081}
paris_federation=${PARIS_FEDERATION:-127.0.0.1:8444}
rabat="$base/rabat"
paris="$base/paris"

[ -x "$jisr" ] || { echo "demo: $jisr is not built (make build)" >&2; exit 1; }

# --- create the nodes on first run ---------------------------------------------
init_node() {  # DIR AGENCY COUNTRY LISTEN FEDERATION NAME_EN NAME_FR NAME_AR
  local dir=$1
  [ -f "$dir/jisr.json" ] && return 0
  echo "demo: creating $2 in $dir"
  mkdir -p "$(dirname "$dir")"
  "$jisr" init --data "$dir" --agency "$2" --country "$3" --listen "$4" \
    --federation-listen "$5" --name-en "$6" --name-fr "$7" --name-ar "$8" --demo >/dev/null
}
init_node "$rabat" MA-DGSN MA "$rabat_listen" "$rabat_federation" \
  "General Directorate for National Security" \
  "Direction générale de la Sûreté nationale" \
  "المديرية العامة للأمن الوطني"
init_node "$paris" FR-DGPN FR "$paris_listen" "$paris_federation" \
  "General Directorate of the National Police" \
  "Direction générale de la Police nationale" \
  "المديرية العامة للشرطة الوطنية"

# --- pair them (each registers the other's card) once ---------------------------
pair() {  # DIR PARTNER_DIR PARTNER_CODE
  local peers
  peers=$("$jisr" peer list --data "$1")
  # A partner named only by pending outbox rows is listed with "registered":false.
  local line
  while read -r line; do
    [[ $line == *"\"agency\":\"$3\""* && $line == *'"registered":true'* ]] && return 0
  done <<<"$peers"
  echo "demo: registering $3 at $(basename "$1")"
  "$jisr" peer card --data "$2" --output "$1/peer-$3.json"
  "$jisr" peer add --data "$1" --card "$1/peer-$3.json" >/dev/null
}
pair "$rabat" "$paris" FR-DGPN
pair "$paris" "$rabat" MA-DGSN

# --- serve both; stop both on Ctrl-C, SIGTERM or when either one ends ------------
pids=()
stopping=0
stop_nodes() {
  stopping=1
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'echo; echo "demo: stopping both nodes"; stop_nodes; exit 0' INT TERM HUP
trap 'stop_nodes' EXIT

start_node() {  # DIR
  # In a session of its own, so that Ctrl-C reaches this script only, which
  # then stops both nodes (SIGTERM) and waits for them.
  setsid "$jisr" serve --data "$1" >"$1/serve.log" 2>&1 &
  pids+=("$!")
}
start_node "$rabat"
start_node "$paris"

# Each node prints "... listening on http://HOST:PORT" once it serves.
wait_listening() {  # DIR PID
  local i
  for i in $(seq 1 150); do
    grep -q "listening on http://" "$1/serve.log" 2>/dev/null && return 0
    if ! kill -0 "$2" 2>/dev/null; then
      echo "demo: the node in $1 stopped; its log:" >&2
      tail -n 20 "$1/serve.log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "demo: the node in $1 did not start within 30 s (see $1/serve.log)" >&2
  return 1
}
wait_listening "$rabat" "${pids[0]}"
wait_listening "$paris" "${pids[1]}"

url_of() { sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$1/serve.log" | head -n 1; }
federation_of() { sed -n 's/.*federation on \(https:\/\/[^ ]*\).*/\1/p' "$1/serve.log" | head -n 1; }
credentials() {  # DIR
  printf '    %-16s %-11s %s\n' admin admin "$(cat "$1/admin-password" 2>/dev/null || echo '(see admin-password)')"
  local user role password
  while read -r user role password; do
    [ -n "$user" ] && [ "${user:0:1}" != "#" ] && printf '    %-16s %-11s %s\n' "$user" "$role" "$password"
  done <"$1/demo-passwords"
}

cat <<EOF

jisr demo: two federated nodes on loopback (synthetic data only)

  Rabat  MA-DGSN  $(url_of "$rabat")   federation $(federation_of "$rabat")   data $rabat
$(credentials "$rabat")

  Paris  FR-DGPN  $(url_of "$paris")   federation $(federation_of "$paris")   data $paris
$(credentials "$paris")

  Logs: $rabat/serve.log, $paris/serve.log.  Ctrl-C stops both nodes.

EOF

# --- check that Rabat's alerts shared with FR-DGPN reached Paris -----------------
digest_of() {  # DIR -> "ALERTS DIGEST"
  "$jisr" peer digest --data "$1" --owner MA-DGSN --partner FR-DGPN 2>/dev/null |
    sed -n 's/.*"alerts":\([0-9]*\).*"digest":"\([0-9a-f]*\)".*/\1 \2/p' || true
}
check_shared() {
  local want got i
  for i in $(seq 1 20); do
    [ "$stopping" = 1 ] && return 0
    want=$(digest_of "$rabat")
    got=$(digest_of "$paris")
    if [ -n "$want" ] && [ "$want" = "$got" ]; then
      echo "demo: Paris holds ${got%% *} alert(s) of MA-DGSN shared with FR-DGPN (digests agree with Rabat)"
      return 0
    fi
    sleep 0.5
  done
  echo "demo: Paris holds ${got%% *} of Rabat's ${want%% *} alert(s) shared with FR-DGPN after 10 s" \
    "(see jisr peer list --data $rabat)"
}
check_shared

# --- on first run, the cooperation records of the demo (scripts/demo-seed.mjs) ---
if [ ! -f "$rabat/demo-seeded" ]; then
  node "$(dirname "$0")/demo-seed.mjs" "$(url_of "$rabat")" "$rabat" "$(url_of "$paris")" "$paris" ||
    echo "demo: seeding the working group, plan, operation and event failed (see above)" >&2
fi

# Until Ctrl-C, or until one node ends by itself (then stop the other).
set +e
wait -n "${pids[@]}"
status=$?
if [ "$stopping" = 0 ]; then
  echo "demo: a node stopped by itself (exit $status); stopping the other (see the serve.log files)" >&2
  stop_nodes
  exit 1
fi
