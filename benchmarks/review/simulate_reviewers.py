#!/usr/bin/env python3
"""Writes what Label Studio's JSON export looks like after reviewers worked on a tasks.json from
`curate review export`, for timing `curate review import` on large exports. Deterministic for a seed.

usage: simulate_reviewers.py TASKS_JSON OUT_JSON [--reviewers 3] [--seed 1]

Each task gets one to --reviewers annotations (completed_by as an object with an e-mail), 80% accept, 20% reject,
10% of accepts with an edited answer, 3% cancelled, a rating on half of them; predictions are exported as ids.
"""
import argparse
import json
import random

parser = argparse.ArgumentParser()
parser.add_argument("tasks")
parser.add_argument("out")
parser.add_argument("--reviewers", type=int, default=3)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()

rng = random.Random(args.seed)
tasks = json.load(open(args.tasks, encoding="utf-8"))
annotation_id = 1
with open(args.out, "w", encoding="utf-8") as out:
    out.write("[")
    for index, task in enumerate(tasks):
        data = task["data"]
        annotations = []
        for reviewer in range(rng.randint(1, args.reviewers)):
            annotation_id += 1
            who = {"id": reviewer + 1, "email": f"reviewer{reviewer + 1}@example.org", "first_name": "", "last_name": ""}
            if rng.random() < 0.03:
                annotations.append({"id": annotation_id, "completed_by": who, "result": [], "was_cancelled": True})
                continue
            verdict = "accept" if rng.random() < 0.8 else "reject"
            edited = verdict == "accept" and rng.random() < 0.1
            result = [
                {"id": f"d{annotation_id}", "from_name": "decision", "to_name": "dialogue", "type": "choices",
                 "value": {"choices": [verdict]}, "origin": "manual"},
                {"id": f"c{annotation_id}", "from_name": "correction", "to_name": "dialogue", "type": "textarea",
                 "value": {"text": [data["response"] + (" (checked)" if edited else "")]},
                 "origin": "prediction-changed" if edited else "prediction"},
            ]
            if rng.random() < 0.5:
                result.append({"id": f"r{annotation_id}", "from_name": "rating", "to_name": "dialogue", "type": "rating",
                               "value": {"rating": rng.randint(1, 5)}, "origin": "manual"})
            annotations.append({"id": annotation_id, "completed_by": who, "result": result, "was_cancelled": False,
                                "ground_truth": False, "lead_time": round(rng.uniform(5, 90), 3)})
        exported = {"id": index + 1, "annotations": annotations, "drafts": [], "predictions": [index + 1], "data": data}
        if index:
            out.write(",")
        json.dump(exported, out, ensure_ascii=False)
    out.write("]")
