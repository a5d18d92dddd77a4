# shellcheck shell=bash
# Shared settings and helpers of the drplan lab (sourced by up.sh, down.sh, ctl.sh, install.sh).
#
# The lab is two PostgreSQL clusters with streaming replication behind HAProxy, all on loopback:
#
#   site A (primary)   127.0.10.1:$PORT    $LAB/site-a/data
#   site B (standby)   127.0.20.1:$PORT    $LAB/site-b/data
#   test copy          127.0.30.1:$PORT    $LAB/test/data        (made by drplan's test failover)
#   HAProxy (service)  127.0.40.1:$PORT    runtime API: $LAB/haproxy/admin.sock
#
# Settings come from the environment, so several labs can run side by side (the tests do):
#   DRPLAN_LAB_DIR   where everything lives (default /tmp/drplan-lab); removed by down.sh
#   DRPLAN_LAB_PORT  the port every address uses (default 5432)
# PostgreSQL runs as the `postgres` OS user when the lab is run as root (initdb and pg_ctl refuse
# root), as the calling user otherwise.

set -euo pipefail

LAB="${DRPLAN_LAB_DIR:-/tmp/drplan-lab}"
PORT="${DRPLAN_LAB_PORT:-5432}"
SITE_A_HOST=127.0.10.1
SITE_B_HOST=127.0.20.1
TEST_HOST=127.0.30.1
PROXY_HOST=127.0.40.1
LAB_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$LAB_SCRIPTS/../.." && pwd)"

case "$LAB" in
  /*) ;;
  *) echo "lab: DRPLAN_LAB_DIR must be an absolute path (got $LAB)" >&2; exit 2 ;;
esac
# down.sh removes $LAB: refuse anything that could be a system or home directory.
case "$LAB" in
  / | /tmp | /tmp/ | /usr* | /etc* | /var | /var/ | /root | /root/ | /home | /home/*[!/]/ | /work | /work/) echo "lab: refusing DRPLAN_LAB_DIR=$LAB" >&2; exit 2 ;;
esac

log() { printf 'lab: %s\n' "$*" >&2; }
die() { printf 'lab: error: %s\n' "$*" >&2; exit 1; }

# The OS user PostgreSQL runs as.
if [[ "$(id -u)" -eq 0 ]]; then PG_OS_USER="${DRPLAN_LAB_OS_USER:-postgres}"; else PG_OS_USER="$(id -un)"; fi

# Runs a command as the PostgreSQL OS user.
as_pg() {
  if [[ "$(id -u)" -eq 0 && "$PG_OS_USER" != root ]]; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi
}

# Directory of the PostgreSQL server programs: Debian keeps them out of PATH. Newest version wins.
pg_bindir() {
  if [[ -n "${DRPLAN_PG_BINDIR:-}" ]]; then echo "$DRPLAN_PG_BINDIR"; return; fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && { echo "$d"; return; }
  done
  return 1
}

haproxy_bin() { command -v haproxy || { [[ -x /usr/sbin/haproxy ]] && echo /usr/sbin/haproxy; } || return 1; }

# Is this pid a live process (not a zombie waiting to be reaped)?
alive() {
  local pid="$1" state
  [[ -n "$pid" && -r "/proc/$pid/stat" ]] || return 1
  state="$(sed -E 's/^[0-9]+ \(.*\) (.).*/\1/' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [[ "$state" != Z && "$state" != X ]]
}

# Waits until a pid is gone (or a zombie); returns 1 after $2 tenths of a second.
wait_gone() {
  local pid="$1" tenths="${2:-100}" i
  for ((i = 0; i < tenths; i++)); do alive "$pid" || return 0; sleep 0.1; done
  return 1
}

# Stops one process by PID: signal, wait, then SIGKILL.
stop_pid() {
  local pid="$1" signal="${2:-TERM}" tenths="${3:-100}"
  alive "$pid" || return 0
  kill -s "$signal" "$pid" 2>/dev/null || true
  wait_gone "$pid" "$tenths" && return 0
  log "pid $pid did not stop on SIG$signal; killing it"
  kill -s KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 50
}

# The postmaster pid of a data directory (first line of postmaster.pid), or nothing.
postmaster_pid() { [[ -r "$1/postmaster.pid" ]] && head -n 1 "$1/postmaster.pid" || true; }

# Waits until a server answers queries on host:port.
wait_ready() {
  local host="$1" i
  for ((i = 0; i < 300; i++)); do
    "$(pg_bindir)/pg_isready" -q -h "$host" -p "$PORT" -t 1 && return 0
    sleep 0.1
  done
  return 1
}

psql_at() { local host="$1"; shift; "$(pg_bindir)/psql" -X -q -At -v ON_ERROR_STOP=1 "host=$host port=$PORT user=postgres dbname=postgres connect_timeout=3" "$@"; }
