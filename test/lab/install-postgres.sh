#!/usr/bin/env bash
# Installs Debian's PostgreSQL (the monitor store's tests start a throwaway server from it)
# and Prometheus (promtool validates /metrics and deploy/prometheus/alerts.yml). Idempotent.
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends "${need[@]}"
fi
# The packages start their own services; the tests start their own servers on random ports.
for s in postgresql prometheus; do (systemctl is-active --quiet "$s" 2>/dev/null && systemctl stop "$s" 2>/dev/null) || true; done
echo "postgresql and prometheus ready"
