#!/usr/bin/env bash
# Start-up of the plain `tspub` of two builds in one hyperfine run (interleaved warmups, same broker), e.g.
# before/after a change: one QoS 0 publish to a local mosquitto, plus the same publish over WebSocket
# (--ws) with the newer build for reference. Run it under the shared lock:
#   flock /tmp/tsmqtt-heavy.lock bench/startup-compare.sh /path/to/other/checkout [RUNS=40]
# The other checkout must be built (npm run build) and have node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
OTHER=${1:?usage: bench/startup-compare.sh OTHER_CHECKOUT [RUNS]}
RUNS=${2:-40}
OUT=bench/results/startup-compare-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
export XDG_CONFIG_HOME=$(mktemp -d)   # no options file
free() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
port=$(free); wsport=$(free)
# mosquitto 2.0.11 needs a plain listener besides a websockets one.
printf 'listener %s 127.0.0.1\nlistener %s 127.0.0.1\nprotocol websockets\nallow_anonymous true\n' "$port" "$wsport" >"$OUT/mosquitto.conf"
[ "$(id -u)" = 0 ] && echo 'user root' >>"$OUT/mosquitto.conf"
/usr/sbin/mosquitto -c "$OUT/mosquitto.conf" 2>"$OUT/broker.log" &
broker=$!
trap 'kill -TERM $broker 2>/dev/null; wait $broker 2>/dev/null' EXIT
sleep 0.5
{
  echo "# $(date -Is) nproc=$(nproc) node=$(node --version) other=$OTHER ($(git -C "$OTHER" log -1 --format=%h 2>/dev/null || echo archive)) this=$(git log -1 --format=%h)"
  hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$OUT/hyperfine.json" \
    -n other_tspub "node $OTHER/bin/tspub.js -h 127.0.0.1 -p $port -t bench/t -m x" \
    -n this_tspub "node bin/tspub.js -h 127.0.0.1 -p $port -t bench/t -m x" \
    -n this_tspub_ws "node bin/tspub.js --ws -h 127.0.0.1 -p $wsport -t bench/t -m x"
} | tee "$OUT/hyperfine.txt"
echo "results: $OUT"
