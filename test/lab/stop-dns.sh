#!/usr/bin/env bash
# Stops the private DNS servers test/lab/start-dns.sh started, by the pids in their
# own pid files (never by name: other Knot/Unbound processes on the machine are not ours).
set -uo pipefail
RUN=$(cd "$(dirname "$0")" && pwd)/run
stopped=0
for pidfile in "$RUN"/knot-*/knot.pid "$RUN"/unbound/unbound.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    stopped=$((stopped + 1))
  fi
  rm -f "$pidfile"
done
echo "stop-dns.sh: stopped $stopped server(s)"
