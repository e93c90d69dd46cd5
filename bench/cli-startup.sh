#!/usr/bin/env bash
# Start-up cost of the CLIs, as ../shared/bench/cli-bench.sh measures mosquitto's and MQTT.js's:
# hyperfine (-N, no shell) over one QoS 0 publish and one `sub -C 1` that gets a retained message,
# for tspub/tssub and mosquitto_pub/mosquitto_sub, plus the `node -e 0` floor and the least a Node publish
# can do (../shared/bench/node-min-pub.mjs, dependency-free).
# The broker (tsbroker, or mosquitto with BROKER=mosquitto) is started here and stopped by PID.
# Usage: bench/cli-startup.sh [RUNS=30]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-30}
OUT=bench/results/cli-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
export XDG_CONFIG_HOME=$(mktemp -d)   # no options file
export XDG_CACHE_HOME=$(mktemp -d)    # the tools' compiled-code cache: made by the warm-up runs, not the user's

if [ "${BROKER:-tsbroker}" = mosquitto ]; then
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" >"$OUT/mosquitto.conf"
  /usr/sbin/mosquitto -c "$OUT/mosquitto.conf" 2>"$OUT/broker.log" &
  broker=$!
  sleep 0.5
else
  node bin/tsbroker.js -p 0 --port-file "$OUT/port" 2>"$OUT/broker.log" >/dev/null &
  broker=$!
  for _ in $(seq 1 50); do [ -s "$OUT/port" ] && break; sleep 0.1; done
  port=$(cat "$OUT/port")
fi
trap 'kill -TERM $broker 2>/dev/null; wait $broker 2>/dev/null' EXIT

mosquitto_pub -h 127.0.0.1 -p "$port" -t bench/retained -r -m x
{
  echo "# $(date -Is) nproc=$(nproc) node=$(node --version) broker=${BROKER:-tsbroker} port=$port"
  hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$OUT/hyperfine.json" \
    -n node_e0 "node -e 0" \
    -n node_min_pub "node ../shared/bench/node-min-pub.mjs $port bench/t x" \
    -n tspub "node bin/tspub.js -h 127.0.0.1 -p $port -t bench/t -m x" \
    -n mosquitto_pub "mosquitto_pub -h 127.0.0.1 -p $port -t bench/t -m x" \
    -n tssub_C1 "node bin/tssub.js -h 127.0.0.1 -p $port -t bench/retained -C 1" \
    -n mosquitto_sub_C1 "mosquitto_sub -h 127.0.0.1 -p $port -t bench/retained -C 1"
} | tee "$OUT/hyperfine.txt"
echo "results: $OUT"
