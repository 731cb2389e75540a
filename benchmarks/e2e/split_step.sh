#!/usr/bin/env bash
# split with --tasks 2: the split step (keys from the tasks, one process assigns, the next tasks write the split
# files' parts) against the gather step a build without it runs (one process reads every record, splits, hands every
# record back). Alternated round by round (A B A B): the whole run, then the single-process step alone again, each
# under /usr/bin/time. Prints wall seconds, peak RSS and the bytes that crossed the step boundary per record; the
# data, rejects and split files of both builds must be identical.
# Usage: benchmarks/e2e/split_step.sh GATHER_CURATE [ROUNDS=2] [INPUT=.bench/chat-1M.jsonl]
#   GATHER_CURATE: the curate executable of a build that gathers split (e.g. main before the split step)
set -euo pipefail
cd "$(dirname "$0")/../.."
gather=$1
rounds=${2:-2}
input=${3:-.bench/chat-1M.jsonl}
dotnet build src/Curation.Cli -c Release -v q -nologo >/dev/null
step=src/Curation.Cli/bin/Release/net10.0/curate
cat >.bench/split-step.yaml <<YAML
name: split-step
seed: 7
inputs: [$PWD/$input]
stages:
  - normalize
  - validate
  - split:
      splits: { train: 0.8, validation: 0.1, test: 0.1 }
      stratify: source
output:
  dir: $PWD/.bench/split-out
YAML
records=$(wc -l <"$input")
echo "input: $input, $(stat -c %s "$input") bytes, $records records; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%Y-%m-%d %H:%M UTC')"

# "wall s, peak MB" of a command under /usr/bin/time.
timed() {
  /usr/bin/time -f '%e %M' -o .bench/split-time.txt "$@" >/dev/null 2>.bench/split-err.txt || { cat .bench/split-err.txt; exit 1; }
  awk '{ printf "%.1f %.0f\n", $1, $2/1024 }' .bench/split-time.txt
}

run() {
  local name=$1 curate=$2
  local out=.bench/split-$name work=.bench/split-$name.work
  rm -rf "$out" "$work"
  local whole; whole=$(timed "$curate" run .bench/split-step.yaml -o "$out" --tasks 2 --work-dir "$work")
  local folder=$work/parts/step-01
  local keys; keys=$(find "$folder" -name 'keys-*.bin' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  local envelopes_in; envelopes_in=$(cat "$work"/parts/step-00/envelopes-*.bin | wc -c)
  local out_bytes; out_bytes=$(find "$folder" -type f ! -name 'keys-*' ! -name stats.json -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  rm "$work/markers/step-01.done"
  local alone; alone=$(timed "$curate" shard-gather "$work" --step 1)
  local read=$keys what="split keys"
  if [ "$keys" -eq 0 ]; then read=$envelopes_in what="envelopes"; fi
  echo "  $name: whole run ${whole% *} s (peak ${whole#* } MB); step 1 alone ${alone% *} s, peak ${alone#* } MB; step 1 read $(( read / records )) B/record ($what), wrote $(( out_bytes / records )) B/record"
}

for round in $(seq 1 "$rounds"); do
  echo "round $round, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  run gather "$gather"
  run step "$step"
  for f in data.jsonl rejects.jsonl splits/train.jsonl splits/validation.jsonl splits/test.jsonl; do
    cmp ".bench/split-gather/$f" ".bench/split-step/$f"
  done
  echo "  outputs identical; load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
