#!/usr/bin/env bash
# Checks nginx/nginx.conf with `nginx -t` without Docker: the compose host names (gateway-1...)
# do not resolve here, so a copy is tested with loopback upstreams and temporary log/pid paths
# and an unprivileged port (nginx -t binds it).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

sed -e "s|^pid .*|pid $dir/nginx.pid;|" \
    -e "s|^error_log .*|error_log $dir/error.log;|" \
    -e "s|^access_log \([^ ]*\) |access_log $dir/access.log |" \
    -e "s|^\([[:space:]]*\)listen 80;|\1listen 127.0.0.1:18080;|" \
    "$here/nginx.conf" >"$dir/nginx.conf"
# The same upstream blocks, with every server pointed at the loopback address.
sed -E 's|^([[:space:]]*server[[:space:]]+)[^[:space:];]+|\1127.0.0.1:1|' \
    "$here/upstreams.conf" >"$dir/upstreams.conf"

grep -q "^pid $dir/" "$dir/nginx.conf" && grep -q "^error_log $dir/" "$dir/nginx.conf" \
    && grep -q "^access_log $dir/" "$dir/nginx.conf" \
    || { echo "nginx/check.sh: pid, error_log and access_log must each start a line of nginx.conf" >&2; exit 1; }

"$(command -v nginx || echo /usr/sbin/nginx)" -t -q -e "$dir/error.log" -p "$dir/" -c "$dir/nginx.conf" || {
    echo "nginx/check.sh: nginx -t failed" >&2
    exit 1
}
echo "nginx/nginx.conf: ok"
