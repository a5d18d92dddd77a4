#!/bin/sh
# Smoke test of a recovered group, called by plans as: ./scripts/smoke.sh <group-id> [mode]
# Stand-in for a real check: it prints what a production smoke test would verify and succeeds.
# Safe: reads nothing, writes nothing, touches no network.
set -eu
group="${1:?usage: smoke.sh <group-id> [mode]}"
mode="${2:-unknown}"
echo "smoke: group=${group} mode=${mode}"
case "$group" in
  database) echo "smoke: would check that the primary accepts writes and the replica is streaming" ;;
  app)      echo "smoke: would check every app instance answers GET /healthz with 200 and reaches the database" ;;
  *)        echo "smoke: would check that every VM of ${group} answers its health check" ;;
esac
echo "smoke: ok"
