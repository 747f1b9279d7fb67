#!/usr/bin/env bash
# Stops the private DNS servers test/lab/start-dns.sh started, by the pids in their
# own pid files (never by name: other Knot/Unbound processes on the machine are not ours).
set -uo pipefail
RUN=$(cd "$(dirname "$0")" && pwd)/run
pids=()
for pidfile in "$RUN"/knot-*/knot.pid "$RUN"/unbound/unbound.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile" 2>/dev/null || true)
  # Only a pid that is still one of our servers (a stale file may name a reused pid).
  if [ -n "$pid" ] && grep -qaE 'knotd|unbound' "/proc/$pid/cmdline" 2>/dev/null \
     && grep -qa "$RUN" "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid" 2>/dev/null && pids+=("$pid")
  fi
  rm -f "$pidfile"
done
# They stop in parallel (each takes 1-2 s to wind down its workers).
for _ in $(seq 1 100); do
  alive=()
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
  [ ${#alive[@]} -eq 0 ] && break
  sleep 0.1
done
for pid in "${alive[@]}"; do kill -9 "$pid" 2>/dev/null; done
echo "stop-dns.sh: stopped ${#pids[@]} server(s)"
