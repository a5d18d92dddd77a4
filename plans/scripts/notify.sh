#!/bin/sh
# Announces a recovery event. Called as: ./scripts/notify.sh <plan> <run-id> <event> [detail...]
# Stand-in: prints the message a real notifier (chat, pager, status page) would send. Safe.
set -eu
plan="${1:?usage: notify.sh <plan> <run-id> <event> [detail...]}"
run="${2:?usage: notify.sh <plan> <run-id> <event> [detail...]}"
event="${3:?usage: notify.sh <plan> <run-id> <event> [detail...]}"
shift 3
echo "notify: [${plan}] run ${run}: ${event}${*:+ - $*}"
