#!/usr/bin/env bash
# Starts the real mail servers of the real-server suite (test/real/mail.test.ts): private
# Postfix and Dovecot instances from Debian's packages, each with its own configuration,
# queue, state and log under test/lab/run/mail/ (gitignored). Names and addresses are in
# src/lab/zones/mail-lab.zone, served by the real DNS lab (test/lab/start-dns.sh):
#   127.0.2.1   mx1.mail-lab.test     healthy: Postfix 25 (STARTTLS), 587 (STARTTLS required,
#                                     AUTH only after TLS, via Dovecot SASL), 465 (implicit TLS);
#                                     Dovecot IMAP 143/993 and POP3 110/995
#   127.0.2.2   mx2.mail-lab.test     healthy backup MX: Postfix 25
#   127.0.2.10  mx.expired-cert.test  Postfix 25 whose certificate expired on 2021-01-01
#   127.0.2.20  mx.open-relay.test    open relay (mynetworks 127.0.0.0/8): relays for anyone
#   127.0.2.30  mx.auth-plain.test    Postfix 25 + 587 offering AUTH PLAIN/LOGIN before STARTTLS
# Nothing is ever delivered: no instance has a delivery agent that leaves the machine
# (every transport is Postfix's discard(8); smtp/lmtp/local/virtual are not in master.cf).
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
chmod 600 "$RUN"/certs/*-key.pem

# --- Postfix ----------------------------------------------------------------------------
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
# Private lab instance "$name" (test/lab/start-mail.sh). Never delivers anything.
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
# Every transport discards (discard(8)): accepted mail goes nowhere.
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
CF
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
  } > "$dir/master.cf"
  # `postfix check` creates the queue's directories with Postfix's own owners and modes.
  # Postfix prints its errors only to a terminal before postlogd runs: script(1) gives it one.
  script -qec "postfix -c '$dir' check" /dev/null </dev/null >&2 || { echo "start-mail.sh: postfix -c $dir check failed" >&2; return 1; }
  # `postfix start` would run the same checks again (postfix-script: quick-start skips them).
  touch "$top/queue/quick-start"
  # Daemons get no stdout/stderr: an inherited pipe would keep the caller's pipeline open.
  postfix -c "$dir" start </dev/null >/dev/null 2>&1 || { echo "start-mail.sh: postfix $name did not start:" >&2; tail -n 20 "$top/maillog" >&2; return 1; }
}

# In parallel: `postfix check` and `postfix start` take 1-3 s each (post-install, find).
jobs_=()
postfix_instance mx1 127.0.2.1 mx1.mail-lab.test mx1 smtp,submission,smtps & jobs_+=($!)
postfix_instance mx2 127.0.2.2 mx2.mail-lab.test mx2 smtp & jobs_+=($!)
postfix_instance expired 127.0.2.10 mx.expired-cert.test expired smtp & jobs_+=($!)
# The defect: every 127/8 client may relay anywhere (into discard).
postfix_instance relay 127.0.2.20 mx.open-relay.test relay smtp 127.0.0.0/8 & jobs_+=($!)
postfix_instance authplain 127.0.2.30 mx.auth-plain.test authplain smtp,submission-plain & jobs_+=($!)
failed=0
for j in "${jobs_[@]}"; do wait "$j" || failed=1; done
[ "$failed" = 0 ] || exit 1

# --- Dovecot ----------------------------------------------------------------------------
# One instance: IMAP and POP3 for mx1 (the other lab hosts publish no mailbox service),
# and the SASL socket every Postfix instance authenticates through.
mkdir -p "$DOVECOT/home/lab"
chown -R nobody:nogroup "$DOVECOT/home"
# passwd-file: user:{scheme}password:uid:gid::home (the lab's only user, TEST ONLY).
echo "lab@mail-lab.test:{PLAIN}lab-password:65534:65534::$DOVECOT/home/lab" > "$DOVECOT/users"
chmod 640 "$DOVECOT/users"; chgrp dovecot "$DOVECOT/users"
DH=""; [ -f /usr/share/dovecot/dh.pem ] && DH="ssl_dh = </usr/share/dovecot/dh.pem"
cat > "$DOVECOT/dovecot.conf" <<CONF
# Private lab instance (test/lab/start-mail.sh).
instance_name = mxdoctor-lab
base_dir = $DOVECOT/base
state_dir = $DOVECOT/state
log_path = $DOVECOT/dovecot.log
protocols = imap pop3
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
dovecot -c "$DOVECOT/dovecot.conf" </dev/null >/dev/null 2>>"$DOVECOT/dovecot.log" \
  || { echo "start-mail.sh: dovecot did not start:" >&2; tail -n 20 "$DOVECOT/dovecot.log" >&2; exit 1; }

# --- wait until everything answers ------------------------------------------------------
up() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
for ep in 127.0.2.1:25 127.0.2.1:587 127.0.2.1:465 127.0.2.1:143 127.0.2.1:993 127.0.2.1:110 127.0.2.1:995 \
          127.0.2.2:25 127.0.2.10:25 127.0.2.20:25 127.0.2.30:25 127.0.2.30:587; do
  for i in $(seq 1 100); do
    up "${ep%:*}" "${ep#*:}" && break
    [ "$i" = 100 ] && { echo "start-mail.sh: nothing listens on $ep; logs:" >&2; tail -n 20 "$RUN"/postfix-*/maillog "$DOVECOT/dovecot.log" >&2; exit 1; }
    sleep 0.1
  done
done
[ -S "$AUTH_SOCKET" ] || { echo "start-mail.sh: no Dovecot auth socket $AUTH_SOCKET" >&2; exit 1; }
echo "start-mail.sh: postfix mx1 mx2 expired relay authplain (127.0.2.1/.2/.10/.20/.30), dovecot 127.0.2.1 (143/993/110/995)"
