#!/usr/bin/env python3
"""Fit a Mincer wage equation by OLS on the cleaned panel.

One script serves the entries `mincer-baseline` and `mincer-with-region`:
`--spec` picks a specification from config/mincer.json, and the result goes to
results/compute-mincer-mincer-<spec>/estimates.json. Writes nothing else.
"""
import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PANEL = Path("results/compute-clean-clean-panel/panel.json")
CONFIG = Path("config/mincer.json")


def load_json(rel, producer):
    path = ROOT / rel
    if not path.is_file():
        sys.exit(f"fit_mincer: input {rel} is missing; {producer}")
    return json.loads(path.read_text(encoding="utf-8"))


def invert(matrix):
    """Gauss-Jordan inverse with partial pivoting."""
    n = len(matrix)
    a = [row[:] + [float(i == j) for j in range(n)] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-12:
            sys.exit("fit_mincer: design matrix is singular (collinear regressors)")
        a[col], a[pivot] = a[pivot], a[col]
        p = a[col][col]
        a[col] = [v / p for v in a[col]]
        for r in range(n):
            if r != col and a[r][col] != 0.0:
                f = a[r][col]
                a[r] = [v - f * w for v, w in zip(a[r], a[col])]
    return [row[n:] for row in a]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default="baseline", help="specification name in config/mincer.json")
    args = parser.parse_args()

    config = load_json(CONFIG, "it holds the model specifications")
    spec = config["specifications"].get(args.spec)
    if spec is None:
        sys.exit(f"fit_mincer: unknown --spec {args.spec!r}; choose from {sorted(config['specifications'])}")
    panel = load_json(PANEL, "run the clean-panel entry first (python3 scripts/clean_panel.py)")
    rows = panel["observations"]

    names = ["const"] + list(spec["regressors"])
    regions = []
    if spec.get("region_effects"):
        regions = sorted({r["region"] for r in rows} - {spec["reference_region"]})
        names += [f"region_{r}" for r in regions]
    x = [[1.0] + [float(r[v]) for v in spec["regressors"]] + [float(r["region"] == g) for g in regions] for r in rows]
    y = [float(r[config["dependent"]]) for r in rows]
    n, k = len(x), len(names)
    if n <= k:
        sys.exit(f"fit_mincer: {n} observations cannot identify {k} coefficients")

    xtx = [[sum(row[i] * row[j] for row in x) for j in range(k)] for i in range(k)]
    xty = [sum(row[i] * yi for row, yi in zip(x, y)) for i in range(k)]
    xtx_inv = invert(xtx)
    beta = [sum(xtx_inv[i][j] * xty[j] for j in range(k)) for i in range(k)]
    resid = [yi - sum(b * v for b, v in zip(beta, row)) for row, yi in zip(x, y)]
    ssr = sum(e * e for e in resid)
    mean_y = sum(y) / n
    sst = sum((yi - mean_y) ** 2 for yi in y)
    sigma2 = ssr / (n - k)

    coefficients = {
        name: {"estimate": round(beta[i], 6), "std_error": round(math.sqrt(sigma2 * xtx_inv[i][i]), 6)}
        for i, name in enumerate(names)
    }
    result = {
        "adj_r_squared": round(1 - (ssr / (n - k)) / (sst / (n - 1)), 6),
        "coefficients": coefficients,
        "dependent": config["dependent"],
        "n_obs": n,
        "r_squared": round(1 - ssr / sst, 6),
        "regressors": names,
        "residual_std_error": round(math.sqrt(sigma2), 6),
        "specification": args.spec,
    }
    out = ROOT / "results" / f"compute-mincer-mincer-{args.spec}" / "estimates.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"fit_mincer: {args.spec}: {n} observations, {k} coefficients -> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
