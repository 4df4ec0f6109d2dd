#!/usr/bin/env bash
# Measures the Partners figures (docs/performance.md): import 100,000
# partners from CSV, list with filters at 100,000, export to XLSX with the
# server's peak RSS. Needs: go, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${N:-100000}
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/renkei" ./cmd/renkei
go build -o "$work/perf" ./cmd/perf-partners
port=18100
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(go version | cut -d' ' -f3)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
export RENKEI_DB="sqlite:$work/perf.db"
"$work/renkei" org create --name Perf --slug perf >/dev/null
echo "perf-password-123" | "$work/renkei" user create --org perf --email p@example.jp --role admin >/dev/null
export RENKEI_TOKEN=$("$work/renkei" token create --org perf --email p@example.jp | tail -1)
start() {
  "$work/renkei" serve --addr 127.0.0.1:$port --data "$work/data" --log-level warn 2>"$work/server.log" &
  echo $! > "$work/pid"
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.05; done
}
stop() { kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true; }
peak() { awk '/VmHWM/{printf "%.0f MiB", $2/1024}' "/proc/$(cat "$work/pid")/status"; }

start
"$work/perf" -url "http://127.0.0.1:$port" -phase import -n "$n"
echo "server peak RSS after import: $(peak)"
stop
start
"$work/perf" -url "http://127.0.0.1:$port" -phase list -lists 300
stop
start  # a fresh process, so that its peak RSS is the export's own
"$work/perf" -url "http://127.0.0.1:$port" -phase export
echo "server peak RSS during export: $(peak)"
stop
