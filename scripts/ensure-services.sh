#!/usr/bin/env bash
# Installs Debian's redis-server, nginx and openssl for the several-process, proxy and restore tests
# (and `make redis`). Nothing is started or enabled here: the tests start their own on free ports.
set -euo pipefail
source "$(dirname "$0")/apt.sh"
missing=()
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0
# policy-rc.d 101: the packages install without starting their services on this machine.
policy=/usr/sbin/policy-rc.d
made_policy=
if [ "$(id -u)" -eq 0 ] && [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; made_policy=1
fi
trap '[ -n "$made_policy" ] && rm -f "$policy"' EXIT
apt_install_missing "${missing[@]}"
