#!/usr/bin/env bash
# The contract run of `make test`: schemathesis against the real product on loopback (embedded
# PostgreSQL, bcrypt cost 4), every operation of the served /openapi.json, positive and negative data,
# at least 50 examples each, bounded to 5 minutes. Any failure fails the run.
#   MESSENGER_BIN   the binary to start (default .build/debug/messenger)
#   CONTRACT_SEED   schemathesis' seed (default 1, so a run can be repeated exactly)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MESSENGER_BIN:-.build/debug/messenger}"
venv=.build/schemathesis-venv
work="$(mktemp -d /tmp/messenger-contract.XXXXXX)"
# The embedded cluster runs as PG_USER when this runs as root: it must be able to reach DATA_DIR.
chmod 755 "$work"
read -r port auth users chat yandex < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(5)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
base="http://127.0.0.1:$port"

cleanup() {
    if [ -n "${server:-}" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    if [ -n "${fake:-}" ]; then kill "$fake" 2>/dev/null || true; wait "$fake" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

python3 Tests/Contract/fake_yandex.py "$yandex" &
fake=$!
DATA_DIR="$work/data" PORT="$port" AUTH_PORT="$auth" USERS_PORT="$users" CHAT_PORT="$chat" \
    YANDEX_CLIENT_ID=contract-client YANDEX_CLIENT_SECRET=contract-secret \
    YANDEX_OAUTH_URL="http://127.0.0.1:$yandex" YANDEX_LOGIN_URL="http://127.0.0.1:$yandex" \
    BCRYPT_COST=4 LOG_LEVEL="${LOG_LEVEL:-warning}" "$bin" serve > "$work/messenger.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
    if curl -fsS "$base/health" > /dev/null 2>&1; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then cat "$work/messenger.log"; echo "messenger did not start"; exit 1; fi
    sleep 0.5
done
curl -fsS "$base/health" > /dev/null || { cat "$work/messenger.log"; echo "messenger is not healthy"; exit 1; }

eval "$(python3 Tests/Contract/setup.py "$base")"
status=0
CONTRACT_TOKEN="$TOKEN" CONTRACT_CHAT_ID="$CHAT_ID" CONTRACT_LOGOUT_TOKEN="$LOGOUT_TOKEN" \
    PYTHONPATH=Tests/Contract SCHEMATHESIS_HOOKS=hooks \
    timeout 300 "$venv/bin/schemathesis" --config-file Tests/Contract/schemathesis.toml run "$base/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --mode all --max-examples 100 --seed "${CONTRACT_SEED:-1}" --phases examples,coverage,fuzzing \
    --request-timeout 20 --workers 2 --no-color --suppress-health-check too_slow --generation-database none \
    || status=$?
if grep -E "Fatal|panic|error: |Crash" "$work/messenger.log" > /dev/null; then
    echo "--- messenger log (errors) ---"; grep -E "Fatal|panic|error: |Crash" "$work/messenger.log" | head -40
fi
exit "$status"
