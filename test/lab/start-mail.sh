#!/usr/bin/env bash
# Starts the real mail servers of the real-server suite (test/real/{mail,send,roundtrip,
# queue,local}.test.ts): private Postfix and Dovecot instances from Debian's packages, each
# with its own configuration, queue, state and log under test/lab/run/mail/ (gitignored).
# Names and addresses are in src/lab/zones/mail-lab.zone, served by the real DNS lab
# (test/lab/start-dns.sh):
#   127.0.2.1   mx1.mail-lab.test     healthy: Postfix 25 (STARTTLS), 587 (STARTTLS required,
#                                     AUTH only after TLS, via Dovecot SASL), 465 (implicit TLS);
#                                     Dovecot IMAP 143/993 and POP3 110/995; mail for
#                                     @mail-lab.test goes over LMTP (unix socket) into Dovecot,
#                                     whose Sieve files spam-marked mail into Junk
#   127.0.2.2   mx2.mail-lab.test     healthy backup MX: Postfix 25
#   127.0.2.10  mx.expired-cert.test  Postfix 25 whose certificate expired on 2021-01-01
#   127.0.2.20  mx.open-relay.test    open relay (mynetworks 127.0.0.0/8): relays for anyone
#   127.0.2.30  mx.auth-plain.test    Postfix 25 + 587 offering AUTH PLAIN/LOGIN before STARTTLS
#   127.0.2.40  never.mail-lab.test   Postfix 25 + 587 that never delivers: every message is
#                                     relayed to [127.0.2.99]:2525, where nothing listens, so it
#                                     stays deferred ("Connection refused"); started with 20
#                                     deferred messages and one on hold (for `mxdoctor queue`)
#   127.0.2.50  sink.mail-lab.test    Postfix 25 for `mxdoctor load`: relays @sink.mail-lab.test to
#                                     Postfix's smtp-sink on 127.0.2.51:2526, which writes each
#                                     message to test/lab/run/mail/smtp-sink/ and sends it nowhere;
#                                     at most 10 connections per client (421 beyond: throttling)
# Nothing can leave the machine: mx1 delivers only to the lab's Dovecot over a unix socket
# (LMTP), "never" only tries [127.0.2.99]:2525 from 127.0.2.40, "sink" only [127.0.2.51]:2526
# (smtp-sink) from 127.0.2.50; every other transport of every instance is Postfix's
# discard(8), and no other instance has an smtp/lmtp client in master.cf.
# Certificates: leaf certificates for these names, signed at start by the test CA
# (test/fixtures/certs/ca.pem + ca-key.pem, TEST ONLY); pass ca.pem to mxdoctor as --ca.
# 127.0.0.1-.4/.20/.21 stay free for the in-process lab, 127.0.1.x for the DNS lab.
# Usage: bash test/lab/start-mail.sh (root: ports 25, 110, 143...); stop-mail.sh stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUN=$ROOT/test/lab/run/mail
CA=$ROOT/test/fixtures/certs
DOVECOT=$RUN/dovecot
AUTH_SOCKET=$DOVECOT/auth-postfix
[ "$(id -u)" -eq 0 ] || { echo "start-mail.sh: run as root (ports 25/110/143/465/587/993/995)" >&2; exit 1; }
[ -f "$CA/ca-key.pem" ] || { echo "start-mail.sh: no test CA in $CA (scripts/gen-test-certs.sh)" >&2; exit 1; }

bash test/lab/stop-mail.sh >/dev/null 2>&1 || true
rm -rf "$RUN"; mkdir -p "$RUN/certs" "$DOVECOT"
chmod 755 "$RUN"

