#!/usr/bin/env bash
# `make bench`: starts the release `messenger serve` (all four services in one process, embedded
# PostgreSQL in a temporary DATA_DIR) and nginx with a loopback copy of nginx/nginx.conf, seeds users,
# chats and messages, runs every scenario of BENCHMARKS.md with wrk (bench/*.lua) and bench/qr_load.py,
# stops everything it started, and prints one table. Everything listens on 127.0.0.1 only.
#
# Settings (environment; defaults are the full run, BENCHMARKS.md shows a quick smoke run):
#   BENCH_DURATION=10s          each wrk run            BENCH_THREADS=2            wrk threads
#   BENCH_CONNECTIONS=50        reads, token check      BENCH_WRITE_CONNECTIONS=64 write path
#   BENCH_LOGIN_CONNECTIONS=8   logins                  BENCH_MIXED_CONNECTIONS=8  reads next to logins
#   BENCH_USERS=1000 BENCH_CHATS=2000 BENCH_MESSAGES=100000   seed data
#   BENCH_API_USERS=16          users registered through the API (the rest via SQL, same bcrypt hash)
#   BENCH_TOKEN_USERS=64        users logged in for the read and write scenarios
#   BENCH_BCRYPT_COST=12        the server's BCRYPT_COST (and so the cost of every seeded hash)
#   BENCH_HUBS=2000 BENCH_QR_INFLIGHT=50 BENCH_QR_PHONES=8   QR flow: all hubs open at once, then
#   BENCH_QR_SERIAL=HUBS/10     that many exchanged one at a time, the rest BENCH_QR_INFLIGHT at a time
#   BENCH_IDLE_SOCKETS=5000     idle hub WebSockets
#   BENCH_GATEWAY_SOCKETS=10000 identified idle gateway WebSockets (scenario 8)
#   BENCH_FANOUT_MEMBERS=100 BENCH_FANOUT_RATE=120 BENCH_FANOUT_SECONDS=10   scenario 8's fan-out: one
#                               group, every member connected, messages per second posted through REST
#   BENCH_RESUME_BEHIND=1000    events a resuming connection has missed
#   BENCH_LOG_LEVEL=warning     the messenger's LOG_LEVEL (info logs one line per request)
#   BENCH_WAIT_WHILE=<file>     before every load step, wait (polling every 20 s) while this file exists
#   BENCH_KEEP=1                keep the temporary directory (logs, wrk output) instead of removing it
#   BENCH_HOLD=1                after seeding, write $work/bench.env (URLs, token, pid) and wait while
#                               $work/hold exists, to profile by hand (e.g. perf record -p <pid>)
#   BENCH_REPORT=.build/bench-report.md   where the final table is also written
#   BENCH_AB_ROUNDS=3 BENCH_AB_DURATION=5s   scenario 9 (the messenger next to the Go and FastAPI
#                               baselines): rounds of A B A B runs, and each run's length
#   BENCH_ONLY="9"              run only these scenarios (space-separated numbers, after the seed) and
#                               print only scenario 9's table; unset: everything (the default run)
#   MESSENGER_BIN, BENCH_PYTHON the binary and the Python with bench/requirements.txt
#   BENCH_GO_BIN=.build/baseline-go   the Go baseline (bench/baseline-go; `make bench-go` builds it)
#
# `bash bench/run.sh --self-check` (make bench runs it first) checks the scripts' syntax and runs the
# post-seed targets step (make_targets) 50 times on synthetic files, without starting anything.
#
# Pipelines: under pipefail, a pipe into a reader that stops early (head, grep -q, sed q) can kill the
# writer with SIGPIPE (exit 141) and so the run; every such filter reads a file, or awk stops reading.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# The post-seed targets step, shared by the run and the self-check: MEMBERS ("email user_id chat_id" of
# every bench user) and TOKENS ("email token" of the logged-in ones, in login order) -> TARGETS
# ("user_id chat_id token username", TOKENS' order: the lines read.lua and write.lua cycle through) and
# PHONES (the first PHONE_COUNT tokens, scenario 5's phone users). Fails unless every one of the
# EXPECTED logged-in users has a chat.
make_targets() {
    local members=$1 tokens=$2 targets=$3 phones=$4 phone_count=$5 expected=$6 lines
    awk 'NR == FNR { user[$1] = $2; chat[$1] = $3; next }
        chat[$1] != "" { name = $1; sub(/@.*/, "", name); print user[$1], chat[$1], $2, name }' \
        "$members" "$tokens" >"$targets"
    lines=$(wc -l <"$targets")
    (( lines == expected )) || { echo "bench: error: $lines of $expected logged-in users have a chat" >&2; return 1; }
    awk -v n="$phone_count" 'NR <= n { print $3 }' "$targets" >"$phones"
}

