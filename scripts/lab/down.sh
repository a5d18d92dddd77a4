#!/usr/bin/env bash
# Takes the lab down: stops the write-load client, HAProxy and every PostgreSQL instance under
# $DRPLAN_LAB_DIR (site A, site B, a test copy left by a drill) by PID, then removes the whole
# directory. Fails if a process or a listener of the lab is still there afterwards.
#
#   npm run lab:down                     # or: bash scripts/lab/down.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [[ ! -e "$LAB" ]]; then
  log "nothing to take down: $LAB does not exist"
  exit 0
fi

# 1. The write-load client and HAProxy, from their pid files.
for pidfile in "$LAB/load/writer.pid" "$LAB/haproxy/haproxy.pid"; do
  [[ -r "$pidfile" ]] || continue
  while read -r pid; do [[ -n "$pid" ]] && stop_pid "$pid" TERM 50; done <"$pidfile"
done

# 2. Every PostgreSQL instance: fast shutdown of its postmaster (SIGINT), then what is left.
#    PostgreSQL's children call setsid and a killed postmaster leaves them running for a moment,
#    so the postmaster alone is not enough: step 3 finds the rest by their working directory.
while IFS= read -r -d '' pidfile; do
  pid="$(head -n 1 "$pidfile" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || continue
  # A stale postmaster.pid can name a pid now used by something else: only stop a process whose
  # working directory is that data directory.
  if alive "$pid" && [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$(dirname "$pidfile")" ]]; then
    stop_pid "$pid" INT 100
  fi
done < <(find "$LAB" -maxdepth 4 -name postmaster.pid -print0 2>/dev/null)

# 3. Any process of the PostgreSQL OS user still working inside the lab directory.
lab_processes() {
  local pid cwd
  for pid in $(ps -u "$PG_OS_USER" -o pid= 2>/dev/null); do
    cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null)" || continue
    [[ "$cwd" == "$LAB" || "$cwd" == "$LAB"/* ]] || continue
    alive "$pid" && echo "$pid"
  done
}
for pid in $(lab_processes); do stop_pid "$pid" KILL 50; done
left="$(lab_processes | tr '\n' ' ')"
[[ -z "$left" ]] || die "processes still running in $LAB: $left"

# 4. No listener may be left on the lab's addresses.
for ((i = 0; i < 50; i++)); do
  listening=""
  for host in "$SITE_A_HOST" "$SITE_B_HOST" "$TEST_HOST" "$PROXY_HOST"; do
    ss -Hltn "src $host:$PORT" 2>/dev/null | grep -q . && listening+="$host:$PORT "
  done
  [[ -z "$listening" ]] && break
  sleep 0.1
done
[[ -z "$listening" ]] || die "still listening after stopping everything: $listening"

rm -rf "$LAB"
log "down: no process, no listener, $LAB removed"
