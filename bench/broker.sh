#!/usr/bin/env bash
# tsbroker against mosquitto and aedes with the shared harness (../shared/bench), interleaved run by run.
# Needs: apt-get install -y mosquitto hyperfine gcc; (cd ../shared/bench && npm install) for aedes.
# Usage: bench/broker.sh            (all scenarios; SCENARIOS="fanin fanout" to pick; REPS=3)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "$here/../shared/bench" && pwd)
cd "$shared"
export RESULTS=${RESULTS:-$here/bench/results}
if [ -d node_modules/aedes ]; then
  NAMES="mosquitto aedes tsbroker" exec ./run-broker-bench.sh ./mosquitto-broker.sh {PORT} \
    --- node aedes-broker.mjs {PORT} --- node "$here/bin/tsbroker.js" -p {PORT}
else
  NAMES="mosquitto tsbroker" exec ./run-broker-bench.sh ./mosquitto-broker.sh {PORT} \
    --- node "$here/bin/tsbroker.js" -p {PORT}
fi
