"""The /stats chart: daily active learners and lessons completed, as a PNG (matplotlib)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")  # no screen: render to memory

from matplotlib import pyplot as plt
from matplotlib.figure import Figure


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
    plt.close("all")
    return buffer.getvalue()
