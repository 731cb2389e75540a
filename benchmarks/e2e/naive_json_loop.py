#!/usr/bin/env python3
"""Naive peer for the end-to-end throughput figure: parse every JSONL line and write it back out.

Usage: naive_json_loop.py INPUT OUTPUT
Reads INPUT line by line, json.loads each line, json.dumps it (compact, non-ASCII kept) and writes one line per
record. No normalisation or validation: it is the floor a straightforward script pays for the JSON round trip.
"""
import json
import sys


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    with open(source, "r", encoding="utf-8") as reader, open(target, "w", encoding="utf-8") as writer:
        for line in reader:
            if not line.strip():
                continue
            record = json.loads(line)
            writer.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            writer.write("\n")


if __name__ == "__main__":
    main()
