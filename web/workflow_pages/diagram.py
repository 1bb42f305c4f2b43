"""Lifecycle diagrams as SVG, drawn from the definitions: a picture never disagrees with the
engine."""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass, field
from html import escape

from workflow.core.spec import WorkflowDef

_BOX_W, _LINE_H, _PAD = 200, 16, 10

_GAP_V, _GAP_H, _MARGIN, _LANE_OFF = 96, 64, 28, 28

_INK, _MUTED, _OK = "#1d232b", "#5b6573", "#1f7a3a"
_FONT = "Segoe UI, Roboto, Noto Sans, Helvetica Neue, Arial, sans-serif"

_CHAR_W = 6.6  # the average width of a 12 px sans-serif character, for layout only


@dataclass
class _Box:
    name: str
    lines: list[str]
    x: float
    y: float
    h: float
    terminal: bool = False
    public: bool = False
    editable: bool = False

    @property
    def cx(self) -> float:
        return self.x + _BOX_W / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass
class _Edge:
    label: list[str]
    sources: tuple[str, ...]
    dest: str
    lane: str | None = None  # None: a straight arrow; "left" or "right": a lane
    x: float = 0.0  # the lane's x
    index: int = 0  # the lane's rank on its side
    ports: dict = field(default_factory=dict)


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, as even as the fewest lines allow."""
    lines = _greedy(text, width)
    for narrower in range(math.ceil(len(text) / len(lines)), width):
        even = _greedy(text, narrower)
        if len(even) == len(lines):
            return even
    return lines


def _greedy(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _width(lines: list[str]) -> float:
    return max(len(line) for line in lines) * _CHAR_W


def _layers(wdef: WorkflowDef) -> dict[str, int]:
    """Rows: distance from the initial state; a terminal state sits below all its sources."""
    depth, queue = {wdef.initial: 0}, deque([wdef.initial])
    while queue:
        state = queue.popleft()
        for tdef in wdef.transitions_from(state):
            if tdef.dest not in depth:
                depth[tdef.dest] = depth[state] + 1
                queue.append(tdef.dest)
    for state in wdef.states:
        if state.terminal:
            sources = [
                depth[s] for t in wdef.transitions if t.dest == state.name for s in t.sources
            ]
            depth[state.name] = max(sources, default=depth[state.name] - 1) + 1
    return depth


def _edges(wdef: WorkflowDef, layer: dict[str, int], en: bool) -> list[_Edge]:
    """Straight arrows between neighbouring rows; one lane (shared by all sources) otherwise."""
    edges = []
    for tdef in wdef.transitions:
        label = tdef.label_en if en else tdef.label_vi
        if all(abs(layer[tdef.dest] - layer[s]) == 1 for s in tdef.sources):
            edges += [_Edge(_wrap(label, 16), (s,), tdef.dest) for s in tdef.sources]
        else:
            back = all(layer[tdef.dest] <= layer[s] for s in tdef.sources)
            edges.append(
                _Edge(_wrap(label, 18), tdef.sources, tdef.dest, "left" if back else "right")
            )
    return edges


def _place(
    wdef: WorkflowDef, layer: dict[str, int], edges: list[_Edge], en: bool
) -> dict[str, _Box]:
    """Boxes row by row, each under the mean of its parents; lane-only targets to that side."""
    labels = {s.name: _wrap(s.label_en if en else s.label_vi, 26) for s in wdef.states}
    height = max(len(lines) for lines in labels.values()) * _LINE_H + 2 * _PAD
    rows: dict[int, list[str]] = defaultdict(list)
    for state in wdef.states:
        rows[layer[state.name]].append(state.name)
    centre: dict[str, float] = {}
    for row in sorted(rows):
        wanted = {}
        for name in rows[row]:
            parents = [
                centre[s]
                for e in edges
                if e.dest == name and e.lane is None
                for s in e.sources
                if s in centre
            ]
            sides = {e.lane for e in edges if e.dest == name and e.lane}
            wanted[name] = (
                sum(parents) / len(parents)
                if parents
                else math.inf
                if sides == {"right"}
                else -math.inf
                if sides
                else 0.0
            )
        order = sorted(rows[row], key=lambda n: wanted[n])  # stable: definition order on ties
        placed: list[float] = []
        for name in order:
            want = wanted[name] if math.isfinite(wanted[name]) else (placed[-1] if placed else 0.0)
            placed.append(max(want, placed[-1] + _BOX_W + _GAP_H) if placed else want)
        finite = [p - wanted[n] for n, p in zip(order, placed) if math.isfinite(wanted[n])]
        shift = sum(finite) / len(finite) if finite else 0.0
        centre.update({n: p - shift for n, p in zip(order, placed)})
    boxes = {}
    for state in wdef.states:
        boxes[state.name] = _Box(
            state.name,
            labels[state.name],
            centre[state.name] - _BOX_W / 2,
            layer[state.name] * (height + _GAP_V),
            height,
            state.terminal,
            state.public,
            state.editable,
        )
    return boxes


def _set_lanes(edges: list[_Edge], boxes: dict[str, _Box], layer: dict[str, int]) -> None:
    """Lanes outside every box: the shortest closest, each as wide as its label."""
    left = min(b.x for b in boxes.values()) - _LANE_OFF
    right = max(b.x + _BOX_W for b in boxes.values()) + _LANE_OFF
    for side, sign, start in (("left", -1, left), ("right", 1, right)):
        lanes = [e for e in edges if e.lane == side]
        offset = 0.0
        for index, edge in enumerate(
            sorted(lanes, key=lambda e: max(abs(layer[e.dest] - layer[s]) for s in e.sources))
        ):
            edge.x, edge.index = start + sign * offset, index
            offset += _width(edge.label) + 2 * _LANE_OFF


def _assign_ports(edges: list[_Edge], boxes: dict[str, _Box]) -> None:
    """Spread the arrows that meet a side of a box along it, in the order of their other
    ends, so neighbouring arrows do not cross."""
    sides: dict[tuple[str, str], list[tuple[float, int, tuple]]] = defaultdict(list)
    for n, edge in enumerate(edges):
        for source in edge.sources:
            down = boxes[edge.dest].y > boxes[source].y
            far = edge.x if edge.lane else boxes[edge.dest].cx
            near = edge.x if edge.lane else boxes[source].cx
            sides[(source, "bottom" if down else "top")].append((far, n, (source, "out")))
            # A lane has one arrival point per side of its target, shared by its sources.
            key = ("lane", "top" if down else "bottom") if edge.lane else (source, "in")
            entry = (near, n, key)
            if entry not in sides[(edge.dest, "top" if down else "bottom")]:
                sides[(edge.dest, "top" if down else "bottom")].append(entry)
    for (name, _), entries in sides.items():
        box = boxes[name]
        for i, (_, n, key) in enumerate(sorted(entries)):
            edges[n].ports[key] = box.x + _BOX_W * (i + 1) / (len(entries) + 1)


def _text(
    x: float,
    y: float,
    lines: list[str],
    anchor: str = "middle",
    size: int = 12,
    halo: bool = False,
    weight: str = "normal",
) -> str:
    first = y - (len(lines) - 1) * (_LINE_H - 2) / 2
    halo_attrs = (
        ' stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'
        if halo
        else ""
    )
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + i * (_LINE_H - 2):.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text text-anchor="{anchor}" dominant-baseline="middle" font-size="{size}" '
        f'font-weight="{weight}" fill="{_INK}"{halo_attrs}>{spans}</text>'
    )


def _draw_box(box: _Box) -> list[str]:
    fill = "#e8f5ec" if box.public else "#fff6e0" if box.editable else "#ffffff"
    stroke = _OK if box.public else _MUTED
    parts = [
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{_BOX_W}" height="{box.h:.1f}" rx="8" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
    ]
    if box.terminal:
        parts.append(
            f'<rect x="{box.x + 4:.1f}" y="{box.y + 4:.1f}" width="{_BOX_W - 8}" '
            f'height="{box.h - 8:.1f}" rx="5" fill="none" stroke="{stroke}"/>'
        )
    parts.append(_text(box.cx, box.cy, box.lines, size=13, weight="600"))
    return parts


def _line_attrs(marker: str) -> str:
    return f'fill="none" stroke="{_INK}" stroke-width="1.4" marker-end="url(#{marker})"'


class _Labels:
    """Edge labels between rows, each moved along its arrow until it overlaps no other."""

    def __init__(self) -> None:
        self.taken: list[tuple[float, float, float, float]] = []
        self.parts: list[str] = []

    def add(
        self, lines: list[str], x1: float, y1: float, x2: float, y2: float, right: bool
    ) -> None:
        w, h = _width(lines), len(lines) * (_LINE_H - 2)
        choice = None
        for t in (0.5, 0.3, 0.7, 0.2, 0.8):
            x, y = x1 + (x2 - x1) * t + (8 if right else -8), y1 + (y2 - y1) * t
            box = (x if right else x - w, y - h / 2, x + w if right else x, y + h / 2)
            if choice is None:
                choice = (x, y, box)
            if not any(_overlap(box, other) for other in self.taken):
                choice = (x, y, box)
                break
        x, y, box = choice
        self.taken.append(box)
        self.parts.append(_text(x, y, lines, "start" if right else "end", halo=True))


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _draw_arrow(
    edge: _Edge, edges: list[_Edge], boxes: dict[str, _Box], marker: str, labels: _Labels
) -> str:
    source, dest = boxes[edge.sources[0]], boxes[edge.dest]
    down = dest.y > source.y
    x1, x2 = edge.ports[(source.name, "out")], edge.ports[(source.name, "in")]
    y1, y2 = (source.bottom, dest.y) if down else (source.y, dest.bottom)
    # The label goes on the side the arrow leans to; twins (A→B, B→A) on their outer sides.
    twin = any(
        e.lane is None and e.sources == (edge.dest,) and e.dest == source.name for e in edges
    )
    lean = (x2 - x1) if down else (x1 - x2)
    mid = (x1 + x2) / 2
    right = mid >= (source.cx + dest.cx) / 2 if twin or abs(lean) <= 1 else lean > 0
    labels.add(edge.label, x1, y1, x2, y2, right)
    return f'<path d="M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}" {_line_attrs(marker)}/>'


def _draw_lane(edge: _Edge, boxes: dict[str, _Box], marker: str, rows: list[float]) -> list[str]:
    dest, parts, ys = boxes[edge.dest], [], []
    step = 12 + 8 * edge.index + (4 if edge.lane == "right" else 0)
    for source in edge.sources:
        box = boxes[source]
        down = dest.y > box.y
        x1, x2 = edge.ports[(source, "out")], edge.ports[("lane", "top" if down else "bottom")]
        y0, y1 = (box.bottom, box.bottom + step) if down else (box.y, box.y - step)
        y3, y2 = (dest.y, dest.y - step) if down else (dest.bottom, dest.bottom + step)
        ys += [y1, y2]
        parts.append(
            f'<path d="M{x1:.1f},{y0:.1f} V{y1:.1f} H{edge.x:.1f} V{y2:.1f} H{x2:.1f} '
            f'V{y3:.1f}" {_line_attrs(marker)}/>'
        )
    low, high = min(ys), max(ys)
    inside = [y for y in rows if low < y < high]  # beside a row of boxes, never in a gap
    label_y = min(inside, key=lambda y: abs(y - (low + high) / 2)) if inside else (low + high) / 2
    left = edge.lane == "left"
    parts.append(
        _text(
            edge.x + (-8 if left else 8), label_y, edge.label, "end" if left else "start", halo=True
        )
    )
    return parts


def svg(wdef: WorkflowDef, locale: str = "vi") -> str:
    """The lifecycle as an inline SVG: labelled state boxes and arrows labelled with actions."""
    en = locale.startswith("en")
    layer = _layers(wdef)
    edges = _edges(wdef, layer, en)
    boxes = _place(wdef, layer, edges, en)
    _set_lanes(edges, boxes, layer)
    _assign_ports(edges, boxes)
    marker = f"arrow-{wdef.kind}"
    rows = sorted({b.cy for b in boxes.values()})
    body = [part for box in boxes.values() for part in _draw_box(box)]
    labels = _Labels()
    for edge in edges:
        if edge.lane:
            body += _draw_lane(edge, boxes, marker, rows)
        else:
            body.append(_draw_arrow(edge, edges, boxes, marker, labels))
    body += labels.parts
    start = boxes[wdef.initial]
    body.append(f'<circle cx="{start.cx:.1f}" cy="{start.y - 34:.1f}" r="7" fill="{_INK}"/>')
    body.append(
        f'<path d="M{start.cx:.1f},{start.y - 27:.1f} V{start.y:.1f}" {_line_attrs(marker)}/>'
    )
    xs = [b.x for b in boxes.values()] + [b.x + _BOX_W for b in boxes.values()]
    for edge in edges:
        if edge.lane:
            reach = _width(edge.label) + 12
            xs.append(edge.x - reach if edge.lane == "left" else edge.x + reach)
    x0, x1 = min(xs) - _MARGIN, max(xs) + _MARGIN
    y0, y1 = -41 - _MARGIN, max(b.bottom for b in boxes.values()) + _MARGIN
    title = wdef.label_en if en else wdef.label_vi
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0:.1f} {y0:.1f} {x1 - x0:.1f} '
        f'{y1 - y0:.1f}" width="{x1 - x0:.0f}" height="{y1 - y0:.0f}" role="img" '
        f'aria-labelledby="{marker}-title" font-family="{_FONT}">'
        f'<title id="{marker}-title">{escape(title)}</title>'
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        f'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{_INK}"/></marker></defs>' + "".join(body) + "</svg>"
    )
