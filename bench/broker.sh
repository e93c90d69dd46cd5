#!/usr/bin/env bash
# tsbroker against mosquitto (and aedes, when it installs) with the shared harness (../shared/bench),
# interleaved run by run as BASELINE.md asks. The shared folder is read-only, so it is copied to a
# scratch folder first (mqload is built there). Needs: apt-get install -y mosquitto gcc.
# Usage: bench/broker.sh   (SCENARIOS="fanin fanout qos1 idle lat0 lat1", REPS=3, N_FANIN=…, as the harness)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/tsmqtt-bench-XXXXXX)
cp -r "$here/../shared/bench/." "$work/"
chmod -R u+w "$work"
cd "$work"
export RESULTS=${RESULTS:-$here/bench/results}
mkdir -p "$RESULTS"
ts=(--- node "$here/bin/tsbroker.js" -p {PORT})
if npm install --no-audit --no-fund >/dev/null 2>&1 && [ -d node_modules/aedes ]; then
  NAMES="mosquitto aedes tsbroker" ./run-broker-bench.sh ./mosquitto-broker.sh {PORT} --- node aedes-broker.mjs {PORT} "${ts[@]}"
else
  NAMES="mosquitto tsbroker" ./run-broker-bench.sh ./mosquitto-broker.sh {PORT} "${ts[@]}"
fi
