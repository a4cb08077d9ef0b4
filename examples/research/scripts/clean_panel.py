#!/usr/bin/env python3
"""Clean the raw wage panel into real log wages (entry `clean-panel`).

Reads data/wage_panel.csv and data/regional_prices.csv, drops unusable rows,
deflates hourly wages by the regional price index and writes one JSON result
to results/compute-clean-clean-panel/panel.json. Writes nothing else.
"""
import csv
import json
import math
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PANEL = Path("data/wage_panel.csv")
PRICES = Path("data/regional_prices.csv")
OUTPUT = Path("results/compute-clean-clean-panel/panel.json")


def read_csv(rel):
    path = ROOT / rel
    if not path.is_file():
        sys.exit(f"clean_panel: input {rel} is missing (expected at {path})")
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    prices = {(r["region"], int(r["year"])): float(r["price_index"]) for r in read_csv(PRICES)}
    dropped = {"duplicate": 0, "missing_wage": 0, "nonpositive_wage": 0, "no_price_index": 0}
    seen = set()
    observations = []
    for row in read_csv(PANEL):
        key = (row["person_id"], int(row["year"]))
        if key in seen:
            dropped["duplicate"] += 1
            continue
        seen.add(key)
        if not row["hourly_wage"].strip():
            dropped["missing_wage"] += 1
            continue
        wage = float(row["hourly_wage"])
        if wage <= 0:
            dropped["nonpositive_wage"] += 1
            continue
        index = prices.get((row["region"], key[1]))
        if index is None:
            dropped["no_price_index"] += 1
            continue
        experience = int(row["experience"])
        real_wage = wage * 100.0 / index
        observations.append({
            "educ_years": int(row["educ_years"]),
            "experience": experience,
            "experience_sq": round(experience * experience / 100.0, 6),
            "log_real_wage": round(math.log(real_wage), 6),
            "person_id": row["person_id"],
            "real_wage": round(real_wage, 6),
            "region": row["region"],
            "year": key[1],
        })
    if not observations:
        sys.exit("clean_panel: no usable observations after cleaning")
    observations.sort(key=lambda o: (o["person_id"], o["year"]))

    def group_summary(rows):
        return {
            "mean_log_real_wage": round(statistics.fmean(o["log_real_wage"] for o in rows), 6),
            "mean_real_wage": round(statistics.fmean(o["real_wage"] for o in rows), 4),
            "n_obs": len(rows),
        }

    summary = {
        "all": group_summary(observations),
        "by_region": {r: group_summary([o for o in observations if o["region"] == r])
                      for r in sorted({o["region"] for o in observations})},
        "by_year": {str(y): group_summary([o for o in observations if o["year"] == y])
                    for y in sorted({o["year"] for o in observations})},
        "mean_educ_years": round(statistics.fmean(o["educ_years"] for o in observations), 4),
        "mean_experience": round(statistics.fmean(o["experience"] for o in observations), 4),
        "n_persons": len({o["person_id"] for o in observations}),
    }
    result = {"dropped": dropped, "n_obs": len(observations), "observations": observations, "summary": summary}
    out = ROOT / OUTPUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"clean_panel: {len(observations)} observations, dropped {sum(dropped.values())} -> {OUTPUT}")


if __name__ == "__main__":
    main()
