#!/usr/bin/env bash
# Debian's chromium for the browser tests (Playwright drives it via executable_path; no
# browser download). Installs it when missing and we are root; otherwise says why not.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: chromium not found and cannot apt-get install it here; browser tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
