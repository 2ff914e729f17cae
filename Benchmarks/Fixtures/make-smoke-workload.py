#!/usr/bin/env python3
"""Writes smoke-workload.json, the workload `dictdb-bench --smoke` runs (see ../README.md).

The standard generator (shared/bench/gen_workload.py, found beside the repository) makes 300 records;
the query lists are then cut short so that a debug build runs every workload in seconds, and the
expected W3/W4 totals are computed again for the shorter lists with the generator's own rules.

Usage: python3 make-smoke-workload.py [path/to/gen_workload.py]
"""
import bisect
import importlib.util
import json
import pathlib
import sys

ROWS = 300
LOOKUPS = 3000
QUERIES = 50


def load_generator(path: pathlib.Path):
    spec = importlib.util.spec_from_file_location("gen_workload", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    here = pathlib.Path(__file__).resolve().parent
    default = here.parents[2] / "shared" / "bench" / "gen_workload.py"
    generator = load_generator(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else default)
    workload = generator.generate(ROWS)
    workload["lookups"] = workload["lookups"][:LOOKUPS]
    workload["dept_queries"] = workload["dept_queries"][:QUERIES]
    workload["salary_lows"] = workload["salary_lows"][:QUERIES]
    records = workload["records"]
    per_dept = {}
    for record in records:
        per_dept[record[2]] = per_dept.get(record[2], 0) + 1
    salaries = sorted(record[3] for record in records)
    width = workload["range_width"]
    w4 = [bisect.bisect_right(salaries, low + width) - bisect.bisect_left(salaries, low)
          for low in workload["salary_lows"]]
    w3 = [per_dept.get(dept, 0) for dept in workload["dept_queries"]]
    workload["expected"] = {
        "w3_rows_total": sum(w3), "w4_rows_total": sum(w4),
        "w3_rows_first": w3[:5], "w4_rows_first": w4[:5],
    }
    path = here / "smoke-workload.json"
    with open(path, "w") as f:
        json.dump(workload, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({path.stat().st_size} bytes) expected={workload['expected']}")


if __name__ == "__main__":
    main()
