#!/usr/bin/env bash
# Instructions per request, counted by valgrind's callgrind: stable on a noisy machine (the same
# binary, data and requests give the same count whatever else runs), so a change to the request path
# is measured before and after by this one command.
#
#   bash bench/callgrind.sh                 # every scenario, 200 requests each
#   CALLGRIND_REQUESTS=500 bash bench/callgrind.sh messages-direct chat-list-gateway
#
# It starts the release `messenger serve` once normally (migrations, embedded PostgreSQL), seeds a
# small data set through psql (a user in 120 chats, one chat of 200 messages), stops it, and starts it
# again under callgrind with instrumentation off. For each scenario: instrumentation on, 50 warm-up
# requests, counters zeroed, CALLGRIND_REQUESTS requests on one keep-alive connection (curl), a dump.
# The count of an idle stretch as long as the run is subtracted (background tasks: outbox reader,
# presence, janitors), and the rest divided by the requests. The dumps stay in CALLGRIND_OUT (default
# .build/callgrind/) for `callgrind_annotate --inclusive=yes FILE | head -60`.
#
# Scenarios: messages-direct, chat-list-direct (PrivateChat with the headers the gateway forwards),
# messages-gateway, chat-list-gateway (Bearer token through the gateway's proxy), search-direct (Users),
# add-message-direct.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
BIN=${MESSENGER_BIN:-$root/.build/release/messenger}
REQUESTS=${CALLGRIND_REQUESTS:-200}
OUT=${CALLGRIND_OUT:-$root/.build/callgrind}
scenarios=("$@")
(( ${#scenarios[@]} > 0 )) || scenarios=(messages-direct chat-list-direct messages-gateway chat-list-gateway search-direct add-message-direct)

say() { echo "callgrind: $*" >&2; }
fail() { echo "callgrind: error: $*" >&2; exit 1; }
[ -x "$BIN" ] || fail "$BIN is missing: swift build -c release --product messenger"
command -v valgrind >/dev/null && command -v callgrind_control >/dev/null || fail "valgrind is not installed"

work="$(mktemp -d /tmp/messenger-callgrind.XXXXXX)"
chmod 755 "$work"
data="$work/data"
mkdir -p "$OUT"
pid=""
cleanup() {
    local status=$?
    set +e
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
    fi
    local postmaster="$data/postgres/data/postmaster.pid"
    if [ -f "$postmaster" ]; then
        local pg_pid
        pg_pid="$(head -1 "$postmaster")"
        [ -n "$pg_pid" ] && kill -INT "$pg_pid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$pg_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    if [ "${CALLGRIND_KEEP:-0}" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r gw_port auth_port users_port chat_port < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(4)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))')
gateway="http://127.0.0.1:$gw_port"
chat="http://127.0.0.1:$chat_port"
users="http://127.0.0.1:$users_port"
internal_token="callgrind-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"

# start [PREFIX...]: the messenger (under PREFIX, e.g. valgrind), waiting up to 10 minutes for /health.
start() {
    env DATA_DIR="$data" HOST=127.0.0.1 PORT="$gw_port" INTERNAL_HOST=127.0.0.1 \
        AUTH_PORT="$auth_port" USERS_PORT="$users_port" CHAT_PORT="$chat_port" \
        PUBLIC_URL="$gateway" INTERNAL_TOKEN="$internal_token" BCRYPT_COST=4 ACCESS_TOKEN_TTL=86400 \
        LOG_LEVEL=warning "$@" "$BIN" serve >>"$work/messenger.log" 2>&1 &
    pid=$!
    for _ in $(seq 3000); do
        curl -fsS -o /dev/null --max-time 5 "$gateway/health" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { tail -20 "$work/messenger.log" >&2; fail "messenger exited"; }
        sleep 0.2
    done
    fail "messenger did not answer /health"
}
stop() {
    kill -TERM "$pid"
    for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || { pid=""; return 0; }; sleep 0.1; done
    fail "messenger did not stop"
}
sql() { psql -X -q -v ON_ERROR_STOP=1 -h "$data/postgres/run" -U messenger -d messenger -At "$@"; }
post() { curl -fsS --max-time 30 -X POST "$gateway$1" -H "Content-Type: application/json" "${@:3}" -d "$2"; }

say "seeding in $work"
start
post /auth/register/ '{"username":"cgalice","email":"cgalice@example.com","password":"callgrind-pass-1"}' >/dev/null
token="$(post /auth/login/ '{"email":"cgalice@example.com","password":"callgrind-pass-1"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
[ -n "$token" ] || fail "no token"
me="$(sql -c "SELECT id FROM users.profiles WHERE username = 'cgalice'")"
sql -v me="$me" <<'SQL' >/dev/null
BEGIN;
INSERT INTO users.profiles (id, username)
SELECT 1000000 + g, 'cgpeer' || g FROM generate_series(1, 120) AS g;
INSERT INTO chat.chats (starter_id, recipient_id)
SELECT :me, 1000000 + g FROM generate_series(1, 120) AS g;
INSERT INTO chat.members (chat_id, user_id)
SELECT id, starter_id FROM chat.chats UNION ALL SELECT id, recipient_id FROM chat.chats;
-- Three messages in every chat, 200 in the first; either member writes.
INSERT INTO chat.messages (chat_id, owner_id, text, created_at)
SELECT c.id, CASE WHEN k % 2 = 0 THEN c.starter_id ELSE c.recipient_id END, 'Seed message number ' || k,
       now() - make_interval(secs => 100000 - c.id * 10 - k)
FROM chat.chats c CROSS JOIN LATERAL generate_series(1, CASE WHEN c.id = (SELECT min(id) FROM chat.chats) THEN 200 ELSE 3 END) AS k;
UPDATE chat.chats c SET last_activity_at = m.last
FROM (SELECT chat_id, max(created_at) AS last FROM chat.messages GROUP BY chat_id) m WHERE m.chat_id = c.id;
UPDATE chat.members mem SET last_read_message_id = m.read_up_to
FROM (SELECT chat_id, max(id) - 2 AS read_up_to FROM chat.messages GROUP BY chat_id) m WHERE m.chat_id = mem.chat_id;
COMMIT;
ANALYZE;
SQL
first_chat="$(sql -c "SELECT min(id) FROM chat.chats")"
stop

say "starting the messenger under callgrind (slow: a minute or two)"
# valgrind 3.19 cannot read the DWARF 5 that swiftc writes: a copy without debug info (symbols stay).
objcopy --strip-debug "$BIN" "$work/messenger"
BIN="$work/messenger"
stamp="$(date -u +%Y%m%d-%H%M%S)"
start valgrind --tool=callgrind --instr-atstart=no --vgdb-prefix="$work/vgdb" --callgrind-out-file="$OUT/callgrind.$stamp.%p"
# vgdb names its pipes after $HOST, which the messenger's environment sets: the same for the control.
control() { HOST=127.0.0.1 callgrind_control --vgdb-prefix="$work/vgdb" "$@" "$pid" >/dev/null; }
internal=(-H "X-Internal-Token: $internal_token" -H "X-User-Id: $me" -H "X-Session-Id: callgrind")
bearer=(-H "Authorization: Bearer $token")

# urls N URL: N copies of URL, for one curl call (one keep-alive connection).
urls() { local i; for ((i = 0; i < $1; i++)); do printf '%s\n' "url = \"$2\"" "output = \"/dev/null\""; done; }
# requests SCENARIO N: N requests of that scenario.
requests() {
    local config="$work/curl.conf"
    case $1 in
        messages-direct) urls "$2" "$chat/private/$first_chat/messages?limit=50" >"$config"; curl -fsS -K "$config" "${internal[@]}" ;;
        chat-list-direct) urls "$2" "$chat/private/chat-list/" >"$config"; curl -fsS -K "$config" "${internal[@]}" ;;
        messages-gateway) urls "$2" "$gateway/private/$first_chat/messages?limit=50" >"$config"; curl -fsS -K "$config" "${bearer[@]}" ;;
        chat-list-gateway) urls "$2" "$gateway/private/chat-list/" >"$config"; curl -fsS -K "$config" "${bearer[@]}" ;;
        search-direct) urls "$2" "$users/users/user/?username=cgpeer7" >"$config"; curl -fsS -K "$config" "${internal[@]}" ;;
        add-message-direct)
            # A body per request: `next` starts each one (curl would join the data of one block with &).
            local i
            for ((i = 0; i < $2; i++)); do
                ((i == 0)) || echo next
                printf '%s\n' "url = \"$chat/private/add-message/$first_chat/\"" "output = \"/dev/null\"" \
                    "header = \"X-Internal-Token: $internal_token\"" "header = \"X-User-Id: $me\"" \
                    "header = \"X-Session-Id: callgrind\"" "header = \"Content-Type: application/json\"" \
                    "data = \"{\\\"text\\\":\\\"callgrind message $i\\\"}\""
            done >"$config"
            curl -fsS -K "$config" ;;
        idle) sleep "$2" ;;
        *) fail "unknown scenario $1" ;;
    esac
}