# --self-check: `bash -n` on the scripts, Python's compile on the tools, then make_targets 50 times under
# `set -euo pipefail` on 1,000 synthetic users (all logged in, in a shuffled order, tokens as long as
# real ones): every run must succeed and write the same files as the first.
self_check() {
    local dir script run status
    dir="$(mktemp -d /tmp/messenger-bench-selfcheck.XXXXXX)"
    for script in bench/*.sh; do bash -n "$script" || { rm -rf "$dir"; echo "bench: self-check: bash -n $script failed" >&2; return 1; }; done
    python3 -c 'import ast, sys
for path in sys.argv[1:]: ast.parse(open(path).read(), path)' bench/*.py bench/baseline-fastapi/app.py \
        || { rm -rf "$dir"; echo "bench: self-check: a Python file does not parse" >&2; return 1; }
    awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "bench%04d@example.com %d %d\n", i, i + 16, 3 * i }' >"$dir/members.txt"
    awk 'BEGIN { srand(17); for (i = 1; i <= 1000; i++) { n[i] = i }
        for (i = 1000; i > 1; i--) { j = int(rand() * i) + 1; t = n[i]; n[i] = n[j]; n[j] = t }
        for (i = 1; i <= 1000; i++) { token = ""; for (k = 0; k < 24; k++) token = token sprintf("%08x", int(rand() * 4294967296))
            printf "bench%04d@example.com %s\n", n[i], token } }' >"$dir/tokens.txt"
    for run in $(seq 1 50); do
        status=0
        ( set -euo pipefail; make_targets "$dir/members.txt" "$dir/tokens.txt" "$dir/targets-$run.txt" \
            "$dir/phones-$run.txt" 8 1000 ) || status=$?
        if (( status != 0 )); then
            echo "bench: self-check: run $run of the targets step exited $status" >&2; rm -rf "$dir"; return 1
        fi
        if ! cmp -s "$dir/targets-1.txt" "$dir/targets-$run.txt" || ! cmp -s "$dir/phones-1.txt" "$dir/phones-$run.txt"; then
            echo "bench: self-check: run $run of the targets step wrote different files" >&2; rm -rf "$dir"; return 1
        fi
    done
    (( $(wc -l <"$dir/targets-1.txt") == 1000 && $(wc -l <"$dir/phones-1.txt") == 8 )) \
        || { echo "bench: self-check: the targets step wrote the wrong number of lines" >&2; rm -rf "$dir"; return 1; }
    rm -rf "$dir"
    echo "bench: self-check passed (bash -n, Python syntax, 50 runs of the targets step)" >&2
}
if [ "${1:-}" = --self-check ]; then
    self_check
    exit
fi

BIN=${MESSENGER_BIN:-$root/.build/release/messenger}
PYTHON=${BENCH_PYTHON:-$root/.build/bench-venv/bin/python}
DURATION=${BENCH_DURATION:-10s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
WRITE_CONNECTIONS=${BENCH_WRITE_CONNECTIONS:-64}
LOGIN_CONNECTIONS=${BENCH_LOGIN_CONNECTIONS:-8}
MIXED_CONNECTIONS=${BENCH_MIXED_CONNECTIONS:-8}
USERS=${BENCH_USERS:-1000}
API_USERS=${BENCH_API_USERS:-16}
TOKEN_USERS=${BENCH_TOKEN_USERS:-64}
CHATS=${BENCH_CHATS:-2000}
MESSAGES=${BENCH_MESSAGES:-100000}
COST=${BENCH_BCRYPT_COST:-12}
HUBS=${BENCH_HUBS:-2000}
QR_INFLIGHT=${BENCH_QR_INFLIGHT:-50}
QR_PHONES=${BENCH_QR_PHONES:-8}
QR_SERIAL=${BENCH_QR_SERIAL:-$((HUBS / 10))}
IDLE_SOCKETS=${BENCH_IDLE_SOCKETS:-5000}
GATEWAY_SOCKETS=${BENCH_GATEWAY_SOCKETS:-10000}
FANOUT_MEMBERS=${BENCH_FANOUT_MEMBERS:-100}
FANOUT_RATE=${BENCH_FANOUT_RATE:-120}
FANOUT_SECONDS=${BENCH_FANOUT_SECONDS:-10}
RESUME_BEHIND=${BENCH_RESUME_BEHIND:-1000}
SERVER_LOG_LEVEL=${BENCH_LOG_LEVEL:-warning}
WAIT_WHILE=${BENCH_WAIT_WHILE:-}
KEEP=${BENCH_KEEP:-0}
HOLD=${BENCH_HOLD:-0}
REPORT=${BENCH_REPORT:-$root/.build/bench-report.md}
AB_ROUNDS=${BENCH_AB_ROUNDS:-3}
AB_DURATION=${BENCH_AB_DURATION:-5s}
ONLY=${BENCH_ONLY:-}
GO_BIN=${BENCH_GO_BIN:-$root/.build/baseline-go}
PASSWORD="bench-password-1"

say() { echo "bench: $*" >&2; }
fail() { echo "bench: error: $*" >&2; exit 1; }
# Whether scenario $1 runs (BENCH_ONLY).
want() { [ -z "$ONLY" ] || [[ " ${ONLY//,/ } " == *" $1 "* ]]; }

[ -x "$BIN" ] || fail "$BIN is missing: run \`make build\` (or \`make bench\`)"
[ -x "$PYTHON" ] || fail "$PYTHON is missing: run \`make bench\` (it creates .build/bench-venv)"
for tool in wrk nginx psql curl python3; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || fail "$tool is not installed (make bench installs it)"
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
(( API_USERS >= 1 && API_USERS <= USERS && TOKEN_USERS >= 1 && TOKEN_USERS <= USERS )) \
    || fail "need 1 <= BENCH_API_USERS, BENCH_TOKEN_USERS <= BENCH_USERS"
(( CHATS >= USERS && CHATS <= USERS * ((USERS - 1) / 2) )) \
    || fail "BENCH_CHATS must be between BENCH_USERS and BENCH_USERS * ((BENCH_USERS - 1) / 2)"
(( QR_PHONES <= TOKEN_USERS )) || fail "BENCH_QR_PHONES must be at most BENCH_TOKEN_USERS"
(( QR_SERIAL < HUBS )) || fail "BENCH_QR_SERIAL must be below BENCH_HUBS"
(( AB_ROUNDS >= 1 )) || fail "BENCH_AB_ROUNDS must be at least 1"
if want 9; then
    # The Go baseline, built (offline, Debian's Go and lib/pq) when missing or older than its source.
    if [ -z "${BENCH_GO_BIN:-}" ] && { [ ! -x "$GO_BIN" ] || [ bench/baseline-go/main.go -nt "$GO_BIN" ]; }; then
        command -v go >/dev/null || fail "go is not installed (make bench installs golang-go and golang-github-lib-pq-dev)"
        say "building the Go baseline ($GO_BIN)"
        make --no-print-directory -s bench-go >&2 || fail "could not build the Go baseline (make bench-go)"
    fi
    [ -x "$GO_BIN" ] || fail "$GO_BIN is missing: run \`make bench-go\`"
    "$PYTHON" -c 'import asyncpg, fastapi, uvicorn' 2>/dev/null \
        || fail "$PYTHON lacks FastAPI, uvicorn or asyncpg: run \`make bench-venv\` (bench/requirements.txt)"
fi

# Thousands of WebSockets (three sockets each inside the messenger: client, relay, hub).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
(( $(ulimit -n) >= 4 * IDLE_SOCKETS && $(ulimit -n) >= GATEWAY_SOCKETS + 1000 )) \
    || say "warning: ulimit -n is $(ulimit -n), low for $IDLE_SOCKETS hub and $GATEWAY_SOCKETS gateway sockets"

# ---------------------------------------------------------------------------------------------- set-up

work="$(mktemp -d /tmp/messenger-bench.XXXXXX)"
# Run as root, the embedded cluster runs as PG_USER, which must be able to search DATA_DIR's parents.
chmod 755 "$work"
data="$work/data"
messenger_pid=""
nginx_pid=""
background_pids=()

cleanup() {
    local status=$?
    set +e
    for pid in "${background_pids[@]}"; do kill "$pid" 2>/dev/null; done
    if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
        kill -QUIT "$nginx_pid"
        for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$nginx_pid" 2>/dev/null
    fi
    if [ -n "$messenger_pid" ] && kill -0 "$messenger_pid" 2>/dev/null; then
        kill -TERM "$messenger_pid"   # graceful: stops the services, then the embedded cluster
        local waited=0
        while kill -0 "$messenger_pid" 2>/dev/null && (( waited < 300 )); do sleep 0.1; waited=$((waited + 1)); done
        if kill -0 "$messenger_pid" 2>/dev/null; then
            say "messenger did not stop within 30 s of SIGTERM: killed (SIGKILL)"
            kill -KILL "$messenger_pid" 2>/dev/null
        else
            say "messenger stopped $((waited / 10)).$((waited % 10)) s after SIGTERM"
        fi
    fi
    # The embedded cluster outlives a killed messenger: stop it too (fast shutdown of its postmaster).
    local postmaster="$data/postgres/data/postmaster.pid"
    if [ -f "$postmaster" ]; then
        local pg_pid
        pg_pid="$(head -1 "$postmaster")"
        if [ -n "$pg_pid" ] && kill -INT "$pg_pid" 2>/dev/null; then
            for _ in $(seq 100); do kill -0 "$pg_pid" 2>/dev/null || break; sleep 0.1; done
        fi
    fi
    if [ "$KEEP" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Before every load step: wait while BENCH_WAIT_WHILE exists (another job owns the machine).
wait_quiet() {
    [ -n "$WAIT_WHILE" ] || return 0
    while [ -e "$WAIT_WHILE" ]; do
        say "waiting: $WAIT_WHILE exists"
        sleep 20
    done
}

# Seven free loopback ports: gateway, auth, users, chat, nginx, and scenario 9's Go and FastAPI baselines.
read -r gw_port auth_port users_port chat_port nginx_port go_port fastapi_port < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(7)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))')
gateway="http://127.0.0.1:$gw_port"
chat="http://127.0.0.1:$chat_port"
users="http://127.0.0.1:$users_port"
edge="http://127.0.0.1:$nginx_port"
go_base="http://127.0.0.1:$go_port"
fastapi_base="http://127.0.0.1:$fastapi_port"
internal_token="bench-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

sql() { psql -X -q -v ON_ERROR_STOP=1 -h "$data/postgres/run" -U messenger -d messenger -At "$@"; }

# Waits until $1 answers 200 (for up to $2 seconds) while process $3 lives.
wait_ok() {
    local url=$1 seconds=$2 pid=$3 log=$4
    for _ in $(seq $((seconds * 5))); do
        curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; fail "process $pid exited (log above)"; }
        sleep 0.2
    done
    tail -20 "$log" >&2
    fail "$url did not answer 200 within $seconds s"
}

say "work directory $work; gateway :$gw_port, PrivateChat :$chat_port, nginx :$nginx_port"
# Starts the messenger (all services, DATA_DIR's embedded cluster) and waits until it answers.
start_messenger() {
    env DATA_DIR="$data" HOST=127.0.0.1 PORT="$gw_port" INTERNAL_HOST=127.0.0.1 \
        AUTH_PORT="$auth_port" USERS_PORT="$users_port" CHAT_PORT="$chat_port" \
        PUBLIC_URL="$gateway" INTERNAL_TOKEN="$internal_token" BCRYPT_COST="$COST" \
        ACCESS_TOKEN_TTL=86400 QR_HUBS_PER_ADDRESS=100000 QR_HUB_TIMEOUT=3600 QR_HEARTBEAT_INTERVAL=600 \
        LOG_LEVEL="$SERVER_LOG_LEVEL" \
        "$BIN" serve >>"$work/messenger.log" 2>&1 &
    messenger_pid=$!   # env execs the binary: this is the messenger process itself
    wait_ok "$gateway/health" 120 "$messenger_pid" "$work/messenger.log"
    [ "$(cat "/proc/$messenger_pid/comm")" = messenger ] || fail "pid $messenger_pid is not the messenger"
}

# Stops it gracefully (SIGTERM), as the clean-up does.
stop_messenger() {
    kill -TERM "$messenger_pid"
    for _ in $(seq 300); do kill -0 "$messenger_pid" 2>/dev/null || return 0; sleep 0.1; done
    fail "messenger did not stop within 30 s of SIGTERM"
}

wait_quiet
start_messenger
sleep 3
idle_rss_kb="$(rss_kb "$messenger_pid")"
say "messenger pid $messenger_pid up; idle RSS $((idle_rss_kb / 1024)) MB"

# 6. Idle cost, measured first, on a fresh process (after load its heap keeps freed memory, which
#    would hide what new sockets cost): RSS right after start, then idle hub WebSockets.
declare -A idle=()
if want 6; then
    wait_quiet
    say "6. idle: $IDLE_SOCKETS hub WebSockets"
    "$PYTHON" bench/qr_load.py idle --base "$gateway" --pid "$messenger_pid" --sockets "$IDLE_SOCKETS" \
        >"$work/idle.txt" 2>"$work/idle.err" || { cat "$work/idle.err" >&2; fail "qr_load.py idle failed"; }
    cat "$work/idle.err" >&2
    for pair in $(sed -n 's/^IDLE_RESULT //p' "$work/idle.txt"); do idle[${pair%%=*}]=${pair#*=}; done
    [ -n "${idle[per_socket_bytes]:-}" ] || fail "no idle result"
    say "  ${idle[opened]} open: RSS ${idle[rss_before_kb]} -> ${idle[rss_open_kb]} kB, ${idle[per_socket_bytes]} bytes each"
fi

gateway_step() {
    local name=$1
    shift
    wait_quiet
    "$PYTHON" bench/gateway_load.py "$name" --base "$gateway" "$@" >"$work/gateway-$name.txt" 2>"$work/gateway-$name.err" \
        || { cat "$work/gateway-$name.err" >&2; fail "gateway_load.py $name failed"; }
    cat "$work/gateway-$name.err" >&2
    local pair
    for pair in $(sed -n 's/^GATEWAY_RESULT //p' "$work/gateway-$name.txt"); do gw[$name.${pair%%=*}]=${pair#*=}; done
}
declare -A gw=()
(( USERS >= 700 + 2 && FANOUT_MEMBERS <= 100 )) || fail "scenario 8 needs BENCH_USERS >= 702 and BENCH_FANOUT_MEMBERS <= 100"

# 8a. Identified idle gateway WebSockets, on a fresh process too: the hub sockets' memory, freed, stays
#     in the process and new sockets would reuse it. One user (registered and logged in here) holds
#     every connection.
if want 8; then
    wait_quiet
    if want 6; then
        say "restarting the messenger for a fresh process"
        stop_messenger
        start_messenger
    fi
    curl -fsS -o /dev/null --max-time 60 -X POST "$gateway/auth/register/" -H "Content-Type: application/json" \
        -d "{\"username\":\"gatewayidle\",\"email\":\"gatewayidle@example.com\",\"password\":\"$PASSWORD\"}" \
        || fail "could not register the idle gateway user"
    curl -fsS --max-time 60 -X POST "$gateway/auth/login/" -H "Content-Type: application/json" \
        -d "{\"email\":\"gatewayidle@example.com\",\"password\":\"$PASSWORD\"}" \
        | sed -n 's/.*"token":"\([^"]*\)".*/skipped \1\nidle \1/p' >"$work/gateway-idle-tokens.txt"
    (( $(grep -c . "$work/gateway-idle-tokens.txt") == 2 )) || fail "could not log the idle gateway user in"
    say "8. gateway: $GATEWAY_SOCKETS identified idle WebSockets, then heartbeats"
    gateway_step idle --pid "$messenger_pid" --tokens "$work/gateway-idle-tokens.txt" --sockets "$GATEWAY_SOCKETS"
    say "  ${gw[idle.opened]} open in ${gw[idle.open_s]} s: RSS ${gw[idle.rss_before_kb]} -> ${gw[idle.rss_open_kb]} kB," \
        "${gw[idle.per_socket_bytes]} bytes each; CPU ${gw[idle.silent_cpu_pct]}% silent, ${gw[idle.beating_cpu_pct]}%" \
        "with ${gw[idle.heartbeats]} heartbeats, ${gw[idle.per_heartbeat_us]} us each"
fi

# nginx: the project's nginx.conf with pid/error_log/access_log in $work, listening on loopback, no
# `user` line, a bench-only static location, and upstreams.conf pointing at the gateway.
nginx_dir="$work/nginx"
mkdir -p "$nginx_dir/logs"
awk -v dir="$nginx_dir" -v port="$nginx_port" '
    /^[[:space:]]*user[[:space:]]/ { next }
    /^[[:space:]]*pid[[:space:]]/ { print "pid " dir "/nginx.pid;"; next }
    /^[[:space:]]*error_log[[:space:]]/ { print "error_log " dir "/logs/error.log warn;"; next }
    /^[[:space:]]*access_log[[:space:]]/ && !/[[:space:]]off;/ {
        sub(/^[[:space:]]*access_log[[:space:]]+[^[:space:];]+/, "access_log " dir "/logs/access.log"); print; next
    }
    /^[[:space:]]*listen[[:space:]]/ {
        print "        listen 127.0.0.1:" port ";"
        print "        location = /bench-static { default_type text/plain; return 200 \"ok\"; }"
        next
    }
    { print }
' nginx/nginx.conf >"$nginx_dir/nginx.conf"
grep -q "^pid $nginx_dir/" "$nginx_dir/nginx.conf" && grep -q "^error_log $nginx_dir/" "$nginx_dir/nginx.conf" \
    && grep -q "^access_log $nginx_dir/" "$nginx_dir/nginx.conf" && grep -q "bench-static" "$nginx_dir/nginx.conf" \
    || fail "could not rewrite nginx/nginx.conf (pid, error_log, access_log, listen)"
cat >"$nginx_dir/upstreams.conf" <<EOF
upstream messenger_gateway {
    least_conn;
    server 127.0.0.1:$gw_port;
    keepalive 32;
}

upstream messenger_hub {
    hash \$arg_client_id consistent;
    server 127.0.0.1:$gw_port;
}
EOF
"$NGINX" -t -q -p "$nginx_dir/" -c "$nginx_dir/nginx.conf" -e "$nginx_dir/logs/error.log" \
    || fail "nginx -t failed on the rewritten configuration"
"$NGINX" -p "$nginx_dir/" -c "$nginx_dir/nginx.conf" -e "$nginx_dir/logs/error.log" -g 'daemon off;' \
    >"$work/nginx.log" 2>&1 &
nginx_pid=$!
wait_ok "$edge/health" 30 "$nginx_pid" "$work/nginx.log"

# ---------------------------------------------------------------------------------------------- seed

email_of() { printf 'bench%04d@example.com' "$1"; }

wait_quiet
seed_started=$SECONDS
say "seeding: $API_USERS users through /auth/register/ at BCRYPT_COST=$COST"
seq 1 "$API_USERS" | BENCH_URL="$gateway" BENCH_PASSWORD="$PASSWORD" xargs -P 4 -I{} bash -c '
    name=$(printf "bench%04d" {})
    curl -sS -o /dev/null -w "%{http_code}\n" --max-time 60 -X POST "$BENCH_URL/auth/register/" \
        -H "Content-Type: application/json" \
        -d "{\"username\":\"$name\",\"email\":\"$name@example.com\",\"password\":\"$BENCH_PASSWORD\"}"
' >"$work/register.codes"
registered="$(grep -c '^200$' "$work/register.codes" || true)"
(( registered == API_USERS )) || fail "registered $registered of $API_USERS users: $(sort "$work/register.codes" | uniq -c | tr '\n' ' ')"

# Every other user gets the same cost-$COST hash (same password), inserted with its profile.
hash="$(sql -c "SELECT password_hash FROM auth.accounts WHERE email = '$(email_of 1)'")"
[[ "$hash" == \$2* ]] || fail "no bcrypt hash for $(email_of 1): '$hash'"
say "seeding: $((USERS - API_USERS)) users, $CHATS chats, $MESSAGES messages through psql"
sql -v hash="$hash" -v first="$((API_USERS + 1))" -v last="$USERS" -v users="$USERS" -v chats="$CHATS" \
    -v messages="$MESSAGES" <<'SQL'
BEGIN;
WITH accounts AS (
    INSERT INTO auth.accounts (email, password_hash)
    SELECT format('bench%s@example.com', lpad(g::text, greatest(4, length(g::text)), '0')), :'hash'
    FROM generate_series(:first, :last) AS g
    RETURNING id, email
)
INSERT INTO users.profiles (id, username)
SELECT id, split_part(email, '@', 1) FROM accounts;

-- Chat k joins user (k mod U) with user (k mod U + 1 + k div U) mod U: no pair twice.
CREATE TEMP TABLE bench_users AS
    SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM users.profiles WHERE username LIKE 'bench%';
INSERT INTO chat.chats (starter_id, recipient_id)
SELECT a.id, b.id
FROM generate_series(0, :chats - 1) AS k
JOIN bench_users a ON a.n = k % :users
JOIN bench_users b ON b.n = (k % :users + 1 + k / :users) % :users;
INSERT INTO chat.members (chat_id, user_id)
SELECT id, starter_id FROM chat.chats UNION ALL SELECT id, recipient_id FROM chat.chats;

-- Messages spread evenly over the chats, written by either member, one second apart.
CREATE TEMP TABLE bench_chats AS
    SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, starter_id, recipient_id FROM chat.chats;
INSERT INTO chat.messages (chat_id, owner_id, text, created_at)
SELECT c.id, CASE WHEN g % 2 = 0 THEN c.starter_id ELSE c.recipient_id END,
       'Seed message number ' || g, now() - make_interval(secs => :messages - g)
FROM generate_series(1, :messages) AS g
JOIN bench_chats c ON c.n = g % :chats;
UPDATE chat.chats c SET last_activity_at = m.last
FROM (SELECT chat_id, max(created_at) AS last FROM chat.messages GROUP BY chat_id) m
WHERE m.chat_id = c.id;
-- Members have read all but the last five messages of each chat (unread counts are not all zero).
UPDATE chat.members mem SET last_read_message_id = m.read_up_to
FROM (SELECT chat_id, max(id) - 5 AS read_up_to FROM chat.messages GROUP BY chat_id) m
WHERE m.chat_id = mem.chat_id;
COMMIT;
ANALYZE;
SQL
counts="$(sql -F ' ' -c "SELECT (SELECT count(*) FROM auth.accounts), (SELECT count(*) FROM users.profiles),
    (SELECT count(*) FROM chat.chats), (SELECT count(*) FROM chat.messages)")"
say "seeded (accounts profiles chats messages): $counts"

# Access tokens of the first $TOKEN_USERS users (each login is one bcrypt at cost $COST).
say "logging in $TOKEN_USERS users for the read/write scenarios"
seq 1 "$TOKEN_USERS" | BENCH_URL="$gateway" BENCH_PASSWORD="$PASSWORD" xargs -P 4 -I{} bash -c '
    email=$(printf "bench%04d@example.com" {})
    token=$(curl -sS --max-time 60 -X POST "$BENCH_URL/auth/login/" -H "Content-Type: application/json" \
        -d "{\"email\":\"$email\",\"password\":\"$BENCH_PASSWORD\"}" | sed -n "s/.*\"token\":\"\([^\"]*\)\".*/\1/p")
    [ -n "$token" ] && echo "$email $token"
' >"$work/tokens.txt" || true
(( $(wc -l <"$work/tokens.txt") == TOKEN_USERS )) || fail "only $(wc -l <"$work/tokens.txt") of $TOKEN_USERS logins worked"
# "user_id chat_id token username" for every logged-in user, with one of that user's chats.
sql -F ' ' -c "SELECT a.email, a.id, (SELECT min(c.id) FROM chat.chats c WHERE a.id IN (c.starter_id, c.recipient_id))
    FROM auth.accounts a WHERE a.email LIKE 'bench%'" >"$work/members.txt"
make_targets "$work/members.txt" "$work/tokens.txt" "$work/targets.txt" "$work/phone-tokens.txt" "$QR_PHONES" "$TOKEN_USERS" \
    || fail "the targets step failed (members.txt, tokens.txt in $work)"
for i in $(seq 1 "$USERS"); do email_of "$i"; echo; done >"$work/emails.txt"
say "seeding took $((SECONDS - seed_started)) s"

# 7. The conversations of one user (the first logged-in one): 400 more private chats, 100 groups of 50
#    with 60 messages each, and a group of 100 members to post in. Their members have read all but the
#    last five messages, so the chat list counts unread messages.
read -r hub_id _ hub_token hub_name <"$work/targets.txt"
(( USERS >= 401 )) || fail "the conversation scenarios need BENCH_USERS >= 401"
sql -v hub="$hub_id" <<'SQL' >/dev/null
BEGIN;
INSERT INTO chat.chats (starter_id, recipient_id)
SELECT :hub, id FROM users.profiles WHERE id <> :hub ORDER BY id LIMIT 400
ON CONFLICT ((LEAST(starter_id, recipient_id)), (GREATEST(starter_id, recipient_id))) WHERE kind = 'private' DO NOTHING;
INSERT INTO chat.members (chat_id, user_id)
SELECT c.id, pair.user_id FROM chat.chats c CROSS JOIN LATERAL (VALUES (c.starter_id), (c.recipient_id)) AS pair (user_id)
WHERE c.kind = 'private' AND :hub IN (c.starter_id, c.recipient_id)
ON CONFLICT DO NOTHING;
CREATE TEMP TABLE bench_groups AS
WITH created AS (
    INSERT INTO chat.chats (kind, starter_id, title)
    SELECT 'group', :hub, 'Bench group ' || g FROM generate_series(1, 101) AS g
    RETURNING id
)
SELECT row_number() OVER (ORDER BY id) AS n, id FROM created;
CREATE TEMP TABLE bench_others AS
    SELECT row_number() OVER (ORDER BY id) AS n, id FROM users.profiles WHERE id <> :hub;
-- Groups 1-100 have the user (owner) and 49 others; group 101 the user and 99 others.
INSERT INTO chat.members (chat_id, user_id, role)
SELECT g.id, :hub, 'owner' FROM bench_groups g
UNION ALL
SELECT g.id, o.id, 'member' FROM bench_groups g
JOIN bench_others o ON o.n > (g.n * 7) % 300 AND o.n <= (g.n * 7) % 300 + CASE WHEN g.n = 101 THEN 99 ELSE 49 END;
INSERT INTO chat.messages (chat_id, owner_id, text, created_at)
SELECT g.id, CASE WHEN k % 3 = 0 THEN :hub ELSE (SELECT o.id FROM bench_others o WHERE o.n = (g.n * 7) % 300 + 1 + k % 40) END,
       'Group message ' || k, now() - make_interval(secs => 6000 - g.n * 60 - k)
FROM bench_groups g CROSS JOIN generate_series(1, 60) AS k;
UPDATE chat.chats c SET last_activity_at = m.last
FROM (SELECT chat_id, max(created_at) AS last FROM chat.messages GROUP BY chat_id) m
WHERE m.chat_id = c.id AND c.kind = 'group';
UPDATE chat.members mem SET last_read_message_id = m.read_up_to
FROM (SELECT chat_id, max(id) - 5 AS read_up_to FROM chat.messages GROUP BY chat_id) m
WHERE m.chat_id = mem.chat_id AND mem.last_read_message_id = 0;
COMMIT;
ANALYZE chat.chats; ANALYZE chat.members; ANALYZE chat.messages;
SQL
hub_chats="$(sql -c "SELECT count(*) FROM chat.members WHERE user_id = $hub_id")"
group50="$(sql -c "SELECT min(c.id) FROM chat.chats c WHERE c.kind = 'group' AND c.title = 'Bench group 1'")"
group100="$(sql -c "SELECT min(c.id) FROM chat.chats c WHERE c.kind = 'group' AND c.title = 'Bench group 101'")"
group100_members="$(sql -c "SELECT count(*) FROM chat.members WHERE chat_id = $group100")"
echo "$hub_id $group50 $hub_token" >"$work/conversation-list.txt"
echo "$hub_id $group50 $hub_token" >"$work/conversation-group.txt"
echo "$hub_id $group100 $hub_token" >"$work/conversation-post.txt"
say "conversations: user $hub_id is in $hub_chats chats; group $group50 has 50 members, group $group100 has $group100_members"

# 9a. The baselines (bench/baseline-go, bench/baseline-fastapi) on the same tables, started now and stopped
#     by the clean-up, and a check that they answer the messenger's bytes: status, X-Has-More and body of
#     pages of messages, chat lists and searches (the messenger called directly, with the headers the
#     gateway forwards, as read.lua's BENCH_AUTH=internal does). A group of the last two bench users
#     (no scenario uses them) holds the texts JSON must escape, an answer, an edit, a system message's
#     data, a mention, a message of a deleted user and both kinds of avatar.
go_pid="" fastapi_pid=""
if want 9; then
    pg_socket_dir="$data/postgres/run"
    "$GO_BIN" -addr "127.0.0.1:$go_port" -media-base "$gateway/media" \
        -dsn "host=$pg_socket_dir user=messenger dbname=messenger sslmode=disable" >"$work/baseline-go.log" 2>&1 &
    go_pid=$!
    background_pids+=("$go_pid")
    env BASELINE_PG_HOST="$pg_socket_dir" BASELINE_MEDIA_BASE="$gateway/media" \
        "$PYTHON" -m uvicorn --app-dir "$root/bench/baseline-fastapi" app:app --host 127.0.0.1 --port "$fastapi_port" \
        --workers 1 --no-access-log --log-level warning >"$work/baseline-fastapi.log" 2>&1 &
    fastapi_pid=$!   # env execs Python: this is the uvicorn process itself
    background_pids+=("$fastapi_pid")
    wait_ok "$go_base/health" 30 "$go_pid" "$work/baseline-go.log"
    wait_ok "$fastapi_base/health" 60 "$fastapi_pid" "$work/baseline-fastapi.log"
    say "9. baselines up: Go pid $go_pid (:$go_port), FastAPI pid $fastapi_pid (:$fastapi_port)"

    escape_owner=$(email_of $((USERS - 1))) escape_member=$(email_of "$USERS")
    read -r escape_chat escape_owner_id escape_member_id < <(sql -F ' ' \
        -v owner="${escape_owner%@*}" -v member="${escape_member%@*}" <<'SQL'
BEGIN;
CREATE TEMP TABLE escape_users AS
    SELECT (SELECT id FROM users.profiles WHERE username = :'owner') AS owner,
           (SELECT id FROM users.profiles WHERE username = :'member') AS member;
UPDATE users.profiles SET avatar_key = 'avatars/escape check/ü+1.png' WHERE id = (SELECT owner FROM escape_users);
UPDATE users.profiles SET avatar_url = 'https://example.com/a"b\c.png', last_online_at = now() - interval '1 hour'
WHERE id = (SELECT member FROM escape_users);
CREATE TEMP TABLE escape_chat AS
WITH created AS (
    INSERT INTO chat.chats (kind, starter_id, title)
    SELECT 'group', owner, E'Escapes: "quoted" \\ back/slash \t tab <b>&amp;</b> ünïcödé 🙂' FROM escape_users
    RETURNING id
)
SELECT id FROM created;
INSERT INTO chat.members (chat_id, user_id, role)
SELECT c.id, u.owner, 'owner' FROM escape_chat c, escape_users u
UNION ALL SELECT c.id, u.member, 'member' FROM escape_chat c, escape_users u;
INSERT INTO chat.messages (chat_id, owner_id, text, created_at)
SELECT c.id, u.owner, E'He said "hi" \\ back\\slash /path\nnew line\r\ttab \u0001 \u001f \b \f é 🙂 \u2028 <b>&amp;</b>',
       now() - interval '10 minutes'
FROM escape_chat c, escape_users u;
INSERT INTO chat.messages (chat_id, owner_id, text, answer_id, mentions, created_at, edited_at)
SELECT c.id, u.member, 'An answer that mentions @' || :'owner', (SELECT max(id) FROM chat.messages WHERE chat_id = c.id),
       ARRAY[u.owner], now() - interval '9 minutes 59.999 seconds', now() - interval '1 minute'
FROM escape_chat c, escape_users u;
INSERT INTO chat.messages (chat_id, owner_id, text, type, data, created_at)
SELECT c.id, u.owner, 'renamed the group', 'group_renamed', '{"title": "x\"y", "old_title": null, "n": [1, 2.50]}',
       now() - interval '8 minutes'
FROM escape_chat c, escape_users u;
INSERT INTO chat.messages (chat_id, owner_id, text, created_at)
SELECT c.id, 2000000000, 'from a user whose profile is gone', now() - interval '7 minutes' FROM escape_chat c;
UPDATE chat.chats SET last_activity_at = now() - interval '7 minutes' WHERE id = (SELECT id FROM escape_chat);
SELECT c.id, u.owner, u.member FROM escape_chat c, escape_users u;
COMMIT;
SQL
    )
    [ -n "$escape_member_id" ] || fail "could not create the escape check's group"
    read -r first_id first_chat < <(sql -F ' ' -c "SELECT a.id, (SELECT min(c.id) FROM chat.chats c WHERE a.id IN (c.starter_id, c.recipient_id))
        FROM auth.accounts a WHERE a.email = '$(email_of 1)'")
    present_name="$(sql -c "SELECT username FROM users.profiles WHERE last_online_at IS NOT NULL ORDER BY last_online_at DESC, id LIMIT 1")"
    mkdir -p "$work/same"
    # same_answer NAME METHOD URL_OURS URL_BASELINE USER_ID [BODY]: both answers, compared byte for byte.
    same_answer() {
        local name=$1 method=$2 ours_url=$3 base_url=$4 user=$5 body=${6:-} side url
        for side in ours baseline; do
            url=$ours_url
            [ "$side" = ours ] || url=$base_url
            local args=(-sS --max-time 30 -X "$method" -o "$work/same/$name.$side.body" -D "$work/same/$name.$side.headers"
                -w '%{http_code}' -H "X-Internal-Token: $internal_token" -H "X-User-Id: $user" -H "X-Session-Id: bench-session")
            [ -z "$body" ] || args+=(-H "Content-Type: application/json" --data-binary "$body")
            local status
            status="$(curl "${args[@]}" "$url")" || fail "could not fetch $url"
            {
                echo "HTTP $status"
                awk 'tolower($1) == "x-has-more:" { sub(/\r$/, ""); print "X-Has-More: " $2 }' "$work/same/$name.$side.headers"
                # add-message: the new row's id differs (each side stores one).
                if [ "$method" = POST ]; then sed 's/"id":[0-9]*/"id":N/' "$work/same/$name.$side.body"; else cat "$work/same/$name.$side.body"; fi
            } >"$work/same/$name.$side"
        done
        if ! cmp -s "$work/same/$name.ours" "$work/same/$name.baseline"; then
            python3 - "$work/same/$name.ours" "$work/same/$name.baseline" <<'PY' >&2
import sys
a, b = (open(path, "rb").read() for path in sys.argv[1:3])
at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
print(f"first difference at byte {at} (lengths {len(a)} and {len(b)}):")
print("  messenger:", a[max(0, at - 120):at + 120])
print("  baseline: ", b[max(0, at - 120):at + 120])
PY
            fail "9. the baseline's answer differs from the messenger's: $name ($ours_url vs $base_url; files in $work/same, BENCH_KEEP=1 keeps them)"
        fi
        say "  same bytes: $name ($(head -c 80 "$work/same/$name.ours" | tr '\n' ' ')...)"
    }
    say "9. checking that the baselines answer the messenger's bytes"
    same_answer messages-first GET "$chat/private/$first_chat/messages?limit=50" "$go_base/private/$first_chat/messages?limit=50" "$first_id"
    same_answer messages-group GET "$chat/private/$group50/messages?limit=50" "$go_base/private/$group50/messages?limit=50" "$hub_id"
    same_answer messages-escapes GET "$chat/private/$escape_chat/messages?limit=50" "$go_base/private/$escape_chat/messages?limit=50" "$escape_owner_id"
    same_answer messages-more GET "$chat/private/$first_chat/messages?limit=3&offset=2" "$go_base/private/$first_chat/messages?limit=3&offset=2" "$first_id"
    same_answer messages-past-end GET "$chat/private/$first_chat/messages?offset=100000" "$go_base/private/$first_chat/messages?offset=100000" "$first_id"
    same_answer messages-not-member GET "$chat/private/$escape_chat/messages?limit=50" "$go_base/private/$escape_chat/messages?limit=50" "$first_id"
    same_answer messages-no-chat GET "$chat/private/999999999/messages?limit=50" "$go_base/private/999999999/messages?limit=50" "$first_id"
    same_answer chat-list-first GET "$chat/private/chat-list/" "$go_base/private/chat-list/" "$first_id"
    same_answer chat-list-hub GET "$chat/private/chat-list/" "$go_base/private/chat-list/" "$hub_id"
    same_answer chat-list-escapes GET "$chat/private/chat-list/" "$go_base/private/chat-list/" "$escape_owner_id"
    same_answer chat-list-escapes-member GET "$chat/private/chat-list/" "$go_base/private/chat-list/" "$escape_member_id"
    for check in "search-first ${hub_name}" "search-case ${hub_name^^}" "search-escapes ${escape_member%@*}" \
        "search-avatar-key ${escape_owner%@*}" "search-present $present_name" "search-nobody nobody-by-this-name"; do
        read -r check_name check_user <<<"$check"
        [ -n "$check_user" ] || continue
        same_answer "$check_name" GET "$users/users/user/?username=$check_user" "$go_base/users/user/?username=$check_user" "$first_id"
        same_answer "$check_name-fastapi" GET "$users/users/user/?username=$check_user" "$fastapi_base/users/user/?username=$check_user" "$first_id"
    done
    same_answer search-empty GET "$users/users/user/?username=" "$go_base/users/user/?username=" "$first_id"
    same_answer search-empty-fastapi GET "$users/users/user/?username=" "$fastapi_base/users/user/?username=" "$first_id"
    # Writes: one post from each side (the same answer but for the id), refusals, then the pages again:
    # what the baseline stored reads as what the messenger stored.
    same_answer add-message POST "$chat/private/add-message/$escape_chat/" "$go_base/private/add-message/$escape_chat/" \
        "$escape_member_id" '{"text":"posted by \"both\" sides \u00e9"}'
    escape_first_message="$(sql -c "SELECT min(id) FROM chat.messages WHERE chat_id = $escape_chat")"
    same_answer add-message-answer POST "$chat/private/add-message/$escape_chat/" "$go_base/private/add-message/$escape_chat/" \
        "$escape_owner_id" "{\"text\":\"an answer\",\"message_answer_id\":$escape_first_message}"
    same_answer add-message-answer-elsewhere POST "$chat/private/add-message/$escape_chat/" \
        "$go_base/private/add-message/$escape_chat/" "$escape_owner_id" "{\"text\":\"an answer\",\"message_answer_id\":1}"
    same_answer add-message-not-member POST "$chat/private/add-message/$escape_chat/" "$go_base/private/add-message/$escape_chat/" \
        "$first_id" '{"text":"not a member"}'
    same_answer add-message-no-chat POST "$chat/private/add-message/999999999/" "$go_base/private/add-message/999999999/" \
        "$first_id" '{"text":"no such chat"}'
    same_answer chat-list-after-posts GET "$chat/private/chat-list/" "$go_base/private/chat-list/" "$escape_member_id"
    same_answer messages-after-posts GET "$chat/private/$escape_chat/messages?limit=50" "$go_base/private/$escape_chat/messages?limit=50" "$escape_owner_id"
fi

# 8b. The real-time gateway WebSocket under load: fan-out to a group whose members are all connected, and
#     a resume 1,000 events behind (before the HTTP scenarios).
if want 8; then
    say "8. gateway: fan-out to a group of $FANOUT_MEMBERS, $FANOUT_RATE messages/s for $FANOUT_SECONDS s"
    gateway_step fanout --pid "$messenger_pid" --emails "$work/emails.txt" --password "$PASSWORD" --first 500 --members "$FANOUT_MEMBERS" \
        --rate "$FANOUT_RATE" --seconds "$FANOUT_SECONDS"
    say "  ${gw[fanout.delivered]} of ${gw[fanout.expected]} delivered, ${gw[fanout.deliveries_per_s]}/s;" \
        "POST answer to receipt p50 ${gw[fanout.p50_ms]} ms, p99 ${gw[fanout.p99_ms]} ms;" \
    "messenger CPU ${gw[fanout.cpu_per_delivery_us]} us per delivered event (its posts included)"
    say "8. gateway: resume $RESUME_BEHIND events behind"
    gateway_step resume --emails "$work/emails.txt" --password "$PASSWORD" --first 700 --behind "$RESUME_BEHIND"
    say "  ${gw[resume.replayed]} replayed in order in ${gw[resume.resume_ms]} ms"
fi

if [ "$HOLD" = 1 ]; then
    {
        echo "export BENCH_LUA_DIR=$root/bench BENCH_TARGETS=$work/targets.txt BENCH_INTERNAL_TOKEN=$internal_token"
        echo "export BENCH_EMAILS=$work/emails.txt BENCH_PASSWORD=$PASSWORD"
        echo "gateway=$gateway chat=$chat users=$users edge=$edge messenger_pid=$messenger_pid"
        [ -z "$go_pid" ] || echo "go=$go_base go_pid=$go_pid fastapi=$fastapi_base fastapi_pid=$fastapi_pid"
    } >"$work/bench.env"
    touch "$work/hold"
    say "holding: source $work/bench.env; rm $work/hold to go on"
    while [ -e "$work/hold" ]; do sleep 1; done
fi

# ---------------------------------------------------------------------------------------------- runs

declare -A rps p50 p99 errors error_detail ok non2xx sent label requests
order=()

# run_wrk NAME LABEL CONNECTIONS THREADS TIMEOUT URL SCRIPT [VAR=value...]: one wrk run, results by NAME.
# RUN_DURATION=... run_wrk: another length than BENCH_DURATION; IN_TABLE=0: not a row of the main table.
run_wrk() {
    local name=$1 text=$2 connections=$3 threads=$4 timeout=$5 url=$6 script=$7
    shift 7
    local duration=${RUN_DURATION:-$DURATION}
    wait_quiet
    say "$text: $connections connections, $threads threads, $duration"
    env BENCH_LUA_DIR="$root/bench" BENCH_TARGETS="$work/targets.txt" BENCH_INTERNAL_TOKEN="$internal_token" \
        BENCH_EMAILS="$work/emails.txt" BENCH_PASSWORD="$PASSWORD" "$@" \
        wrk -t"$threads" -c"$connections" -d"$duration" --timeout "$timeout" -s "$root/bench/$script" "$url" \
        >"$work/wrk-$name.txt" 2>&1 || { cat "$work/wrk-$name.txt" >&2; fail "wrk failed ($name)"; }
    record_wrk "$name" "$text"
}

# Reads the BENCH_RESULT line of wrk-NAME.txt.
record_wrk() {
    local name=$1 text=$2 line
    line="$(grep '^BENCH_RESULT ' "$work/wrk-$name.txt")" || { cat "$work/wrk-$name.txt" >&2; fail "no result ($name)"; }
    local -A f=()
    local pair
    for pair in ${line#BENCH_RESULT }; do f[${pair%%=*}]=${pair#*=}; done
    label[$name]=$text
    rps[$name]="$(awk -v r="${f[requests]}" -v d="${f[duration_us]}" 'BEGIN { printf "%.0f", r / (d / 1e6) }')"
    p50[$name]="$(awk -v v="${f[p50_us]}" 'BEGIN { printf "%.2f", v / 1000 }')"
    p99[$name]="$(awk -v v="${f[p99_us]}" 'BEGIN { printf "%.2f", v / 1000 }')"
    errors[$name]=$((f[non2xx] + f[connect] + f[read] + f[write] + f[timeout]))
    # e.g. "HTTP 401: 3, timeout: 2"
    local detail="" kind status
    if [ "${f[statuses]:--}" != - ]; then
        for status in ${f[statuses]//,/ }; do detail+=", HTTP ${status%%:*}: ${status#*:}"; done
    fi
    for kind in connect read write timeout; do (( f[$kind] == 0 )) || detail+=", $kind: ${f[$kind]}"; done
    error_detail[$name]="${detail#, }"
    ok[$name]=${f[ok]}
    non2xx[$name]=${f[non2xx]}
    sent[$name]=${f[sent]}
    requests[$name]=${f[requests]}
    [ "${IN_TABLE:-1}" = 0 ] || order+=("$name")
    say "  ${rps[$name]} req/s, p50 ${p50[$name]} ms, p99 ${p99[$name]} ms, errors ${errors[$name]} ${error_detail[$name]}"
}

message_count() { sql -c "SELECT count(*) FROM chat.messages"; }

# Scenario 3's check: every 2xx answer's message is stored; the surplus is at most the requests wrk
# had sent but not seen answered when it stopped (it does not drain them).
declare -A write_check
check_writes() {
    local name=$1 before=$2 after=$3
    local stored=$((after - before))
    local unanswered=$((sent[$name] - ok[$name] - non2xx[$name]))
    local verdict=fail
    if (( stored >= ok[$name] && stored - ok[$name] <= unanswered && errors[$name] == 0 )); then verdict=pass; fi
    write_check[$name]="$verdict: $stored rows stored, ${ok[$name]} 2xx answers, $unanswered requests unanswered when wrk stopped, ${errors[$name]} errors"
    say "  writes: ${write_check[$name]}"
}

C=$CONNECTIONS T=$THREADS
# 1. Authenticated reads: direct to PrivateChat, through the gateway, through nginx and the gateway.
if want 1; then
    for kind in chat-list messages; do
        run_wrk "$kind-direct" "1. $kind, direct to PrivateChat" "$C" "$T" 10s "$chat" read.lua BENCH_GET="$kind" BENCH_AUTH=internal
        run_wrk "$kind-gateway" "1. $kind, gateway" "$C" "$T" 10s "$gateway" read.lua BENCH_GET="$kind" BENCH_AUTH=bearer
        run_wrk "$kind-nginx" "1. $kind, nginx + gateway" "$C" "$T" 10s "$edge" read.lua BENCH_GET="$kind" BENCH_AUTH=bearer
    done
fi

# 2. The token check alone against nginx's static 200.
if want 2; then
    run_wrk static-nginx "2. nginx static 200" "$C" "$T" 10s "$edge" read.lua BENCH_GET=static BENCH_AUTH=none
    run_wrk get-token-gateway "2. get-token, gateway" "$C" "$T" 10s "$gateway" read.lua BENCH_GET=get-token BENCH_AUTH=bearer
fi

# 3. The write path, with a check that every acknowledged message is stored.
if want 3; then
    before="$(message_count)"
    run_wrk write-direct "3. add-message, direct to PrivateChat" "$WRITE_CONNECTIONS" "$T" 10s "$chat" write.lua BENCH_AUTH=internal
    sleep 1
    check_writes write-direct "$before" "$(message_count)"
    before="$(message_count)"
    run_wrk write-gateway "3. add-message, gateway" "$WRITE_CONNECTIONS" "$T" 10s "$gateway" write.lua BENCH_AUTH=bearer
    sleep 1
    check_writes write-gateway "$before" "$(message_count)"
fi

# 7. One user's conversations: the chat list of a user in 500 chats, a group's page, a post in a group of 100.
if want 7; then
    run_wrk conversation-list "7. chat-list page of 100, user in $hub_chats chats, gateway" "$C" "$T" 10s "$gateway" \
        read.lua BENCH_GET=chat-list BENCH_AUTH=bearer BENCH_TARGETS="$work/conversation-list.txt"
    run_wrk conversation-group "7. messages page of 50 in a group of 50, gateway" "$C" "$T" 10s "$gateway" \
        read.lua BENCH_GET=messages BENCH_AUTH=bearer BENCH_TARGETS="$work/conversation-group.txt"
    run_wrk conversation-post "7. add-message in a group of $group100_members, gateway" "$C" "$T" 10s "$gateway" \
        write.lua BENCH_AUTH=bearer BENCH_TARGETS="$work/conversation-post.txt"
fi

# 9. The messenger next to conventional implementations of the same endpoints (issue 17): bench/baseline-go
#    (net/http, database/sql, lib/pq) for pages of messages, chat lists and posting, bench/baseline-fastapi
#    (FastAPI, asyncpg, uvicorn) for user search, on the same tables, started and checked in 9a. Per
#    endpoint, BENCH_AB_ROUNDS rounds of the messenger's runs (direct, gateway, nginx + gateway) then the
#    baseline's, each BENCH_AB_DURATION; the ratio of a round is the messenger's req/s over the baseline's
#    in that round. The CPU time of each server (utime + stime from /proc/PID/stat) and of PostgreSQL (the
#    postmaster, its reaped children and its live backends) is read before and after each run.
clk_tck="$(getconf CLK_TCK)"
# User + system clock ticks of process $1 (all its threads).
proc_ticks() {
    local line fields
    { read -r line <"/proc/$1/stat"; } 2>/dev/null || { echo 0; return; }
    read -r -a fields <<<"${line##*) }"   # from field 3 (state) on: utime is field 14
    echo $(( fields[11] + fields[12] ))
}
# Clock ticks of process $1, of its children it reaped, and of its live children (PostgreSQL, nginx). A
# child reaped while /proc is being read would be missed (or counted twice): the pass is repeated until
# the parent's reaped-children time is the same before and after it.
tree_ticks() {
    local parent=$1 total file line pid fields reaped_before reaped_after attempt
    for attempt in 1 2 3 4 5 6 7 8; do
        reaped_before="$(reaped_ticks "$parent")"
        total=0
        for file in /proc/[0-9]*/stat; do
            { read -r line <"$file"; } 2>/dev/null || continue
            pid=${file#/proc/}
            pid=${pid%/stat}
            read -r -a fields <<<"${line##*) }"
            if [ "$pid" = "$parent" ]; then
                total=$(( total + fields[11] + fields[12] + fields[13] + fields[14] ))
            elif [ "${fields[1]}" = "$parent" ]; then
                total=$(( total + fields[11] + fields[12] ))
            fi
        done
        reaped_after="$(reaped_ticks "$parent")"
        [ "$reaped_before" != "$reaped_after" ] || break
    done
    echo "$total"
}
# cutime + cstime of process $1: the time of the children it has reaped.
reaped_ticks() {
    local line fields
    { read -r line <"/proc/$1/stat"; } 2>/dev/null || { echo 0; return; }
    read -r -a fields <<<"${line##*) }"
    echo $(( fields[13] + fields[14] ))
}
# ab_run ENDPOINT VARIANT ROUND PID CONNECTIONS URL SCRIPT [VAR=value...]: one run of scenario 9, with the
# CPU ticks of server process PID, of PostgreSQL and (variant nginx) of nginx, appended to ab.tsv.
ab_run() {
    local endpoint=$1 variant=$2 round=$3 pid=$4 connections=$5 url=$6 script=$7
    shift 7
    local name="ab-$endpoint-$variant-$round" app0 pg0 proxy0=0 app1 pg1 proxy1=0
    wait_quiet
    app0="$(proc_ticks "$pid")" pg0="$(tree_ticks "$pg_pid")"
    [ "$variant" != nginx ] || proxy0="$(tree_ticks "$nginx_pid")"
    RUN_DURATION=$AB_DURATION IN_TABLE=0 run_wrk "$name" "9. $endpoint, $variant, round $round of $AB_ROUNDS" \
        "$connections" "$THREADS" 10s "$url" "$script" "$@"
    app1="$(proc_ticks "$pid")" pg1="$(tree_ticks "$pg_pid")"
    [ "$variant" != nginx ] || proxy1="$(tree_ticks "$nginx_pid")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$endpoint" "$variant" "$round" "${rps[$name]}" "${p99[$name]}" \
        "${requests[$name]}" "$((app1 - app0))" "$((pg1 - pg0))" "$((proxy1 - proxy0))" "${errors[$name]}" >>"$work/ab.tsv"
}
if want 9; then
    read -r pg_pid <"$data/postgres/data/postmaster.pid"
    : >"$work/ab.tsv"
    for endpoint in messages chat-list; do
        for round in $(seq 1 "$AB_ROUNDS"); do
            ab_run "$endpoint" direct "$round" "$messenger_pid" "$C" "$chat" read.lua BENCH_GET="$endpoint" BENCH_AUTH=internal
            ab_run "$endpoint" gateway "$round" "$messenger_pid" "$C" "$gateway" read.lua BENCH_GET="$endpoint" BENCH_AUTH=bearer
            ab_run "$endpoint" nginx "$round" "$messenger_pid" "$C" "$edge" read.lua BENCH_GET="$endpoint" BENCH_AUTH=bearer
            ab_run "$endpoint" go "$round" "$go_pid" "$C" "$go_base" read.lua BENCH_GET="$endpoint" BENCH_AUTH=internal
        done
    done
    for round in $(seq 1 "$AB_ROUNDS"); do
        ab_run search direct "$round" "$messenger_pid" "$C" "$users" read.lua BENCH_GET=search BENCH_AUTH=internal
        ab_run search gateway "$round" "$messenger_pid" "$C" "$gateway" read.lua BENCH_GET=search BENCH_AUTH=bearer
        ab_run search fastapi "$round" "$fastapi_pid" "$C" "$fastapi_base" read.lua BENCH_GET=search BENCH_AUTH=internal
    done
    # Posting, as scenario 3 (64 connections, write.lua's targets), each run checked for lost writes.
    ab_writes_ok=1
    for round in $(seq 1 "$AB_ROUNDS"); do
        for variant in direct go; do
            before="$(message_count)"
            if [ "$variant" = direct ]; then
                ab_run add-message direct "$round" "$messenger_pid" "$WRITE_CONNECTIONS" "$chat" write.lua BENCH_AUTH=internal
            else
                ab_run add-message go "$round" "$go_pid" "$WRITE_CONNECTIONS" "$go_base" write.lua BENCH_AUTH=internal
            fi
            sleep 1
            check_writes "ab-add-message-$variant-$round" "$before" "$(message_count)"
            [[ "${write_check[ab-add-message-$variant-$round]}" == pass* ]] || ab_writes_ok=0
        done
    done
    go_rss_kb="$(rss_kb "$go_pid")" fastapi_rss_kb="$(rss_kb "$fastapi_pid")"
    say "9. RSS after the runs: Go $((go_rss_kb / 1024)) MB, FastAPI $((fastapi_rss_kb / 1024)) MB"
fi

# 4. Logins at BCRYPT_COST (against the gateway: nginx rate-limits /auth/login/), and a light read
#    load alone and while the logins run.
if want 4; then
    run_wrk mixed-alone "4. messages, gateway, alone" "$MIXED_CONNECTIONS" 1 10s "$gateway" read.lua BENCH_GET=messages BENCH_AUTH=bearer
    wait_quiet
    say "4. logins ($LOGIN_CONNECTIONS connections) with reads ($MIXED_CONNECTIONS connections) alongside, $DURATION"
    env BENCH_LUA_DIR="$root/bench" BENCH_EMAILS="$work/emails.txt" BENCH_PASSWORD="$PASSWORD" \
        wrk -t1 -c"$LOGIN_CONNECTIONS" -d"$DURATION" --timeout 30s -s "$root/bench/login.lua" "$gateway" \
        >"$work/wrk-login.txt" 2>&1 &
    login_pid=$!
    background_pids+=("$login_pid")
    sleep 0.5
    run_wrk mixed-logins "4. messages, gateway, during logins" "$MIXED_CONNECTIONS" 1 10s "$gateway" read.lua BENCH_GET=messages BENCH_AUTH=bearer
    wait "$login_pid" || { cat "$work/wrk-login.txt" >&2; fail "wrk failed (login)"; }
    record_wrk login "4. login (bcrypt cost $COST), gateway"
fi

# 5. QR login: HUBS hubs open at once, each completing the flow.
if want 5; then
    wait_quiet
    say "5. QR flow: $HUBS hubs ($QR_SERIAL one at a time, the rest $QR_INFLIGHT in flight), $QR_PHONES phone users"
    "$PYTHON" bench/qr_load.py flow --base "$gateway" --pid "$messenger_pid" --tokens "$work/phone-tokens.txt" \
        --phones "$QR_PHONES" --hubs "$HUBS" --inflight "$QR_INFLIGHT" --serial "$QR_SERIAL" >"$work/qr.txt" 2>"$work/qr.err" \
        || { cat "$work/qr.err" >&2; fail "qr_load.py flow failed"; }
    cat "$work/qr.err" >&2
    declare -A qr=()
    for pair in $(sed -n 's/^QR_RESULT //p' "$work/qr.txt"); do qr[${pair%%=*}]=${pair#*=}; done
    [ -n "${qr[p99_ms]:-}" ] || fail "no QR result"
    say "  ${qr[granted]} granted; one at a time p50 ${qr[serial_p50_ms]} ms, p99 ${qr[serial_p99_ms]} ms; $QR_INFLIGHT in flight p50 ${qr[p50_ms]} ms, p99 ${qr[p99_ms]} ms; RSS ${qr[rss_before_kb]} -> ${qr[rss_peak_kb]} -> ${qr[rss_after_kb]} kB"
fi

# ---------------------------------------------------------------------------------------------- report

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# Scenario 9's table from ab.tsv: per endpoint and server, medians over the rounds with [min-max], the
# ratio to the baseline per round, CPU per request, and the targets.
ab_report() {
    AB_ROUNDS="$AB_ROUNDS" AB_DURATION="$AB_DURATION" CONNECTIONS="$CONNECTIONS" THREADS="$THREADS" \
        WRITE_CONNECTIONS="$WRITE_CONNECTIONS" CLK_TCK="$clk_tck" GO_RSS_KB="$go_rss_kb" FASTAPI_RSS_KB="$fastapi_rss_kb" \
        WRITES_OK="$ab_writes_ok" python3 - "$work/ab.tsv" <<'PY'
import os, statistics, sys
from collections import defaultdict

env = os.environ
tick_us = 1e6 / int(env["CLK_TCK"])
runs = defaultdict(dict)  # (endpoint, variant) -> round -> fields
for line in open(sys.argv[1]):
    endpoint, variant, rnd, rps, p99, requests, app, pg, proxy, errors = line.rstrip("\n").split("\t")
    runs[endpoint, variant][int(rnd)] = dict(rps=float(rps), p99=float(p99), requests=int(requests),
                                            app=int(app), pg=int(pg), proxy=int(proxy), errors=int(errors))

names = {"direct": "messenger, direct", "gateway": "messenger, gateway", "nginx": "messenger, nginx + gateway",
         "go": "Go (net/http, database/sql)", "fastapi": "FastAPI (asyncpg, uvicorn)"}
endpoints = [("messages", "GET /private/{id}/messages?limit=50", ["direct", "gateway", "nginx"], "go"),
             ("chat-list", "GET /private/chat-list/", ["direct", "gateway", "nginx"], "go"),
             ("search", "GET /users/user/?username=", ["direct", "gateway"], "fastapi"),
             ("add-message", "POST /private/add-message/{id}/", ["direct"], "go")]

def spread(values, digits):
    values = list(values)
    median = statistics.median(values)
    if len(values) == 1:
        return median, f"{median:.{digits}f}"
    return median, f"{median:.{digits}f} [{min(values):.{digits}f}-{max(values):.{digits}f}]"

def times(text):
    """ "1.35 [1.30-1.40]" -> "1.35x [1.30-1.40]" """
    return text.replace(" [", "x [", 1) if " [" in text else text + "x"

def per_request(rounds, key):
    ticks = sum(r[key] for r in rounds.values())
    requests = sum(r["requests"] for r in rounds.values())
    return ticks * tick_us / requests if requests else float("nan")

ratios, p99s = {}, {}
print(f"### 9. The messenger next to conventional baselines ({env['AB_ROUNDS']} rounds of A B A B,"
      f" {env['AB_DURATION']} each)")
print()
print(f"wrk {env['THREADS']} threads, {env['CONNECTIONS']} connections (add-message {env['WRITE_CONNECTIONS']});"
      " in each round the messenger's runs, then the baseline's. req/s and p99: median over the rounds"
      " [min-max]; ratio: the messenger's req/s over the baseline's in the same round, median [min-max]."
      " CPU per request: utime + stime over the run divided by the requests answered, summed over the"
      " rounds (server: the messenger's whole process, or the baseline's; nginx + gateway adds nginx's"
      " master and workers; PostgreSQL: the postmaster and all its backends).")
print()
print("| Endpoint | Server | req/s | vs baseline | p99 ms | server CPU us/req | PostgreSQL CPU us/req | Errors |")
print("|---|---|---:|---|---:|---:|---:|---:|")
for endpoint, title, ours, base in endpoints:
    baseline = runs.get((endpoint, base), {})
    for variant in ours + [base]:
        rounds = runs.get((endpoint, variant), {})
        if not rounds:
            continue
        _, rps_text = spread((r["rps"] for r in rounds.values()), 0)
        p99, p99_text = spread((r["p99"] for r in rounds.values()), 2)
        p99s[endpoint, variant] = p99
        if variant == base:
            versus = "baseline"
        else:
            per_round = [rounds[n]["rps"] / baseline[n]["rps"] for n in sorted(rounds) if baseline.get(n, {}).get("rps")]
            if per_round:
                median, text = spread(per_round, 2)
                ratios[endpoint, variant] = (median, text)
                versus = times(text)
            else:
                versus = "-"
        cpu = f"{per_request(rounds, 'app'):.0f}"
        if variant == "nginx":
            cpu += f" + nginx {per_request(rounds, 'proxy'):.0f}"
        errors = sum(r["errors"] for r in rounds.values())
        print(f"| {title} | {names[variant]} | {rps_text} | {versus} | {p99_text} | {cpu}"
              f" | {per_request(rounds, 'pg'):.0f} | {errors} |")
print()
print("Targets (on the medians):")

def met(ok):
    return "met" if ok else "NOT MET"

def ratio_target(endpoint, variant, at_least, text):
    if (endpoint, variant) not in ratios:
        return
    median, spread_text = ratios[endpoint, variant]
    print(f"- {text} >= {at_least}x: {met(median >= at_least)} ({times(spread_text)})")

for endpoint in ("messages", "chat-list"):
    ratio_target(endpoint, "direct", 1.2, f"{endpoint}: PrivateChat direct vs Go")
    ratio_target(endpoint, "gateway", 1.0, f"{endpoint}: gateway vs Go")
ratio_target("search", "direct", 2.0, "search: Users direct vs FastAPI")
for endpoint in ("messages", "chat-list", "search"):
    if (endpoint, "gateway") in p99s:
        p99 = p99s[endpoint, "gateway"]
        print(f"- {endpoint}: p99 through the gateway < 20 ms: {met(p99 < 20)} ({p99:.2f} ms)")
if ("add-message", "direct") in ratios:
    print(f"- add-message (no target): PrivateChat direct vs Go's INSERT {times(ratios['add-message', 'direct'][1])};"
          f" lost writes: {'none' if env['WRITES_OK'] == '1' else 'SOME (see the log)'}")
print()
print("Each run (req/s / p99 ms, by round):")
for endpoint, title, ours, base in endpoints:
    for variant in ours + [base]:
        rounds = runs.get((endpoint, variant), {})
        if rounds:
            listed = ", ".join(f"{rounds[n]['rps']:.0f} / {rounds[n]['p99']:.2f}" for n in sorted(rounds))
            print(f"- {endpoint}, {names[variant]}: {listed}")
print()
print(f"RSS after scenario 9: Go {int(env['GO_RSS_KB']) / 1024:.1f} MB, FastAPI {int(env['FASTAPI_RSS_KB']) / 1024:.1f} MB.")
PY
}
declare -A baseline=(
    [chat-list-gateway]=chat-list-direct [chat-list-nginx]=chat-list-direct
    [messages-gateway]=messages-direct [messages-nginx]=messages-direct
    [get-token-gateway]=static-nginx [write-gateway]=write-direct [mixed-logins]=mixed-alone
)
baseline_rows=" chat-list-direct messages-direct static-nginx write-direct mixed-alone "

met() { if [ "$1" = 1 ]; then echo "met"; else echo "NOT MET"; fi; }

end_rss_kb="$(rss_kb "$messenger_pid")"
# The messenger gives freed heap pages back every 30 s (MemoryTrimmer): RSS once that has run.
say "waiting 35 s for the messenger's memory trim"
sleep 35
trimmed_rss_kb="$(rss_kb "$messenger_pid")"
# The table of scenarios 1-8, with their targets (the full run only).
main_report() {
    echo "wrk $DURATION per run, $THREADS threads, $CONNECTIONS connections (writes $WRITE_CONNECTIONS, logins $LOGIN_CONNECTIONS, reads next to logins $MIXED_CONNECTIONS on 1 thread);"
    echo "seed: $USERS users ($API_USERS through /auth/register/, the rest via psql with the same hash), $CHATS chats, $MESSAGES messages; BCRYPT_COST=$COST, LOG_LEVEL=$SERVER_LOG_LEVEL"
    echo
    echo "| Scenario | Requests/s | p50 ms | p99 ms | Errors | vs baseline |"
    echo "|---|---:|---:|---:|---:|---|"
    for name in "${order[@]}"; do
        if [[ "$baseline_rows" == *" $name "* ]]; then
            versus="baseline"
        elif [ -n "${baseline[$name]:-}" ]; then
            versus="$(ratio "${rps[$name]}" "${rps[${baseline[$name]}]}")x of ${label[${baseline[$name]}]#* }"
        else
            versus="-"
        fi
        echo "| ${label[$name]} | ${rps[$name]} | ${p50[$name]} | ${p99[$name]} | ${errors[$name]}${error_detail[$name]:+ (${error_detail[$name]})} | $versus |"
    done
    echo "| 5. QR ticket-to-grant, $HUBS hubs open, ${qr[serial]} one at a time | - | ${qr[serial_p50_ms]} | ${qr[serial_p99_ms]} | - | - |"
    echo "| 5. QR ticket-to-grant, $HUBS hubs open, ${qr[concurrent]} with $QR_INFLIGHT in flight | ${qr[grants_per_s]} | ${qr[p50_ms]} | ${qr[p99_ms]} | ${qr[errors]} | - |"
    echo
    echo "Errors are non-2xx answers plus socket errors (connect, read, write, timeout). Logins run against the"
    echo "gateway directly: nginx rate-limits /auth/login/ to 10 r/s per address."
    echo
    echo "Targets:"
    worst_ratio="$(printf '%s\n' "$(ratio "${rps[chat-list-gateway]}" "${rps[chat-list-direct]}")" \
        "$(ratio "${rps[messages-gateway]}" "${rps[messages-direct]}")" | awk 'NR == 1 || $1 < min { min = $1 } END { print min }')"
    echo "- gateway >= 0.7x direct: $(met "$(awk -v r="$worst_ratio" 'BEGIN { print (r >= 0.7) }')")" \
        "(chat-list $(ratio "${rps[chat-list-gateway]}" "${rps[chat-list-direct]}")x," \
        "messages $(ratio "${rps[messages-gateway]}" "${rps[messages-direct]}")x)"
    worst_p99=0 worst_name=""
    for name in chat-list-direct chat-list-gateway chat-list-nginx messages-direct messages-gateway messages-nginx; do
        if awk -v a="${p99[$name]}" -v b="$worst_p99" 'BEGIN { exit !(a > b) }'; then worst_p99=${p99[$name]} worst_name=${label[$name]}; fi
    done
    echo "- p99 of authenticated reads < 20 ms at $CONNECTIONS connections: $(met "$(awk -v p="$worst_p99" 'BEGIN { print (p < 20) }')")" \
        "(worst $worst_p99 ms: ${worst_name#* })"
    total_errors=$(( ${qr[errors]} + ${idle[errors]} ))
    with_errors=()
    for name in "${order[@]}"; do
        total_errors=$((total_errors + errors[$name]))
        (( errors[$name] == 0 )) || with_errors+=("${label[$name]#* }: ${errors[$name]}")
    done
    (( ${qr[errors]} == 0 )) || with_errors+=("QR: ${qr[errors]}")
    (( ${idle[errors]} == 0 )) || with_errors+=("idle sockets: ${idle[errors]}")
    writes_ok=1
    for name in write-direct write-gateway; do [[ "${write_check[$name]}" == pass* ]] || writes_ok=0; done
    echo "- zero errors: $(met "$(( total_errors == 0 ))")$( (( ${#with_errors[@]} == 0 )) || { printf ' ('; printf '%s; ' "${with_errors[@]}" | sed 's/; $//'; printf ')'; } )"
    echo "- zero lost writes: $(met "$writes_ok")"
    echo "    direct:  ${write_check[write-direct]}"
    echo "    gateway: ${write_check[write-gateway]}"
    echo "- QR ticket-to-grant p99 < 20 ms with $HUBS hubs: $QR_INFLIGHT in flight $(met "$(awk -v p="${qr[p99_ms]}" 'BEGIN { print (p < 20) }')")" \
        "(p99 ${qr[p99_ms]} ms, max ${qr[max_ms]} ms, ${qr[grants_per_s]} grants/s);" \
        "one at a time $(met "$(awk -v p="${qr[serial_p99_ms]}" 'BEGIN { print (p < 20) }')") (p99 ${qr[serial_p99_ms]} ms);" \
        "${qr[granted]} of $HUBS granted, hubs set up in ${qr[setup_s]} s"
    echo "- chat-list page of 100 for a user in $hub_chats chats, p99 < 20 ms at $CONNECTIONS connections through the gateway:" \
        "$(met "$(awk -v p="${p99[conversation-list]}" 'BEGIN { print (p < 20) }')") (p99 ${p99[conversation-list]} ms)"
    echo "- a group's page of 50 messages, p99 < 20 ms: $(met "$(awk -v p="${p99[conversation-group]}" 'BEGIN { print (p < 20) }')")" \
        "(p99 ${p99[conversation-group]} ms)"
    echo "- posting in a group of $group100_members members, p99 < 30 ms: $(met "$(awk -v p="${p99[conversation-post]}" 'BEGIN { print (p < 30) }')")" \
        "(p99 ${p99[conversation-post]} ms)"
    echo "- idle RSS of the all-in-one process < 80 MB: $(met "$(( idle_rss_kb < 80 * 1024 ))") ($(awk -v k="$idle_rss_kb" 'BEGIN { printf "%.1f", k / 1024 }') MB right after start)"
    per_kb="$(awk -v b="${idle[per_socket_bytes]}" 'BEGIN { printf "%.1f", b / 1024 }')"
    echo "- < 32 KB per idle WebSocket: $(met "$(awk -v b="${idle[per_socket_bytes]}" 'BEGIN { print (b < 32 * 1024) }')")" \
        "($per_kb KB: RSS ${idle[rss_before_kb]} -> ${idle[rss_open_kb]} kB with ${idle[opened]} of $IDLE_SOCKETS open, ${idle[rss_closed_kb]} kB after closing; measured before any other load)"
    gw_kb="$(awk -v b="${gw[idle.per_socket_bytes]}" 'BEGIN { printf "%.1f", b / 1024 }')"
    echo "- 8. < 10 KB per identified idle gateway WebSocket: $(met "$(awk -v b="${gw[idle.per_socket_bytes]}" 'BEGIN { print (b < 10 * 1024) }')")" \
        "($gw_kb KB: RSS ${gw[idle.rss_before_kb]} -> ${gw[idle.rss_open_kb]} kB with ${gw[idle.opened]} of $GATEWAY_SOCKETS identified," \
        "${gw[idle.rss_closed_kb]} kB after closing); heartbeats: ${gw[idle.per_heartbeat_us]} us of messenger CPU each," \
        "${gw[idle.silent_cpu_pct]}% CPU with all silent, ${gw[idle.beating_cpu_pct]}% with ${gw[idle.heartbeats]} heartbeats in ${gw[idle.window_s]} s"
    echo "- 8. fan-out >= 10,000 deliveries/s with p99 < 100 ms (POST answer to receipt at every member of a group of $FANOUT_MEMBERS," \
        "load generator on the same machine): $(met "$(awk -v r="${gw[fanout.deliveries_per_s]}" -v p="${gw[fanout.p99_ms]}" -v d="${gw[fanout.delivered]}" -v e="${gw[fanout.expected]}" 'BEGIN { print (r >= 10000 && p < 100 && d == e) }')")" \
        "(${gw[fanout.deliveries_per_s]}/s, p50 ${gw[fanout.p50_ms]} ms, p99 ${gw[fanout.p99_ms]} ms, max ${gw[fanout.max_ms]} ms;" \
        "messenger CPU ${gw[fanout.cpu_per_delivery_us]} us per delivered event, the $FANOUT_RATE-per-second posts included;" \
        "${gw[fanout.delivered]} of ${gw[fanout.expected]} delivered, ${gw[fanout.post_errors]} failed posts)"
    echo "- 8. resume of a connection $RESUME_BEHIND events behind: ${gw[resume.replayed]} replayed in order in ${gw[resume.resume_ms]} ms"
    echo
    echo "Also measured:"
    echo "- read p99 during logins: ${p99[mixed-logins]} ms vs ${p99[mixed-alone]} ms alone ($(ratio "${p99[mixed-logins]}" "${p99[mixed-alone]}")x);" \
        "p50 ${p50[mixed-logins]} vs ${p50[mixed-alone]} ms"
    echo "- messenger RSS around the QR run: ${qr[rss_before_kb]} kB before, ${qr[rss_peak_kb]} kB with $HUBS hubs open" \
        "($(awk -v a="${qr[rss_before_kb]}" -v b="${qr[rss_peak_kb]}" -v n="$HUBS" 'BEGIN { printf "%.1f", (b - a) / (2 * n) }') KB per client connection), ${qr[rss_after_kb]} kB after closing them"
}

{
    echo "make bench, $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(free -m | awk '/^Mem:/ { print $2 }') MB RAM"
    [ -n "$ONLY" ] || main_report
    if want 9; then
        echo
        ab_report
    fi
    echo
    echo "Messenger RSS at the end of the session: $(awk -v k="$end_rss_kb" 'BEGIN { printf "%.1f", k / 1024 }') MB," \
        "$(awk -v k="$trimmed_rss_kb" 'BEGIN { printf "%.1f", k / 1024 }') MB 35 s later (after its periodic malloc_trim)" \
        "(idle, 3 s after the first start: $(awk -v k="$idle_rss_kb" 'BEGIN { printf "%.1f", k / 1024 }') MB)."
} | tee "$REPORT"
say "report also in $REPORT"
