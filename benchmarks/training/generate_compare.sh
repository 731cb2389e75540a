#!/usr/bin/env bash
# Generated tokens/s of `curate generate --input` (continuous batching) against a plain PyTorch eager loop with a
# key/value cache (pytorch_generate.py, Debian's python3-torch) on the same `curate model init` Llama, greedy,
# PROMPTS prompts, 64 new tokens each, at batch 1, 8 and 32, interleaved. usage: generate_compare.sh PRESET RUNS WORK_DIR
set -euo pipefail
preset=${1:-tiny}; runs=${2:-3}; work=${3:-.bench/generate}
root=$(cd "$(dirname "$0")/../.." && pwd)
curate="dotnet $root/src/Curation.Cli/bin/Release/net10.0/curate.dll"
mkdir -p "$work"
[ -d "$work/m-$preset" ] || $curate model init --arch llama --preset "$preset" -o "$work/m-$preset" > /dev/null
# 32 held-out questions of the training sample (prompts of about 20 tokens), ids made unique.
/usr/bin/python3 - "$root/datasets-sample/training/capitals-eval.jsonl" "$work/prompts.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
with open(sys.argv[2], "w") as f:
    for k in range(32):
        f.write(json.dumps(dict(rows[k % len(rows)], id=f"p{k}")) + "\n")
PY
for run in $(seq "$runs"); do
  for batch in 1 8 32; do
    $curate generate --model "$work/m-$preset" --input "$work/prompts.jsonl" -o "$work/answers-$batch.jsonl" \
      --batch-size "$batch" --max-new-tokens 64 --device cpu 2>/dev/null | sed "s/^/curate batch $batch: /"
    /usr/bin/python3 "$root/benchmarks/training/pytorch_generate.py" "$work/m-$preset" --prompts 32 --batch "$batch" --length 20 --new 64
  done
done
