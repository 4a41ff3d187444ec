#!/usr/bin/env bash
# Install the Debian packages phoihop needs, when running as root and they are missing.
# Others: install the packages listed in the README yourself.
set -euo pipefail
# WeasyPrint (PDF) needs Pango; Noto fonts carry every Vietnamese diacritic.
# The portal reads articles aloud with espeak-ng's Vietnamese voice (served as WAV, which
# needs no encoder); its browser tests drive Debian's Chromium (never a downloaded browser)
# and check PDFs with poppler-utils (pdftotext, pdftoppm).
# bench.portal loads the production server with wrk (a C load generator).
# gcc builds the optional encoder's engine for this CPU (python -m phoihop.triage.native).
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-liberation2 espeak-ng chromium poppler-utils wrk gcc)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Thiếu gói hệ thống: ${missing[*]} — hãy cài bằng apt-get (cần quyền root)." >&2
  exit 1
fi
echo "Cài gói hệ thống: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
