"""Horizontal bar charts drawn on the server as SVG (templates/transparency/_chart.html): no
JavaScript, no inline styles (the CSP forbids them; colours come from site.css classes), a
title and a description for screen readers, and the same numbers in a table beside each chart.

Each row has a label above its bar; the bar is made of segments (e.g. completed, then in
progress) scaled to the largest row, and the row's figure is written after it. A suppressed
count has no bar, only its text ("< 3").
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
ROW = 38  # label line plus bar
BAR = 14
TEXT_ROOM = 70  # right of the longest bar, for its figure


@dataclass
class Segment:
    x: float
    width: float
    css: str
    value: int


@dataclass
class ChartRow:
    label: str
    y: float  # the label's baseline
    bar_y: float
    segments: list[Segment]
    text: str
    text_x: float


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    bar_height: int
    rows: list[ChartRow]
    legend: list[tuple[str, str]]  # (css class, label)


def bars(
    chart_id: str,
    title: str,
    desc: str,
    rows: list[tuple[str, list[tuple[int | None, str]], str]],
    legend: list[tuple[str, str]],
) -> Chart:
    """``rows``: (label, [(value or None, css class), ...], text shown after the bar)."""
    totals = [sum(v or 0 for v, _ in segments) for _, segments, _ in rows]
    top = max(totals, default=0) or 1
    room = WIDTH - TEXT_ROOM
    drawn = []
    for index, (label, segments, text) in enumerate(rows):
        y = index * ROW
        x = 0.0
        parts = []
        for value, css in segments:
            if not value:
                continue
            width = round(room * value / top, 1)
            parts.append(Segment(x=x, width=width, css=css, value=value))
            x += width
        drawn.append(
            ChartRow(
                label=label,
                y=y + 14,
                bar_y=y + 19,
                segments=parts,
                text=text,
                text_x=round(x + 6, 1),
            )
        )
    return Chart(
        id=chart_id,
        title=title,
        desc=desc,
        width=WIDTH,
        height=max(ROW * len(rows), ROW),
        bar_height=BAR,
        rows=drawn,
        legend=legend,
    )
