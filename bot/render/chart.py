"""Charts as PNG (matplotlib): /stats activity, radar charts, lessons and sources. Each is
its own `Figure` (never pyplot's global state), so charts render safely from worker threads."""

from __future__ import annotations

import io
import math
import textwrap
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")  # no screen: render to memory

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator


def activity_chart(
    rows: list[tuple[date, int, int]],
    today: date,
    labels: tuple[str, str, str] = (
        "CX Coach: the last 30 days",
        "active learners",
        "lessons completed",
    ),
    days: int = 30,
) -> bytes:
    """A PNG of the last ``days`` days (missing days count as zero); labels: title, lines."""
    by_day = {day: (active, done) for day, active, done in rows}
    axis = [today - timedelta(days=days - 1 - i) for i in range(days)]
    active = [by_day.get(day, (0, 0))[0] for day in axis]
    done = [by_day.get(day, (0, 0))[1] for day in axis]
    figure = Figure(figsize=(8, 4), dpi=110)
    ax = figure.subplots()
    title, active_label, done_label = labels
    ax.plot(axis, active, marker="o", markersize=3, label=active_label)
    ax.bar(axis, done, alpha=0.35, label=done_label)
    ax.set_title(title)
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    figure.autofmt_xdate()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


LABEL_WIDTH = 18  # characters per line of an axis label


def label_lines(label: str, width: int = LABEL_WIDTH) -> list[str]:
    """An axis label wrapped at spaces only: a word longer than ``width`` keeps its own line
    whole ("клієнтоцентричність"), and no word is split at a hyphen."""
    lines = textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False) or [""]
    for i in range(len(lines) - 1):  # a one-letter word ("а", "і", "a") starts a line, not ends one
        head, _, last = lines[i].rpartition(" ")
        if head and len(last) == 1:
            lines[i], lines[i + 1] = head, f"{last} {lines[i + 1]}"
    return lines


def radar_chart(
    axes: list[str],
    datasets: list[tuple[str, list[float]]],
    title: str,
    spreads: list[float] | None = None,
) -> bytes:
    """A PNG radar (spider) chart on a 0–5 scale; the first dataset is drawn strongest.

    ``spreads`` (for a team) draws a band of mean ± spread around the first dataset.
    """
    count = len(axes)
    angles = [2 * math.pi * i / count for i in range(count)]
    closed = [*angles, angles[0]]
    figure = Figure(figsize=(6.4, 6.4), dpi=110)
    ax = figure.add_subplot(polar=True)
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_xticks(angles)
    ax.set_xticklabels(["\n".join(label_lines(label)) for label in axes], fontsize=8)
    ax.tick_params(axis="x", pad=12)  # labels clear of the outer ring
    styles = [("#c0392b", 0.25, 2.2), ("#7f8c8d", 0.08, 1.2)]
    for (label, values), (color, alpha, width) in zip(datasets, styles, strict=False):
        points = [*values, values[0]]
        ax.plot(closed, points, color=color, linewidth=width, label=label)
        ax.fill(closed, points, color=color, alpha=alpha)
    if spreads and datasets:
        mean = datasets[0][1]
        low = [max(0.0, m - s) for m, s in zip(mean, spreads, strict=True)]
        high = [min(5.0, m + s) for m, s in zip(mean, spreads, strict=True)]
        ax.fill_between(closed, [*low, low[0]], [*high, high[0]], color="#c0392b", alpha=0.12)
    ax.set_title(title, pad=24)
    if len(datasets) > 1 or spreads:
        ax.legend(loc="lower right", bbox_to_anchor=(1.15, -0.12), fontsize=8)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


TITLE_WIDTH = 38  # characters of a lesson's title beside its bars


def lessons_chart(
    rows: list[tuple[str, float | None, float | None]],
    labels: tuple[str, str, str] = (
        "CX Coach: lessons",
        "mean usefulness (1–5)",
        "first answers right (%)",
    ),
    limits: tuple[float | None, float | None] = (None, None),
) -> bytes:
    """A PNG of horizontal bars per lesson, top to bottom in the order given: its mean
    usefulness (1–5) beside the share of first answers that were right (0–1, drawn as
    0–100%). A lesson without a figure has no bar (a dash at the axis), never a bar of zero.
    ``limits``: a dashed line on each panel where a lesson starts to be flagged."""
    title, useful_label, right_label = labels
    count = max(1, len(rows))
    names = [
        name if len(name) <= TITLE_WIDTH else name[: TITLE_WIDTH - 1].rstrip() + "…"
        for name, _, _ in rows
    ]
    positions = list(range(len(rows)))
    figure = Figure(figsize=(10, 1.4 + 0.32 * count), dpi=110, layout="constrained")
    useful_ax, right_ax = figure.subplots(1, 2, sharey=True)
    panels = (
        (useful_ax, [u for _, u, _ in rows], useful_label, 5.0, "#2e86c1", "{:.1f}"),
        (right_ax, [None if r is None else 100 * r for _, _, r in rows], right_label, 100.0,
         "#27ae60", "{:.0f}%"),
    )  # fmt: skip
    for ax, values, label, top, color, text in panels:
        ax.barh(positions, [v or 0 for v in values], color=color, alpha=0.8)
        for y, value in zip(positions, values, strict=True):
            shown = "–" if value is None else text.format(value)
            ax.text(min(value or 0, top) + top * 0.01, y, shown, va="center", fontsize=7)
        ax.set_xlim(0, top * 1.12)
        if (limit := limits[0 if ax is useful_ax else 1]) is not None:
            ax.axvline(limit * (1 if ax is useful_ax else 100), color="#c0392b", ls="--", lw=1)
        ax.set_title(label, fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    useful_ax.set_yticks(positions)
    useful_ax.set_yticklabels(names, fontsize=7)
    useful_ax.invert_yaxis()  # the first lesson on top
    figure.suptitle(title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def funnel_chart(
    panels: list[tuple[str, list[tuple[int, str]]]],
    steps: list[str],
    title: str = "CX Coach: the funnel of the top sources",
) -> bytes:
    """A PNG with one panel per source (in the order given): a horizontal bar per step of
    its funnel, top to bottom in the order of ``steps``, each with its label (a count, or
    "5 of 25"). Bars share each panel's scale: the first step, the learners who came there
    first, is the widest. No source: one empty panel."""
    shown = panels or [("—", [(0, "0")] * len(steps))]
    columns = 1 if len(shown) == 1 else 2
    rows = math.ceil(len(shown) / columns)
    figure = Figure(figsize=(5.2 * columns, 0.6 + 2.4 * rows), dpi=110, layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    positions = list(range(len(steps)))
    colors = ["#2e86c1", "#3498db", "#27ae60", "#f39c12", "#8e44ad", "#c0392b"]
    for index, ax in enumerate(axes.flat):
        if index >= len(shown):
            ax.set_visible(False)
            continue
        name, bars = shown[index]
        values = [value for value, _ in bars]
        top = max([*values, 1])
        ax.barh(positions, values, color=colors[: len(values)], alpha=0.85)
        for y, (value, text) in zip(positions, bars, strict=True):
            ax.text(value + top * 0.02, y, text, va="center", fontsize=7)
        ax.set_xlim(0, top * 1.35)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # learners: whole numbers
        ax.set_yticks(positions)
        ax.set_yticklabels(["\n".join(label_lines(step, 24)) for step in steps], fontsize=7)
        ax.invert_yaxis()  # the first step on top
        ax.set_title("\n".join(label_lines(name, 44)[:2]), fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    figure.suptitle(title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()
