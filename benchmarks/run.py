"""`make bench`: run every benchmark in this folder and print its markdown tables.

Each `bench_<topic>.py` is a script of its own: it prints markdown tables and
writes them to `benchmarks/results/<topic>.md` (committed, so the last figures
are in the repository). This driver runs them one after another, each in its
own process so that peak memory and timings are that benchmark's own.

    python benchmarks/run.py                 # every benchmark
    python benchmarks/run.py --only engine   # bench_engine.py alone
    python benchmarks/run.py --only engine -- --sizes 400
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated topics (engine, read, plan, ...)")
    parser.add_argument("rest", nargs=argparse.REMAINDER, help="arguments passed on to the benchmark")
    args = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        wanted = {t.strip() for t in args.only.split(",")}
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
        if not scripts:
            print(f"no benchmark named {args.only}", file=sys.stderr)
            return 2
    rest = [a for a in args.rest if a != "--"]
    failed = 0
    for script in scripts:
        print(f"\n## {script.stem.removeprefix('bench_')}\n", flush=True)
        failed |= subprocess.call([sys.executable, str(script), *rest]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
