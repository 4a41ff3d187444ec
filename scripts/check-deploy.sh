#!/usr/bin/env bash
# `phoihop check --deploy` with the documented production environment: 0 warnings or exit 1.
# Secrets are generated for the run; the database is not touched (checks only).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
env_file=deploy/production.env.example
vars=()
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  vars+=("$line")
done <"$env_file"
random() { python3 -c 'import secrets; print(secrets.token_urlsafe(64))'; }
env -i PATH="$PATH" HOME="$tmp" "${vars[@]}" \
  PHOIHOP_SECRET_KEY="$(random)" PHOIHOP_AUDIT_KEY="$(random)" PHOIHOP_VAR_DIR="$tmp" \
  .venv/bin/phoihop check --deploy --fail-level WARNING
