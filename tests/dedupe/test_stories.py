"""Stories in numpy: connected components as union-find gives them."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pipeline.dedupe.stories import component_labels


def graphs(count: int) -> st.SearchStrategy[tuple[int, list[tuple[int, int]]]]:
    """`count` nodes and edges between them."""
    node = st.integers(0, count - 1)
    return st.tuples(st.just(count), st.lists(st.tuples(node, node), max_size=3 * count))


def union_find_roots(count: int, edges: list[tuple[int, int]]) -> list[int]:
    """Each node's root under a plain union-find that hooks the larger root under the smaller."""
    parent = list(range(count))

    def find(node: int) -> int:
        while parent[node] != node:
            node = parent[node]
        return node

    for a, b in edges:
        first, second = find(a), find(b)
        if first != second:
            parent[max(first, second)] = min(first, second)
    return [find(node) for node in range(count)]


@given(st.integers(1, 60).flatmap(graphs))
def test_component_labels_are_union_find_components(graph: tuple[int, list[tuple[int, int]]]) -> None:
    count, edges = graph
    first, second = (np.array([edge[i] for edge in edges], dtype=np.intp) for i in (0, 1))
    assert component_labels(count, first, second).tolist() == union_find_roots(count, edges)
