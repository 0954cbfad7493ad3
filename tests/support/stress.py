"""The browser tests on a busy machine: a CPU hog on every core while they run, several times.

    python -m tests.support.stress [--rounds 3] [--hogs N] [-- PYTEST ARGS]

A busy loop per core (``--hogs``, default the machine's core count) runs at the tests' own
priority for as long as the rounds last; each round is one ``pytest -m e2e`` (or the pytest
arguments given after ``--``). It prints each round's summary line with the load average and
stops at the first failing round: zero failures in every round is the bar (CI throws away a
submission whose suite fails on a loaded machine). No test gets the second run ``make test``
allows (pytest-rerunfailures is switched off).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import time


def _hog() -> None:
    while True:
        pass


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--hogs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("pytest_args", nargs="*", default=["-m", "e2e"])
    args = parser.parse_args(argv)
    hogs = [multiprocessing.Process(target=_hog, daemon=True) for _ in range(args.hogs)]
    for hog in hogs:
        hog.start()
    try:
        for round_no in range(1, args.rounds + 1):
            started = time.monotonic()
            done = subprocess.run(
                [
                    *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"),
                    *("-p", "no:rerunfailures"),  # no second chance: every failure counts
                    *args.pytest_args,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            lines = done.stdout.strip().splitlines()
            summary = lines[-1] if lines else "(no output)"
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            minutes = (time.monotonic() - started) / 60
            print(f"round {round_no}: {summary} | {minutes:.1f} min | load {load}", flush=True)
            if done.returncode != 0:
                print(done.stdout[-20000:], done.stderr[-5000:], sep="\n", flush=True)
                return done.returncode
        return 0
    finally:
        for hog in hogs:
            hog.terminate()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
