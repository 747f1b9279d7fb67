#!/usr/bin/env bash
# Installs what the browser and document tests need from Debian's packages: Chromium (driven
# headless by playwright-core; no browser download) and poppler-utils (pdftoppm, pdftotext).
# Idempotent: does nothing when both are there.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if [ -x /usr/bin/chromium ] && command -v pdftoppm >/dev/null 2>&1; then exit 0; fi
SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then $SUDO apt-get update -qq; fi
LOG=$(mktemp); trap 'rm -f "$LOG"' EXIT
$SUDO apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends chromium poppler-utils >"$LOG" 2>&1 \
  || { cat "$LOG" >&2; exit 1; }
echo "install-browser.sh: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
