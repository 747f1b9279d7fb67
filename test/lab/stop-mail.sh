#!/usr/bin/env bash
# Stops the private mail servers test/lab/start-mail.sh started: each Postfix instance with
# `postfix -c <its dir> stop`, Dovecot with `dovecot -c <its conf> stop`, then, for any
# master process still alive, by the pid in its own pid file (never by name: other Postfix
# or Dovecot processes on the machine are not ours).
set -uo pipefail
RUN=$(cd "$(dirname "$0")" && pwd)/run/mail
pids=()
# Only a pid that is still one of our masters (a stale file may name a reused pid): Postfix's
# master has no path in its command line, but its working directory is our queue.
ours() {
  grep -qa "$RUN" "/proc/$1/cmdline" 2>/dev/null || [[ $(readlink "/proc/$1/cwd" 2>/dev/null) == "$RUN"/* ]]
}
for dir in "$RUN"/postfix-*/etc; do
  [ -f "$dir/main.cf" ] || continue
  pidfile=$dir/../queue/pid/master.pid
  pid=$(tr -d ' \n' < "$pidfile" 2>/dev/null || true)
  # Only a running instance: `postfix stop` on a stopped one sleeps 1 s before its fatal error.
  if [ -n "$pid" ] && ours "$pid"; then
    postfix -c "$dir" stop </dev/null >/dev/null 2>&1 || true
    pids+=("$pid")
  fi
done
pid=$(cat "$RUN/dovecot/base/master.pid" 2>/dev/null || true)
if [ -n "$pid" ] && ours "$pid"; then
  dovecot -c "$RUN/dovecot/dovecot.conf" stop </dev/null >/dev/null 2>&1 || kill "$pid" 2>/dev/null
  pids+=("$pid")
fi
# smtp-sink (mxdoctor load's next hop): by its pid file, only while it is still ours.
pid=$(cat "$RUN/smtp-sink.pid" 2>/dev/null || true)
if [ -n "$pid" ] && grep -qa "smtp-sink" "/proc/$pid/cmdline" 2>/dev/null && ours "$pid"; then
  kill "$pid" 2>/dev/null
  pids+=("$pid")
fi
for _ in $(seq 1 50); do
  alive=()
  for pid in "${pids[@]}"; do ours "$pid" && alive+=("$pid"); done
  [ ${#alive[@]} -eq 0 ] && break
  sleep 0.1
done
for pid in "${alive[@]}"; do kill -9 "$pid" 2>/dev/null; done
echo "stop-mail.sh: stopped ${#pids[@]} server(s)"
