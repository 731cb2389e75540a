#!/usr/bin/env bash
# Measures read -> normalise -> validate -> write throughput (MB/s of input) and peak RSS.
# Usage: benchmarks/e2e/throughput.sh [SIZE=1GB] [RUNS=3] [WORKERS=<cores>]
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-1GB}
runs=${2:-3}
workers=${3:-$(nproc)}

mkdir -p .bench
dotnet build src/Curation.Cli -c Release -v q -nologo >/dev/null
dotnet build benchmarks/Curation.DataGen -c Release -v q -nologo >/dev/null
curate=src/Curation.Cli/bin/Release/net10.0/curate
if [ ! -s .bench/chat.jsonl ] || [ "$(cat .bench/chat.size 2>/dev/null)" != "$size" ]; then
  dotnet benchmarks/Curation.DataGen/bin/Release/net10.0/curation-datagen.dll chat-jsonl --out .bench/chat.jsonl --size "$size" --seed 1
  echo "$size" > .bench/chat.size
fi
bytes=$(stat -c %s .bench/chat.jsonl)
echo "input: $bytes bytes, workers: $workers, machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for i in $(seq 1 "$runs"); do
  /usr/bin/time -v "$curate" run benchmarks/e2e/throughput.yaml --workers "$workers" >.bench/run.out 2>.bench/time.txt
  wall=$(grep 'Elapsed (wall clock)' .bench/time.txt | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' .bench/time.txt | awk '{print $NF}')
  seconds=$(awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }' <<<"$wall")
  awk -v b="$bytes" -v s="$seconds" -v r="$rss" -v i="$i" 'BEGIN { printf "run %d: %.2f s, %.1f MB/s, peak RSS %.0f MB\n", i, s, b/1e6/s, r/1024 }'
done
