#!/usr/bin/env bash
# Installs the real servers the real-server suite needs (test/real/), from Debian's
# packages: Knot DNS (authoritative, signs the DNSSEC zone), Unbound (the validating
# resolver mxdoctor is pointed at with --resolver), Postfix and Dovecot (IMAP, POP3, LMTP
# delivery, Sieve filtering with Pigeonhole).
# Idempotent and quiet: does nothing when they are already installed. Never leaves the
# distribution's own services running (port 53, 25, 143...): the suite starts private
# instances (test/lab/start-dns.sh, test/lab/start-mail.sh).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

PKGS=(knot knot-dnsutils unbound postfix dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-sieve openssl)
# A bare name is looked up in PATH and /usr/sbin; a path must exist as is (Dovecot's
# lmtp service binary is not in PATH).
BINS=(knotd keymgr kdig unbound unbound-checkconf postfix postconf postqueue smtp-sink smtp-source dovecot doveconf doveadm
      /usr/lib/dovecot/lmtp sievec openssl)
T0=$(date +%s)

have_all() {
  local b
  for b in "${BINS[@]}"; do
    if [[ $b == /* ]]; then [ -x "$b" ] || return 1; continue; fi
    command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || return 1
  done
}

if have_all; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Package lists: fetch once if this machine never did (a fresh container has none).
if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then
  $SUDO apt-get update -qq
fi

# policy-rc.d exit 101 = "do not start services from maintainer scripts" (Debian
# policy §9.3.3.1). Only add ours when the machine has none, and remove it after.
OWN_POLICY=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod 755 /usr/sbin/policy-rc.d
  OWN_POLICY=1
fi
cleanup() {
  rm -f "${LOG:-}"
  if [ -n "$OWN_POLICY" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
}
trap cleanup EXIT

# Postfix asks which configuration to write: none (the suite writes private ones).
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections

LOG=$(mktemp)
install() {
  # Quiet unless it fails: then the whole apt output explains why.
  $SUDO apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "${PKGS[@]}" >"$LOG" 2>&1 \
    || { cat "$LOG" >&2; return 1; }
}
if ! install; then
  # Stale package lists (404 on a superseded version): refresh once and retry.
  $SUDO apt-get update -qq
  install
fi
echo "install.sh: installed ${PKGS[*]} in $(( $(date +%s) - T0 )) s"

# On a machine with systemd the packages' units may still be enabled: stop and disable
# them so nothing else holds port 53 or 25 (the private instances bind 127.0.1.x and
# 127.0.2.x only anyway).
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  for unit in knot.service unbound.service unbound-resolvconf.service postfix.service dovecot.service dovecot.socket; do
    $SUDO systemctl disable --now "$unit" >/dev/null 2>&1 || true
  done
fi

have_all || { echo "install.sh: installed ${PKGS[*]} but a binary is still missing" >&2; exit 1; }
