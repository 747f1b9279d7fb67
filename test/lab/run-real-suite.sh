#!/usr/bin/env bash
# `npm run test:real`: installs the real servers if missing (Knot, Unbound, Postfix, Dovecot),
# starts private instances (test/lab/start-dns.sh, test/lab/start-mail.sh), runs
# test/real/*.test.ts against them and always stops them.
set -euo pipefail
cd "$(dirname "$0")/../.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi   # the mail lab binds ports 25, 110, 143...
t0=$(date +%s)
bash test/lab/install.sh
t1=$(date +%s)
trap '$SUDO bash test/lab/stop-mail.sh; bash test/lab/stop-dns.sh' EXIT
bash test/lab/start-dns.sh
t2=$(date +%s)
$SUDO bash test/lab/start-mail.sh
t3=$(date +%s)
echo "real suite: install $((t1 - t0)) s, start DNS $((t2 - t1)) s, start mail $((t3 - t2)) s"
# One file at a time: the mail test times a full check, which must not share the machine
# with the DNS comparison running beside it.
# logs.test.ts last, in a run of its own (node --test sorts the files it is given): it reads
# the logs the other files' traffic left (test/lab/run/mail/: deliveries, deferrals, Sieve).
# As root: the tests read the root-run lab's queues (postqueue -c) and mailboxes (doveadm) as
# ground truth, and `mxdoctor queue -c` on a private instance needs root too.
AS_ROOT=()
if [ "$(id -u)" -ne 0 ]; then AS_ROOT=(sudo env "PATH=$PATH" "CI=${CI:-}" "MXDOCTOR_LOOPBACK_ONLY=${MXDOCTOR_LOOPBACK_ONLY:-}"); fi
rc=0
"${AS_ROOT[@]}" node --import tsx --test --test-concurrency=1 --test-reporter=spec $(ls test/real/*.test.ts | grep -v '/logs\.test\.ts$') || rc=$?
"${AS_ROOT[@]}" node --import tsx --test --test-reporter=spec test/real/logs.test.ts || rc=$?
echo "real suite: tests $(( $(date +%s) - t3 )) s"
exit "$rc"
