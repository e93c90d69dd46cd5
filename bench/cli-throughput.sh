#!/usr/bin/env bash
# The clients' own throughput, side by side with mosquitto's, through the same broker (mosquitto, so the
# broker is neither of the things compared), interleaved round by round:
#   sub:  tssub -v and mosquitto_sub -v receive a QoS 0 flood of N messages (mqload publishes it) into
#         /dev/null; msg/s from the first publish to the subscriber's exit (-C N).
#   pub:  tspub -l and mosquitto_pub -l publish N stdin lines at QoS 0; msg/s over the whole run.
# With BROKER=tsbroker the same rounds go through tsbroker instead: mosquitto's broker is the ceiling of both
# clients' `-l` runs (it uses ~90 % of a core while they publish), and tsbroker's is about twice as high.
# Usage: [BROKER=tsbroker] bench/cli-throughput.sh [N=1000000] [ROUNDS=3]   Needs: mosquitto, gcc (mqload is built here).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-1000000}
ROUNDS=${2:-3}
work=$(mktemp -d /tmp/tsmqtt-clibench-XXXXXX)
trap 'kill "${broker:-}" 2>/dev/null; rm -rf "$work"' EXIT
gcc -O2 -Wall -o "$work/mqload" "$here/../shared/bench/mqload.c"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# no queue limits: a subscriber that falls behind gets every message late, never fewer
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nmax_queued_bytes 0\n' "$port" > "$work/mosquitto.conf"
case ${BROKER:=mosquitto} in
  tsbroker) node "$here/bin/tsbroker.js" -c "$work/mosquitto.conf" >/dev/null 2>&1 & ;;
  mosquitto) mosquitto -c "$work/mosquitto.conf" 2>/dev/null & ;;
  *) echo "bench/cli-throughput.sh: BROKER is mosquitto or tsbroker" >&2; exit 2 ;;
esac
broker=$!
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done # listening
export XDG_CONFIG_HOME="$work" # no options file
seq 1 "$N" > "$work/lines"

now() { date +%s.%N; }
rate() { echo "scale=0; $N / ($2 - $1)" | bc; }

sub_round() { # $1 = name, rest = the subscriber command
  local name=$1; shift
  "$@" -h 127.0.0.1 -p "$port" -v -t 'flood/#' -C "$N" > /dev/null &
  local sub=$!
  sleep 0.4 # subscribed (both print nothing until a message arrives; a flood longer than this wins nothing)
  local t0; t0=$(now)
  "$work/mqload" -p "$port" -P 1 -S 0 -t flood -1 -n "$N" -d 120 -D 1 > /dev/null 2>&1 || true
  wait "$sub"
  local t1; t1=$(now)
  echo "sub $name $(rate "$t0" "$t1") msg/s"
}

pub_round() { # $1 = name, rest = the publisher command
  local name=$1; shift
  local t0; t0=$(now)
  "$@" -h 127.0.0.1 -p "$port" -t lines -l < "$work/lines"
  local t1; t1=$(now)
  echo "pub $name $(rate "$t0" "$t1") msg/s"
}

{
  echo "# $(date -Is) nproc=$(nproc) node=$(node --version) N=$N rounds=$ROUNDS broker=$BROKER $(mosquitto -h 2>/dev/null | head -1)"
  for r in $(seq 1 "$ROUNDS"); do
    sub_round mosquitto_sub mosquitto_sub
    sub_round tssub node "$here/bin/tssub.js"
    pub_round mosquitto_pub mosquitto_pub
    pub_round tspub node "$here/bin/tspub.js"
  done
} | tee "$work/out"
echo "== medians"
for k in "sub mosquitto_sub" "sub tssub" "pub mosquitto_pub" "pub tspub"; do
  grep "^$k " "$work/out" | awk '{print $3}' | sort -n | awk -v k="$k" '{a[NR]=$1} END {print k, a[int((NR+1)/2)], "msg/s"}'
done
