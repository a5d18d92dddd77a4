#!/usr/bin/env bash
# Everyday controls of a running lab (same DRPLAN_LAB_DIR / DRPLAN_LAB_PORT as up.sh).
#
#   bash scripts/lab/ctl.sh status            roles, replication and where HAProxy sends traffic
#   bash scripts/lab/ctl.sh load-start        start the write-load client (up.sh does, unless --no-load)
#   bash scripts/lab/ctl.sh load-stop         stop it (by PID) and print its summary
#   bash scripts/lab/ctl.sh verify            acknowledged rows missing from the service (JSON)
#   bash scripts/lab/ctl.sh kill-primary      kill -9 site A's postmaster: a disaster
#   bash scripts/lab/ctl.sh cut-replication   stop site B from receiving WAL (site A goes on alone)
#   bash scripts/lab/ctl.sh psql [host]       psql to the service (or to a site's address)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[[ -e "$LAB/lab.json" ]] || die "no lab at $LAB (npm run lab:up)"

# One command to HAProxy's runtime API (no socat needed: node is there anyway).
haproxy_cmd() {
  node -e 'const s = require("net").connect(process.argv[1]); s.on("connect", () => s.write(process.argv[2] + "\n")); s.pipe(process.stdout);' "$LAB/haproxy/admin.sock" "$1"
}

role() {
  local host="$1" r
  r="$(psql_at "$host" -c "SELECT CASE WHEN pg_is_in_recovery() THEN 'standby' ELSE 'primary' END" 2>/dev/null)" || r="down"
  echo "$r"
}

case "${1:-status}" in
  status)
    echo "site A  $SITE_A_HOST:$PORT  $(role "$SITE_A_HOST")"
    echo "site B  $SITE_B_HOST:$PORT  $(role "$SITE_B_HOST")"
    if alive "$(postmaster_pid "$LAB/test/data")"; then echo "test    $TEST_HOST:$PORT  $(role "$TEST_HOST")"; fi
    echo "replication (from site A): $(psql_at "$SITE_A_HOST" -c "SELECT coalesce(string_agg(application_name || ' ' || state || ' ' || pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) || ' bytes behind', ', '), 'none') FROM pg_stat_replication" 2>/dev/null || echo 'site A down')"
    echo "HAProxy $PROXY_HOST:$PORT  $(haproxy_cmd "show servers state pg" 2>/dev/null | awk 'NR>2 && NF>6 { printf "%s(op=%s,admin=%s) ", $4, $6, $7 }' || true)"
    echo "serving   $(psql_at "$PROXY_HOST" -c "SELECT inet_server_addr()" 2>/dev/null || echo 'nothing')"
    ;;
  load-start)
    if alive "$(cat "$LAB/load/writer.pid" 2>/dev/null || true)"; then die "the write-load client is already running"; fi
    nohup node "$LAB_SCRIPTS/write-load.js" --host "$PROXY_HOST" --port "$PORT" --log "$LAB/load/acked.log" --interval-ms "${DRPLAN_LAB_LOAD_INTERVAL_MS:-5}" \
      >"$LAB/load/writer.out" 2>"$LAB/load/writer.err" </dev/null &
    echo $! >"$LAB/load/writer.pid"
    for ((i = 0; i < 100; i++)); do grep -qE '^[0-9]+ ' "$LAB/load/acked.log" 2>/dev/null && break; sleep 0.05; done
    log "write-load client running (pid $(cat "$LAB/load/writer.pid")), acknowledged ids in $LAB/load/acked.log"
    ;;
  load-stop)
    pid="$(cat "$LAB/load/writer.pid" 2>/dev/null || true)"
    [[ -n "$pid" ]] || die "no write-load client was started"
    stop_pid "$pid" TERM 50
    rm -f "$LAB/load/writer.pid"
    cat "$LAB/load/writer.out"
    ;;
  verify)
    node "$LAB_SCRIPTS/verify-writes.js" --log "$LAB/load/acked.log" --host "${2:-$PROXY_HOST}" --port "$PORT"
    ;;
  kill-primary)
    pid="$(postmaster_pid "$LAB/site-a/data")"
    alive "$pid" || die "site A is not running"
    kill -9 "$pid"
    log "killed site A's postmaster (pid $pid) with SIGKILL at $(date +%s%3N)"
    echo "$(date +%s%3N)"
    ;;
  cut-replication)
    psql_at "$SITE_B_HOST" -c "ALTER SYSTEM SET primary_conninfo = ''" -c "SELECT pg_reload_conf()" >/dev/null
    for ((i = 0; i < 100; i++)); do
      [[ "$(psql_at "$SITE_B_HOST" -c "SELECT count(*) FROM pg_stat_wal_receiver")" == 0 ]] && break
      sleep 0.05
    done
    log "site B no longer receives WAL from site A"
    ;;
  psql)
    shift
    exec "$(pg_bindir)/psql" -X "host=${1:-$PROXY_HOST} port=$PORT user=postgres dbname=postgres"
    ;;
  *) die "unknown command ${1}; see the head of $0" ;;
esac
