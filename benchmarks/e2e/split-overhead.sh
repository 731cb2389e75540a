#!/usr/bin/env bash
# What the split stage costs on top of near-dedup with action: mark, interleaved on the same generated input: pipeline
# A runs near-dedup (mark) only; pipeline B adds split (80/10/10, groups by cluster_id), which spills the records,
# reads them back and writes one file per split besides the data file. Prints wall time and peak RSS per run and the
# medians. Usage: benchmarks/e2e/split-overhead.sh [SIZE=100MB] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-100MB}
rounds=${2:-3}
mkdir -p .bench
dotnet build src/Curation.Cli -c Release -v q -nologo >/dev/null
dotnet build benchmarks/Curation.DataGen -c Release -v q -nologo >/dev/null
curate=src/Curation.Cli/bin/Release/net10.0/curate
input=.bench/chat-$size.jsonl
if [ ! -s "$input" ]; then
  dotnet benchmarks/Curation.DataGen/bin/Release/net10.0/curation-datagen.dll chat-jsonl --out "$input" --size "$size" --seed 1
fi
for variant in mark split; do
  {
    echo "name: split-overhead-$variant"
    echo "seed: 1"
    echo "inputs: [{ path: $PWD/$input, format: openai }]"
    echo "stages:"
    echo "  - near-dedup: { action: mark }"
    if [ "$variant" = split ]; then echo "  - split: { splits: { train: 0.8, validation: 0.1, test: 0.1 } }"; fi
    echo "output: { dir: $PWD/.bench/out-split-overhead-$variant }"
  } >".bench/split-overhead-$variant.yaml"
done
echo "input: $input, $(stat -c %s "$input") bytes; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%Y-%m-%d %H:%M UTC')"

declare -a mark_runs split_runs
for round in $(seq 1 "$rounds"); do
  echo "round $round, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for variant in mark split; do
    /usr/bin/time -f '%e %M' -o .bench/split-overhead-time.txt "$curate" run ".bench/split-overhead-$variant.yaml" >".bench/split-overhead-$variant.log" 2>&1
    read -r wall rss <.bench/split-overhead-time.txt
    echo "  $variant: ${wall} s, peak RSS $((rss / 1024)) MB"
    if [ "$variant" = mark ]; then mark_runs+=("$wall"); else split_runs+=("$wall"); fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "median wall: near-dedup mark $(median "${mark_runs[@]}") s, with split $(median "${split_runs[@]}") s"
grep '^split:' ".bench/split-overhead-split.log" | head -1
