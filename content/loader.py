"""Load the lesson files into a :class:`~content.model.Catalog`, collecting every problem.

Layout (one folder per language, one folder per series)::

    content/data/sources.yaml
    content/data/<lang>/<series-id>/series.yaml
    content/data/<lang>/<series-id>/NN-<lesson-id>.yaml

Problems are reported as ``path:line: message`` so an editor can jump to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from content.model import LANGUAGES, Catalog, Lesson, Series, SeriesContent, Source

DATA_DIR = Path(__file__).parent / "data"
SERIES_FILE = "series.yaml"
SOURCES_FILE = "sources.yaml"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located in a file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class LoadResult:
    catalog: Catalog
    problems: list[Problem] = field(default_factory=list)
    # (lang, kind, id) -> (path, line) of the file, so later checks can point at it
    locations: dict[tuple[str, str, str], tuple[str, int]] = field(default_factory=dict)
    # (lang, kind, id, field) -> line of that key inside the file
    field_lines: dict[tuple[str, str, str, str], int] = field(default_factory=dict)


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping key."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[str(key)] = key_node.start_mark.line + 1
    mapping["__lines__"] = lines
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__lines__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _line_of(raw: Any, loc: tuple[int | str, ...]) -> int:
    """Best line for a pydantic error location inside the raw (line-annotated) document."""
    line = 1
    node = raw
    for part in loc:
        if isinstance(node, dict):
            line = node.get("__lines__", {}).get(str(part), line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            item = node[part]
            if isinstance(item, dict) and item.get("__lines__"):
                line = min(item["__lines__"].values())
            node = item
        else:
            break
    return line


def _rel(path: Path, root: Path) -> str:
    """The path as an editor can open it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, root: Path, problems: list[Problem]) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except UnicodeDecodeError:
        problems.append(Problem(_rel(path, root), 1, "not UTF-8 text"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem(_rel(path, root), line, f"YAML: {exc.problem or exc}"))
    return None


def _validate(model: type, raw: Any, path: str, problems: list[Problem]) -> Any:
    if not isinstance(raw, dict):
        problems.append(Problem(path, 1, "expected a mapping of fields"))
        return None
    try:
        return model.model_validate(_strip_lines(raw))
    except ValidationError as exc:
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "file"
            message = err["msg"]
            if err["type"] == "missing":
                message = "required field is missing"
            elif err["type"] == "extra_forbidden":
                message = "unknown field"
            problems.append(Problem(path, _line_of(raw, err["loc"]), f"{where}: {message}"))
    return None


def load(root: Path | None = None) -> LoadResult:
    """Read every content file under ``root``; never raises for bad content."""
    root = Path(root or DATA_DIR)
    result = LoadResult(catalog=Catalog())
    problems = result.problems

    sources_path = root / SOURCES_FILE
    if sources_path.is_file():
        raw_sources = _read_yaml(sources_path, root, problems)
        if isinstance(raw_sources, dict):
            for key, raw in raw_sources.items():
                if key == "__lines__":
                    continue
                line = raw_sources["__lines__"].get(str(key), 1)
                if not isinstance(raw, dict):
                    problems.append(
                        Problem(_rel(sources_path, root), line, f"{key}: not a mapping")
                    )
                    continue
                source = _validate(Source, {**raw, "id": key}, _rel(sources_path, root), problems)
                if source:
                    result.catalog.sources[source.id] = source
    else:
        problems.append(Problem(_rel(sources_path, root), 1, "sources file is missing"))

    for lang in LANGUAGES:
        lang_dir = root / lang
        if not lang_dir.is_dir():
            problems.append(Problem(_rel(lang_dir, root), 1, f"no content for language {lang!r}"))
            continue
        loaded: list[SeriesContent] = []
        for series_dir in sorted(p for p in lang_dir.iterdir() if p.is_dir()):
            series_content = _load_series(series_dir, lang, root, result)
            if series_content:
                loaded.append(series_content)
        loaded.sort(key=lambda sc: (sc.series.order, sc.id))
        result.catalog.languages[lang] = tuple(loaded)
    result.catalog.reindex()
    return result


def _load_series(
    series_dir: Path, lang: str, root: Path, result: LoadResult
) -> SeriesContent | None:
    problems = result.problems
    series_path = series_dir / SERIES_FILE
    rel = _rel(series_path, root)
    if not series_path.is_file():
        problems.append(Problem(rel, 1, "series.yaml is missing"))
        return None
    raw = _read_yaml(series_path, root, problems)
    series: Series | None = _validate(Series, raw, rel, problems) if raw is not None else None
    if series is None:
        return None
    if series.id != series_dir.name:
        problems.append(
            Problem(rel, _line_of(raw, ("id",)), f"id {series.id!r} differs from its folder name")
        )
    result.locations[(lang, "series", series.id)] = (rel, 1)
    _remember_lines(result, lang, "series", series.id, raw)

    lessons: list[Lesson] = []
    for path in sorted(series_dir.glob("*.yaml")):
        if path.name == SERIES_FILE:
            continue
        lesson_rel = _rel(path, root)
        raw_lesson = _read_yaml(path, root, problems)
        if raw_lesson is None:
            continue
        lesson: Lesson | None = _validate(Lesson, raw_lesson, lesson_rel, problems)
        if lesson is None:
            continue
        expected_name = f"{lesson.order:02d}-{lesson.id}.yaml"
        if path.name != expected_name:
            problems.append(
                Problem(lesson_rel, 1, f"file should be named {expected_name} (order and id)")
            )
        result.locations[(lang, "lesson", lesson.id)] = (lesson_rel, 1)
        _remember_lines(result, lang, "lesson", lesson.id, raw_lesson)
        lessons.append(lesson)
    lessons.sort(key=lambda item: (item.order, item.id))
    if not lessons:
        problems.append(Problem(rel, 1, "series has no lessons"))
    return SeriesContent(series=series, lessons=tuple(lessons))


def _remember_lines(result: LoadResult, lang: str, kind: str, item_id: str, raw: Any) -> None:
    for key, line in raw.get("__lines__", {}).items():
        result.field_lines[(lang, kind, item_id, key)] = line
    for i, question in enumerate(raw.get("quiz") or []):
        if isinstance(question, dict):
            for key, line in question.get("__lines__", {}).items():
                result.field_lines[(lang, kind, item_id, f"quiz.{i}.{key}")] = line
