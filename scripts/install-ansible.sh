#!/usr/bin/env bash
# Installs Debian's ansible-core for the peers benchmark (`npm run bench:peers`, bench/peers/run.js)
# and its execution test (test/unit/bench/peers-execution.test.ts).
#
# Idempotent: nothing to do when ansible-playbook is on the PATH. Otherwise it needs root and
# apt-get; without them it says so and exits 0 — the benchmark then leaves the Ansible column
# out, naming this reason, rather than fail (the test skips; under CI=true it fails). Only
# Debian's package is used: this machine reaches npm and Debian's archive, not PyPI.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian-install.sh"

if command -v ansible-playbook >/dev/null 2>&1; then
  echo "install-ansible: $(ansible-playbook --version 2>/dev/null | head -n 1 || echo ansible-playbook) already installed"
  exit 0
fi
if debian_install install-ansible ansible-core && command -v ansible-playbook >/dev/null 2>&1; then
  echo "install-ansible: installed $(ansible-playbook --version 2>/dev/null | head -n 1 || echo ansible-core)"
else
  echo "install-ansible: the benchmark skips Ansible"
fi
exit 0
