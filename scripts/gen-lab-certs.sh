#!/usr/bin/env bash
# Generates the lab's TEST-ONLY certificates in src/lab/certs/ (run once; the output is
# committed so tests need no openssl). Node 20 cannot create X.509 certificates itself.
#   ca.pem / ca-key.pem                 the lab CA (100 years)
#   server.pem / server-key.pem         CA-signed, SAN = every name in NAMES below
#   wrong-name.pem / wrong-name-key.pem CA-signed, SAN = mta-sts.wrong-name.invalid only
#   self-signed.pem / self-signed-key.pem  not CA-signed, SAN = NAMES
# Add a lab or test domain to NAMES and re-run to serve HTTPS for it.
set -euo pipefail
cd "$(dirname "$0")/../src/lab/certs"
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
