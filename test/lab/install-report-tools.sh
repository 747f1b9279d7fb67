#!/usr/bin/env bash
# Installs what the report tests need beyond the browser and poppler-utils (those come from
# test/lab/install-browser.sh): libxml2-utils (xmllint: JUnit output against its XSD) and
# fonts-wqy-microhei (a compact font covering Chinese for the PDF report).
# Idempotent and quiet: does nothing when both are there.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PKGS=(libxml2-utils fonts-wqy-microhei)
have_all() { command -v xmllint >/dev/null && [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; }
if have_all; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then $SUDO apt-get update -qq; fi
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
$SUDO apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "${PKGS[@]}" >"$LOG" 2>&1 \
  || { cat "$LOG" >&2; exit 1; }
have_all || { echo "install-report-tools: installed ${PKGS[*]} but a tool is still missing" >&2; exit 1; }
echo "install-report-tools: installed ${PKGS[*]}"
