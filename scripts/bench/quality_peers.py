"""Peers for scripts/bench/quality.ts: scikit-learn and xgboost on the rows that script wrote.

    /usr/bin/python3 scripts/bench/quality_peers.py --csv WORK/ibm.csv [--threads 2] [--timing-runs 1]

The CSV holds the encoded features (f0, f1, ...), the 0/1 label and each row's role: `fit` and
`valid` are the training rows (`valid` the part retain validates on and xgboost stops early on),
`test` the held-out rows. Writes WORK/ibm.csv.peers.json: per model its test-row probabilities and
its training seconds, wall-clock and CPU (the least of --timing-runs fits). Needs Debian's python3-sklearn,
python3-xgboost and python3-pandas.
"""

import argparse
import json
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--csv", required=True)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--timing-runs", type=int, default=1)
parser.add_argument("--peers", default="rf,hgb,xgb", help="which peers to fit, comma-separated")
args = parser.parse_args()

# Every library gets the same cores as retain (scikit-learn's histogram boosting and xgboost use
# OpenMP). Idle OpenMP threads wait passively: spinning ones burn the CPU that other processes hold on
# a shared machine and slowed xgboost there several times over, which is not its real speed.
os.environ["OMP_NUM_THREADS"] = str(args.threads)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
import xgboost  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier  # noqa: E402

df = pd.read_csv(args.csv)
role = df.pop("role").to_numpy()
y = df.pop("label").to_numpy().astype(int)
X = df.to_numpy(dtype=float)
train = role != "test"
fit = role == "fit"
valid = role == "valid"
test = role == "test"


def timed(make, run):
    """The last fitted model, and the least wall-clock and CPU seconds (all threads) of --timing-runs fits."""
    best = float("inf")
    cpu = float("inf")
    model = None
    for _ in range(args.timing_runs):
        model = make()
        started = time.perf_counter()
        cpu_started = time.process_time()
        run(model)
        best = min(best, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - cpu_started)
    return model, (best, cpu)


results = {}

peers = args.peers.split(",")

if "rf" in peers:
    # scikit-learn's forest (1.2) refuses NaN: missing cells take the training median.
    medians = np.nanmedian(X[train], axis=0)
    medians = np.where(np.isnan(medians), 0.0, medians)
    X_filled = np.where(np.isnan(X), medians, X)
    rf, seconds = timed(
        lambda: RandomForestClassifier(
            n_estimators=500, min_samples_leaf=5, max_features="sqrt", n_jobs=args.threads, random_state=1
        ),
        lambda m: m.fit(X_filled[train], y[train]),
    )
    results["rf"] = {
        "label": "scikit-learn RF, 500 trees",
        "seconds": seconds[0],
        "cpu": seconds[1],
        "scores": rf.predict_proba(X_filled[test])[:, 1].tolist(),
        "note": "min_samples_leaf 5, sqrt features, NaN as median",
    }

if "hgb" in peers:
    hgb, seconds = timed(
        lambda: HistGradientBoostingClassifier(random_state=1), lambda m: m.fit(X[train], y[train])
    )
    results["hgb"] = {
        "label": "scikit-learn HistGradientBoosting",
        "seconds": seconds[0],
        "cpu": seconds[1],
        "scores": hgb.predict_proba(X[test])[:, 1].tolist(),
        "note": f"defaults, {hgb.n_iter_} iterations",
    }

if "xgb" in peers:
    xgb, seconds = timed(
        lambda: xgboost.XGBClassifier(
            n_estimators=2000,
            early_stopping_rounds=50,
            tree_method="hist",
            eval_metric="logloss",
            n_jobs=args.threads,
            random_state=1,
        ),
        lambda m: m.fit(X[fit], y[fit], eval_set=[(X[valid], y[valid])], verbose=False),
    )
    results["xgb"] = {
        "label": "xgboost, early stopping",
        "seconds": seconds[0],
        "cpu": seconds[1],
        "scores": xgb.predict_proba(X[test], iteration_range=(0, xgb.best_iteration + 1))[:, 1].tolist(),
        "note": f"defaults, {xgb.best_iteration + 1} rounds, stopped on the validation rows",
    }

with open(args.csv + ".peers.json", "w") as out:
    json.dump(results, out)
print(
    f"peers on {os.path.basename(args.csv)}: scikit-learn {sklearn.__version__}, xgboost {xgboost.__version__}",
    file=sys.stderr,
)
