#!/usr/bin/env bash
# Installs Debian's Chromium for the approver page's browser test (test/e2e/serve-browser.test.ts).
#
# Idempotent: nothing to do when /usr/bin/chromium exists. Otherwise it needs root and apt-get;
# without them it says so and exits 0 — the browser test then skips, naming this reason, rather
# than fail. `npx playwright install` cannot work here (no downloads but npm and Debian packages);
# playwright-core drives this Chromium through `executablePath: '/usr/bin/chromium'`.
set -uo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
  echo "install-chromium: $($CHROMIUM --version 2>/dev/null || echo "$CHROMIUM") already installed"
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-chromium: not root, cannot install Debian's chromium; the browser test will be skipped (install it with: sudo apt-get install chromium)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get on this machine, cannot install Debian's chromium; the browser test will be skipped"
  exit 0
fi

# No service may start during the install (this is a build machine or a container, not a desktop).
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  created_policy=1
fi
cleanup() { if [[ "$created_policy" -eq 1 ]]; then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
echo "install-chromium: installing Debian's chromium (apt-get)"
if apt-get update -qq >"$log" 2>&1 && apt-get install -y -qq --no-install-recommends chromium >>"$log" 2>&1 && [[ -x "$CHROMIUM" ]]; then
  echo "install-chromium: installed $($CHROMIUM --version 2>/dev/null || echo chromium)"
else
  echo "install-chromium: apt-get could not install chromium; the browser test will be skipped. Last lines of its output:"
  tail -n 15 "$log" | sed 's/^/  /'
fi
rm -f "$log"
exit 0
