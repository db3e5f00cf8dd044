"""Sign-in and the workshop pages through AppTest (``pytest -k workshop``): not signed in,
the wrong role, a facilitator's own workshops only, joining by link and by typed code, a
closed workshop, the room picture's threshold, exports, paper forms one at a time and by CSV."""

from __future__ import annotations

import csv
import io
import textwrap

import pytest
from openpyxl import load_workbook

from scoring.loader import load_questionnaire_text
from scoring.model import FirmProfile
from store import close_stores, open_store
from tests.app_helpers import new_app, no_traceback, texts
from tests.app_helpers import signed_in as app_signed_in
from tests.conftest import HIGH, LOW, TINY

TINY_TEXT = textwrap.dedent(TINY)
PASSWORD = "correct horse"


@pytest.fixture
def tiny_q():
    return load_questionnaire_text(TINY_TEXT, "tiny.yaml")


@pytest.fixture
def env(tmp_path, monkeypatch):
    qdir = tmp_path / "questionnaires"
    qdir.mkdir()
    (qdir / "tiny.yaml").write_text(TINY_TEXT, encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("QUESTIONNAIRE_DIR", str(qdir))
    store = open_store()
    store.add_user("lan", PASSWORD, "facilitator")
    store.add_user("minh", PASSWORD, "facilitator")
    store.add_user("hoa", PASSWORD, "programme")
    yield store
    close_stores()


def signed_in(user: str, page: str | None = None):
    return app_signed_in(user, PASSWORD, page)


def open_workshop(at, workshop_id: int):
    at.session_state["ws_id"] = workshop_id
    at.session_state["goto"] = "workshop"
    return at.run()


# ------------------------------------------------------------------ sign-in and roles


@pytest.mark.parametrize("page", ["workshops", "workshop"])
def test_workshop_pages_need_sign_in(env, page):
    at = new_app()
    at.session_state["goto"] = page
    at.run()
    no_traceback(at)
    assert "Trang này dành cho cán bộ. Hãy đăng nhập để tiếp tục." in texts(at)
    assert not [b for b in at.button if b.key == "ws_create"]


def test_a_wrong_password_says_the_same_as_an_unknown_user_and_keeps_nothing(env):
    for user in ("lan", "nobody"):
        at = new_app()
        at.session_state["goto"] = "login"
        at.run()
        at.text_input(key="login_user").set_value(user)
        at.text_input(key="login_password").set_value("wrong password")
        at.button(key="login_go").click().run()
        no_traceback(at)
        assert [e.value for e in at.error] == [
            "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa sau nhiều lần nhập sai. "
            "Hãy thử lại sau ít phút."
        ]
        assert at.session_state["login_password"] == ""
        assert "auth_user" not in at.session_state


def test_programme_staff_cannot_open_workshops(env):
    at = signed_in("hoa", "workshops")
    assert "Tài khoản của bạn không có quyền xem trang này." in texts(at)


def test_sign_in_lands_on_the_workshops_and_sign_out_forgets(env):
    at = signed_in("lan")
    assert at.title[0].value == "Hội thảo"
    assert "Xin chào lan." in texts(at)
    at.session_state["goto"] = "login"
    at.run()
    at.button(key="login_sign_out").click().run()
    no_traceback(at)
    assert "auth_user" not in at.session_state and "role" not in at.session_state
    at.session_state["goto"] = "workshops"
    at.run()
    assert "Trang này dành cho cán bộ. Hãy đăng nhập để tiếp tục." in texts(at)


# ------------------------------------------------------------------ the facilitator


def test_create_a_workshop_and_see_it_listed_with_counts(env):
    at = signed_in("lan")
    at.button(key="ws_create").click().run()  # no name
    assert "Hãy đặt tên cho hội thảo." in [e.value for e in at.error]
    at.text_input(key="ws_new_name").set_value("Chuyển đổi số cho hội viên")
    at.text_input(key="ws_new_association").set_value("Hiệp hội DN Lào Cai")
    at.selectbox(key="ws_new_province").set_value("lao_cai")
    at.button(key="ws_create").click().run()
    no_traceback(at)
    (w,) = env.list_workshops(facilitator="lan")
    assert (w.name, w.association, w.province, w.questionnaire_id) == (
        "Chuyển đổi số cho hội viên", "Hiệp hội DN Lào Cai", "lao_cai", "tiny")
    assert at.title[0].value == "Chuyển đổi số cho hội viên"  # straight to its room
    shown = texts(at)
    assert w.join_code in shown and f"/?join={w.join_code}" in shown
    assert len(at.get("image")) == 1  # the QR code
    assert [m.value for m in at.metric] == ["0", "0", "0"]
    assert "Cần ít nhất 5 doanh nghiệp làm xong và đồng ý chia sẻ" in shown
    at.session_state["goto"] = "workshops"
    at.run()
    assert "Đã vào: **0** · Đang làm: **0** · Đã xong: **0**" in texts(at)


def test_a_facilitator_sees_only_their_own_workshops(env):
    theirs = env.create_workshop("Của Minh", None, "minh", "tiny")
    at = signed_in("lan")
    assert "Của Minh" not in texts(at)
    open_workshop(at, theirs.id)
    no_traceback(at)
    assert "Hội thảo này do người điều phối khác mở; bạn không xem được." in [e.value for e in at.error]
    assert theirs.join_code not in texts(at)


def test_the_room_picture_appears_at_five_sharing_firms(env, tiny_q):
    w = env.create_workshop("Phòng", "Hội", "lan", "tiny", province="lao_cai")
    for i in range(5):
        _, code = env.join_workshop(w.join_code, tiny_q, FirmProfile(sector="G", size_band="micro"),
                                    share_results=i != 0)
        env.submit(code, tiny_q, HIGH if i % 2 else LOW)
    at = open_workshop(signed_in("lan"), w.id)
    no_traceback(at)
    assert [m.value for m in at.metric] == ["5", "0", "5"]
    assert "(hiện có 4)" in texts(at)  # one of the five did not agree to share
    _, code = env.join_workshop(w.join_code, tiny_q, FirmProfile(sector="G", size_band="micro"), share_results=True)
    env.submit(code, tiny_q, HIGH)
    at.run()
    shown = texts(at)
    assert "Từ 5 doanh nghiệp đã làm xong và đồng ý chia sẻ. Không hiện tên doanh nghiệp nào." in shown
    assert "Ba tiêu chí phòng còn yếu nhất" in shown


def test_closing_a_workshop_stops_joining(env, tiny_q):
    w = env.create_workshop("Phòng", None, "lan", "tiny")
    at = open_workshop(signed_in("lan"), w.id)
    at.button(key="ws_close").click().run()
    at.button(key="ws_close_yes").click().run()
    no_traceback(at)
    assert not env.workshop(w.id).is_open
    assert "Hội thảo đã đóng: không nhận thêm người tham gia." in texts(at)


# ------------------------------------------------------------------ participants


def test_joining_by_link_presets_the_workshop_and_asks_to_share(env):
    w = env.create_workshop("Phòng A", "Hiệp hội DN Lào Cai", "lan", "tiny", "en", province="lao_cai")
    at = new_app()
    at.query_params["join"] = w.join_code
    at.run()
    no_traceback(at)
    assert at.session_state["lang"] == "en"  # the workshop's language, as the link gave none
    assert "You are joining the workshop **Phòng A**." in texts(at)
    assert at.selectbox(key="start_province").value == "lao_cai"
    assert not [r for r in at.radio if r.key == "start_questionnaire"]  # the workshop chose it
    at.selectbox(key="start_sector").set_value("G")
    at.radio(key="start_size").set_value("micro")
    at.checkbox(key="start_share").check().run()
    at.checkbox(key="start_share_name").check()
    at.button(key="start_begin").click().run()
    no_traceback(at)
    rec = env.load(at.session_state["code"])
    assert rec.workshop_id == w.id and rec.consent is False
    sharing = env.workshop_sharing(rec.id)
    assert sharing.share_results and sharing.share_name and not sharing.send_pdf
    assert env.workshop_counts([w.id])[w.id].joined == 1


def test_a_typed_code_joins_and_a_wrong_or_closed_one_says_why(env):
    w = env.create_workshop("Phòng B", None, "lan", "tiny")
    closed = env.create_workshop("Phòng C", None, "lan", "tiny")
    env.close_workshop(closed.id)
    at = new_app().run()
    assert "start_join_code" not in [x.key for x in at.text_input]
    at.session_state["start_join_box"] = True  # "have a code?" opened: the field is drawn
    at.run()
    wrong = "ZZZZZZ" if w.join_code != "ZZZZZZ" else "YYYYYY"
    for code, message in ((wrong, "Không tìm thấy hội thảo với mã này."),
                          (closed.join_code, "Hội thảo này đã kết thúc nên không nhận thêm người tham gia.")):
        at.text_input(key="start_join_code").set_value(code)
        at.button(key="start_join").click().run()
        no_traceback(at)
        assert any(e.value.startswith(message) for e in at.error)
    at.text_input(key="start_join_code").set_value(w.join_code.lower())
    at.button(key="start_join").click().run()
    assert "Bạn đang tham gia hội thảo **Phòng B**." in texts(at)
    at.button(key="start_leave").click().run()
    assert "Bạn đang tham gia hội thảo" not in texts(at)


def test_a_closed_workshop_link_sends_the_visitor_to_solo_assessment(env):
    w = env.create_workshop("Phòng D", None, "lan", "tiny")
    env.close_workshop(w.id)
    at = new_app()
    at.query_params["join"] = w.join_code
    at.run()
    no_traceback(at)
    assert any(e.value.startswith("Hội thảo này đã kết thúc") for e in at.error)
    assert at.radio(key="start_questionnaire").value == "tiny"


# ------------------------------------------------------------------ exports and paper


def test_exports_hold_exactly_the_sharing_firms_names_only_with_consent(env, tiny_q):
    from ui import room

    w = env.create_workshop("Phòng", "Hội", "lan", "tiny")
    people = [("=HYPERLINK(\"http://x\")", True, True), ("Cty B", True, False), ("Cty C", False, False)]
    for name, share, share_name in people:
        _, code = env.join_workshop(w.join_code, tiny_q, FirmProfile(name=name, sector="G", size_band="micro"),
                                    share_results=share, share_name=share_name)
        env.submit(code, tiny_q, HIGH)
    rows = room.export_rows(room.entries(w.id), "vi")
    assert [r["Tên doanh nghiệp"] for r in rows] == ["=HYPERLINK(\"http://x\")", ""]
    text = room.to_csv(rows).decode("utf-8-sig")
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert len(parsed) == 2 and parsed[0]["Tên doanh nghiệp"] == "'=HYPERLINK(\"http://x\")"
    assert "Cty B" not in text and "Cty C" not in text
    book = load_workbook(io.BytesIO(room.to_xlsx(rows, w.join_code)))
    cells = [c.value for c in book.active[2]]
    assert cells[1] == "'=HYPERLINK(\"http://x\")" and book.active.max_row == 3
    assert book.active["B2"].data_type == "s"  # text, not a formula


def test_a_paper_form_typed_in_counts_in_the_room(env, tiny_q):
    w = env.create_workshop("Phòng", "Hội", "lan", "tiny")
    at = open_workshop(signed_in("lan"), w.id)
    at.selectbox(key="paper_sector").set_value("A")
    at.radio(key="paper_size").set_value("household")
    at.radio(key="paper_q_has_site").set_value("no")
    at.button(key="paper_save").click().run()  # four required answers missing
    no_traceback(at)
    errors = [e.value for e in at.error]
    assert "Phiếu còn 4 chỗ cần sửa (xem dưới từng câu). Chưa có gì được lưu." in errors
    assert errors.count("Phiếu chưa có câu trả lời cho câu bắt buộc này.") == 4
    assert env.workshop_counts([w.id])[w.id].joined == 0
    at.checkbox(key="paper_q_channels__none").check()
    at.radio(key="paper_q_skill").set_value(1)
    at.number_input(key="paper_q_online_share").set_value(5)
    for row in ("backup", "passwords"):
        at.radio(key=f"paper_q_practices__{row}").set_value("no")
    at.checkbox(key="paper_share").check()
    at.button(key="paper_save").click().run()
    no_traceback(at)
    assert env.workshop_counts([w.id])[w.id].finished == 1
    (p,) = env.workshop_participants(w.id)
    assert p.sharing.source == "paper" and p.sharing.share_results
    assert p.record.answers["channels"] == ["none"] and p.record.profile.sector == "A"
    assert "Đã lưu 1 phiếu trong phiên này. Phiếu tiếp theo:" in texts(at)
    assert at.radio(key="paper_q_has_site").value is None  # the form is empty for the next one


def test_a_csv_of_paper_forms_names_bad_rows_and_saves_the_good(env, tiny_q):
    from scoring.intake import template_columns
    from ui.pages import workshop as page

    w = env.create_workshop("Phòng", "Hội", "lan", "tiny")
    cols = template_columns(tiny_q)
    good = {"sector": "C", "size_band": "small", "has_site": "yes", "site_updates": "weekly", "channels": "zalo",
            "skill": "3", "online_share": "20", "practices": "backup=fully;passwords=no",
            "share_with_association": "1"}
    bad = dict(good, sector="Q9", skill="7")
    body = io.StringIO()
    writer = csv.DictWriter(body, fieldnames=cols)
    writer.writeheader()
    for row in (good, bad, good):
        writer.writerow(row)
    frame_rows = list(csv.DictReader(io.StringIO(body.getvalue())))
    from scoring.intake import read_rows

    report = read_rows(tiny_q, frame_rows)
    assert [r.row for r in report.good] == [2, 4] and report.bad_rows == [3]
    assert {(p.row, p.column) for p in report.problems} == {(3, "sector"), (3, "skill")}
    # through the page: the report is kept in the session until "save" stores the good rows
    at = open_workshop(signed_in("lan"), w.id)
    at.session_state[page.CSV_REPORT] = {"report": report, "digest": "d1", "name": "forms.csv"}
    at.run()
    assert "**2** dòng hợp lệ, **1** dòng có lỗi." in texts(at)
    at.button(key="ws_csv_save").click().run()
    no_traceback(at)
    counts = env.workshop_counts([w.id])[w.id]
    assert counts.finished == 2
    assert {p.sharing.source for p in env.workshop_participants(w.id)} == {"csv"}
    assert "Đã lưu 2 phiếu vào hội thảo." in texts(at)


# ------------------------------------------------------------------ accounts (admin)


def test_admin_adds_an_account_that_can_sign_in_and_others_cannot_manage_accounts(env):
    env.add_user("root", PASSWORD, "admin")
    at = signed_in("lan", "users")
    assert "Tài khoản của bạn không có quyền xem trang này." in texts(at)
    at = signed_in("root", "users")
    no_traceback(at)
    at.text_input(key="admin_new_user").set_value("thu")
    at.radio(key="admin_new_role").set_value("programme")
    at.text_input(key="admin_new_password").set_value("a long password")
    at.text_input(key="admin_new_again").set_value("another password")
    at.button(key="admin_add_go").click().run()
    assert "Hai lần nhập mật khẩu không giống nhau." in [e.value for e in at.error]
    assert env.get_user("thu") is None
    at.text_input(key="admin_new_user").set_value("thu")
    at.text_input(key="admin_new_password").set_value("a long password")
    at.text_input(key="admin_new_again").set_value("a long password")
    at.button(key="admin_add_go").click().run()
    no_traceback(at)
    assert env.get_user("thu").role == "programme"
    assert env.authenticate("thu", "a long password") is not None
    for _ in range(5):
        env.authenticate("lan", "wrong")
    assert env.is_locked("lan")
    at.run()
    at.button(key="admin_unlock_lan").click().run()
    assert not env.is_locked("lan")


def test_the_room_summary_pdf_and_the_blank_form(env, tiny_q):
    import io
    import unicodedata

    from pypdf import PdfReader

    from report import render_blank_form, render_room_summary
    from ui import room

    def pdf_text(data: bytes) -> str:
        return unicodedata.normalize("NFC", "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages))

    w = env.create_workshop("Phòng Lào Cai", "Hiệp hội DN Lào Cai", "lan", "tiny", province="lao_cai")
    for i in range(6):
        _, code = env.join_workshop(w.join_code, tiny_q, FirmProfile(name=f"Cty bí mật {i}", sector="G", size_band="micro"),
                                    share_results=True, share_name=True)
        env.submit(code, tiny_q, HIGH if i % 2 else LOW)
    summary = room.summary(w, tiny_q, room.entries(w.id))
    assert summary.n == 6 and summary.finished == 6 and sum(lv.count for lv in summary.levels) == 6
    text = pdf_text(render_room_summary(summary, "vi"))
    assert "Phòng Lào Cai" in text and "Hiệp hội DN Lào Cai" in text
    assert "Cty bí mật" not in text  # no firm is named on a room's page
    assert len(PdfReader(io.BytesIO(render_room_summary(summary, "en"))).pages) == 1
    form = pdf_text(render_blank_form(tiny_q, "vi", workshop_name=w.name, join_code=w.join_code))
    assert w.join_code in form and all(q.id in form.replace("\n", "") for _, q in tiny_q.questions())
