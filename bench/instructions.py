"""Instructions per transition of each side of ``transitions.py``, counted by callgrind.

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out \\
        .venv/bin/python bench/instructions.py --n 25 --out /tmp/cg.out

Counts do not depend on what else the machine is doing, so two versions of the engine can be
compared on a busy machine. SQLite only; the first transitions of each side (caches warming
up) are not counted. Prints instructions per transition for each side and the ratio to the
floor. Run it under callgrind: it asks callgrind for a dump before and after each side.
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # see transitions.py
sys.path.insert(0, str(_HERE.parent))

from bench import transitions as T  # noqa: E402
from bench.common import fresh_database, setup  # noqa: E402

WARM = 5  # nominations per side moved before counting


def _dump(out: str, tag: str) -> str:
    """Ask callgrind to write the counts since the last dump; wait for the file."""
    before = set(glob.glob(out + ".*"))
    subprocess.run(
        ["callgrind_control", "-d", tag, str(os.getpid())], check=True, capture_output=True
    )
    while True:
        new = set(glob.glob(out + ".*")) - before
        if new:
            return new.pop()
        time.sleep(0.05)


def _instructions(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError(f"no summary in {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=25, help="nominations per side (default 25)")
    parser.add_argument("--out", required=True, help="the --callgrind-out-file given to valgrind")
    args = parser.parse_args()
    counted = (args.n - WARM) * len(T.STAGES)
    with fresh_database("sqlite") as url, tempfile.TemporaryDirectory() as uploads:
        engine, cast = setup(url, args.n, Path(uploads), T.SIDES)
        sides = {
            "engine": T.EngineSide(engine, cast),
            "engine_core": T.EngineSide(engine, cast, listeners=False),
            "orm_floor": T.OrmFloorSide(engine, cast),
            "floor": T.FloorSide(engine, cast),
        }
        for name, side in sides.items():
            for stage in T.STAGES:
                side.run(stage, cast.sets[name][:WARM])
        per = {}
        for name, side in sides.items():
            _dump(args.out, f"before-{name}")
            for stage in T.STAGES:
                side.run(stage, cast.sets[name][WARM:])
            per[name] = _instructions(_dump(args.out, f"after-{name}")) / counted
        sides["floor"].close()
        sides["orm_floor"].close()
        engine.dispose()
    for name, label in T.SIDES.items():
        print(
            f"{label:38} {per[name] / 1e6:6.2f} M instructions/transition, "
            f"ratio to floor {per[name] / per['floor']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
