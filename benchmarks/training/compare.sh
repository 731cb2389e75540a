#!/usr/bin/env bash
# Tokens/s and peak RSS of `curate train --full` against PyTorch eager (Debian's python3-torch) on the same model and
# batch shape (8 sequences of up to 128 tokens), interleaved. usage: compare.sh PRESET RUNS WORK_DIR
set -euo pipefail
preset=${1:-tiny}; runs=${2:-3}; work=${3:-.bench/train}
root=$(cd "$(dirname "$0")/../.." && pwd)
curate="dotnet $root/src/Curation.Cli/bin/Release/net10.0/curate.dll"
mkdir -p "$work"
[ -d "$work/m-$preset" ] || $curate model init --arch llama --preset "$preset" -o "$work/m-$preset" > /dev/null
python3 - "$root/datasets-sample/training/capitals.jsonl" "$work/bench.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
with open(sys.argv[2], "w") as f:
    for k in range(10):
        for r in rows:
            f.write(json.dumps(dict(r, id=f"{r['id']}-{k}")) + "\n")
PY
for run in $(seq "$runs"); do
  rm -rf "$work/out-$preset"
  /usr/bin/time -f "curate peak RSS %M KB" $curate train --model "$work/m-$preset" --data "$work/bench.jsonl" -o "$work/out-$preset" \
    --full --pack --max-length 128 --batch-size 8 --max-steps 200 --val-fraction 0 --device cpu --log-every 200 2>&1 \
    | grep -E "^step 200/|peak RSS"
  /usr/bin/time -f "pytorch peak RSS %M KB" /usr/bin/python3 "$root/benchmarks/training/pytorch_eager.py" "$work/m-$preset" --batch 8 --length 128 --steps 200 2>&1
done
