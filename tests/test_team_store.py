"""Teams in the store, on SQLite and PostgreSQL (``pytest -k team``): the firm counts once in
pooled figures, respondents join by code with a role, the owner removes, shares and closes."""

from __future__ import annotations

import pytest

from scoring.engine import AnswerError
from scoring.model import FirmProfile
from scoring.team import Response, combine
from store import Filters, InvalidValue, NotFound, UnknownCode
from store.teams import TeamClosed
from tests.conftest import HIGH, LOW

pytest_plugins = ["tests.conftest_store"]


def pooled(store) -> int:
    frame = store.aggregate(Filters(questionnaire_id="tiny"), k=1)
    return int(frame["n"].sum()) if len(frame) else 0


def test_team_a_firm_counts_once_whatever_its_respondents(store, tiny_q):
    profile = FirmProfile(name="Cty Hoa", sector="G", size_band="small", province="ha_noi")
    owner, owner_code = store.create_draft(tiny_q, profile, consent=True)
    store.submit(owner_code, tiny_q, HIGH)
    assert pooled(store) == 1
    team = store.create_team(owner_code, tiny_q)
    assert team.consent and team.profile == profile and team.is_open
    assert pooled(store) == 0  # the owner's own result no longer pooled on its own
    assert not store.load(owner_code).consent
    a, a_code = store.join_team(team.code.lower(), tiny_q, "accounting")
    b, b_code = store.join_team(team.code, tiny_q, "sales")
    assert a.profile == profile and not a.consent  # the firm's profile, filled once; never pooled alone
    store.submit(a_code, tiny_q, LOW)
    store.submit(b_code, tiny_q, HIGH)
    assert pooled(store) == 0
    members = store.team_members(team.id)
    assert [(m.role, m.finished) for m in members] == [("owner", True), ("accounting", True), ("sales", True)]
    combined = combine(tiny_q, [Response(m.role, m.record.answers) for m in members])
    closed = store.close_team(owner_code, tiny_q, combined)
    assert not closed.is_open and closed.combined_id is not None
    assert pooled(store) == 1  # the firm, once, through its combined result
    assert store.get(closed.combined_id).answers == combined
    with pytest.raises(TeamClosed):
        store.join_team(team.code, tiny_q, "it")
    with pytest.raises(TeamClosed):
        store.close_team(owner_code, tiny_q, combined)
    store.set_team_consent(owner_code, False)
    assert pooled(store) == 0
    assert store.delete_team(owner_code)
    assert store.get(closed.combined_id) is None and store.team(team.id) is None
    assert store.load(a_code) is not None  # the respondents' own answers stay theirs


def test_team_owner_removes_a_respondent_and_only_the_owner_can(store, tiny_q):
    _, owner_code = store.create_draft(tiny_q, FirmProfile(sector="G", size_band="micro"))
    team = store.create_team(owner_code, tiny_q)
    other, other_code = store.join_team(team.code, tiny_q, "other")
    with pytest.raises(NotFound):
        store.remove_member(other_code, other.id)  # a respondent owns no team
    with pytest.raises(InvalidValue):
        store.remove_member(owner_code, store.load(owner_code).id)
    store.remove_member(owner_code, other.id)
    assert store.load(other_code) is None
    assert [m.role for m in store.team_members(team.id)] == ["owner"]
    with pytest.raises(UnknownCode):
        store.set_team_shared("ABCD-EFGH-JKMN", True)
    assert store.set_team_shared(owner_code, True).shared


def test_team_joining_is_checked(store, tiny_q):
    from tests.conftest import TINY, load_yaml

    _, owner_code = store.create_draft(tiny_q, FirmProfile(sector="G", size_band="micro"))
    team = store.create_team(owner_code, tiny_q)
    with pytest.raises(InvalidValue, match="role"):
        store.join_team(team.code, tiny_q, "owner")
    with pytest.raises(InvalidValue, match="role"):
        store.join_team(team.code, tiny_q, "boss")
    with pytest.raises(UnknownCode):
        store.join_team("ZZZZZZ" if team.code != "ZZZZZZ" else "YYYYYY", tiny_q, "it")
    with pytest.raises(InvalidValue, match="answers 'tiny'"):
        store.join_team(team.code, load_yaml(TINY.replace("id: tiny", "id: other")), "it")
    with pytest.raises(InvalidValue, match="already answers for a team"):
        store.create_team(owner_code, tiny_q)
    with pytest.raises(AnswerError):
        store.close_team(owner_code, tiny_q, {"has_site": "maybe"})
    assert store.team(team.id).is_open  # a combination that does not score closes nothing
    assert store.team_of(store.load(owner_code).id) == (store.team(team.id), "owner")
