#!/usr/bin/env bash
# Fuzz the API from its OpenAPI schema with schemathesis against the production server
# (gunicorn) on a fresh demo database: bounded examples per operation, fails on any 5xx.
#   bash scripts/api-fuzz.sh [MAX_EXAMPLES]   (default 15; about 1,000 cases in 2 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-15}"
tmp=$(mktemp -d)
export PHOIHOP_VAR_DIR="$tmp" PHOIHOP_REQUIRE_2FA=0
unset DATABASE_URL
bin=.venv/bin
"$bin/phoihop" migrate -v0
"$bin/phoihop" load-demo >/dev/null
token=$("$bin/phoihop" create-token dieuphoi --name schemathesis | tail -1)
port=$("$bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin/python" -m gunicorn -c deploy/gunicorn.conf.py --bind "127.0.0.1:$port" --workers 2 \
  >"$tmp/gunicorn.log" 2>&1 &
server=$!
trap 'kill -INT $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/api/openapi.json" -H "Authorization: Bearer $token" && break
  sleep 0.2
done
"$bin/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" \
  --checks not_a_server_error --max-examples "$examples" \
  --header "Authorization: Bearer $token" --no-color
