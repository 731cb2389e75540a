"""Independent reference for the bootstrap statistics: numpy and scipy (Debian python3-numpy, python3-scipy).

usage: reference_bootstrap.py INPUT.json OUTPUT.json
INPUT: {"first": [...], "second": [...], "resamples": N, "confidence": c}
OUTPUT: the mean of first and its percentile interval, and the paired difference first - second with its interval,
wins, ties and losses, from scipy.stats.bootstrap(method="percentile").
"""
import json
import sys

import numpy as np
from scipy import stats

spec = json.load(open(sys.argv[1]))
first = np.array(spec["first"], dtype=np.float64)
second = np.array(spec["second"], dtype=np.float64)
resamples, confidence = spec["resamples"], spec["confidence"]
rng = np.random.default_rng(12345)

mean = stats.bootstrap((first,), np.mean, n_resamples=resamples, confidence_level=confidence, method="percentile", random_state=rng)
paired = stats.bootstrap(
    (first, second),
    lambda a, b, axis: np.mean(a, axis=axis) - np.mean(b, axis=axis),
    paired=True, vectorized=True, n_resamples=resamples, confidence_level=confidence, method="percentile", random_state=rng)
difference = first - second
json.dump({
    "mean": float(first.mean()),
    "mean_interval": [float(mean.confidence_interval.low), float(mean.confidence_interval.high)],
    "difference": float(difference.mean()),
    "difference_interval": [float(paired.confidence_interval.low), float(paired.confidence_interval.high)],
    "wins": int((difference > 0).sum()),
    "ties": int((difference == 0).sum()),
    "losses": int((difference < 0).sum()),
    "percentiles": [float(np.percentile(first, p)) for p in (2.5, 50, 97.5)],
}, open(sys.argv[2], "w"))
