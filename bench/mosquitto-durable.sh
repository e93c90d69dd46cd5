#!/usr/bin/env bash
# mosquitto with `persistence true` (it writes its file only every autosave_interval and at exit), in a
# fresh folder, for bench/broker.sh's durable scenario. Usage: bench/mosquitto-durable.sh PORT.
set -euo pipefail
port=${1:?usage: mosquitto-durable.sh PORT}
dir=$(mktemp -d "${DURABLE_DIR:-/var/tmp}/mosquitto-durable-XXXXXX")
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\n' "$port" "$dir" > "$dir/mosquitto.conf"
exec mosquitto -c "$dir/mosquitto.conf"
