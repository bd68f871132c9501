"""After `make test`: the storage code both backends run must stay covered by the suite.

    python -m tests.coverage_floor        (reads the .coverage file pytest-cov wrote)

Each backend file is held to its floor. PostgreSQL's is enforced when the run had its
server (reachable, or required by CI / CXCOACH_TEST_POSTGRES): a developer without one gets
the SQLite half checked and a note, never a false failure.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from coverage import Coverage

from tests import postgres

ROOT = Path(__file__).resolve().parents[1]
FLOORS = {"storage/sqlite.py": 97.0, "storage/postgres.py": 97.0, "storage": 97.0}


def percent(cov: Coverage, files: list[str]) -> float:
    statements = missing = 0
    for name in files:
        _, lines, _, missed, _ = cov.analysis2(str(ROOT / name))
        statements += len(lines)
        missing += len(missed)
    return 100.0 * (statements - missing) / statements if statements else 100.0


async def _postgres_ran() -> bool:
    if postgres.required():
        return True
    dsn, _, _ = await postgres.probe()
    return dsn is not None


def main() -> int:
    cov = Coverage(data_file=str(ROOT / ".coverage"))
    cov.load()
    storage_files = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "storage").glob("*.py"))
    with_postgres = asyncio.run(_postgres_ran())
    failed = False
    for target, floor in FLOORS.items():
        files = storage_files if target == "storage" else [target]
        if not with_postgres and "storage/postgres.py" in files:
            if target != "storage":
                print(f"coverage {target}: not checked (no PostgreSQL in this run)")
                continue
            files = [f for f in files if f != "storage/postgres.py"]
        value = percent(cov, files)
        verdict = "ok" if value >= floor else "BELOW THE FLOOR"
        print(f"coverage {target}: {value:.1f}% (floor {floor:.0f}%) {verdict}")
        failed |= value < floor
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
