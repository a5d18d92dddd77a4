#!/usr/bin/env bash
# Installs what the lab needs from Debian's packages: PostgreSQL (server and client) and HAProxy.
# Idempotent and quick when they are there already (nothing is asked of apt then). Never upgrades
# installed packages (--no-upgrade) and never starts a service: a policy-rc.d that says "no" is in
# place during the install, and Debian's default cluster is not created.
#
#   bash scripts/lab/install.sh           install if missing
#   bash scripts/lab/install.sh --check   exit 0 if installed, 1 if not; installs nothing
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

installed() { pg_bindir >/dev/null 2>&1 && haproxy_bin >/dev/null 2>&1 && [[ -x "$(pg_bindir)/pg_waldump" ]]; }

if installed; then
  [[ "${1:-}" == --check ]] || log "PostgreSQL ($(pg_bindir)) and HAProxy ($(haproxy_bin)) are installed"
  exit 0
fi
[[ "${1:-}" == --check ]] && exit 1
[[ "$(id -u)" -eq 0 ]] || die "PostgreSQL or HAProxy is missing; install them as root: sudo bash scripts/lab/install.sh (or apt-get install postgresql haproxy)"
command -v apt-get >/dev/null || die "PostgreSQL or HAProxy is missing and this is not a Debian-like system: install postgresql and haproxy with your package manager"

packages=()
pg_bindir >/dev/null 2>&1 || packages+=(postgresql)
haproxy_bin >/dev/null 2>&1 || packages+=(haproxy)
[[ ${#packages[@]} -gt 0 ]] || packages+=(postgresql)

# No service may start on its own: a policy-rc.d answering 101 ("action forbidden") for the
# duration of the install, removed afterwards if we put it there.
created_policy=""
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\n# drplan lab install: no service starts during package installation\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=1
fi
created_cc=""
if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
  # A first install of postgresql-common would create and start a "main" cluster on port 5432.
  mkdir -p /etc/postgresql-common
  printf '# drplan lab install: no default cluster\ncreate_main_cluster = false\n' >/etc/postgresql-common/createcluster.conf
  created_cc=1
fi
cleanup() { [[ -z "$created_policy" ]] || rm -f /usr/sbin/policy-rc.d; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt_install() {
  apt-get install -y -q --no-upgrade --no-install-recommends -o Dpkg::Options::=--force-confold "${packages[@]}"
}
log "installing ${packages[*]} from Debian's packages"
# Only refresh the package lists when apt does not know the packages (a fresh image has none).
policy="$(apt-cache policy "${packages[@]}" 2>/dev/null || true)"
[[ "$policy" == *"Candidate: "[0-9]* ]] || apt-get update -q
apt_install || { apt-get update -q && apt_install; }
[[ -z "$created_cc" ]] || log "left /etc/postgresql-common/createcluster.conf with create_main_cluster = false"
installed || die "the install finished but PostgreSQL's programs or HAProxy are still missing"
log "installed: PostgreSQL ($(pg_bindir)), HAProxy ($(haproxy_bin))"
