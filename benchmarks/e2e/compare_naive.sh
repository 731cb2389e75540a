#!/usr/bin/env bash
# Interleaved end-to-end comparison on the same input: `curate run` (throughput.yaml: read -> normalise -> validate
# -> write) against the naive Python peer (naive_json_loop.py: json.loads / json.dumps per line), and optionally a
# second curate build (BASE, e.g. the build before a change), alternated round by round so that both see the same
# machine load. Prints each run and, per build, the median MB/s and the median per-round ratio to the naive loop.
# Usage: benchmarks/e2e/compare_naive.sh [SIZE=1GB] [ROUNDS=3] [BASE_CURATE=]
# Python: $PYTHON, default /usr/bin/python3. The input is generated as throughput.sh does (.bench/chat-SIZE.jsonl).
# Another pipeline over the same input: PIPELINE=benchmarks/e2e/sample-stages.yaml.
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-1GB}
rounds=${2:-3}
base=${3:-}
python=${PYTHON:-/usr/bin/python3}

pipeline_file=${PIPELINE:-benchmarks/e2e/throughput.yaml}
mkdir -p .bench
dotnet build src/Curation.Cli -c Release -v q -nologo >/dev/null
dotnet build benchmarks/Curation.DataGen -c Release -v q -nologo >/dev/null
curate=src/Curation.Cli/bin/Release/net10.0/curate
input=.bench/chat-$size.jsonl
if [ ! -s "$input" ]; then
  dotnet benchmarks/Curation.DataGen/bin/Release/net10.0/curation-datagen.dll chat-jsonl --out "$input" --size "$size" --seed 1
fi
# Absolute paths, so that a base build elsewhere reads the same input and writes beside it.
sed "s|../../.bench/chat.jsonl|$PWD/$input|; s|../../.bench/out|$PWD/.bench/out-$size|" "$pipeline_file" >".bench/compare-$size.yaml"
sed "s|../../.bench/chat.jsonl|$PWD/$input|; s|../../.bench/out|$PWD/.bench/out-base-$size|" "$pipeline_file" >".bench/compare-base-$size.yaml"
bytes=$(stat -c %s "$input")
echo "input: $input, $bytes bytes; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%Y-%m-%d %H:%M UTC')"

# Runs a command under /usr/bin/time; prints "MBps wall user sys rssMB".
measure() {
  /usr/bin/time -f '%e %U %S %M' -o .bench/compare-time.txt "$@" >/dev/null 2>.bench/compare-err.txt
  awk -v b="$bytes" '{ printf "%.1f %.2f %.2f %.2f %.0f\n", b/1e6/$1, $1, $2, $3, $4/1024 }' .bench/compare-time.txt
}

declare -a naive_runs curate_runs base_runs curate_ratio base_ratio
for round in $(seq 1 "$rounds"); do
  echo "round $round, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  n=$(measure "$python" benchmarks/e2e/naive_json_loop.py "$input" ".bench/naive-$size.jsonl")
  echo "  naive python: $n (MB/s wall-s user-s sys-s peak-RSS-MB)"
  # The run straight after the naive loop is slower on some virtual machines (its fresh memory was handed back to
  # the host while the loop ran), so with a base build the two take turns in that place.
  if [ -n "$base" ] && [ $((round % 2)) -eq 0 ]; then
    o=$(measure "$base" run ".bench/compare-base-$size.yaml")
    echo "  base curate:  $o"
  fi
  c=$(measure "$curate" run ".bench/compare-$size.yaml")
  echo "  curate:       $c"
  if [ -n "$base" ] && [ $((round % 2)) -eq 1 ]; then
    o=$(measure "$base" run ".bench/compare-base-$size.yaml")
    echo "  base curate:  $o"
  fi
  naive_runs+=("${n%% *}"); curate_runs+=("${c%% *}")
  curate_ratio+=("$(awk -v a="${c%% *}" -v b="${n%% *}" 'BEGIN { printf "%.2f", a/b }')")
  if [ -n "$base" ]; then
    base_runs+=("${o%% *}")
    base_ratio+=("$(awk -v a="${o%% *}" -v b="${n%% *}" 'BEGIN { printf "%.2f", a/b }')")
  fi
done
median() { sort -n | awk '{ v[NR]=$1 } END { print v[int((NR+1)/2)] }'; }
range() { sort -n | awk 'NR==1 { lo=$1 } { hi=$1 } END { printf "%s-%s", lo, hi }'; }
summary() { local -n values=$1; printf '%s (%s)' "$(printf '%s\n' "${values[@]}" | median)" "$(printf '%s\n' "${values[@]}" | range)"; }
echo "median MB/s: naive $(summary naive_runs), curate $(summary curate_runs)${base:+, base $(summary base_runs)}"
echo "median ratio to naive (per round): curate $(summary curate_ratio)${base:+, base $(summary base_ratio)}"
