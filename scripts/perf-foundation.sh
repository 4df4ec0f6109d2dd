#!/usr/bin/env bash
# Measures the foundation's figures (docs/performance.md): cold start to
# /readyz with migrations on a new SQLite database, idle RSS, and
# GET /api/v1/me with an API token under load from wrk (Debian's wrk,
# a second process on loopback). Needs: go, curl, wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/renkei" ./cmd/renkei
port=18099
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(go version | cut -d' ' -f3)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"

# Cold start: fresh database, migrations included, until /readyz says ready.
for i in 1 2 3 4 5; do
  rm -f "$work/cold.db"*
  t0=$(date +%s%N)
  "$work/renkei" serve --db "sqlite:$work/cold.db" --data "$work/data" --addr 127.0.0.1:$port --log-level warn 2>/dev/null &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.002; done
  t1=$(date +%s%N)
  echo "cold start to /readyz (run $i): $(( (t1 - t0) / 1000000 )) ms"
  kill $pid; wait $pid 2>/dev/null || true
done

export RENKEI_DB="sqlite:$work/perf.db"
"$work/renkei" org create --name Perf --slug perf >/dev/null
echo "perf-password-123" | "$work/renkei" user create --org perf --email p@example.jp --role admin >/dev/null
token=$("$work/renkei" token create --org perf --email p@example.jp | tail -1)
"$work/renkei" serve --addr 127.0.0.1:$port --data "$work/data" --log-level warn 2>/dev/null &
echo $! > "$work/pid"
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.01; done
sleep 1
echo "idle RSS: $(ps -o rss= -p "$(cat "$work/pid")") KiB"
for c in 4 8 16; do
  echo "--- wrk -t2 -c$c -d10s GET /api/v1/me (bearer token)"
  wrk -t2 -c$c -d10s --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/me" | grep -E "Requests/sec|50%|99%"
done
echo "RSS after load: $(ps -o rss= -p "$(cat "$work/pid")") KiB"