# Total instructions (Ir) of the newest dump.
last_total() {
    local file
    file="$(ls -t "$OUT"/callgrind."$stamp".* | awk 'NR == 1')"
    awk '/^(summary|totals):/ { print $2; exit }' "$file"
}

# count SCENARIO N: the instructions of N requests (dumped), and the seconds they took.
count() {
    control -z
    local started=$SECONDS
    requests "$1" "$2"
    elapsed=$((SECONDS - started))
    control --dump="$1"
    sleep 1
    total="$(last_total)"
}

control -i on
results=()
for scenario in "${scenarios[@]}"; do
    requests "$scenario" 50
    count "$scenario" "$REQUESTS"
    scenario_total=$total scenario_seconds=$((elapsed > 0 ? elapsed : 1))
    count idle "$scenario_seconds"
    idle_total=$total
    per_request=$(( (scenario_total - idle_total) / REQUESTS ))
    say "$scenario: $per_request instructions per request ($scenario_total in $scenario_seconds s, idle $idle_total)"
    results+=("| $scenario | $per_request | $REQUESTS | $scenario_total | $idle_total |")
done

echo "callgrind, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes'), $REQUESTS requests per scenario"
echo
echo "| Scenario | Instructions per request | Requests | Ir of the run | Ir idle, same length |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${results[@]}"
echo
echo "Dumps: $OUT/callgrind.$stamp.*"
