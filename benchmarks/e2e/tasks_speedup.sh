#!/usr/bin/env bash
# The sample pipeline's stage list (sample-stages.yaml: normalize, validate, pii, exact-dedup, near-dedup,
# gopher-repetition, token-length) over generated chat records, as one process, as 1 local task and as 2 local tasks
# (--tasks: shard tasks, exact-dedup resolved by keys, near-dedup by fingerprints in a pairs step of tasks and a
# clusters step), alternated round by round. Prints wall and CPU seconds and the peak RSS of the largest process of
# each run, the speed-up of 2 tasks over 1 and over one process, and each step's time and bytes written in the last
# 2-task run (a pairs step's folder holds the fingerprints the tasks before it wrote, and its pairs). The outputs of
# all runs must be identical.
# Usage: benchmarks/e2e/tasks_speedup.sh [SIZE=1GB] [ROUNDS=2]     (1GB is about 1M records)
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-1GB}
rounds=${2:-2}
mkdir -p .bench
dotnet build src/Curation.Cli -c Release -v q -nologo >/dev/null
dotnet build benchmarks/Curation.DataGen -c Release -v q -nologo >/dev/null
curate=src/Curation.Cli/bin/Release/net10.0/curate
input=.bench/chat-$size.jsonl
if [ ! -s "$input" ]; then
  dotnet benchmarks/Curation.DataGen/bin/Release/net10.0/curation-datagen.dll chat-jsonl --out "$input" --size "$size" --seed 1
fi
sed "s|../../.bench/chat.jsonl|$PWD/$input|; s|../../.bench/out|$PWD/.bench/tasks-out|" benchmarks/e2e/sample-stages.yaml >.bench/tasks-$size.yaml
records=$(wc -l <"$input")
echo "input: $input, $(stat -c %s "$input") bytes, $records records; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%Y-%m-%d %H:%M UTC')"

# Runs curate under /usr/bin/time; prints "wall user sys peakMB" (the peak is the largest process's: a task's, or the
# gather step's, with --tasks).
measure() {
  local out=$1; shift
  rm -rf ".bench/$out" ".bench/$out.work"
  /usr/bin/time -f '%e %U %S %M' -o .bench/tasks-time.txt "$curate" run ".bench/tasks-$size.yaml" -o ".bench/$out" "$@" >/dev/null 2>.bench/tasks-err.txt \
    || { cat .bench/tasks-err.txt; exit 1; }
  awk '{ printf "%.1f %.1f %.1f %.0f\n", $1, $2, $3, $4/1024 }' .bench/tasks-time.txt
}

declare -a plain one two
for round in $(seq 1 "$rounds"); do
  echo "round $round, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  p=$(measure tasks-plain); echo "  one process: $p (wall s, user s, sys s, peak MB)"; plain+=("${p%% *}")
  a=$(measure tasks-one --tasks 1); echo "  1 task:      $a"; one+=("${a%% *}")
  b=$(measure tasks-two --tasks 2); echo "  2 tasks:     $b"; two+=("${b%% *}")
done
for f in data.jsonl rejects.jsonl; do
  cmp ".bench/tasks-plain/$f" ".bench/tasks-one/$f" && cmp ".bench/tasks-plain/$f" ".bench/tasks-two/$f"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mp=$(median "${plain[@]}"); m1=$(median "${one[@]}"); m2=$(median "${two[@]}")
echo "median wall: one process $mp s, 1 task $m1 s, 2 tasks $m2 s; 2 tasks are $(awk -v a="$m1" -v b="$m2" 'BEGIN { printf "%.2f", a / b }')x 1 task and $(awk -v a="$mp" -v b="$m2" 'BEGIN { printf "%.2f", a / b }')x one process; outputs identical"
echo "each step of the last 2-task run: wall seconds (first start to last completion marker), bytes written, per record read:"
work=.bench/tasks-two.work
for folder in "$work"/parts/step-*; do
  step=$(basename "$folder")
  first=$(stat -c %Y "$work"/markers/"$step"*.started | sort -n | head -1)
  last=$(stat -c %Y "$work"/markers/"$step"*.done | sort -n | tail -1)
  bytes=$(du -sb --exclude=files --exclude='*.json' "$folder" | cut -f1)
  echo "  $step: $((last - first)) s, $bytes bytes, $(awk -v b="$bytes" -v r="$records" 'BEGIN { printf "%.0f", b / r }') B/record"
done
first=$(stat -c %Y "$work"/markers/0000?.started | sort -n | head -1)
last=$(stat -c %Y "$work"/markers/0000?.done | sort -n | tail -1)
parts=$(cat "$work"/parts/*.jsonl | wc -c)
echo "  last step: $((last - first)) s, $parts bytes of data and rejects parts, $(awk -v b="$parts" -v r="$records" 'BEGIN { printf "%.0f", b / r }') B/record"
