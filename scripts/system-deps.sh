#!/usr/bin/env bash
# System packages the test suite drives for real: Chromium (browser tests; Playwright's own
# browser download is not used), PgBouncer (connection pooling test), nginx (deploy/nginx.conf's test) and npm
# (axe-core). Installed with apt
# when missing and we are root; otherwise we say what to install.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
[[ -x /usr/sbin/pgbouncer ]] || command -v pgbouncer >/dev/null || missing+=(pgbouncer)
command -v npm >/dev/null || missing+=(npm)
[[ -x /usr/sbin/nginx ]] || missing+=(nginx)
((${#missing[@]})) || exit 0
if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing system packages for some tests: ${missing[*]} (e.g. sudo apt-get install ${missing[*]})" >&2
fi
