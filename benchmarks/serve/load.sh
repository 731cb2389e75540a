#!/usr/bin/env bash
# Load on curate serve: 64 closed-loop clients on loopback for at most 30 s, chat completions of up to MAX_TOKENS.
# usage: benchmarks/serve/load.sh [PRESET=tiny] [MAX_BATCH=8] [CLIENTS=64] [SECONDS=30] [MAX_TOKENS=32] [WORK=.bench/serve]
set -euo pipefail
preset=${1:-tiny}; batch=${2:-8}; clients=${3:-64}; seconds=${4:-30}; tokens=${5:-32}; work=${6:-.bench/serve}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
dotnet build src/Curation.Cli -c Release -v q -nologo >/dev/null
dotnet build benchmarks/Curation.ServeLoad -c Release -v q -nologo >/dev/null
curate="dotnet src/Curation.Cli/bin/Release/net10.0/curate.dll"
mkdir -p "$work"
[ -f "$work/$preset/config.json" ] || $curate model init --arch llama --preset "$preset" -o "$work/$preset" >/dev/null
log="$work/serve-$preset-$batch.log"
$curate serve --model "$work/$preset" --port 0 --device cpu --max-batch "$batch" --max-queue 1024 > "$log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  url=$(sed -n 's/^curate serve: listening on \(http:[^,;]*\).*/\1/p' "$log" | head -1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "${url:-}" ] || { echo "curate serve did not start:"; cat "$log"; exit 1; }
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $preset, --max-batch $batch"
dotnet benchmarks/Curation.ServeLoad/bin/Release/net10.0/curation-serve-load.dll "$url" "$preset" "$clients" "$seconds" "$tokens"
