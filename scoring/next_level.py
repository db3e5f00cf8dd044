"""What the next overall level takes: the rule's conditions, where the firm stands on each.

A DBI-style composite rule can leave a firm with many points at a low level (too few pillars
at that level), which reads as a contradiction unless the page says which condition is
missing. Pure: reads the questionnaire's rules and a ``Result``, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.engine import Result
from scoring.model import CompositeRule, Questionnaire


@dataclass(frozen=True)
class Condition:
    """One condition of the next level. ``kind``:

    - ``total_points``: total points strictly above ``needed`` (``now`` = total points)
    - ``total_percent``: total strictly above ``needed`` % of the maximum
    - ``mean_percent``: the (weighted) mean of pillar percentages at least (or, for an
      ``above_percent`` band, strictly above) ``needed``
    - ``pillars``: at least ``needed`` pillars at the level or higher; ``pillars`` lists the
      pillars below it, closest to the pillar threshold first (the ones to lift)
    """

    kind: str
    needed: float
    now: float
    met: bool
    pillars: tuple[str, ...] = ()
    # for total_percent: the same threshold in points of this firm's own maximum (what a
    # reader counts in), e.g. 40 % of 320 = 128
    points_needed: float | None = None
    points_now: float | None = None

    @property
    def lift(self) -> tuple[str, ...]:
        """For a pillar count not met: the pillars to raise, as many as are missing, closest first."""
        if self.kind != "pillars" or self.met:
            return ()
        return self.pillars[: max(1, int(self.needed - self.now))]


@dataclass(frozen=True)
class NextLevel:
    level: int
    conditions: tuple[Condition, ...] = field(default_factory=tuple)

    @property
    def missing(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if not c.met)


def next_level(questionnaire: Questionnaire, result: Result) -> NextLevel | None:
    """The conditions of the level above the firm's, or None at the top (or with no rule for it)."""
    rule = questionnaire.rules.overall
    target = result.overall_level + 1
    if isinstance(rule, CompositeRule):
        requirement = next((r for r in rule.requirements if r.level == target), None)
        if requirement is None:
            return None
        conditions: list[Condition] = []
        if requirement.total_above is not None:
            conditions.append(
                Condition("total_points", requirement.total_above, result.total, result.total > requirement.total_above)
            )
        if requirement.total_percent_above is not None:
            percent = result.total / result.max_total * 100 if result.max_total > 0 else 0.0
            conditions.append(
                Condition(
                    "total_percent",
                    requirement.total_percent_above,
                    percent,
                    result.total * 100 > requirement.total_percent_above * result.max_total,
                    points_needed=requirement.total_percent_above * result.max_total / 100,
                    points_now=result.total,
                )
            )
        if requirement.min_pillars:
            scored = [p for p in result.pillars.values() if p.level is not None]
            at_level = sum(1 for p in scored if p.level >= target)
            conditions.append(
                Condition(
                    "pillars",
                    requirement.min_pillars,
                    at_level,
                    at_level >= requirement.min_pillars,
                    _closest_below(questionnaire, result, target),
                )
            )
        return NextLevel(target, tuple(conditions))
    band = next((b for b in rule.bands if b.level == target), None)
    if band is None:
        return None
    now = result.percent or 0.0
    return NextLevel(target, (Condition("mean_percent", band.percent, now, band.reached(now)),))


def _closest_below(questionnaire: Questionnaire, result: Result, level: int) -> tuple[str, ...]:
    """Pillars below ``level``, those nearest its threshold first (ties in questionnaire order)."""
    threshold = next((t.percent for t in questionnaire.rules.pillar_levels if t.level == level), None)
    order = {p.id: i for i, p in enumerate(questionnaire.pillars)}
    below = [p for p in result.pillars.values() if p.level is not None and p.level < level]
    if threshold is None:
        return tuple(p.id for p in sorted(below, key=lambda p: order[p.id]))
    return tuple(p.id for p in sorted(below, key=lambda p: (threshold - (p.percent or 0.0), order[p.id])))
