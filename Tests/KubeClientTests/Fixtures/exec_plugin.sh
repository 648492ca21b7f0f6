#!/bin/sh
# A client.authentication.k8s.io exec credential plugin for tests. Prints the token in $PLUGIN_DIR/token,
# appends a line to $PLUGIN_DIR/runs on every run, saves $KUBERNETES_EXEC_INFO in $PLUGIN_DIR/exec-info, and sets expirationTimestamp to $PLUGIN_EXPIRY if given.
# The first argument is the ExecCredential apiVersion to answer with.
set -eu
echo run >> "$PLUGIN_DIR/runs"
printf '%s' "${KUBERNETES_EXEC_INFO:-}" > "$PLUGIN_DIR/exec-info"
token=$(cat "$PLUGIN_DIR/token")
if [ -n "${PLUGIN_EXPIRY:-}" ]; then
  printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\n' "$1" "$token" "$PLUGIN_EXPIRY"
else
  printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"}}\n' "$1" "$token"
fi
