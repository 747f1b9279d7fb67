#!/usr/bin/env bash
# Starts the real DNS servers of the real-server suite (test/real/), private instances
# with their own config, pid, logs and zone files under test/lab/run/ (gitignored):
#   127.0.1.1  Knot, primary: the lab's zones (src/lab/zones/*.zone) as master files
#   127.0.1.2  Knot, "secondary": the same zones with *.secondary.zone laid over (out of sync)
#   127.0.1.3  Knot with no zones: answers REFUSED to everything (a lame server)
#   127.0.1.4  Unbound, validating resolver: what mxdoctor's --resolver points at. It asks
#              the primary for every lab zone (stub zones) and validates the zones the lab
#              marks `@lab secure` (signed by Knot, trust anchor from the primary's key);
#              `@lab bogus` zones are signed too but anchored to a wrong key, so they fail.
# The lab's NS hosts point at 127.0.0.2/.3/.4; the exported zones point them at
# 127.0.1.1/.2/.3 instead (scripts/export-lab-zones.ts --map). 127.0.0.1-.4 stay free for
# the in-process lab, so both can run at once. Port: $REAL_DNS_PORT (default 53).
# Not reproduced by real servers: `@lab misbehave` (timeouts, garbage) — those stay
# in-process tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUN=$ROOT/test/lab/run
PORT=${REAL_DNS_PORT:-53}
PRIMARY=127.0.1.1 SECONDARY=127.0.1.2 LAME=127.0.1.3 RESOLVER=127.0.1.4

bash test/lab/stop-dns.sh >/dev/null 2>&1 || true
mkdir -p "$RUN"
node --import tsx scripts/export-lab-zones.ts --out "$RUN/zones" \
  --map "127.0.0.2=$PRIMARY,127.0.0.3=$SECONDARY,127.0.0.4=$LAME"
mapfile -t ZONES < <(awk '{print $1}' "$RUN/zones/zones.list")

# knot_conf <name> <address> <zone dir or empty>
knot_conf() {
  local name=$1 addr=$2 zdir=$3 dir=$RUN/knot-$1
  rm -rf "$dir"; mkdir -p "$dir/db"
  {
    cat <<CONF
server:
  rundir: "$dir"
  pidfile: "$dir/knot.pid"
  listen: $addr@$PORT
  identity: lab-$name
log:
  - target: "$dir/knot.log"
    any: info
database:
  storage: "$dir/db"
control:
  listen: "$dir/knot.sock"
policy:
  - id: lab
    algorithm: ecdsap256sha256
    nsec3: off
template:
  - id: default
    storage: "$zdir"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: soft
    serial-policy: increment
CONF
    if [ -n "$zdir" ]; then
      echo "zone:"
      while read -r zone flag; do
        echo "  - domain: \"$zone\""
        # Signing bumps the serial by one (serial-policy); primary and secondary both
        # sign, so their serials stay as far apart as the lab's files say.
        if [ "$flag" != plain ]; then echo "    dnssec-signing: on"; echo "    dnssec-policy: lab"; fi
      done < "$RUN/zones/zones.list"
    fi
  } > "$dir/knot.conf"
  knotd -c "$dir/knot.conf" -d
}

knot_conf primary "$PRIMARY" "$RUN/zones/primary"
knot_conf secondary "$SECONDARY" "$RUN/zones/secondary"
knot_conf lame "$LAME" ""

q() { kdig -p "$PORT" +timeout=1 +retry=0 "$@"; }
wait_for() { # wait_for <server> <zone> <type>: until the server answers with data
  local i
  for i in $(seq 1 100); do
    if q "@$1" "$2" "$3" +short 2>/dev/null | grep -q .; then return 0; fi
    sleep 0.1
  done
  echo "start-dns.sh: $1 never answered $2 $3; log:" >&2
  for f in "$RUN"/knot-*/knot.log; do tail -n 20 "$f" >&2; done
  return 1
}
for z in "${ZONES[@]}"; do wait_for "$PRIMARY" "$z" SOA; wait_for "$SECONDARY" "$z" SOA; done

# Unbound: a validating resolver with the primary as the only source of the lab zones.
UDIR=$RUN/unbound
rm -rf "$UDIR"; mkdir -p "$UDIR"
: > "$UDIR/anchors.keys"
while read -r zone flag; do
  [ "$flag" = plain ] && continue
  wait_for "$PRIMARY" "$zone" DNSKEY
  ds=$(keymgr -c "$RUN/knot-primary/knot.conf" "$zone" ds | grep -E '\sDS\s+[0-9]+\s+[0-9]+\s+2\s' | head -1)
  [ -n "$ds" ] || { echo "start-dns.sh: no DS for $zone" >&2; exit 1; }
  # A bogus zone's anchor has a digest that matches no key: validation fails (RFC 4035 §5.5).
  if [ "$flag" = bogus ]; then ds=$(sed -E 's/[0-9A-Fa-f]{8}$/DEADBEEF/' <<<"$ds"); fi
  echo "$ds" >> "$UDIR/anchors.keys"
done < "$RUN/zones/zones.list"
{
  cat <<CONF
server:
  interface: $RESOLVER@$PORT
  port: $PORT
  do-ip6: no
  username: ""
  chroot: ""
  directory: "$UDIR"
  pidfile: "$UDIR/unbound.pid"
  logfile: "$UDIR/unbound.log"
  use-syslog: no
  verbosity: 1
  val-log-level: 2
  do-daemonize: yes
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  qname-minimisation: no
  module-config: "validator iterator"
  trust-anchor-file: "$UDIR/anchors.keys"
  # The lab lives in RFC 6761 / RFC 6303 names Unbound answers locally by default.
  local-zone: "test." nodefault
  local-zone: "invalid." nodefault
  local-zone: "localhost." nodefault
  local-zone: "127.in-addr.arpa." nodefault
  local-zone: "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa." nodefault
  unblock-lan-zones: yes
  insecure-lan-zones: yes
remote-control:
  control-enable: no
CONF
  for z in "${ZONES[@]}"; do
    printf 'stub-zone:\n  name: "%s"\n  stub-addr: %s@%s\n' "$z" "$PRIMARY" "$PORT"
  done
} > "$UDIR/unbound.conf"
unbound-checkconf "$UDIR/unbound.conf" >/dev/null
unbound -c "$UDIR/unbound.conf"
for i in $(seq 1 100); do
  if q "@$RESOLVER" healthy.test SOA +short 2>/dev/null | grep -q .; then break; fi
  [ "$i" = 100 ] && { echo "start-dns.sh: unbound did not answer; log:" >&2; tail -n 20 "$UDIR/unbound.log" >&2; exit 1; }
  sleep 0.1
done

cat > "$RUN/dns.env" <<ENV
REAL_DNS_PORT=$PORT
REAL_DNS_PRIMARY=$PRIMARY
REAL_DNS_SECONDARY=$SECONDARY
REAL_DNS_LAME=$LAME
REAL_DNS_RESOLVER=$RESOLVER
ENV
echo "start-dns.sh: knot $PRIMARY (primary) $SECONDARY (secondary) $LAME (lame), unbound $RESOLVER, port $PORT, ${#ZONES[@]} zones"
