"""How long a sign-in attempt takes, by what the login names: whether the time tells an attacker
that an employee number exists.

Usage: .venv/bin/python bench/bench_sign_in.py [sqlite|postgresql|all] [rounds]

Each round makes one attempt of every kind, in a shuffled order (so machine load drifts over all
kinds alike); before an attempt every count is cleared (and for a locked kind its login locked
again), outside the timing. Wall time of one ``authenticate`` call with its commit; CPU time
(process) too, since argon2 is the cost. The baseline is a wrong password for a real account.
"""

from __future__ import annotations

import random
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete  # noqa: E402

from contest.accounts.throttle import PAIR_FREE  # noqa: E402
from contest.accounts.users import authenticate  # noqa: E402
from contest.core.config import Settings  # noqa: E402
from contest.core.errors import AuthFailed  # noqa: E402
from contest.core.models import SignInThrottle  # noqa: E402
from contest.runtime import Runtime, build_runtime  # noqa: E402
from tests.factories import PASSWORD, create_user  # noqa: E402
from tests.support.postgres import postgres_server  # noqa: E402

# kind: (login, password, locked first)
KINDS = {
    "real account, wrong password (baseline)": ("B1001", "wrong-password-1", False),
    "unknown login": ("B9999", "wrong-password-1", False),
    "inactive account, right password": ("B1002", PASSWORD, False),
    "account without a password": ("B1003", "wrong-password-1", False),
    "real account, right password": ("B1001", PASSWORD, False),
    "real account, locked": ("B1001", "wrong-password-1", True),
    "unknown login, locked": ("B9999", "wrong-password-1", True),
}


def seed(runtime: Runtime) -> None:
    with runtime.session() as session:
        create_user(session, employee_no="B1001")
        create_user(session, employee_no="B1002", is_active=False)
        create_user(session, employee_no="B1003", password_hash=None)


def prepare(runtime: Runtime, login: str, locked: bool) -> None:
    """No failure counted anywhere; for a locked kind, ``login`` locked the way an attacker
    locks it (its free failures from the bench's address)."""
    with runtime.session() as session:
        session.execute(delete(SignInThrottle))
    if locked:
        for _ in range(PAIR_FREE):
            attempt(runtime, login, "wrong-password-1")


def attempt(runtime: Runtime, login: str, password: str) -> None:
    try:
        with runtime.session() as session:
            authenticate(session, login=login, password=password)
    except AuthFailed:
        pass


def measure(runtime: Runtime, rounds: int) -> dict[str, tuple[list[float], list[float]]]:
    seed(runtime)
    times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in KINDS}
    for _ in range(rounds):
        order = list(KINDS)
        random.shuffle(order)
        for kind in order:
            login, password, locked = KINDS[kind]
            prepare(runtime, login, locked)
            wall, cpu = time.perf_counter(), time.process_time()
            attempt(runtime, login, password)
            times[kind][0].append((time.perf_counter() - wall) * 1000)
            times[kind][1].append((time.process_time() - cpu) * 1000)
    return times


def report(name: str, times: dict[str, tuple[list[float], list[float]]]) -> None:
    base = statistics.median(times[next(iter(KINDS))][0])
    print(f"\n{name}: median / mean ± sd of {len(times[next(iter(KINDS))][0])} attempts each")
    print(f"{'attempt':42} {'wall ms':>24} {'cpu ms':>8} {'vs baseline':>11}")
    for kind, (wall, cpu) in times.items():
        median = statistics.median(wall)
        spread = f"{median:7.2f} / {statistics.mean(wall):6.2f} ± {statistics.stdev(wall):5.2f}"
        print(f"{kind:42} {spread:>24} {statistics.median(cpu):8.2f} {median / base:10.2f}x")


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        urls = {}
        if which in ("sqlite", "all"):
            urls["SQLite"] = f"sqlite:///{folder / 'bench.db'}"
        if which in ("postgresql", "all"):
            urls["PostgreSQL 15"] = stack.enter_context(postgres_server())
        for name, url in urls.items():
            settings = Settings(
                data_dir=folder, database_url=url, demo=False, secret_key=secrets.token_urlsafe(32)
            )
            runtime = build_runtime(settings)
            report(name, measure(runtime, rounds))
            runtime.engine.dispose()


if __name__ == "__main__":
    main()
