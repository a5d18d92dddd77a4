# Sourced by the scripts that install a Debian package the tests or benchmarks need
# (install-chromium.sh, install-ansible.sh). One way to do it: as root, with apt-get,
# --no-install-recommends, and no service allowed to start meanwhile (a policy-rc.d answering
# 101 for the duration, removed afterwards if this put it there). This is a build machine or a
# container, not a server.
#
#   debian_install <who> <package>...   0 when installed; 1, having said why, when it cannot be

debian_install() {
  local who="$1"
  shift
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "$who: not root, cannot install Debian's $* (as root: apt-get install --no-install-recommends $*)"
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$who: no apt-get on this machine, cannot install Debian's $*"
    return 1
  fi
  local policy=/usr/sbin/policy-rc.d created_policy=0 log status=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created_policy=1
  fi
  log="$(mktemp)"
  echo "$who: installing Debian's $* (apt-get)"
  # Refresh the package lists only when apt does not know the packages (a fresh image has none).
  if ! apt-cache policy "$@" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 || status=$?
  fi
  if [[ "$status" -eq 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$log" 2>&1 || status=$?
  fi
  if [[ "$status" -ne 0 ]]; then
    echo "$who: apt-get could not install $* (exit $status). Last lines of its output:"
    tail -n 15 "$log" | sed 's/^/  /'
  fi
  rm -f "$log"
  if [[ "$created_policy" -eq 1 ]]; then rm -f "$policy"; fi
  return $((status == 0 ? 0 : 1))
}
