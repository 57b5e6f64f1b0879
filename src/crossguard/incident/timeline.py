"""The exposure timeline as inline SVG: exposing messages per hour or per day."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from xml.sax.saxutils import escape

WIDTH, HEIGHT, MARGIN = 720, 180, 30


def buckets(dates: Iterable[datetime]) -> tuple[timedelta, list[tuple[datetime, int]]]:
    """Counts per hour when the exposures span under three days, else per day."""
    ordered = sorted(dates)
    if not ordered:
        return timedelta(days=1), []
    step = timedelta(hours=1) if ordered[-1] - ordered[0] < timedelta(days=3) else timedelta(days=1)
    start = _floor(ordered[0], step)
    counts = Counter((date - start) // step for date in ordered)
    return step, [(start + step * n, counts.get(n, 0)) for n in range(max(counts) + 1)]


def timeline_svg(dates: Iterable[datetime]) -> str:
    """A bar chart with a labelled first and last bucket; no script, no external reference."""
    step, rows = buckets(dates)
    if not rows:
        return (f'<svg width="{WIDTH}" height="40" '
                'role="img"><text x="10" y="25">no exposures</text></svg>')
    peak = max(count for _, count in rows)
    bar = (WIDTH - 2 * MARGIN) / len(rows)
    unit = "hour" if step < timedelta(days=1) else "day"
    shapes = []
    for number, (when, count) in enumerate(rows):
        height = (HEIGHT - 2 * MARGIN) * count / peak
        x = MARGIN + number * bar
        y = HEIGHT - MARGIN - height
        label = escape(f"{_label(when, step)}: {count} exposing message(s)")
        shapes.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar - 1, 1):.1f}" '
                      f'height="{height:.1f}" fill="#b03a2e"><title>{label}</title></rect>')
    first, last = _label(rows[0][0], step), _label(rows[-1][0], step)
    return (
        f'<svg width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="exposing messages per {unit}">'
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" '
        f'y2="{HEIGHT - MARGIN}" stroke="#444"/>'
        + "".join(shapes)
        + f'<text x="{MARGIN}" y="{HEIGHT - 8}" font-size="11">{escape(first)}</text>'
        f'<text x="{WIDTH - MARGIN}" y="{HEIGHT - 8}" font-size="11" '
        f'text-anchor="end">{escape(last)}</text>'
        f'<text x="{MARGIN}" y="{MARGIN - 10}" font-size="11">peak {peak} per {unit}</text>'
        "</svg>"
    )


def _floor(when: datetime, step: timedelta) -> datetime:
    if step < timedelta(days=1):
        return when.replace(minute=0, second=0, microsecond=0)
    return when.replace(hour=0, minute=0, second=0, microsecond=0)


def _label(when: datetime, step: timedelta) -> str:
    return when.strftime("%Y-%m-%d %H:00" if step < timedelta(days=1) else "%Y-%m-%d")
