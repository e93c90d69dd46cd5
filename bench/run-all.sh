#!/usr/bin/env bash
# `npm run bench`: every benchmark of the project, then one table with tsbroker's ratios to mosquitto.
#   1. bench/broker.sh           fan-in, fan-out, QoS 1, idle connections, latency (mosquitto, aedes if it
#                                installs, tsbroker; the shared mqload harness, interleaved run by run)
#   2. bench/broker.sh durable   QoS 1 to persistent subscribers: mosquitto persistence true, tsbroker in
#                                memory, tsbroker persistence true
#   3. bench/cli-startup.sh      hyperfine: one publish and one retained message, tspub/tssub vs mosquitto_pub/_sub;
#      bench/startup-ab.mjs      tspub, node -e 0 and the dependency-free publish interleaved (the table's row)
#   4. bench/cli-throughput.sh   tssub / tspub -l against mosquitto_sub / mosquitto_pub -l, through mosquitto,
#                                then again through tsbroker (mosquitto's broker is the ceiling of both -l runs)
# Knobs: REPS (3), N_CLI (1000000), CLI_ROUNDS (3). Needs: mosquitto, mosquitto-clients, gcc, hyperfine.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
export REPS=${REPS:-3}
export RESULTS=$here/bench/results
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
# $1 is a glob pattern (unquoted on purpose).
newest() { ls -dt "$RESULTS"/$1-* 2>/dev/null | head -1; }
bench/broker.sh
b1=$(newest 'mosquitto+*tsbroker')
bench/broker.sh durable
b2=$(newest 'mosquitto-persist+tsbroker-memory+tsbroker-durable')
bench/cli-startup.sh 30
node bench/startup-ab.mjs 60 --json "$RESULTS/startup-ab-$stamp.json" "$here"
bench/cli-throughput.sh "${N_CLI:-1000000}" "${CLI_ROUNDS:-3}" | tee "$RESULTS/cli-throughput-$stamp.txt"
BROKER=tsbroker bench/cli-throughput.sh "${N_CLI:-1000000}" "${CLI_ROUNDS:-3}" | tee "$RESULTS/cli-throughput-tsbroker-$stamp.txt"
echo
echo "== $(date -Is)  $(uname -srm)  nproc=$(nproc)  node=$(node --version)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
node bench/summary.mjs "$b1" "$b2" --startup-ab "$RESULTS/startup-ab-$stamp.json" --cli-throughput "$RESULTS/cli-throughput-$stamp.txt" \
  --cli-throughput "$RESULTS/cli-throughput-tsbroker-$stamp.txt" | tee "$RESULTS/summary-$stamp.txt"
