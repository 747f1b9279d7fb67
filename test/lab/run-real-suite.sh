#!/usr/bin/env bash
# `npm run test:real`: installs the real DNS servers if missing, starts private instances
# (test/lab/start-dns.sh), runs test/real/*.test.ts against them and always stops them.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)
bash test/lab/install.sh
t1=$(date +%s)
trap 'bash test/lab/stop-dns.sh' EXIT
bash test/lab/start-dns.sh
t2=$(date +%s)
echo "real suite: install $((t1 - t0)) s, start $((t2 - t1)) s"
node --import tsx --test --test-reporter=spec test/real/*.test.ts
echo "real suite: tests $(( $(date +%s) - t2 )) s"
