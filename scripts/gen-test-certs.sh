#!/usr/bin/env bash
# Generates the TEST-ONLY certificates of the server-probe tests in test/fixtures/certs/
# (run once; the output is committed so tests need no openssl at run time; Node 20 cannot
# create X.509 certificates). Re-running regenerates EVERY file, including the CAs, so
# do it only when a new case is needed. See test/fixtures/certs/README.md.
set -euo pipefail
cd "$(dirname "$0")/../test/fixtures/certs"
# Fixed dates, not "now": a CI machine with a slower clock must not see them as not yet valid.
VALID=(-startdate 20240101000000Z -enddate 21240101000000Z)   # 100 years, never expire in CI
NAMES="DNS:localhost,DNS:mx1.healthy.test,DNS:mx2.healthy.test,DNS:mail.healthy.test,DNS:mail.tls.test,IP:127.0.0.1,IP:::1"
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

ec()  { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
rsa() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$2" -out "$1" 2>/dev/null; }

# `openssl ca` is used for every signature because it alone (in OpenSSL 3.0) accepts fixed
# -startdate/-enddate, which the expired and not-yet-valid cases need.
sign() { # out.pem, csr, issuer-cert (or "self:<key>"), issuer-key, extensions, md, then -startdate X -enddate Y
  local out=$1 csr=$2 icert=$3 ikey=$4 ext=$5 md=$6; shift 6
  local issuer=(-cert "$icert" -keyfile "$ikey")
  [ "$icert" = self ] && issuer=(-selfsign -keyfile "$ikey")
  : > "$WORK/index.txt"; echo 1000 > "$WORK/serial"
  printf '%s\n' "[ca]" "default_ca=c" "[c]" "database=$WORK/index.txt" "serial=$WORK/serial" \
    "new_certs_dir=$WORK" "policy=p" "unique_subject=no" "copy_extensions=none" "[p]" "commonName=supplied" \
    "[x]" > "$WORK/ca.cnf"
  printf '%b\n' "$ext" >> "$WORK/ca.cnf"
  openssl ca -batch -notext -config "$WORK/ca.cnf" -extensions x -in "$csr" "${issuer[@]}" \
    -md "$md" "$@" -out "$out" 2>/dev/null
}
LEAF_EXT="basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid"
leaf() { # name, key kind (ec|rsaN), CN, SAN, issuer (ca|inter|self), md, date args...
  local name=$1 kind=$2 cn=$3 san=$4 issuer=$5 md=$6; shift 6
  case $kind in ec) ec "$name-key.pem" ;; rsa*) rsa "$name-key.pem" "${kind#rsa}" ;; esac
  openssl req -new -key "$name-key.pem" -subj "/CN=$cn" -out "$WORK/$name.csr"
  case $issuer in
    ca)    sign "$name.pem" "$WORK/$name.csr" ca.pem ca-key.pem "$LEAF_EXT\nsubjectAltName=$san" "$md" "$@" ;;
    inter) sign "$name.pem" "$WORK/$name.csr" intermediate.pem intermediate-key.pem "$LEAF_EXT\nsubjectAltName=$san" "$md" "$@" ;;
    self)  sign "$name.pem" "$WORK/$name.csr" self "$name-key.pem" "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=$san" "$md" "$@" ;;
  esac
}

# CA (self-signed through `openssl ca -selfsign` for the fixed dates).
ec ca-key.pem
openssl req -new -key ca-key.pem -subj "/CN=mxdoctor test CA (TEST ONLY)" -out "$WORK/ca.csr"
sign ca.pem "$WORK/ca.csr" self ca-key.pem \
  "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash" sha256 "${VALID[@]}"

# Intermediate CA, signed by the CA (for the chain-incomplete case: server sends the leaf only).
ec intermediate-key.pem
openssl req -new -key intermediate-key.pem -subj "/CN=mxdoctor test intermediate CA (TEST ONLY)" -out "$WORK/inter.csr"
sign intermediate.pem "$WORK/inter.csr" ca.pem ca-key.pem \
  "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid" sha256 "${VALID[@]}"

leaf valid        ec      "mail.tls.test"            "$NAMES"                 ca    sha256 "${VALID[@]}"
leaf valid-rsa    rsa2048 "mail.tls.test"            "$NAMES"                 ca    sha256 "${VALID[@]}"
leaf expired      ec      "expired.tls.test"         "$NAMES"                 ca    sha256 -startdate 20200101000000Z -enddate 20210101000000Z
leaf not-yet-valid ec     "future.tls.test"          "$NAMES"                 ca    sha256 -startdate 20900101000000Z -enddate 21900101000000Z
leaf wrong-name   ec      "wrong-name.invalid"       "DNS:wrong-name.invalid" ca    sha256 "${VALID[@]}"
leaf wildcard     ec      "*.wild.tls.test"          "DNS:*.wild.tls.test"    ca    sha256 "${VALID[@]}"
leaf self-signed  ec      "mail.tls.test"            "$NAMES"                 self  sha256 "${VALID[@]}"
leaf rsa1024      rsa1024 "weak.tls.test"            "$NAMES"                 ca    sha256 "${VALID[@]}"
leaf sha1         rsa2048 "sha1.tls.test"            "$NAMES"                 ca    sha1   "${VALID[@]}"
leaf chain-leaf   ec      "chain.tls.test"           "$NAMES"                 inter sha256 "${VALID[@]}"
cat chain-leaf.pem intermediate.pem > chain-full.pem   # what a correct server sends
echo "wrote $(pwd)"
