#!/usr/bin/env bash
# Installs Debian's PostgreSQL (the monitor store's tests start a throwaway server from it)
# and Prometheus (promtool validates /metrics and deploy/prometheus/alerts.yml), and
# prometheus-postfix-exporter (bench/logwatch.ts measures serve's log watch against it) and
# prometheus-blackbox-exporter (bench/serve.ts measures /probe against it). Idempotent.
# Never leaves the distribution's own services running: the tests start their own servers on
# random loopback ports.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-postfix-exporter >/dev/null 2>&1 || need+=(prometheus-postfix-exporter)
command -v prometheus-blackbox-exporter >/dev/null 2>&1 || need+=(prometheus-blackbox-exporter)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # A fresh machine has no package lists yet.
  compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null || $sudo apt-get update -qq
  # policy-rc.d exit 101: maintainer scripts must not start the services (Debian policy
  # §9.3.3.1); only ours when the machine has none, removed after.
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  trap '[ -n "$own_policy" ] && $sudo rm -f /usr/sbin/policy-rc.d' EXIT
  log=$(mktemp)
  $sudo apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "${need[@]}" >"$log" 2>&1 \
    || { cat "$log" >&2; rm -f "$log"; exit 1; }
  rm -f "$log"
fi
for s in postgresql prometheus prometheus-postfix-exporter prometheus-blackbox-exporter; do (systemctl is-active --quiet "$s" 2>/dev/null && systemctl stop "$s" 2>/dev/null) || true; done
echo "postgresql, prometheus, prometheus-postfix-exporter and prometheus-blackbox-exporter ready"
