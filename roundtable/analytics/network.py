"""Layout and reading of the referral network ("who recommended whom").

The layout is networkx's Fruchterman–Reingold spring layout (Fruchterman &
Reingold 1991, "Graph drawing by force-directed placement"), seeded so that the
same map draws the same way every time, scaled into the unit square so a
template can place nodes on any canvas.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class PlacedNode:
    id: int
    x: float
    y: float
    referrals_made: int
    referrals_received: int


def layout_referrals(
    node_ids: Sequence[int], edges: Iterable[tuple[int, int]], *, seed: int = 7
) -> list[PlacedNode]:
    """Place every node in [0.05, 0.95]²; isolated nodes are left out of the drawing.

    Only organisations that took part in a referral are drawn: the isolated rest
    would crowd the picture without saying anything about the network.
    """
    graph = nx.DiGraph()
    graph.add_nodes_from(node_ids)
    graph.add_edges_from(edges)
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    if graph.number_of_nodes() == 0:
        return []
    if graph.number_of_nodes() == 1:
        positions = {next(iter(graph.nodes)): (0.0, 0.0)}
    else:
        positions = nx.spring_layout(graph.to_undirected(), seed=seed)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]

    def scale(value: float, low: float, high: float) -> float:
        return 0.5 if high == low else 0.05 + 0.9 * (value - low) / (high - low)

    return [
        PlacedNode(
            id=int(node),
            x=scale(float(x), min(xs), max(xs)),
            y=scale(float(y), min(ys), max(ys)),
            referrals_made=int(graph.out_degree(node)),
            referrals_received=int(graph.in_degree(node)),
        )
        for node, (x, y) in sorted(positions.items())
    ]
