#!/usr/bin/env bash
# Near-dedup across shards, step by step: the sample's stage list (sample-stages.yaml) as 2 local tasks, once with a
# base curate whose near-dedup is one cluster step, once with this one (a pairs step of 2 tasks, then a clusters
# step); then, alternated round by round (A B A B), the base's cluster step against this build's pairs tasks (each
# alone, on all workers) and clusters step, each rerun by hand under /usr/bin/time (wall s, user s, sys s, peak RSS).
# Checks that both builds wrote the same decisions for every shard, and prints the bytes of the pairs files.
# Usage: benchmarks/e2e/near_pairs_steps.sh BASE_CURATE [SIZE=1M] [ROUNDS=2]
#   BASE_CURATE: curate built from a commit before the pairs step (e.g. a worktree of main at that commit)
set -euo pipefail
cd "$(dirname "$0")/../.."
base=$1
size=${2:-1M}
rounds=${3:-2}
workers=$(nproc)
dotnet build src/Curation.Cli -c Release -v q -nologo >/dev/null
curate=$PWD/src/Curation.Cli/bin/Release/net10.0/curate
input=.bench/chat-$size.jsonl
[ -s "$input" ] || { echo "missing $input (benchmarks/e2e/tasks_speedup.sh $size generates it)"; exit 1; }
sed "s|../../.bench/chat.jsonl|$PWD/$input|; s|../../.bench/out|$PWD/.bench/pairs-out|" benchmarks/e2e/sample-stages.yaml >.bench/pairs-$size.yaml
records=$(wc -l <"$input")
echo "input: $input, $(stat -c %s "$input") bytes, $records records; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%Y-%m-%d %H:%M UTC')"

# The whole run once per build, to leave each build's work folder.
for side in a b; do
  bin=$base; [ $side = b ] && bin=$curate
  rm -rf ".bench/pairs-$side" ".bench/pairs-$side.work"
  /usr/bin/time -f '%e' -o .bench/pairs-time.txt "$bin" run ".bench/pairs-$size.yaml" -o ".bench/pairs-$side" --tasks 2 >/dev/null 2>.bench/pairs-err.txt \
    || { cat .bench/pairs-err.txt; exit 1; }
  echo "whole run, $side: $(cat .bench/pairs-time.txt) s wall, load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
for f in data.jsonl rejects.jsonl; do cmp ".bench/pairs-a/$f" ".bench/pairs-b/$f"; done

# Runs one step command under /usr/bin/time; prints "wall user sys peakMB".
measure() {
  /usr/bin/time -f '%e %U %S %M' -o .bench/pairs-time.txt "$@" >/dev/null 2>.bench/pairs-err.txt || { cat .bench/pairs-err.txt; exit 1; }
  awk '{ printf "%.1f %.1f %.1f %.0f\n", $1, $2, $3, $4/1024 }' .bench/pairs-time.txt
}

for round in $(seq 1 "$rounds"); do
  echo "round $round, load average $(cut -d' ' -f1-3 /proc/loadavg) (wall s, user s, sys s, peak MB)"
  echo "  A cluster step (base):  $(measure "$base" shard-gather .bench/pairs-a.work --step 2 --workers "$workers")"
  echo "  B pairs task 0:         $(measure "$curate" shard-task .bench/pairs-b.work 0 --step 2 --workers "$workers")"
  echo "  B pairs task 1:         $(measure "$curate" shard-task .bench/pairs-b.work 1 --step 2 --workers "$workers")"
  echo "  B clusters step:        $(measure "$curate" shard-gather .bench/pairs-b.work --step 3 --workers "$workers")"
done
for decisions in .bench/pairs-a.work/parts/step-02/decisions-*.bin; do
  cmp "$decisions" ".bench/pairs-b.work/parts/step-02/$(basename "$decisions")"
done
echo "decisions identical; notes: base: $(tail -1 .bench/pairs-a.work/parts/step-02/notes.txt)"
echo "                         this: $(tail -1 .bench/pairs-b.work/parts/step-02/notes.txt)"
for pairs in .bench/pairs-b.work/parts/step-02/pairs-*.bin; do
  bytes=$(stat -c %s "$pairs")
  echo "$(basename "$pairs"): $bytes bytes, $(awk -v b="$bytes" -v r="$records" 'BEGIN { printf "%.2f", b / r }') B/record; $(cat .bench/pairs-b.work/markers/step-02-0000"${pairs: -5:1}".done)"
done
