"""Charts drawn on the server as SVG: horizontal bars, stacked bars and a donut.

No JavaScript and no outside service. The Content-Security-Policy forbids ``style``
attributes, so every colour and size is an SVG presentation attribute. Each chart carries a
<title> and <desc>, writes its numbers as text next to the shapes (never colour alone),
and a shape with an ``href`` is a link to the list behind it. The SVG has no ``xmlns``:
inline in HTML5 it needs none (and pages must not name outside addresses).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

INK, MUTED, GRID, BLUE = "#1d232b", "#5b6573", "#d9dee5", "#1d4f91"
# Colours of the statuses and results; each also has its text label wherever it is drawn.
COLORS = {
    "on_time": "#1f7a3a",
    "late": "#c77c00",
    "missing": "#b3261e",
    "pending": "#8a94a3",
    "met": "#1f7a3a",
    "not_met": "#b3261e",
    "no_figure": "#8a94a3",
    "direct": "#1f7a3a",
    "other": "#8a94a3",
}
ROW, BAR, FONT = 28, 18, 13


@dataclass(frozen=True)
class Bar:
    """One bar or segment: its label, value, link and colour."""

    label: str
    value: float
    href: str | None = None
    color: str = BLUE


@dataclass(frozen=True)
class StackRow:
    """One row of a stacked bar chart."""

    label: str
    segments: Sequence[Bar]


def _fmt(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _short(label: str, width: float) -> str:
    # About 7 px per character at 13 px; the whole label stays in the shape's <title>.
    most = max(4, int(width / 7))
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _text(
    x: float, y: float, content: str, anchor: str = "start", fill: str = INK, weight: str = "normal"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" '
        f'font-size="{FONT}" font-weight="{weight}">{escape(content)}</text>'
    )


def _link(inner: str, bar: Bar, tip: str) -> str:
    """A shape with its tooltip, wrapped in a link when it has one."""
    body = f"<title>{escape(tip)}</title>{inner}"
    return f'<a href="{escape(bar.href)}">{body}</a>' if bar.href else f"<g>{body}</g>"


def _svg(ident: str, title: str, desc: str, width: int, height: int, body: list[str]) -> str:
    return (
        f'<svg class="chart" id="{escape(ident)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="group" aria-labelledby="{escape(ident)}-t" '
        f'aria-describedby="{escape(ident)}-d" font-family="sans-serif">'
        f'<title id="{escape(ident)}-t">{escape(title)}</title>'
        f'<desc id="{escape(ident)}-d">{escape(desc)}</desc>{"".join(body)}</svg>'
    )


def _describe(bars: Sequence[Bar]) -> str:
    return "; ".join(f"{b.label}: {_fmt(b.value)}" for b in bars)


def bar_chart(
    ident: str, title: str, bars: Sequence[Bar], *, width: int = 640, label_width: int = 250
) -> str:
    """Horizontal bars, one per ``bars``, each with its label and value written out."""
    height = max(1, len(bars)) * ROW + 8
    room = width - label_width - 56
    top = max([b.value for b in bars] + [0])
    body = [
        f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height - 4}" stroke="{GRID}"/>'
    ]
    for i, bar in enumerate(bars):
        y = 4 + i * ROW
        length = room * bar.value / top if top else 0
        shape = (
            f'<rect x="{label_width}" y="{y + (ROW - BAR) / 2:.1f}" width="{length:.1f}" '
            f'height="{BAR}" fill="{bar.color}"/>'
        )
        label = _text(label_width - 8, y + ROW / 2 + 4, _short(bar.label, label_width - 12), "end")
        value = _text(label_width + length + 6, y + ROW / 2 + 4, _fmt(bar.value), weight="bold")
        body.append(_link(shape + label + value, bar, f"{bar.label}: {_fmt(bar.value)}"))
    if not bars:
        body.append(_text(label_width + 8, ROW / 2 + 4, "0", fill=MUTED))
    return _svg(ident, title, _describe(bars), width, height, body)


def stacked_bars(
    ident: str,
    title: str,
    rows: Sequence[StackRow],
    legend: Sequence[tuple[str, str]],
    *,
    width: int = 640,
    label_width: int = 200,
) -> str:
    """One horizontal bar per row, split into its segments; a legend of (label, colour)
    below. Segments wide enough show their count inside; every count is also in the
    segment's tooltip and the row's total is written after the bar."""
    room = width - label_width - 56
    legend_top = len(rows) * ROW + 12
    height = legend_top + ROW
    body = []
    for i, row in enumerate(rows):
        y, total = 4 + i * ROW, sum(s.value for s in row.segments)
        body.append(
            _text(label_width - 8, y + ROW / 2 + 4, _short(row.label, label_width - 12), "end")
        )
        x = float(label_width)
        for seg in row.segments:
            length = room * seg.value / total if total else 0
            inner = (
                f'<rect x="{x:.1f}" y="{y + (ROW - BAR) / 2:.1f}" width="{length:.1f}" '
                f'height="{BAR}" fill="{seg.color}"/>'
            )
            if length >= 8 * len(_fmt(seg.value)) + 6:
                inner += _text(
                    x + length / 2, y + ROW / 2 + 4, _fmt(seg.value), "middle", "#fff", "bold"
                )
            body.append(_link(inner, seg, f"{row.label} · {seg.label}: {_fmt(seg.value)}"))
            x += length
        body.append(_text(x + 6, y + ROW / 2 + 4, _fmt(total), weight="bold"))
    x = 0.0
    for label, color in legend:
        body.append(
            f'<rect x="{x:.1f}" y="{legend_top + 6}" width="12" height="12" fill="{color}"/>'
        )
        body.append(_text(x + 16, legend_top + 16, label, fill=MUTED))
        x += 28 + 7 * len(label)
    desc = " | ".join(f"{r.label}: {_describe(r.segments)}" for r in rows)
    return _svg(ident, title, desc, max(width, int(x)), height, body)


def donut(
    ident: str,
    title: str,
    segments: Sequence[Bar],
    center: str,
    *,
    size: int = 180,
    width: int = 520,
) -> str:
    """A ring split into ``segments`` with ``center`` written in the middle (e.g. "42%") and
    a legend to the right giving each segment's count and share."""
    radius, stroke = size / 2 - 18, 26
    cx = cy = size / 2
    circumference = 2 * math.pi * radius
    total = sum(s.value for s in segments)
    body = [
        f'<circle cx="{cx}" cy="{cy}" r="{radius:.1f}" fill="none" stroke="{GRID}" '
        f'stroke-width="{stroke}"/>'
    ]
    offset = 0.0
    for seg in segments:
        length = circumference * seg.value / total if total else 0
        arc = (
            f'<circle cx="{cx}" cy="{cy}" r="{radius:.1f}" fill="none" stroke="{seg.color}" '
            f'stroke-width="{stroke}" stroke-dasharray="{length:.2f} {circumference - length:.2f}" '
            f'stroke-dashoffset="{-offset:.2f}" transform="rotate(-90 {cx} {cy})"/>'
        )
        body.append(_link(arc, seg, f"{seg.label}: {_fmt(seg.value)}"))
        offset += length
    body.append(
        f'<text x="{cx}" y="{cy + 8}" text-anchor="middle" fill="{INK}" font-size="24" '
        f'font-weight="bold">{escape(center)}</text>'
    )
    for i, seg in enumerate(segments):
        y = 30 + i * ROW
        share = f" ({seg.value / total:.0%})" if total else ""
        item = (
            f'<rect x="{size + 16}" y="{y - 11}" width="12" height="12" fill="{seg.color}"/>'
            + _text(size + 34, y, f"{seg.label}: {_fmt(seg.value)}{share}")
        )
        body.append(_link(item, seg, f"{seg.label}: {_fmt(seg.value)}"))
    return _svg(ident, title, f"{center}. {_describe(segments)}", width, size, body)
