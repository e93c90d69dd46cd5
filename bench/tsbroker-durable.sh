#!/usr/bin/env bash
# tsbroker with `persistence true`, its store in a fresh folder on the machine's disk (not tmpfs), for
# bench/broker.sh's durable scenario. Usage: bench/tsbroker-durable.sh PORT. exec keeps the PID.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d "${DURABLE_DIR:-/var/tmp}/tsbroker-durable-XXXXXX")
printf 'persistence true\npersistence_location %s\nsys_interval 0\n' "$dir" > "$dir/tsbroker.conf"
exec node "$here/bin/tsbroker.js" -c "$dir/tsbroker.conf" -p "${1:?usage: tsbroker-durable.sh PORT}"
