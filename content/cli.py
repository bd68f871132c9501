"""The content checker's command line, shared by `cxcoach content check` and `python -m content`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from content.check import check
from content.loader import DATA_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "data", nargs="?", type=Path, default=DATA_DIR, help="content folder (default: bundled)"
    )
    parser.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="folder of source articles: fail if a lesson copies 8+ consecutive words",
    )


def run(args: argparse.Namespace) -> int:
    """Print every problem as path:line: message; 0 when the content is valid."""
    if args.seeds is not None and not args.seeds.is_dir():
        print(f"content check: seeds folder {args.seeds} does not exist", file=sys.stderr)
        return 2
    result, problems = check(args.data, seeds=args.seeds)
    for problem in problems:
        print(problem, file=sys.stderr)
    catalog = result.catalog
    counts = ", ".join(
        f"{lang}: {len(series)} series, {sum(len(sc.lessons) for sc in series)} lessons"
        for lang, series in catalog.languages.items()
    )
    if problems:
        print(f"content check: {len(problems)} problem(s) ({counts})", file=sys.stderr)
        return 1
    print(f"content check: OK ({counts})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m content", description=run.__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))
