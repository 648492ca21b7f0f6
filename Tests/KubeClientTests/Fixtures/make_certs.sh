#!/bin/sh
# Makes test PKI in directory $1: ca.{crt,key} (the right CA), other-ca.{crt,key} (a wrong CA),
# server.{crt,key} (for localhost, 127.0.0.1 and kubernetes.test, signed by ca), client.{crt,key} (signed by ca).
set -eu
cd "$1"
q() { "$@" >/dev/null 2>&1; }
for ca in ca other-ca; do
  q openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$ca" -keyout $ca.key -out $ca.crt
done
q openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout server.key -out server.csr
printf 'subjectAltName=DNS:localhost,DNS:kubernetes.test,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
q openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.crt
q openssl req -newkey rsa:2048 -nodes -subj "/CN=tester/O=system:masters" -keyout client.key -out client.csr
printf 'extendedKeyUsage=clientAuth\n' > client.ext
q openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile client.ext -out client.crt
