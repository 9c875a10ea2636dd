"""The graph stage: best sources, acyclic forests, families and outlet flows."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.graph import (
    ROUNDUP_STORIES,
    Edge,
    Node,
    best_sources,
    build_forest,
    excerpts,
    hub_excerpt,
    outlet_network,
    roundups,
)


def nodes(*specs: tuple[str, str | None]) -> dict[str, Node]:
    return {i: Node(i, f"Outlet {i}", day, 1000) for i, day in specs}


def test_excerpt_of_an_excerpt_takes_the_nearest_excerpt() -> None:
    # g: a whole article; e: an excerpt of it; c: commentary on e. c uses most of e but under half
    # of g, and its direction from g is (as usual) the more confident one: e is still c's source.
    ns = nodes(("g", "2024-01-01"), ("e", "2024-01-02"), ("c", "2024-01-03"))
    edges = [
        Edge("g", "e", "derived", 0.8, 1.0, 0.5),
        Edge("g", "c", "derived", 0.88, 0.79, 0.39),
        Edge("e", "c", "derived", 0.71, 0.79, 0.89),
    ]
    forest = build_forest(edges, ns)
    assert forest.derived_from == {"g": None, "e": "g", "c": "e"}
    assert forest.depth == {"g": 0, "e": 1, "c": 2}
    assert set(forest.family.values()) == {"g"}


def test_copy_of_a_copy_takes_the_latest_copy_published_before_it() -> None:
    ns = nodes(("o", "2024-01-01"), ("c1", "2024-01-03"), ("c2", "2024-01-05"))
    edges = [
        Edge("o", "c1", "duplicate", 0.63, 1.0, 1.0),
        Edge("o", "c2", "duplicate", 0.92, 1.0, 1.0),
        Edge("c1", "c2", "duplicate", 0.63, 1.0, 1.0),
    ]
    assert best_sources(edges, ns)["c2"].source == "c1"


def test_coverage_of_the_derivative_comes_first() -> None:
    ns = nodes(("a", "2024-01-01"), ("b", "2024-01-02"), ("d", "2024-01-03"))
    edges = [Edge("a", "d", "partial", 0.9, 0.2, 1.0), Edge("b", "d", "derived", 0.5, 0.9, 0.6)]
    assert best_sources(edges, ns)["d"].source == "b"


def test_a_source_published_after_the_derivative_loses_a_tie() -> None:
    ns = nodes(("early", "2024-01-01"), ("late", "2024-02-01"), ("d", "2024-01-10"))
    edges = [
        Edge("late", "d", "duplicate", 0.0, 1.0, 1.0),
        Edge("early", "d", "duplicate", 0.0, 1.0, 1.0),
    ]
    assert best_sources(edges, ns)["d"].source == "early"


def test_two_undated_duplicates_pointing_at_each_other_are_cut_into_a_tree() -> None:
    ns = nodes(("x", None), ("y", None))
    edges = [Edge("x", "y", "duplicate", 0.0, 1.0, 1.0), Edge("y", "x", "duplicate", 0.0, 1.0, 1.0)]
    forest = build_forest(edges, ns)
    assert sorted(forest.derived_from.items(), key=str) == [("x", None), ("y", "x")]
    assert forest.family == {"x": "x", "y": "x"}


def test_outlet_flows_follow_best_source_edges() -> None:
    ns = nodes(("o", "2024-01-01"), ("m", "2024-01-03"))
    forest = build_forest([Edge("o", "m", "duplicate", 0.9, 1.0, 1.0)], ns)
    flows, profiles = outlet_network(forest, ns)
    assert [
        (f.source_outlet, f.derivative_outlet, f.articles, f.median_lag_days) for f in flows
    ] == [("Outlet o", "Outlet m", 1, 2.0)]
    by_outlet = {p.outlet: p for p in profiles}
    assert by_outlet["Outlet m"].derived_share == 1.0
    assert by_outlet["Outlet o"].copied_by == (("Outlet m", 1),)


edge_lists = st.lists(
    st.tuples(
        st.integers(0, 7),
        st.integers(0, 7),
        st.sampled_from(["duplicate", "derived", "partial"]),
        st.floats(0, 1),
        st.floats(0, 1),
        st.floats(0, 1),
        st.sampled_from(["directed", "directed", "undirected", "common"]),
    ).filter(lambda t: t[0] != t[1]),
    max_size=25,
    unique_by=lambda t: (t[0], t[1]),  # a pair is verified once
)


@settings(max_examples=200, deadline=None)
@given(edge_lists, st.lists(st.one_of(st.none(), st.dates().map(str)), min_size=8, max_size=8))
def test_forest_is_acyclic_order_free_and_families_are_components(spec, days) -> None:  # type: ignore[no-untyped-def]
    ns = {f"d{i}": Node(f"d{i}", None, days[i], 100) for i in range(8)}
    edges = [Edge(f"d{s}", f"d{d}", rel, conf, cd, cs, kind) for s, d, rel, conf, cd, cs, kind in spec]
    forest = build_forest(edges, ns)
    shuffled = edges[:]
    random.Random(len(edges)).shuffle(shuffled)
    again = build_forest(shuffled, ns)
    assert (again.derived_from, again.family, again.depth) == (
        forest.derived_from,
        forest.family,
        forest.depth,
    )
    for doc in forest.derived_from:
        seen, x = set(), doc
        while x is not None:  # every chain ends at a root
            assert x not in seen
            seen.add(x)
            x = forest.derived_from[x]
    # Families are the connected components of the edges (a round-up joining only the story it
    # takes most from), each named after one of its roots.
    hubs = roundups(edges)
    comp = {d: {d} for d in forest.family}
    for e in edges:
        if hub_excerpt(e, hubs) is not None and forest.family[e.source] != forest.family[e.derivative]:
            continue
        merged = comp[e.source] | comp[e.derivative]
        for d in merged:
            comp[d] = merged
    for d, fam in forest.family.items():
        assert {x for x, f in forest.family.items() if f == fam} == comp[d]
        assert forest.derived_from[fam] is None
    for d, src in forest.derived_from.items():
        if src is not None:
            assert forest.depth[d] == forest.depth[src] + 1
            assert forest.best_edge[d].source == src


def test_a_roundup_joins_the_story_it_takes_most_from_and_merges_none() -> None:
    """A newsletter excerpting three unrelated stories belongs to one family, not one of all."""
    ns = {d: Node(d, None, None, 100) for d in ("s1", "c1", "s2", "s3", "digest")}
    edges = [
        Edge("s1", "c1", "derived", 0.9, 0.8, 0.7),
        Edge("s1", "digest", "partial", 0.9, 0.20, 0.3),
        Edge("s2", "digest", "partial", 0.9, 0.10, 0.3),
        Edge("s3", "digest", "partial", 0.9, 0.05, 0.3),
    ]
    assert roundups(edges) == {"digest"}
    f = build_forest(edges, ns)
    assert f.family["digest"] == f.family["s1"] == f.family["c1"]
    assert len({f.family["s1"], f.family["s2"], f.family["s3"]}) == 3
    assert f.derived_from["digest"] == "s1"


def test_a_roundup_is_found_through_edges_without_direction_whichever_order_they_were_stored() -> None:
    """A digest whose excerpt of one story has no direction evidence (stored with the digest as
    "source", the order given): the excerpt is the smaller share of the digest, so it is still
    the digest that excerpts three stories, and it still merges none of them."""
    ns = {d: Node(d, None, None, 100) for d in ("s1", "c1", "s2", "s3", "digest")}
    edges = [
        Edge("s1", "c1", "derived", 0.9, 0.8, 0.7),
        Edge("s1", "digest", "partial", 0.9, 0.20, 0.3),
        Edge("s2", "digest", "partial", 0.9, 0.10, 0.3),
        Edge("digest", "s3", "partial", 0.0, 0.3, 0.05, "undirected"),
    ]
    assert excerpts(edges[3]) == [("digest", "s3", 0.05)]
    assert roundups(edges) == {"digest"}
    f = build_forest(edges, ns)
    assert f.family["digest"] == f.family["s1"] == f.family["c1"]
    assert len({f.family["s1"], f.family["s2"], f.family["s3"]}) == 3
    # A story three digests excerpt, each without direction, is no round-up.
    spread = [Edge(f"d{i}", "story", "partial", 0.0, 0.3, 0.04, "undirected") for i in range(3)]
    assert [[x[0] for x in excerpts(e)] for e in spread] == [["d0"], ["d1"], ["d2"]] and roundups(spread) == set()
    # Shares too close to tell (0.12 and 0.10): either side may be the one excerpting.
    close = Edge("a", "b", "partial", 0.0, 0.12, 0.10, "undirected")
    assert excerpts(close) == [("b", "a", 0.12), ("a", "b", 0.10)]
    assert excerpts(replace(close, direction="directed")) == [("b", "a", 0.12)]


def test_a_long_article_excerpting_three_stories_by_close_shares_is_a_roundup() -> None:
    """Two of its three excerpts have no direction and shares too close to tell who excerpts
    whom: read either way, it still excerpts three stories nothing else connects."""
    ns = {d: Node(d, None, None, 100) for d in ("s1", "s2", "s3", "long")}
    edges = [
        Edge("s1", "long", "partial", 0.9, 0.12, 0.18),
        Edge("s2", "long", "partial", 0.0, 0.13, 0.10, "undirected"),
        Edge("long", "s3", "partial", 0.0, 0.15, 0.13, "undirected"),
    ]
    assert roundups(edges) == {"long"}
    f = build_forest(edges, ns)
    assert f.family["long"] == f.family["s1"]
    assert len({f.family["s1"], f.family["s2"], f.family["s3"]}) == 3


def test_a_roundup_without_a_directed_edge_joins_the_story_it_takes_most_from() -> None:
    ns = {d: Node(d, None, None, 100) for d in ("s1", "s2", "s3", "digest")}
    edges = [
        Edge("digest", "s1", "partial", 0.0, 0.3, 0.05, "undirected"),
        Edge("digest", "s2", "partial", 0.0, 0.3, 0.20, "undirected"),
        Edge("s3", "digest", "partial", 0.0, 0.10, 0.3, "common"),
    ]
    assert roundups(edges) == {"digest"}
    f = build_forest(edges, ns)
    assert f.family["digest"] == f.family["s2"] != f.family["s1"]
    assert len({f.family["s1"], f.family["s2"], f.family["s3"]}) == 3


def test_an_article_reusing_background_of_two_pieces_is_no_roundup() -> None:
    """Reusing paragraphs of two earlier pieces (a running story's background) is not excerpting
    several stories (ROUNDUP_STORIES): the three are one family."""
    ns = {d: Node(d, None, None, 100) for d in ("s1", "s2", "later")}
    edges = [
        Edge("s1", "later", "partial", 0.9, 0.20, 0.3),
        Edge("s2", "later", "partial", 0.9, 0.10, 0.3),
    ]
    assert ROUNDUP_STORIES == 3 and roundups(edges) == set()
    f = build_forest(edges, ns)
    assert f.family["s1"] == f.family["s2"] == f.family["later"]


def test_undirected_and_sibling_edges_join_families_but_draw_no_chain() -> None:
    ns = {d: Node(d, None, None, 100) for d in "abc"}
    edges = [
        Edge("a", "b", "duplicate", 0.0, 1.0, 1.0, "undirected"),
        Edge("b", "c", "derived", 0.0, 0.9, 0.5, "common"),
    ]
    f = build_forest(edges, ns)
    assert f.family["a"] == f.family["b"] == f.family["c"]
    assert all(src is None for src in f.derived_from.values())  # three roots, no hop
