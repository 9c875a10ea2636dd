"""The family graph's layout: layers by time, no overlap, fewer crossings than a naive order."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.graph.layout import (
    Layout,
    assign_layers,
    count_crossings,
    layered_layout,
    naive_order,
    proper_graph,
)

Nodes = list[tuple[str, date | None]]
Edges = list[tuple[str, str]]


def generated_family(seed: int, n: int = 30, *, undated: float = 0.2) -> tuple[Nodes, Edges]:
    """A story family as detect draws them: a best-source tree from one origin, each copy
    published 0-5 days after its source (same-day copies too), a share of them undated, the
    members in no particular order."""
    rng = random.Random(seed)
    d0 = date(2017, 7, 1)
    nodes: Nodes = [("n00", d0)]
    edges: Edges = []
    day = {"n00": d0}  # when each was published, known or not
    for i in range(1, n):
        parent = f"n{rng.randrange(i):02d}"
        me = f"n{i:02d}"
        day[me] = day[parent] + timedelta(days=rng.choice([0, 1, 1, 2, 3, 5]))
        nodes.append((me, None if rng.random() < undated else day[me]))
        edges.append((parent, me))
    rng.shuffle(nodes)
    return nodes, edges


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def check_layout(nodes: Nodes, edges: Edges, lay: Layout) -> None:
    """What every layout must give: every node a box, no two boxes overlapping, dated nodes in
    time order, undated ones below the dated band, each arrow through neighbouring columns."""
    day = dict(nodes)
    boxes = lay.boxes
    assert set(boxes) == set(day)
    rects = [(b.x, b.y, b.width, b.height) for b in boxes.values()]
    for a, b in itertools.combinations(rects, 2):
        assert not _overlap(a, b), (a, b)
    for b in boxes.values():
        assert b.x >= 0 and b.x + b.width <= lay.width + 1e-6
        assert b.y >= 0 and b.y + b.height <= lay.height + 1e-6
    for u, v in itertools.permutations(boxes, 2):
        du, dv = day[u], day[v]
        if du and dv and du < dv:
            assert boxes[u].layer < boxes[v].layer and boxes[u].x < boxes[v].x
    assert all(b.dated == (day[b.id] is not None) for b in boxes.values())
    if lay.undated_top is not None:
        dated_bottom = max(b.y + b.height for b in boxes.values() if b.dated)
        assert dated_bottom < lay.undated_top
        assert all(b.y >= lay.undated_top for b in boxes.values() if not b.dated)
    items = lay.graph.items
    for a, b in lay.graph.edges:
        assert items[b].layer == items[a].layer + 1
    for (s, t), chain in lay.graph.chains.items():
        layers = [items[i].layer for i in chain]
        assert layers[0] == boxes[s].layer and layers[-1] == boxes[t].layer
        assert all(abs(x - y) == 1 for x, y in itertools.pairwise(layers))
    wanted = {(s, t) for s, t in edges if s in day and t in day and s != t}
    assert {(r.source, r.target) for r in lay.routes} == wanted
    for r in lay.routes:
        src, dst = boxes[r.source], boxes[r.target]
        assert r.points[0][1] == pytest.approx(src.cy) and r.points[-1][1] == pytest.approx(dst.cy)
    assert sorted(i for col in lay.order for i in col) == list(range(len(items)))
    assert lay.crossings == count_crossings(lay.graph, lay.order)


def test_time_layers_same_day_copies_and_undated() -> None:
    d = date(2017, 7, 9)
    nodes: Nodes = [
        ("o", d), ("same", d), ("same2", d), ("next", d + timedelta(1)),
        ("late", d + timedelta(9)), ("u", None), ("uroot", None), ("c", d + timedelta(1)),
    ]  # fmt: skip
    edges: Edges = [("o", "same"), ("same", "same2"), ("o", "next"), ("o", "late"),
                    ("next", "u"), ("uroot", "c")]  # fmt: skip
    layers = assign_layers(nodes, edges)
    assert layers["o"] == 0 and layers["same"] == 1 and layers["same2"] == 2  # a same-day chain
    assert layers["next"] == layers["c"] == 3 and layers["late"] == 4
    assert layers["u"] == 4  # after its source
    assert layers["uroot"] == 2  # an undated origin: just before its first copy
    lay = layered_layout(nodes, edges)
    check_layout(nodes, edges, lay)
    assert [c.day for c in lay.columns] == [d, d, d, d + timedelta(1), d + timedelta(9)]
    assert lay.undated_top is not None
    # o -> late passes three columns, o -> next two of them: one lane, shared.
    to_late, to_next = lay.graph.chains[("o", "late")], lay.graph.chains[("o", "next")]
    assert len(to_late) == 5 and to_next[:3] == to_late[:3]
    assert next(r for r in lay.routes if r.target == "late").kind == "forward"


def test_a_star_shares_one_lane() -> None:
    d = date(2017, 1, 1)
    nodes: Nodes = [("o", d)] + [(f"c{i}", d + timedelta(i)) for i in range(1, 26)]
    edges: Edges = [("o", f"c{i}") for i in range(1, 26)]
    lay = layered_layout(nodes, edges)
    check_layout(nodes, edges, lay)
    waypoints = [it for it in lay.graph.items if it.node is None]
    assert len(waypoints) == 24  # one per column crossed, not one per arrow and column
    assert lay.crossings == 0
    assert lay.height < 3 * 58  # a lane and a box per column, not 25 lanes


def test_backward_flat_and_undated_only() -> None:
    d = date(2017, 1, 5)
    nodes: Nodes = [("late_source", d + timedelta(3)), ("early_copy", d)]
    lay = layered_layout(nodes, [("late_source", "early_copy")])
    assert lay.routes[0].kind == "backward"
    assert lay.routes[0].points[0][0] == lay.boxes["late_source"].x  # leaves by its left edge
    undated: Nodes = [("a", None), ("b", None), ("c", None)]
    lay = layered_layout(undated, [("a", "b"), ("b", "c")])
    check_layout(undated, [("a", "b"), ("b", "c")], lay)
    assert [lay.boxes[i].layer for i in "abc"] == [0, 1, 2] and lay.undated_top is None
    with pytest.raises(ValueError, match="distinct"):
        layered_layout([("a", None), ("a", None)], [])
    assert layered_layout([], []).boxes == {}


def test_count_crossings() -> None:
    nodes: Nodes = [("a", date(2017, 1, 1)), ("b", date(2017, 1, 1)),
                    ("x", date(2017, 1, 2)), ("y", date(2017, 1, 2))]  # fmt: skip
    edges: Edges = [("a", "y"), ("b", "x")]
    g = proper_graph(nodes, edges, assign_layers(nodes, edges))
    assert count_crossings(g, [[0, 1], [2, 3]]) == 1  # a above b, x above y: an X
    assert count_crossings(g, [[0, 1], [3, 2]]) == 0
    assert layered_layout(nodes, edges).crossings == 0


def test_thirty_articles_cross_less_than_the_naive_order() -> None:
    naive_total = ours_total = 0
    for seed in range(20):
        nodes, edges = generated_family(seed)
        lay = layered_layout(nodes, edges)
        check_layout(nodes, edges, lay)
        naive = count_crossings(lay.graph, naive_order(lay.graph))
        assert lay.crossings <= naive
        naive_total += naive
        ours_total += lay.crossings
    nodes, edges = generated_family(0)
    lay = layered_layout(nodes, edges)
    assert lay.crossings < count_crossings(lay.graph, naive_order(lay.graph)) / 2
    assert ours_total < naive_total / 2  # measured: 102 against 494
    # Dated only, a tree is drawn without any crossing.
    for seed in range(10):
        nodes, edges = generated_family(seed, undated=0.0)
        assert layered_layout(nodes, edges).crossings == 0


@st.composite
def forests(draw: st.DrawFn) -> tuple[Nodes, Edges]:
    n = draw(st.integers(1, 40))
    nodes: Nodes = []
    edges: Edges = []
    for i in range(n):
        offset = draw(st.one_of(st.none(), st.integers(0, 12)))
        nodes.append((f"n{i}", None if offset is None else date(2017, 1, 1) + timedelta(offset)))
        if i and draw(st.booleans()):
            edges.append((f"n{draw(st.integers(0, i - 1))}", f"n{i}"))
    return nodes, edges


@settings(max_examples=150, deadline=None)
@given(forests())
def test_any_forest_is_laid_out_cleanly(family: tuple[Nodes, Edges]) -> None:
    nodes, edges = family
    lay = layered_layout(nodes, edges)
    check_layout(nodes, edges, lay)
    assert lay.crossings <= count_crossings(lay.graph, naive_order(lay.graph))
