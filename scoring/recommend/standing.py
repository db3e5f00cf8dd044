"""Where each pillar stands for one result: level, percent, the next threshold, how weak it is."""

from __future__ import annotations

from scoring.engine import ANSWERED, UNANSWERED, Result
from scoring.model import Questionnaire

# At most worth 25 percentage points of weakness: weakness leads, the step decides near-ties.
STEP_BONUS = 0.25


class Standing:
    """Levels, thresholds and weakness of the questionnaire's pillars for one result."""

    def __init__(self, questionnaire: Questionnaire, result: Result):
        self.q = questionnaire
        self.result = result
        self.top = max(lv.level for lv in questionnaire.levels)
        self.thresholds = {0: 0.0} | {t.level: t.percent for t in questionnaire.rules.pillar_levels}
        self.order = {p.id: i for i, p in enumerate(questionnaire.pillars)}

    def level(self, pid: str) -> int | None:
        pr = self.result.pillars.get(pid)
        return None if pr is None else pr.level

    def percent(self, pid: str) -> float | None:
        pr = self.result.pillars.get(pid)
        return None if pr is None else pr.percent

    def next_threshold(self, pid: str) -> float | None:
        level = self.level(pid)
        if level is None or level >= self.top:
            return None
        return self.thresholds.get(level + 1)

    def lift(self, pid: str) -> float:
        """Gap to 100 % plus a bonus for being close to the next level; 0 at the top or unscored.

        ``gap = (100 − percent) / 100`` (how weak the pillar is); ``near`` in 0..1 is how far the
        pillar has come through its level band (1 = right below the next threshold: the step it
        would unlock), worth at most ``STEP_BONUS``.
        """
        level, pct = self.level(pid), self.percent(pid)
        if level is None or pct is None or level >= self.top:
            return 0.0
        gap = max(0.0, (100.0 - pct) / 100.0)
        lo = self.thresholds.get(level, 0.0)
        hi = self.thresholds.get(level + 1, 100.0)
        near = 1.0 - (hi - pct) / (hi - lo) if hi > lo else 0.0
        return gap + STEP_BONUS * min(1.0, max(0.0, near))

    def steps_to(self, pid: str, from_level: int) -> int | None:
        """Level steps between the pillar and a roadmap step starting at ``from_level`` (0: now)."""
        level = self.level(pid)
        return None if level is None else max(0, from_level - level)

    def sort_key(self, pid: str) -> tuple[float, int]:
        pct = self.percent(pid)
        return (100.0 if pct is None else pct, self.order.get(pid, len(self.order)))

    def name(self, pid: str, lang: str) -> str:
        try:
            return self.q.pillar(pid).name.get(lang)
        except KeyError:
            return pid

    def level_name(self, level: int, lang: str) -> str:
        try:
            return self.q.level(level).name.get(lang)
        except KeyError:
            return str(level)

    def holding_back(self, qid: str) -> bool:
        """A scored answer below its maximum (or a visible question left unanswered)."""
        qr = self.result.questions.get(qid)
        return qr is not None and qr.max > 0 and qr.points < qr.max and qr.status in (ANSWERED, UNANSWERED)


__all__ = ["STEP_BONUS", "Standing"]
