#!/bin/sh
# Stand-in for the Azure Automation runbooks an Azure Site Recovery recovery plan calls.
# Called as: ./scripts/asr-runbook.sh <runbook> <mode> [args...]
# Prints what the real runbook would do and succeeds. Safe: no network, no files written.
set -eu
runbook="${1:?usage: asr-runbook.sh <runbook> <mode> [args...]}"
mode="${2:?usage: asr-runbook.sh <runbook> <mode> [args...]}"
shift 2
case "$mode" in
  planned|unplanned) scope="production" ;;
  test) scope="isolated test network only (no production DNS or load balancer is touched)" ;;
  *) echo "asr-runbook: unknown mode '$mode'" >&2; exit 2 ;;
esac
echo "runbook ${runbook}: mode=${mode}, scope: ${scope}"
case "$runbook" in
  drain-onprem)
    echo "runbook drain-onprem: would set the on-premises load balancer pool web-onprem to drain, wait for open sessions to finish"
    echo "runbook drain-onprem: would stop the IIS and app services so no write reaches SQL during the source shutdown" ;;
  sql-check)
    echo "runbook sql-check: would check MSSQLSERVER is running on every VM of group ${1:-database}"
    echo "runbook sql-check: would check every user database is ONLINE (sys.databases.state_desc) and the listener answers on 1433" ;;
  internal-dns)
    echo "runbook internal-dns: would repoint sql.corp.contoso.com at the recovered SQL listener's IP in the target network" ;;
  app-check)
    echo "runbook app-check: would call GET /health on every app VM and check it reaches SQL" ;;
  web-smoke)
    echo "runbook web-smoke: would request https://${1:-web}/ and /login through the recovered load balancer and expect 200" ;;
  *)
    echo "asr-runbook: unknown runbook '${runbook}'" >&2; exit 2 ;;
esac
echo "runbook ${runbook}: ok"
