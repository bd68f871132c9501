"""Guard against copying: no lesson may share a run of N consecutive words with a source text.

Words are compared case-insensitively, with ё folded to е and apostrophes (', ’, ʼ) dropped,
so trivial edits do not hide a copied sentence. Each text field is checked on its own, so a
run never spans two fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

RUN_LENGTH = 8

_APOSTROPHES = str.maketrans({"'": None, "’": None, "ʼ": None, "`": None, "ё": "е"})
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_TAG_RE = re.compile(r"<[^>]*>")


def words(text: str) -> list[str]:
    """Normalised words of ``text`` (HTML tags removed)."""
    text = _TAG_RE.sub(" ", text).casefold().translate(_APOSTROPHES)
    return _WORD_RE.findall(text)


def shingles(tokens: list[str], n: int = RUN_LENGTH) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


@dataclass(frozen=True)
class SourceIndex:
    """The N-word runs of every source text, keyed to the file they come from."""

    runs: dict[tuple[str, ...], str]
    n: int = RUN_LENGTH

    @classmethod
    def from_folder(cls, folder: Path, n: int = RUN_LENGTH) -> SourceIndex:
        files = sorted(p for p in Path(folder).iterdir() if p.is_file())
        if not files:
            raise FileNotFoundError(f"no source texts in {folder}")
        runs: dict[tuple[str, ...], str] = {}
        for path in files:
            for run in shingles(words(path.read_text(encoding="utf-8")), n):
                runs.setdefault(run, path.name)
        return cls(runs=runs, n=n)

    def copied_runs(self, text: str) -> list[tuple[str, str]]:
        """(the copied words, source file) for every run of ``text`` found in a source."""
        tokens = words(text)
        found: list[tuple[str, str]] = []
        last_end = -1
        for i in range(len(tokens) - self.n + 1):
            run = tuple(tokens[i : i + self.n])
            source = self.runs.get(run)
            if source and i > last_end:  # report overlapping runs once
                found.append((" ".join(run), source))
                last_end = i + self.n - 1
        return found


def check_texts(index: SourceIndex, texts: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(label, copied words, source file) for each labelled text that copies a source."""
    return [
        (label, run, source) for label, text in texts for run, source in index.copied_runs(text)
    ]
