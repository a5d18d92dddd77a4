#!/usr/bin/env bash
# Installs Debian's ansible-core for the peers benchmark (`npm run bench:peers`, bench/peers/run.js).
#
# Idempotent: nothing to do when ansible-playbook is on the PATH. Otherwise it needs root and
# apt-get; without them it says so and exits 0 — the benchmark then leaves the Ansible column
# out, naming this reason, rather than fail. Only Debian's package is used (no pip: this machine
# reaches npm and Debian's archive only), with --no-install-recommends, and with a policy-rc.d
# that forbids starting services during the install.
set -uo pipefail

if command -v ansible-playbook >/dev/null 2>&1; then
  echo "install-ansible: $(ansible-playbook --version 2>/dev/null | head -n 1 || echo ansible-playbook) already installed"
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-ansible: not root, cannot install Debian's ansible-core; the benchmark skips Ansible (install it with: sudo apt-get install --no-install-recommends ansible-core)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-ansible: no apt-get on this machine, cannot install Debian's ansible-core; the benchmark skips Ansible"
  exit 0
fi

# No service may start during the install (this is a build machine or a container, not a server).
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  created_policy=1
fi
cleanup() { [[ "$created_policy" -eq 1 ]] && rm -f "$policy"; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq && apt-get install -y -qq --no-install-recommends ansible-core >/dev/null; then
  echo "install-ansible: installed $(ansible-playbook --version 2>/dev/null | head -n 1 || echo ansible-core)"
else
  echo "install-ansible: apt-get could not install ansible-core (exit $?); the benchmark skips Ansible"
fi
exit 0