# --- certificates ---------------------------------------------------------------------
# cert <name> <SAN list> <start> <end>: EC P-256 key + leaf signed by the test CA, with
# `openssl ca` (OpenSSL 3.0's `x509 -req` cannot set a start date in the past).
cert() {
  local name=$1 san=$2 start=$3 end=$4 w=$RUN/certs/ca-work cn=${2%%,*}
  cn=${cn#DNS:}
  SERIAL=$((SERIAL + 1))   # distinct serials: one issuer must not reuse one (RFC 5280 §4.1.2.2)
  rm -rf "$w"; mkdir -p "$w"; : > "$w/index.txt"; echo "$SERIAL" > "$w/serial"
  printf '%s\n' "[ca]" "default_ca=c" "[c]" "database=$w/index.txt" "serial=$w/serial" "new_certs_dir=$w" \
    "policy=p" "unique_subject=no" "copy_extensions=none" "[p]" "commonName=supplied" "[x]" \
    "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" "authorityKeyIdentifier=keyid" "subjectAltName=$san" > "$w/ca.cnf"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$RUN/certs/$name-key.pem" 2>/dev/null
  openssl req -new -key "$RUN/certs/$name-key.pem" -subj "/CN=$cn" -out "$w/leaf.csr" 2>/dev/null
  openssl ca -batch -notext -config "$w/ca.cnf" -extensions x -in "$w/leaf.csr" -cert "$CA/ca.pem" \
    -keyfile "$CA/ca-key.pem" -md sha256 -startdate "$start" -enddate "$end" -out "$RUN/certs/$name.pem" 2>/dev/null
  rm -rf "$w"
}
VALID=(20240101000000Z 21240101000000Z)
SERIAL=2000
cert mx1 "DNS:mx1.mail-lab.test" "${VALID[@]}"
cert mx2 "DNS:mx2.mail-lab.test" "${VALID[@]}"
cert expired "DNS:mx.expired-cert.test" 20200101000000Z 20210101000000Z
cert relay "DNS:mx.open-relay.test" "${VALID[@]}"
cert authplain "DNS:mx.auth-plain.test" "${VALID[@]}"
cert never "DNS:never.mail-lab.test" "${VALID[@]}"
cert sink "DNS:sink.mail-lab.test" "${VALID[@]}"
chmod 600 "$RUN"/certs/*-key.pem

# --- Postfix ----------------------------------------------------------------------------
# Per-instance changes to the common main.cf below (`postconf -e` arguments) and extra
# master.cf services.
declare -A MAIN_EXTRA MASTER_EXTRA
# mx1 delivers: @mail-lab.test mailboxes are Dovecot's (LMTP over a unix socket, so no TCP
# at all); unknown users get 550 5.1.1 at RCPT (smtpd_reject_unlisted_recipient, default yes).
MAIN_EXTRA[mx1]="relay_domains= virtual_mailbox_domains=mail-lab.test
virtual_mailbox_maps=texthash:$RUN/postfix-mx1/etc/vmailbox
virtual_alias_maps=texthash:$RUN/postfix-mx1/etc/valias
virtual_transport=lmtp:unix:$DOVECOT/lmtp"
MASTER_EXTRA[mx1]="lmtp       unix - - n - - lmtp"
# never: accepts, then relays everything to [127.0.2.99]:2525 (nothing listens there: connection
# refused, deferred; retried every 5 min at the earliest, so messages stay deferred). The source
# address is loopback too: even a wrong next hop could not be reached from 127.0.2.40.
NEVER_HOP="[127.0.2.99]:2525"
MAIN_EXTRA[never]="default_transport=smtp:$NEVER_HOP relay_transport=smtp:$NEVER_HOP
smtp_bind_address=127.0.2.40 smtp_connect_timeout=2s smtp_tls_security_level=none
header_checks=regexp:$RUN/postfix-never/etc/header_checks"
MASTER_EXTRA[never]="smtp       unix - - n - - smtp"
# sink (mxdoctor load): accepts mail for sink.mail-lab.test and relays it to smtp-sink, the
# next hop the load test's real-suite check counts at (test/real/load.test.ts). Postfix's own
# per-client connection limit (anvil) is 10 here and applies to 127/8 too (mynetworks empty).
SINK_HOP="[127.0.2.51]:2526"
MAIN_EXTRA[sink]="relay_domains=sink.mail-lab.test default_transport=smtp:$SINK_HOP relay_transport=smtp:$SINK_HOP
smtp_bind_address=127.0.2.50 smtp_connect_timeout=2s smtp_tls_security_level=none
smtpd_client_connection_count_limit=10 smtpd_client_event_limit_exceptions="
MASTER_EXTRA[sink]="smtp       unix - - n - - smtp"

# postfix_instance <name> <address> <hostname> <cert name> <services: smtp,submission,...>
#                  [mynetworks]
postfix_instance() {
  local name=$1 addr=$2 host=$3 crt=$4 services=$5 mynet=${6:-} top=$RUN/postfix-$1
  # config_directory, queue_directory, data_directory side by side: `postfix check` wants
  # the configuration tree owned by root, the data tree by Postfix.
  local dir=$top/etc
  mkdir -p "$dir" "$top/queue" "$top/data"
  chown postfix "$top/data"
  cat > "$dir/main.cf" <<CF
# Private lab instance "$name" (test/lab/start-mail.sh). Delivers nothing beyond the machine.
compatibility_level = 3.6
queue_directory = $top/queue
data_directory = $top/data
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-lab-$name
maillog_file = $top/maillog
maillog_file_prefixes = $top
myhostname = $host
mydomain = ${host#*.}
myorigin = \$myhostname
# 127.0.2.x is not an interface address (lo only holds 127.0.0.1/8, which routes the whole
# block), so Postfix would refuse it here: the listeners name it in master.cf instead.
inet_interfaces = loopback-only
inet_protocols = ipv4
# Not the client's name: the lab's reverse names live in the lab DNS, not the system's.
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
smtpd_banner = \$myhostname ESMTP Postfix
mydestination =
# Clients that may relay anywhere: nobody, but the open relay's 127.0.0.0/8.
mynetworks = $mynet
local_recipient_maps =
alias_maps =
alias_database =
relay_domains = ${host#*.}
relay_recipient_maps =
# Every transport discards (discard(8)): accepted mail goes nowhere (mx1 and never override
# this below, to the lab's Dovecot and to a dead loopback port).
default_transport = discard:lab discards all mail
relay_transport = discard:lab discards all mail
local_transport = discard:lab discards all mail
virtual_transport = discard:lab discards all mail
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
disable_vrfy_command = yes
biff = no
smtpd_tls_chain_files = $RUN/certs/$crt-key.pem, $RUN/certs/$crt.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_sasl_type = dovecot
smtpd_sasl_path = $AUTH_SOCKET
smtpd_sasl_auth_enable = no
smtpd_tls_auth_only = yes
# Received: says whether each hop used TLS (what mxdoctor roundtrip reports per hop).
smtpd_tls_received_header = yes
CF
  # shellcheck disable=SC2086 # one `key=value` per word
  if [ -n "${MAIN_EXTRA[$name]:-}" ]; then postconf -c "$dir" -e ${MAIN_EXTRA[$name]}; fi
  {
    local sub=" -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes -o smtpd_tls_auth_only=yes -o smtpd_relay_restrictions=permit_sasl_authenticated,reject"
    local smtps=" -o smtpd_tls_wrappermode=yes -o smtpd_sasl_auth_enable=yes -o smtpd_relay_restrictions=permit_sasl_authenticated,reject"
    # AUTH before TLS (the defect): TLS optional, AUTH offered on the plain connection.
    local subplain=" -o smtpd_tls_security_level=may -o smtpd_sasl_auth_enable=yes -o smtpd_tls_auth_only=no -o smtpd_relay_restrictions=permit_sasl_authenticated,reject"
    echo "# service type private unpriv chroot wakeup maxproc command"
    [[ ,$services, == *,smtp,* ]] && echo "$addr:25 inet n - n - - smtpd"
    [[ ,$services, == *,submission,* ]] && echo "$addr:587 inet n - n - - smtpd -o syslog_name=postfix-lab-$name/submission$sub"
    [[ ,$services, == *,submission-plain,* ]] && echo "$addr:587 inet n - n - - smtpd -o syslog_name=postfix-lab-$name/submission$subplain"
    [[ ,$services, == *,smtps,* ]] && echo "$addr:465 inet n - n - - smtpd -o syslog_name=postfix-lab-$name/smtps$smtps"
    cat <<'MASTER'
pickup     unix n - n 60 1 pickup
cleanup    unix n - n - 0 cleanup
qmgr       unix n - n 300 1 qmgr
tlsmgr     unix - - n 1000? 1 tlsmgr
rewrite    unix - - n - - trivial-rewrite
bounce     unix - - n - 0 bounce
defer      unix - - n - 0 bounce
trace      unix - - n - 0 bounce
verify     unix - - n - 1 verify
flush      unix n - n 1000? 0 flush
proxymap   unix - - n - - proxymap
showq      unix n - n - - showq
error      unix - - n - - error
retry      unix - - n - - error
discard    unix - - n - - discard
anvil      unix - - n - 1 anvil
scache     unix - - n - 1 scache
postlog    unix-dgram n - n - 1 postlogd
MASTER
    if [ -n "${MASTER_EXTRA[$name]:-}" ]; then echo "${MASTER_EXTRA[$name]}"; fi
  } > "$dir/master.cf"
  # `postfix check` creates the queue's directories with Postfix's own owners and modes.
  # Postfix prints its errors only to a terminal before postlogd runs: script(1) gives it one.
  script -qec "postfix -c '$dir' check" /dev/null </dev/null >&2 || { echo "start-mail.sh: postfix -c $dir check failed" >&2; return 1; }
  # `postfix start` would run the same checks again (postfix-script: quick-start skips them).
  touch "$top/queue/quick-start"
  # Daemons get no stdout/stderr: an inherited pipe would keep the caller's pipeline open.
  postfix -c "$dir" start </dev/null >/dev/null 2>&1 || { echo "start-mail.sh: postfix $name did not start:" >&2; tail -n 20 "$top/maillog" >&2; return 1; }
}

# mx1's mailboxes (the lab's Dovecot users, TEST ONLY) and aliases: RFC 5321 §4.5.1 wants
# postmaster, and the zone's report addresses should not bounce either.
mkdir -p "$RUN/postfix-mx1/etc"
printf '%s OK\n' lab@mail-lab.test junk@mail-lab.test > "$RUN/postfix-mx1/etc/vmailbox"
printf '%s lab@mail-lab.test\n' postmaster@mail-lab.test abuse@mail-lab.test dmarc-reports@mail-lab.test \
  tls-reports@mail-lab.test > "$RUN/postfix-mx1/etc/valias"

# never: the one message start-up queues with this subject goes on hold (cleanup(8) HOLD).
mkdir -p "$RUN/postfix-never/etc"
echo '/^Subject: lab held message/ HOLD held by the lab for mxdoctor queue' > "$RUN/postfix-never/etc/header_checks"

# In parallel: `postfix check` and `postfix start` take 1-3 s each (post-install, find).
jobs_=()
postfix_instance mx1 127.0.2.1 mx1.mail-lab.test mx1 smtp,submission,smtps & jobs_+=($!)
postfix_instance mx2 127.0.2.2 mx2.mail-lab.test mx2 smtp & jobs_+=($!)
postfix_instance expired 127.0.2.10 mx.expired-cert.test expired smtp & jobs_+=($!)
# The defect: every 127/8 client may relay anywhere (into discard).
postfix_instance relay 127.0.2.20 mx.open-relay.test relay smtp 127.0.0.0/8 & jobs_+=($!)
postfix_instance authplain 127.0.2.30 mx.auth-plain.test authplain smtp,submission-plain & jobs_+=($!)
postfix_instance never 127.0.2.40 never.mail-lab.test never smtp,submission & jobs_+=($!)
postfix_instance sink 127.0.2.50 sink.mail-lab.test sink smtp & jobs_+=($!)
failed=0
for j in "${jobs_[@]}"; do wait "$j" || failed=1; done
[ "$failed" = 0 ] || exit 1

# --- Dovecot ----------------------------------------------------------------------------
# One instance: IMAP and POP3 for mx1 (the other lab hosts publish no mailbox service), LMTP
# (unix socket) for mx1's Postfix, and the SASL socket every Postfix instance authenticates
# through. Mail is Maildir under home/<user>/Maildir, owned by nobody.
# Sieve (Pigeonhole): a site-wide script before the user's own files spam-marked mail into
# Junk (as a spam filter's verdict header would be acted on); junk@ also has a personal
# script filing everything into Junk (a user's own rule).
mkdir -p "$DOVECOT/home/lab" "$DOVECOT/home/junk/sieve" "$DOVECOT/sieve"
cat > "$DOVECOT/sieve/spam.sieve" <<'SIEVE'
# Lab spam rule (test/lab/start-mail.sh): RFC 5228 fileinto, RFC 5490 mailbox (:create).
require ["fileinto", "mailbox"];
if anyof (header :is "X-Lab-Spam" "yes", header :contains "Subject" "[SPAM]") {
  fileinto :create "Junk";
  stop;
}
SIEVE
cat > "$DOVECOT/home/junk/sieve/all-junk.sieve" <<'SIEVE'
# junk@mail-lab.test's own rule: everything into Junk.
require ["fileinto", "mailbox"];
fileinto :create "Junk";
SIEVE
ln -s sieve/all-junk.sieve "$DOVECOT/home/junk/.dovecot.sieve"
chown -R nobody:nogroup "$DOVECOT/home"
# passwd-file: user:{scheme}password:uid:gid::home (TEST ONLY passwords).
{
  echo "lab@mail-lab.test:{PLAIN}lab-password:65534:65534::$DOVECOT/home/lab"
  echo "junk@mail-lab.test:{PLAIN}junk-password:65534:65534::$DOVECOT/home/junk"
} > "$DOVECOT/users"
chmod 640 "$DOVECOT/users"; chgrp dovecot "$DOVECOT/users"
DH=""; [ -f /usr/share/dovecot/dh.pem ] && DH="ssl_dh = </usr/share/dovecot/dh.pem"
cat > "$DOVECOT/dovecot.conf" <<CONF
# Private lab instance (test/lab/start-mail.sh).
instance_name = mxdoctor-lab
# What Dovecot names itself in Received: and LMTP replies (else the machine's hostname).
hostname = mx1.mail-lab.test
base_dir = $DOVECOT/base
state_dir = $DOVECOT/state
log_path = $DOVECOT/dovecot.log
protocols = imap pop3 lmtp
listen = 127.0.2.1
ssl = yes
ssl_cert = <$RUN/certs/mx1.pem
ssl_key = <$RUN/certs/mx1-key.pem
ssl_min_protocol = TLSv1.2
$DH
disable_plaintext_auth = yes
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = $DOVECOT/users
}
userdb {
  driver = passwd-file
  args = $DOVECOT/users
}
mail_location = maildir:~/Maildir
# RFC 6154 special-use: clients (and mxdoctor roundtrip) learn which folder is Junk.
namespace inbox {
  inbox = yes
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
}
protocol lmtp {
  mail_plugins = \$mail_plugins sieve
}
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
  sieve_before = $DOVECOT/sieve/spam.sieve
}
service lmtp {
  unix_listener $DOVECOT/lmtp {
    mode = 0600
    user = postfix
    group = postfix
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.2.1
    port = 143
  }
  inet_listener imaps {
    address = 127.0.2.1
    port = 993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.2.1
    port = 110
  }
  inet_listener pop3s {
    address = 127.0.2.1
    port = 995
    ssl = yes
  }
}
service auth {
  unix_listener $AUTH_SOCKET {
    mode = 0666
  }
}
CONF
doveconf -c "$DOVECOT/dovecot.conf" -n >/dev/null
# Compiled now (as root, beside the scripts): the delivering process runs as nobody and could
# not write the binaries, so it would compile them again for every message.
sievec -c "$DOVECOT/dovecot.conf" "$DOVECOT/sieve/spam.sieve"
sievec -c "$DOVECOT/dovecot.conf" "$DOVECOT/home/junk/sieve/all-junk.sieve"
chown nobody:nogroup "$DOVECOT/home/junk/sieve/all-junk.svbin"
dovecot -c "$DOVECOT/dovecot.conf" </dev/null >/dev/null 2>>"$DOVECOT/dovecot.log" \
  || { echo "start-mail.sh: dovecot did not start:" >&2; tail -n 20 "$DOVECOT/dovecot.log" >&2; exit 1; }

# --- smtp-sink: the load test's next hop ---------------------------------------------------
# Postfix's test server (Debian package postfix): accepts everything, writes each message to
# smtp-sink/<hour>/<minute>.<random> (strftime template, -d) and delivers nothing. As nobody.
SINK_DIR=$RUN/smtp-sink
mkdir -p "$SINK_DIR"; chown nobody "$SINK_DIR"
(cd "$SINK_DIR" && exec smtp-sink -u nobody -d "$SINK_DIR/%H/%M." 127.0.2.51:2526 256 </dev/null >/dev/null 2>&1) &
echo $! > "$RUN/smtp-sink.pid"

# --- wait until everything answers ------------------------------------------------------
up() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
for ep in 127.0.2.1:25 127.0.2.1:587 127.0.2.1:465 127.0.2.1:143 127.0.2.1:993 127.0.2.1:110 127.0.2.1:995 \
          127.0.2.2:25 127.0.2.10:25 127.0.2.20:25 127.0.2.30:25 127.0.2.30:587 127.0.2.40:25 127.0.2.40:587 \
          127.0.2.50:25 127.0.2.51:2526; do
  for i in $(seq 1 100); do
    up "${ep%:*}" "${ep#*:}" && break
    [ "$i" = 100 ] && { echo "start-mail.sh: nothing listens on $ep; logs:" >&2; tail -n 20 "$RUN"/postfix-*/maillog "$DOVECOT/dovecot.log" >&2; exit 1; }
    sleep 0.1
  done
