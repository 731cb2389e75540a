#!/usr/bin/env bash
# Measures read -> normalise -> validate -> write throughput (MB/s of input) and peak RSS of `curate run`.
# Usage: benchmarks/e2e/throughput.sh [SIZE=1GB] [RUNS=5] [WORKERS=<cores>]
# Generates .bench/chat-SIZE.jsonl once (seeded, byte-identical every time), then runs benchmarks/e2e/throughput.yaml
# over it RUNS times under /usr/bin/time -v and prints each run and the median. Another pipeline over the same
# input: PIPELINE=benchmarks/e2e/sample-stages.yaml benchmarks/e2e/throughput.sh 256MB 3.
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-1GB}
runs=${2:-5}
workers=${3:-$(nproc)}

pipeline_file=${PIPELINE:-benchmarks/e2e/throughput.yaml}
mkdir -p .bench
dotnet build src/Curation.Cli -c Release -v q -nologo >/dev/null
dotnet build benchmarks/Curation.DataGen -c Release -v q -nologo >/dev/null
curate=src/Curation.Cli/bin/Release/net10.0/curate
input=.bench/chat-$size.jsonl
if [ ! -s "$input" ]; then
  dotnet benchmarks/Curation.DataGen/bin/Release/net10.0/curation-datagen.dll chat-jsonl --out "$input" --size "$size" --seed 1
fi
pipeline=.bench/throughput-$size.yaml
sed "s|../../.bench/chat.jsonl|chat-$size.jsonl|; s|../../.bench/out|out-$size|" "$pipeline_file" >"$pipeline"

bytes=$(stat -c %s "$input")
echo "input: $input, $bytes bytes; workers: $workers; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB"
results=()
for i in $(seq 1 "$runs"); do
  /usr/bin/time -v "$curate" run "$pipeline" --workers "$workers" >.bench/run.out 2>.bench/time.txt
  wall=$(grep 'Elapsed (wall clock)' .bench/time.txt | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' .bench/time.txt | awk '{print $NF}')
  seconds=$(awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }' <<<"$wall")
  line=$(awk -v b="$bytes" -v s="$seconds" -v r="$rss" 'BEGIN { printf "%.2f s, %.1f MB/s, peak RSS %.0f MB", s, b/1e6/s, r/1024 }')
  echo "run $i: $line"
  results+=("$(awk -v b="$bytes" -v s="$seconds" -v r="$rss" 'BEGIN { printf "%.1f %.0f", b/1e6/s, r/1024 }')")
done
median() { sort -n | awk '{ v[NR]=$1 } END { print v[int((NR+1)/2)] }'; }
echo "median: $(printf '%s\n' "${results[@]}" | cut -d' ' -f1 | median) MB/s, peak RSS $(printf '%s\n' "${results[@]}" | cut -d' ' -f2 | median) MB (median of $runs runs)"
