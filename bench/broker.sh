#!/usr/bin/env bash
# tsbroker against mosquitto (and aedes, when it installs) with the shared harness (../shared/bench),
# interleaved run by run as BASELINE.md asks. The shared folder is read-only, so it is copied to a
# scratch folder first (mqload is built there). Needs: apt-get install -y mosquitto gcc.
#
# Usage: bench/broker.sh            the harness's scenarios (SCENARIOS="fanin fanout qos1 idle lat0 lat1",
#                                   REPS=3, N_FANIN=…, as the harness)
#        bench/broker.sh durable    QoS 1, 10 publishers → 10 persistent subscribers (clean session 0):
#                                   mosquitto with persistence true, tsbroker in memory, tsbroker with
#                                   persistence true (store on the machine's disk under DURABLE_DIR, default
#                                   /var/tmp), interleaved. mqload's CONNECT is patched in the scratch copy to
#                                   ask for a persistent session when MQLOAD_PERSISTENT is set.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/tsmqtt-bench-XXXXXX)
cp -r "$here/../shared/bench/." "$work/"
chmod -R u+w "$work"
cd "$work"
export RESULTS=${RESULTS:-$here/bench/results}
mkdir -p "$RESULTS"
ts=(--- node "$here/bin/tsbroker.js" -p {PORT})
if [ "${1:-}" = durable ]; then
  sed -i 's|\*p++ = 0x02;                             /\* clean session \*/|*p++ = getenv("MQLOAD_PERSISTENT") ? 0x00 : 0x02; /* clean session unless MQLOAD_PERSISTENT */|' mqload.c
  grep -q MQLOAD_PERSISTENT mqload.c || { echo "bench/broker.sh: could not patch mqload.c's CONNECT flags" >&2; exit 1; }
  export MQLOAD_PERSISTENT=1
  NAMES="mosquitto-persist tsbroker-memory tsbroker-durable" SCENARIOS=qos1 \
    ./run-broker-bench.sh "$here/bench/mosquitto-durable.sh" {PORT} "${ts[@]}" --- "$here/bench/tsbroker-durable.sh" {PORT}
  rm -rf "${DURABLE_DIR:-/var/tmp}"/tsbroker-durable-* "${DURABLE_DIR:-/var/tmp}"/mosquitto-durable-*
elif npm install --no-audit --no-fund >/dev/null 2>&1 && [ -d node_modules/aedes ]; then
  NAMES="mosquitto aedes tsbroker" ./run-broker-bench.sh ./mosquitto-broker.sh {PORT} --- node aedes-broker.mjs {PORT} "${ts[@]}"
else
  NAMES="mosquitto tsbroker" ./run-broker-bench.sh ./mosquitto-broker.sh {PORT} "${ts[@]}"
fi
