#!/usr/bin/env bash
# Installs Debian's Chromium, a CJK font and poppler-utils for the browser and printable tests.
set -euo pipefail
source "$(dirname "$0")/apt.sh"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
apt_install_missing "${missing[@]}"
