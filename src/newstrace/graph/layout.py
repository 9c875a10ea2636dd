"""A story family drawn in layers by time: where each article's box goes, and each arrow's route.

A layered (Sugiyama-style) layout, in pure Python over plain data, in four steps:

1. **Layers by time.** Columns run left to right in date order: an article published on an
   earlier day is always in an earlier column. Articles of one day share a column, except that
   a copy comes after its source (a copy made the same day goes in a next column of that day),
   so that arrows run left to right. Undated articles go in the column after their source (or
   before their first copy, when they are an origin), in a band of their own below the dated
   ones: their column says where they sit in the derivation, not when they appeared.
2. **A proper graph.** An arrow that spans several columns passes through a waypoint (a dummy
   node) in each column between, so that every edge joins neighbouring columns and arrows route
   around boxes. The arrows from one source that go the same way share their waypoints (edge
   concentration: a bus), so that an origin copied on 25 days needs one lane, not 25.
3. **Crossing reduction.** Each column is ordered to start with a depth-first walk (a tree is
   then drawn without crossings), then by barycentre sweeps, left to right and right to left: an
   item moves to the mean position of its neighbours in the column before (after); the order
   with the fewest crossings met is kept; after each sweep, neighbours are swapped wherever that
   removes crossings (transposition). Dated items always come before undated ones.
4. **Coordinates.** Each item moves toward the mean height of its neighbours, in sweeps; the
   items of a column keep their order and never overlap (isotonic regression with minimum gaps:
   the weighted least-squares placement that keeps order and spacing, by pool-adjacent-
   violators). Waypoints weigh more than boxes, so lanes run straight and boxes come to them
   (the priority of long edges in Sugiyama's own method). The undated band is then set below
   the dated one.

The result, :class:`Layout`, gives boxes (``x``, ``y``, ``width``, ``height``), each arrow's
route through its waypoints, the columns with their day, and the crossings left. The web app's
family graph draws it (:func:`newstrace.web.charts.family_graph_svg`).

Example:
    >>> from datetime import date
    >>> lay = layered_layout(
    ...     [("o", date(2017, 7, 8)), ("a", date(2017, 7, 9)), ("b", date(2017, 7, 11)), ("u", None)],
    ...     [("o", "a"), ("o", "b"), ("a", "u")],
    ... )
    >>> [(i, lay.boxes[i].layer, lay.boxes[i].dated) for i in "oabu"]
    [('o', 0, True), ('a', 1, True), ('b', 2, True), ('u', 2, False)]
    >>> lay.crossings
    0
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "Box",
    "Column",
    "Item",
    "Layout",
    "ProperGraph",
    "Route",
    "assign_layers",
    "count_crossings",
    "layered_layout",
    "naive_order",
    "order_layers",
    "proper_graph",
]

DATED, UNDATED = 0, 1
"""The two bands of a column: dated articles above, undated ones below."""


@dataclass(frozen=True, slots=True)
class Item:
    """One thing placed in a column: an article (``node`` is its id) or an arrow's waypoint
    (``node`` is None).

    Attributes:
        layer: the column.
        band: :data:`DATED` or :data:`UNDATED`.
        key: what orders items when nothing else does (day, id), for a stable layout.
    """

    layer: int
    band: int
    node: str | None
    key: tuple[str, str]


@dataclass(frozen=True, slots=True)
class ProperGraph:
    """Articles and waypoints by column, and edges that each join neighbouring columns.

    Attributes:
        items: every item; articles first, in the order given.
        edges: ``(i, j)`` item indices with ``items[j].layer == items[i].layer + 1`` (the edge's
            direction as drawn left to right, whatever the arrow's).
        chains: for each arrow ``(source, target)`` that spans columns, the items it passes
            through, from source to target.
        flat: arrows whose two articles share a column (not part of the proper graph).
        layers: how many columns.
    """

    items: tuple[Item, ...]
    edges: tuple[tuple[int, int], ...]
    chains: dict[tuple[str, str], tuple[int, ...]]
    flat: tuple[tuple[str, str], ...]
    layers: int


@dataclass(frozen=True, slots=True)
class Box:
    """Where an article's box goes (top-left corner, size), its column and band."""

    id: str
    layer: int
    x: float
    y: float
    width: float
    height: float
    dated: bool

    @property
    def cy(self) -> float:
        return self.y + self.height / 2


@dataclass(frozen=True, slots=True)
class Route:
    """An arrow from ``source`` to ``target``: the points it passes through, from the source
    box's edge to the target box's edge (``forward``: left to right; ``backward``: a source
    published after its copy; ``flat``: both in one column, the points are the two boxes'
    right-edge middles)."""

    source: str
    target: str
    kind: Literal["forward", "backward", "flat"]
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its left ``x`` and the day of its dated articles (None: undated only)."""

    x: float
    day: date | None


@dataclass(frozen=True, slots=True)
class Layout:
    """A laid-out family (see the module). Coordinates start at 0; ``width`` and ``height``
    hold every box and route."""

    boxes: dict[str, Box]
    routes: tuple[Route, ...]
    columns: tuple[Column, ...]
    undated_top: float | None
    """Where the undated band starts (None when no article is undated, or none is dated)."""
    width: float
    height: float
    graph: ProperGraph
    order: tuple[tuple[int, ...], ...]
    crossings: int


# -- 1. layers ---------------------------------------------------------------------------------
def _reaches(succ: dict[int, list[tuple[int, int]]], start: int, goal: int) -> bool:
    seen, todo = {start}, [start]
    while todo:
        n = todo.pop()
        if n == goal:
            return True
        for m, _ in succ[n]:
            if m not in seen:
                seen.add(m)
                todo.append(m)
    return False


def assign_layers(
    nodes: Sequence[tuple[str, date | None]], edges: Sequence[tuple[str, str]]
) -> dict[str, int]:
    """The column of each node (step 1 of the module), the least that meets these constraints
    (longest paths over them):

    * time: every dated node of a day comes after every dated node of an earlier day;
    * arrows run forward: a copy comes after its source, when both are dated and the source is
      not the later, and when either is undated, unless that contradicts the dates through
      other arrows (then the arrow is drawn backward or inside its column);

    then an undated origin moves up to just before its first copy.

    Guarantees, for dated nodes ``u``, ``v``: ``day(u) < day(v)`` implies
    ``layer(u) < layer(v)``; columns start at 0.
    """
    ids = [n for n, _ in nodes]
    day = dict(nodes)
    index = {n: i for i, n in enumerate(ids)}
    days = sorted({d for d in day.values() if d is not None})
    rank = {d: k for k, d in enumerate(days)}
    # Constraint graph: nodes 0..n-1, then one barrier after each day but the last (weight 0
    # into it, 1 out of it), so time order costs O(n) edges, not O(n^2).
    succ: dict[int, list[tuple[int, int]]] = defaultdict(list)
    has_pred: set[int] = set()

    def add(a: int, b: int, w: int) -> None:
        succ[a].append((b, w))
        has_pred.add(b)

    barrier = len(ids)
    for i, n in enumerate(ids):
        if (d := day[n]) is not None:
            if rank[d] < len(days) - 1:
                add(i, barrier + rank[d], 0)
            if rank[d] > 0:
                add(barrier + rank[d] - 1, i, 1)
    later: list[tuple[int, int]] = []
    for s, t in dict.fromkeys(edges):
        if s not in index or t not in index or s == t:
            continue
        ds, dt = day[s], day[t]
        if ds is not None and dt is not None and ds < dt:
            add(index[s], index[t], 1)  # forward in time: never a cycle
        elif ds is None or dt is None or ds == dt:
            later.append((index[s], index[t]))
    for a, b in later:  # only where it makes no cycle (with the dates, or in the input)
        if not _reaches(succ, b, a):
            add(a, b, 1)
    total = barrier + max(len(days) - 1, 0)
    indeg = [0] * total
    for a in range(total):
        for b, _ in succ[a]:
            indeg[b] += 1
    ready = [a for a in range(total) if indeg[a] == 0]
    topo: list[int] = []
    while ready:
        a = ready.pop()
        topo.append(a)
        for b, _ in succ[a]:
            indeg[b] -= 1
            if indeg[b] == 0:
                ready.append(b)
    level = [0] * total
    for a in topo:
        for b, w in succ[a]:
            level[b] = max(level[b], level[a] + w)
    for a in reversed(topo):  # an undated origin: just before its first copy
        if a < barrier and day[ids[a]] is None and a not in has_pred and succ[a]:
            level[a] = min(level[b] - w for b, w in succ[a])
    low = min(level[:barrier], default=0)
    return {n: level[i] - low for i, n in enumerate(ids)}


# -- 2. proper graph ---------------------------------------------------------------------------
def proper_graph(
    nodes: Sequence[tuple[str, date | None]],
    edges: Sequence[tuple[str, str]],
    layers: dict[str, int],
) -> ProperGraph:
    """Articles and the waypoints of arrows that span columns (step 2 of the module)."""
    items: list[Item] = []
    index: dict[str, int] = {}
    for n, d in nodes:
        index[n] = len(items)
        items.append(Item(layers[n], DATED if d else UNDATED, n, (d.isoformat() if d else "~", n)))
    waypoint: dict[tuple[str, int, int, int], int] = {}
    pairs: set[tuple[int, int]] = set()
    chains: dict[tuple[str, str], tuple[int, ...]] = {}
    flat: list[tuple[str, str]] = []
    for s, t in edges:
        if s not in index or t not in index or s == t or (s, t) in chains or (s, t) in flat:
            continue
        ls, lt = layers[s], layers[t]
        if ls == lt:
            flat.append((s, t))
            continue
        step = 1 if lt > ls else -1
        band = items[index[t]].band
        chain = [index[s]]
        for k in range(ls + step, lt, step):  # one lane per source, direction and band
            lane = (s, step, band, k)
            if lane not in waypoint:
                waypoint[lane] = len(items)
                items.append(Item(k, band, None, (items[index[s]].key[0], f"{s}>{k}")))
            chain.append(waypoint[lane])
        chain.append(index[t])
        chains[(s, t)] = tuple(chain)
        for a, b in itertools.pairwise(chain):
            pairs.add((a, b) if items[a].layer < items[b].layer else (b, a))
    n_layers = max((it.layer for it in items), default=-1) + 1
    return ProperGraph(tuple(items), tuple(sorted(pairs)), chains, tuple(flat), n_layers)


# -- 3. crossings ------------------------------------------------------------------------------
def _inversions(seq: list[int]) -> int:
    """Pairs ``i < j`` with ``seq[i] > seq[j]`` (merge sort, O(n log n))."""
    if len(seq) < 2:
        return 0
    mid = len(seq) // 2
    left, right = seq[:mid], seq[mid:]
    count = _inversions(left) + _inversions(right)
    left.sort()
    right.sort()
    j = 0
    for x in left:  # for each left value, how many right values are smaller
        while j < len(right) and right[j] < x:
            j += 1
        count += j
    return count


def count_crossings(graph: ProperGraph, order: Sequence[Sequence[int]]) -> int:
    """How many pairs of edges cross when each column is ordered as ``order`` says (edges that
    share an end do not cross)."""
    pos = {i: p for column in order for p, i in enumerate(column)}
    by_layer: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a, b in graph.edges:
        by_layer[graph.items[a].layer].append((pos[a], pos[b]))
    total = 0
    for pairs in by_layer.values():
        pairs.sort()
        total += _inversions([b for _, b in pairs])
    return total


def naive_order(graph: ProperGraph) -> tuple[tuple[int, ...], ...]:
    """Each column sorted by band, then day and id (waypoints by their source's day): the
    order a layout without crossing reduction would draw."""
    cols: list[list[int]] = [[] for _ in range(graph.layers)]
    for i, it in enumerate(graph.items):
        cols[it.layer].append(i)
    return tuple(
        tuple(sorted(c, key=lambda i: (graph.items[i].band, graph.items[i].key))) for c in cols
    )


def _dfs_order(graph: ProperGraph) -> list[list[int]]:
    """Columns in the order a depth-first walk meets their items: a tree comes out without
    crossings, each subtree contiguous in every column."""
    adj: dict[int, list[int]] = defaultdict(list)
    for a, b in graph.edges:
        adj[a].append(b)
        adj[b].append(a)
    items = graph.items
    for v in adj.values():
        v.sort(key=lambda i: (items[i].band, items[i].key))
    seen: dict[int, int] = {}
    starts = sorted(range(len(items)), key=lambda i: (items[i].layer, items[i].band, items[i].key))
    for start in starts:
        if start in seen:
            continue
        stack = [start]
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen[n] = len(seen)
            stack.extend(reversed([m for m in adj[n] if m not in seen]))
    cols: list[list[int]] = [[] for _ in range(graph.layers)]
    for i in sorted(seen, key=seen.__getitem__):
        cols[items[i].layer].append(i)
    return [sorted(c, key=lambda i: (items[i].band, seen[i])) for c in cols]


def _pair_crossings(u: Sequence[int], v: Sequence[int], pos: dict[int, int]) -> int:
    """Crossings between the edges of ``u`` and those of ``v`` to one neighbouring column when
    ``u``'s item lies above ``v``'s (``u``, ``v``: their neighbours there)."""
    return sum(1 for a in u for b in v if pos[a] > pos[b])


def _transpose(
    cols: list[list[int]],
    items: Sequence[Item],
    preds: dict[int, list[int]],
    succs: dict[int, list[int]],
    *,
    rounds: int = 4,
) -> None:
    """Swap neighbours of a column (same band) while that removes crossings with the columns
    on either side (Gansner et al.'s transpose step), in place."""
    for _ in range(rounds):
        improved = False
        for k, col in enumerate(cols):
            before = {i: p for p, i in enumerate(cols[k - 1])} if k else {}
            after = {i: p for p, i in enumerate(cols[k + 1])} if k + 1 < len(cols) else {}
            for p in range(len(col) - 1):
                u, v = col[p], col[p + 1]
                if items[u].band != items[v].band:
                    continue
                now = _pair_crossings(preds[u], preds[v], before) + _pair_crossings(
                    succs[u], succs[v], after
                )
                swapped = _pair_crossings(preds[v], preds[u], before) + _pair_crossings(
                    succs[v], succs[u], after
                )
                if swapped < now:
                    col[p], col[p + 1] = v, u
                    improved = True
        if not improved:
            return


def order_layers(graph: ProperGraph, *, sweeps: int = 8) -> tuple[tuple[int, ...], ...]:
    """The order of each column (step 3 of the module): depth-first, then barycentre sweeps
    each followed by transposition of neighbours; the order with the fewest crossings met,
    never more than :func:`naive_order`'s."""
    preds: dict[int, list[int]] = defaultdict(list)
    succs: dict[int, list[int]] = defaultdict(list)
    for a, b in graph.edges:
        succs[a].append(b)
        preds[b].append(a)
    items = graph.items
    cols = _dfs_order(graph)
    best = tuple(tuple(c) for c in cols)
    best_n = count_crossings(graph, best)
    naive = naive_order(graph)
    if (naive_n := count_crossings(graph, naive)) < best_n:
        best, best_n, cols = naive, naive_n, [list(c) for c in naive]
    stale = 0
    for sweep in range(sweeps):
        if best_n == 0:
            break
        down = sweep % 2 == 0
        layer_seq = range(1, graph.layers) if down else range(graph.layers - 2, -1, -1)
        for k in layer_seq:
            ref = {i: p for p, i in enumerate(cols[k - 1 if down else k + 1])}
            nbrs = preds if down else succs
            keys: dict[int, tuple[int, float, int]] = {}
            for p, i in enumerate(cols[k]):
                ns = [ref[j] for j in nbrs[i] if j in ref]
                # An item with no neighbour there keeps its place.
                keys[i] = (items[i].band, sum(ns) / len(ns) if ns else float(p), p)
            cols[k].sort(key=keys.__getitem__)
        _transpose(cols, items, preds, succs)
        n = count_crossings(graph, cols)
        if n < best_n:
            best, best_n, stale = tuple(tuple(c) for c in cols), n, 0
        else:
            stale += 1
            if stale >= 3:
                break
    return best


# -- 4. coordinates ----------------------------------------------------------------------------
def _place(
    desired: list[float], sizes: list[float], gaps: list[float], weights: list[float]
) -> list[float]:
    """Tops for a column's items, in order, as near ``desired`` as can be (weighted least
    squares) with ``top[i + 1] >= top[i] + sizes[i] + gaps[i]`` (pool adjacent violators)."""
    offsets = [0.0]
    for s, g in zip(sizes, gaps, strict=False):
        offsets.append(offsets[-1] + s + g)
    blocks: list[tuple[float, float, int]] = []  # (weighted mean, weight, items)
    for d, o, w in zip(desired, offsets, weights, strict=False):
        mean, weight, count = d - o, w, 1
        while blocks and blocks[-1][0] > mean:
            m, wt, c = blocks.pop()
            mean = (m * wt + mean * weight) / (wt + weight)
            weight, count = wt + weight, c + count
        blocks.append((mean, weight, count))
    out: list[float] = []
    for m, _, c in blocks:
        out.extend([m] * c)
    return [z + o for z, o in zip(out, offsets, strict=False)]


def layered_layout(
    nodes: Sequence[tuple[str, date | None]],
    edges: Sequence[tuple[str, str]],
    *,
    box_width: float = 210,
    box_height: float = 58,
    column_gap: float = 60,
    node_gap: float = 16,
    lane_gap: float = 10,
    band_gap: float = 40,
    sweeps: int = 8,
    lane_weight: float = 100.0,
) -> Layout:
    """Lay out a family: ``nodes`` are ``(id, day or None)``, ``edges`` ``(source,
    derivative)`` (see the module for how).

    Args:
        nodes: the articles, each with its publication day (None: undated).
        edges: arrows from a source to an article made from it; edges naming unknown nodes are
            ignored.
        box_width, box_height: an article's box.
        column_gap: between columns (where arrows bend).
        node_gap: the least space between two boxes of a column.
        lane_gap: the least space between a waypoint and its neighbours in a column.
        band_gap: between the dated band and the undated one.
        sweeps: barycentre sweeps at most.
        lane_weight: how much more a waypoint holds its height than a box (lanes run
            straight, boxes move to them).

    Raises:
        ValueError: a size is not positive, or two nodes share an id.
    """
    if min(box_width, box_height) <= 0 or min(column_gap, node_gap, lane_gap, band_gap) < 0:
        raise ValueError("box sizes must be positive and gaps not negative")
    if len({n for n, _ in nodes}) != len(nodes):
        raise ValueError("node ids must be distinct")
    layers = assign_layers(nodes, edges)
    graph = proper_graph(nodes, edges, layers)
    order = order_layers(graph, sweeps=sweeps)
    items = graph.items
    size = [box_height if it.node is not None else 0.0 for it in items]
    nbrs: dict[int, list[int]] = defaultdict(list)
    for a, b in graph.edges:
        nbrs[a].append(b)
        nbrs[b].append(a)

    def gap(a: int, b: int) -> float:
        both = items[a].node is not None and items[b].node is not None
        return node_gap if both else lane_gap

    top = [0.0] * len(items)
    for col in order:
        y = 0.0
        for i in col:
            top[i] = y
            y += size[i] + (node_gap if items[i].node is not None else lane_gap)

    def centre(i: int) -> float:
        return top[i] + size[i] / 2

    def relax(col: Sequence[int], toward: Collection[int] | None) -> None:
        want = []
        for i in col:
            ns = [j for j in nbrs[i] if toward is None or j in toward]
            if items[i].node is None:  # a lane follows its lane, not the boxes it reaches
                ns = [j for j in ns if items[j].node is None] or ns
            want.append(sum(centre(j) for j in ns) / len(ns) - size[i] / 2 if ns else top[i])
        for band in (DATED, UNDATED):
            idx = [p for p, i in enumerate(col) if items[i].band == band]
            if not idx:
                continue
            members = [col[p] for p in idx]
            placed = _place(
                [want[p] for p in idx],
                [size[i] for i in members],
                [gap(a, b) for a, b in itertools.pairwise(members)],
                [1.0 if items[i].node is not None else lane_weight for i in members],
            )
            for i, t in zip(members, placed, strict=False):
                top[i] = t

    col_sets = [set(c) for c in order]
    for sweep in range(4):
        if sweep % 2 == 0:
            for k in range(1, len(order)):
                relax(order[k], col_sets[k - 1])
        else:
            for k in range(len(order) - 2, -1, -1):
                relax(order[k], col_sets[k + 1])
    for col in order:
        relax(col, None)
    dated = [i for i in range(len(items)) if items[i].band == DATED]
    undated = [i for i in range(len(items)) if items[i].band == UNDATED]
    undated_top: float | None = None
    if dated and undated:
        bottom = max(top[i] + size[i] for i in dated)
        undated_top = bottom + band_gap
        shift = undated_top - min(top[i] for i in undated)
        for i in undated:
            top[i] += shift
    low = min(top, default=0.0)
    top = [t - low for t in top]
    if undated_top is not None:
        undated_top = min(top[i] for i in undated)  # exactly, not up to rounding
    pitch = box_width + column_gap
    boxes = {
        it.node: Box(it.node, it.layer, it.layer * pitch, top[i], box_width, box_height,
                     it.band == DATED)
        for i, it in enumerate(items)
        if it.node is not None
    }  # fmt: skip
    routes: list[Route] = []
    for (s, t), chain in graph.chains.items():
        bs, bt = boxes[s], boxes[t]
        forward = bt.layer > bs.layer
        points = [(bs.x + box_width if forward else bs.x, bs.cy)]
        for i in chain[1:-1]:
            x = items[i].layer * pitch
            ends = (x, x + box_width) if forward else (x + box_width, x)
            points.extend((e, top[i]) for e in ends)
        points.append((bt.x if forward else bt.x + box_width, bt.cy))
        routes.append(Route(s, t, "forward" if forward else "backward", tuple(points)))
    for s, t in graph.flat:
        bs, bt = boxes[s], boxes[t]
        routes.append(Route(s, t, "flat", ((bs.x + box_width, bs.cy), (bt.x + box_width, bt.cy))))
    days: dict[int, date] = {}
    for n, d in nodes:
        if d is not None:
            days[layers[n]] = d
    columns = tuple(Column(k * pitch, days.get(k)) for k in range(graph.layers))
    height = max((top[i] + size[i] for i in range(len(items))), default=0.0)
    width = graph.layers * pitch - column_gap if graph.layers else 0.0
    return Layout(
        boxes=boxes,
        routes=tuple(routes),
        columns=columns,
        undated_top=undated_top,
        width=width,
        height=height,
        graph=graph,
        order=order,
        crossings=count_crossings(graph, order),
    )
