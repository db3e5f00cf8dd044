"""The picture of a workshop room: what a room of firms has in common, for discussion.

Pure: from the room's results (already scored) to the few figures a projector shows. A room
under ``k`` firms shows nothing but its size (a small room's "average" would be one firm's
answers), and nothing here names a firm.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scoring.engine import ANSWERED, Result
from scoring.model import Questionnaire

DEFAULT_K = 5


@dataclass(frozen=True)
class RoomPicture:
    n: int  # finished assessments in the picture
    k: int
    level_counts: dict[int, int] = field(default_factory=dict)  # overall level -> firms
    pillar_means: dict[str, float] = field(default_factory=dict)  # pillar id -> mean percent
    weakest: tuple[tuple[str, float], ...] = ()  # (question id, mean share of its points 0..1), weakest first
    needs: tuple[tuple[str, int], ...] = ()  # (capability / platform category id, firms lacking it), most first

    @property
    def shown(self) -> bool:
        return self.n >= self.k


def room_picture(questionnaire: Questionnaire, results: list[Result], k: int = DEFAULT_K, top: int = 3) -> RoomPicture:
    """Level distribution, mean per pillar, the ``top`` scored questions where the room is
    weakest on average, and the capability categories most firms lack (the engine's gaps)."""
    n = len(results)
    if n < max(k, 1):
        return RoomPicture(n=n, k=k)
    levels = Counter(r.overall_level for r in results)
    level_counts = {lv.level: levels.get(lv.level, 0) for lv in questionnaire.levels}
    pillar_means: dict[str, float] = {}
    for pillar in questionnaire.pillars:
        values = [r.pillars[pillar.id].percent for r in results if r.pillars[pillar.id].percent is not None]
        if values:
            pillar_means[pillar.id] = sum(values) / len(values)
    shares: dict[str, list[float]] = {}
    for r in results:
        for qr in r.questions.values():
            if qr.status == ANSWERED and qr.max > 0:
                shares.setdefault(qr.id, []).append(qr.points / qr.max)
    order = {q.id: i for i, (_, q) in enumerate(questionnaire.questions())}
    # a question answered by fewer than k firms of the room is left out: its mean would be a few firms'
    means = [(qid, sum(v) / len(v)) for qid, v in shares.items() if len(v) >= k]
    weakest = tuple(sorted(means, key=lambda item: (item[1], order.get(item[0], 0)))[:top])
    lacking = Counter(tag for r in results for tag in set(r.gaps))
    needs = tuple(sorted(((tag, c) for tag, c in lacking.items() if c > 0), key=lambda item: (-item[1], item[0]))[:top])
    return RoomPicture(n, k, level_counts, pillar_means, weakest, needs)
