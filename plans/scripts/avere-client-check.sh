#!/bin/sh
# Client check after an Avere vFXT regional recovery, called as:
#   ./scripts/avere-client-check.sh <mount-address> <junction>...
# Stand-in: prints what a real check on a client would do and succeeds. Safe: it mounts
# nothing, reads nothing, writes nothing.
set -eu
address="${1:?usage: avere-client-check.sh <mount-address> <junction>...}"
shift
[ "$#" -gt 0 ] || { echo "avere-client-check: give at least one junction" >&2; exit 2; }
for junction in "$@"; do
  echo "client-check: would run: showmount -e ${address} | grep -F ${junction}"
  echo "client-check: would mount -o hard,proto=tcp,mountproto=tcp,retry=30 ${address}:${junction} on a scratch client"
  echo "client-check: would list ${junction}, read a known file and compare its checksum with the catalogue"
  echo "client-check: would write, read back and delete a probe file in ${junction}/.drplan-probe"
done
echo "client-check: ok (${address})"
