"""The content checker's command line, shared by `cxcoach content check` and `python -m content`."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from content import quizcheck
from content.check import check
from content.loader import DATA_DIR, load
from content.model import LANGUAGES


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


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "data", nargs="?", type=Path, default=DATA_DIR, help="content folder (default: bundled)"
    )
    parser.add_argument("--lang", choices=LANGUAGES, action="append", help="only this language")
    parser.add_argument("--series", action="append", help="only the questions of this series")


def report(args: argparse.Namespace) -> int:
    """Per language: each strategy's score next to chance; per question: what gives it away."""
    catalog = load(args.data).catalog
    for lang in args.lang or LANGUAGES:
        bank = quizcheck.bank_report(catalog, lang)
        print(
            f"{lang}: {bank.questions} questions · chance {bank.chance:.1%} · "
            f"limit {bank.limit:.1%}"
        )
        for strategy in bank.strategies:
            mark = "FAIL" if strategy.score > bank.limit else "ok"
            print(f"  {strategy.score:6.1%}  {strategy.name}  [{mark}]")
        wanted = set(args.series or ())
        in_series = {lesson.id: sc.id for sc in catalog.series_list(lang) for lesson in sc.lessons}
        length_ranks: Counter[str] = Counter()
        echo_ranks: Counter[str] = Counter()
        for item in quizcheck.items(catalog, lang):
            if wanted and in_series[item.lesson_id] not in wanted:
                continue
            q = item.question
            flags = []
            length_rank = _rank(item, [len(o) for o in q.options])
            echo_rank = _rank(item, quizcheck.shared_words(item, lang))
            length_ranks[length_rank] += 1
            echo_ranks[echo_rank] += 1
            if q.correct in quizcheck.pick_no_absolutes(item, lang) and any(
                quizcheck.has_absolute(o, lang) for o in q.options
            ):
                flags.append("only distractors have absolutes")
            flags.extend(quizcheck.question_problems(item, lang))
            lengths = "/".join(
                f"[{len(o)}]" if i == q.correct else str(len(o)) for i, o in enumerate(q.options)
            )
            ratio = quizcheck.key_length_ratio(q)
            print(
                f"    {item.lesson_id} q{item.index + 1}: lengths {lengths}, key ×{ratio:.2f}, "
                f"key is {length_rank} by length, {echo_rank} by words shared with the lesson"
                + (f" — {'; '.join(flags)}" if flags else "")
            )
        if wanted:
            print(
                f"  {lang}, {', '.join(sorted(wanted))}: where the key stands "
                "(by chance, with four options: highest ¼, middle ½, lowest ¼)"
            )
            print(f"    by length: {_spread(length_ranks)}")
            print(f"    by words shared with the lesson: {_spread(echo_ranks)}")
    return 0


def _rank(item: quizcheck.Item, values: list[int]) -> str:
    """Where the key stands among the options by a value: highest, middle or lowest."""
    key = values[item.question.correct]
    if values.count(key) > 1 and (key == max(values) or key == min(values)):
        return "tied"
    if key == max(values):
        return "highest"
    if key == min(values):
        return "lowest"
    return "middle"


def _spread(ranks: Counter[str]) -> str:
    return ", ".join(f"{name} {ranks[name]}" for name in ("highest", "middle", "lowest", "tied"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m content", description=run.__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))
