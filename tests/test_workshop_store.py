"""Workshops in the store: details, the room's counts, what each participant shares with the
association, paper forms, on SQLite and PostgreSQL (``pytest -k workshop``)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from scoring.engine import AnswerError
from scoring.model import FirmProfile
from store import InvalidValue, NotFound, UnknownCode, WorkshopClosed
from store.models import workshop_sharing
from store.records import RoomCounts, Sharing

pytest_plugins = ["tests.conftest_store"]


def test_workshop_keeps_where_and_when_and_checks_them(store):
    ws = store.create_workshop("Hội thảo", "Hiệp hội DN Lào Cai", "lan", "tiny", "vi", province="lao_cai",
                               held_on=date(2026, 12, 10))
    again = store.workshop(ws.id)
    assert (again.province, again.held_on, again.association) == ("lao_cai", date(2026, 12, 10), "Hiệp hội DN Lào Cai")
    with pytest.raises(InvalidValue, match="province 'atlantis'"):
        store.create_workshop("X", None, "lan", "tiny", province="atlantis")
    with pytest.raises(InvalidValue, match="name: required"):
        store.create_workshop("   ", None, "lan", "tiny")
    with pytest.raises(InvalidValue, match="the limit is 200"):
        store.create_workshop("x" * 201, None, "lan", "tiny")
    assert [w.id for w in store.list_workshops(facilitator="lan")] == [ws.id]
    assert store.list_workshops(facilitator="minh") == []


def test_counts_joined_answering_finished(store, tiny_q, high):
    ws = store.create_workshop("Phòng", None, "lan", "tiny")
    other = store.create_workshop("Phòng khác", None, "lan", "tiny")
    assert store.workshop_counts([ws.id]) == {ws.id: RoomCounts(0, 0, 0)}
    _, idle = store.join_workshop(ws.join_code, tiny_q, FirmProfile(sector="G", size_band="micro"))
    _, busy = store.join_workshop(ws.join_code, tiny_q, FirmProfile(sector="G", size_band="micro"))
    _, done = store.join_workshop(ws.join_code, tiny_q, FirmProfile(sector="C", size_band="small"))
    store.save_draft(busy, {"has_site": "yes"})
    store.submit(done, tiny_q, high)
    counts = store.workshop_counts([ws.id, other.id])
    assert (counts[ws.id].joined, counts[ws.id].answering, counts[ws.id].finished) == (3, 1, 1)
    assert (counts[other.id].joined, counts[other.id].finished) == (0, 0)
    assert store.workshop_counts([]) == {}


def test_sharing_is_separate_from_pooling_and_name_and_pdf_need_sharing(store, tiny_q, high):
    ws = store.create_workshop("Phòng", "Hội", "lan", "tiny")
    rec, code = store.join_workshop(ws.join_code, tiny_q, FirmProfile(name="Cty A", sector="G", size_band="micro"),
                                    consent=False, share_results=True, share_name=True, send_pdf=True)
    assert rec.consent is False and rec.workshop_id == ws.id
    assert store.workshop_sharing(rec.id).share_results and store.workshop_sharing(rec.id).share_name
    # without sharing the results, neither the name nor the PDF can go
    rec2, code2 = store.join_workshop(ws.join_code, tiny_q, FirmProfile(sector="G", size_band="micro"),
                                      share_results=False, share_name=True, send_pdf=True)
    assert store.workshop_sharing(rec2.id) == Sharing(False, False, False, "web")
    store.set_workshop_sharing(code2, share_results=True, send_pdf=True)
    assert store.workshop_sharing(rec2.id).send_pdf is True
    store.submit(code, tiny_q, high)
    store.submit(code2, tiny_q, high)
    people = store.workshop_participants(ws.id)
    assert [(p.record.id, p.sharing.share_name) for p in people] == [(rec.id, True), (rec2.id, False)]
    # an assessment outside a workshop has nothing to share with an association
    _, solo = store.create_draft(tiny_q, FirmProfile())
    with pytest.raises(InvalidValue, match="not started in a workshop"):
        store.set_workshop_sharing(solo, share_results=True)
    with pytest.raises(UnknownCode):
        store.set_workshop_sharing("ABCD-EFGH-JKMN", share_results=True)


def test_joining_needs_an_open_workshop_and_its_questionnaire(store, tiny_q):
    from tests.conftest import TINY, load_yaml

    ws = store.create_workshop("Phòng", None, "lan", "tiny")
    with pytest.raises(UnknownCode):
        store.join_workshop("ZZZZZZ" if ws.join_code != "ZZZZZZ" else "YYYYYY", tiny_q, FirmProfile())
    other_q = load_yaml(TINY.replace("id: tiny", "id: other"), "other.yaml")
    with pytest.raises(InvalidValue, match="uses questionnaire 'tiny'"):
        store.join_workshop(ws.join_code, other_q, FirmProfile())
    store.close_workshop(ws.id)
    with pytest.raises(WorkshopClosed):
        store.join_workshop(ws.join_code, tiny_q, FirmProfile())


def test_a_paper_form_is_scored_tagged_and_stores_nothing_when_wrong(store, tiny_q, high):
    ws = store.create_workshop("Phòng", None, "lan", "tiny")
    store.close_workshop(ws.id)  # forms are typed in after the session too
    rec, _ = store.submit_paper_form(ws.id, tiny_q, FirmProfile(name="Cty giấy", sector="A", size_band="household"),
                                     high, share_results=True)
    assert rec.submitted and rec.workshop_id == ws.id
    assert store.workshop_sharing(rec.id).source == "paper"
    with pytest.raises(AnswerError):
        store.submit_paper_form(ws.id, tiny_q, FirmProfile(), {"has_site": "maybe"})
    assert store.workshop_counts([ws.id])[ws.id].joined == 1  # the bad form left nothing behind
    with pytest.raises(NotFound):
        store.submit_paper_form(999, tiny_q, FirmProfile(), high)


def test_deleting_an_assessment_deletes_what_it_shared(store, tiny_q, high):
    ws = store.create_workshop("Phòng", None, "lan", "tiny")
    rec, code = store.join_workshop(ws.join_code, tiny_q, FirmProfile(name="Cty", sector="G", size_band="micro"),
                                    share_results=True, share_name=True)
    store.submit(code, tiny_q, high)
    assert store.delete(code)
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(workshop_sharing)).scalar_one() == 0
    assert store.workshop_participants(ws.id) == []