done
[ -S "$AUTH_SOCKET" ] || { echo "start-mail.sh: no Dovecot auth socket $AUTH_SOCKET" >&2; exit 1; }
[ -S "$DOVECOT/lmtp" ] || { echo "start-mail.sh: no Dovecot LMTP socket $DOVECOT/lmtp" >&2; exit 1; }
# The dead next hop must stay dead: were something listening there, "never" would deliver.
if up 127.0.2.99 2525; then echo "start-mail.sh: something listens on $NEVER_HOP: never.mail-lab.test would deliver" >&2; exit 1; fi

# --- a real deferred queue on "never" ----------------------------------------------------
# NEVER_DEFERRED messages through Postfix's sendmail(1) (pickup, cleanup, qmgr, smtp: refused)
# and one more that header_checks puts on hold, so `mxdoctor queue` reads deferred and hold.
NEVER_ETC=$RUN/postfix-never/etc
# 20: enough for `mxdoctor logs` to call it a pile-up (deferred and never delivered) too.
NEVER_DEFERRED=20
for i in $(seq 1 $((NEVER_DEFERRED + 1))); do
  rcpt=lab@mail-lab.test; [ $((i % 4)) = 0 ] && rcpt=postmaster@open-relay.test
  subject="lab deferred message $i"; [ "$i" -gt "$NEVER_DEFERRED" ] && subject="lab held message"
  printf '%s\n' "From: lab@mail-lab.test" "To: $rcpt" "Subject: $subject" \
    "Message-ID: <lab-queued-$i@never.mail-lab.test>" "" "Queued by test/lab/start-mail.sh; never delivered." \
    | sendmail -C "$NEVER_ETC" -f lab@mail-lab.test -- "$rcpt"
done
queued() { postqueue -c "$NEVER_ETC" -j | grep -c "\"queue_name\": *\"$1\"" || true; }
for i in $(seq 1 100); do
  [ "$(queued deferred)/$(queued hold)" = "$NEVER_DEFERRED/1" ] && break
  [ "$i" = 100 ] && { echo "start-mail.sh: never.mail-lab.test did not defer $NEVER_DEFERRED messages and hold 1:" >&2; postqueue -c "$NEVER_ETC" -p >&2; tail -n 20 "$RUN/postfix-never/maillog" >&2; exit 1; }
  sleep 0.1
done
# For the tests (test/real/queue.test.ts): what start-up queued.
echo "deferred=$NEVER_DEFERRED hold=1" > "$RUN/postfix-never/queued-at-start"

echo "start-mail.sh: postfix mx1 mx2 expired relay authplain never sink (127.0.2.1/.2/.10/.20/.30/.40/.50), smtp-sink 127.0.2.51:2526, dovecot 127.0.2.1 (143/993/110/995, LMTP), never: $(queued deferred) deferred, $(queued hold) on hold"
