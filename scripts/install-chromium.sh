#!/usr/bin/env bash
# Installs Debian's Chromium for the approver page's browser test (test/e2e/serve-browser.test.ts).
#
# Idempotent: nothing to do when /usr/bin/chromium exists. Otherwise it needs root and apt-get;
# without them it says so and exits 0 — the browser test then skips, naming this reason, rather
# than fail (under CI=true it fails). `npx playwright install` cannot work here (no downloads but
# npm and Debian packages); playwright-core drives this Chromium through
# `executablePath: '/usr/bin/chromium'`.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian-install.sh"

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
  echo "install-chromium: $($CHROMIUM --version 2>/dev/null || echo "$CHROMIUM") already installed"
  exit 0
fi
if debian_install install-chromium chromium && [[ -x "$CHROMIUM" ]]; then
  echo "install-chromium: installed $($CHROMIUM --version 2>/dev/null || echo chromium)"
else
  echo "install-chromium: the browser test will be skipped"
fi
exit 0
