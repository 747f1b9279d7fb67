#!/usr/bin/env bash
# Generates the lab's TEST-ONLY certificates in src/lab/certs/ (run once; the output is
# committed so tests need no openssl). Node 20 cannot create X.509 certificates itself.
#   ca.pem / ca-key.pem                 the lab CA (100 years)
#   server.pem / server-key.pem         CA-signed, SAN = every name in NAMES below
#   wrong-name.pem / wrong-name-key.pem CA-signed, SAN = mta-sts.wrong-name.invalid only
#   self-signed.pem / self-signed-key.pem  not CA-signed, SAN = NAMES
# Add a lab or test domain to NAMES and re-run to serve HTTPS for it.
#
# `gen-lab-certs.sh mail` writes ONLY the lab mail servers' certificates (src/lab/mail-server.ts),
# signed by the existing lab CA, and leaves every other file as it is:
#   mail.pem / mail-key.pem             SAN = every MX host of the demo domains (MAIL_HOSTS below)
#   mail-expired.pem / mail-expired-key.pem  SAN = mx.smtp-expired.test, expired 2020-01-01 → 2021-01-01
set -euo pipefail
cd "$(dirname "$0")/../src/lab/certs"
if [ "${1:-}" = mail ]; then
  # Every MX host name of a demo domain (src/lab/zones/*.zone): the lab serves mail on each.
  MAIL_HOSTS=(
    mx1.healthy.test mx2.healthy.test
    mx.smtp-relay.test mx.smtp-authplain.test mx.smtp-nostarttls.test mx.smtp-slow.test
    mx.dnsbl-listed.test mx.dnsbl-refused.test
    mx.out-of-sync.test mx.lame-ns.test mx.bogus-dnssec.test mx.no-ptr.test mx.fcrdns-fail.test mx.dane-pkix.test mx.dane-insecure.test
    mx.spf-lookups.test mx.spf-plusall.test mx.spf-double.test mx.spf-syntax.test mx.spf-void.test
  )
  for d in sts-mxmiss sts-html sts-404 sts-nohost sts-badid sts-testing sts-badcert sts-redirect sts-badpolicy; do
    MAIL_HOSTS+=("mx1.$d.test" "mx2.$d.test")
  done
  WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
  # `openssl ca`: the only OpenSSL 3.0 command that takes fixed start/end dates (the expired case).
  mail_leaf() { # name, SAN, startdate, enddate
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1-key.pem" 2>/dev/null
    openssl req -new -key "$1-key.pem" -subj "/CN=$(cn="${2%%,*}"; echo "${cn#DNS:}")" -out "$WORK/$1.csr"
    : > "$WORK/index.txt"; echo 2000 > "$WORK/serial"
    printf '%s\n' "[ca]" "default_ca=c" "[c]" "database=$WORK/index.txt" "serial=$WORK/serial" "new_certs_dir=$WORK" \
      "policy=p" "unique_subject=no" "copy_extensions=none" "[p]" "commonName=supplied" "[x]" \
      "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" "subjectAltName=$2" > "$WORK/ca.cnf"
    openssl ca -batch -notext -config "$WORK/ca.cnf" -extensions x -in "$WORK/$1.csr" -cert ca.pem -keyfile ca-key.pem \
      -md sha256 -startdate "$3" -enddate "$4" -out "$1.pem" 2>/dev/null
  }
  SAN=$(printf 'DNS:%s,' "${MAIL_HOSTS[@]}"); SAN=${SAN%,}
  mail_leaf mail "$SAN" 20240101000000Z 21240101000000Z
  mail_leaf mail-expired "DNS:mx.smtp-expired.test" 20200101000000Z 20210101000000Z
  echo "wrote mail.pem, mail-expired.pem in $(pwd)"
  exit 0
fi
DAYS=36500
DOMAINS=(
  healthy.test
  # demo domains (src/lab/zones/mta-sts.zone)
  sts-mxmiss.test sts-html.test sts-404.test sts-testing.test sts-badcert.test sts-redirect.test sts-badpolicy.test sts-badid.test
  # test-only domains (test/mta-sts.test.ts)
  good.sts.test testing.sts.test none.sts.test short.sts.test week.sts.test html.sts.test notfound.sts.test
  redirect.sts.test badpolicy.sts.test mxmiss.sts.test wrongname.sts.test selfsigned.sts.test big.sts.test
  unused.sts.test implicit.sts.test orphan.sts.test nullmx.sts.test mxfail.sts.test spare1.sts.test spare2.sts.test
)
SAN=$(printf 'DNS:mta-sts.%s,' "${DOMAINS[@]}"); SAN=${SAN%,}
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

key ca-key.pem
openssl req -x509 -new -key ca-key.pem -days $DAYS -subj "/CN=mxdoctor lab test CA (TEST ONLY)" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

leaf() { # name, subject CN, SAN list, signer (ca|self)
  key "$1-key.pem"
  openssl req -new -key "$1-key.pem" -subj "/CN=$2" -out "$1.csr"
  local ext; ext=$(mktemp)
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$3" > "$ext"
  if [ "$4" = ca ]; then
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days $DAYS -extfile "$ext" -out "$1.pem" 2>/dev/null
  else
    openssl x509 -req -in "$1.csr" -key "$1-key.pem" -days $DAYS -extfile "$ext" -out "$1.pem" 2>/dev/null
  fi
  rm -f "$1.csr" "$ext"
}
leaf server "mxdoctor lab (TEST ONLY)" "$SAN" ca
leaf wrong-name mta-sts.wrong-name.invalid "DNS:mta-sts.wrong-name.invalid" ca
leaf self-signed "mxdoctor lab self-signed (TEST ONLY)" "$SAN" self
rm -f ca.srl
echo "wrote $(pwd)"
