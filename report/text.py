"""Every user-facing string of the PDF, in Vietnamese (default) and English.

``t(lang, key, **values)`` formats one. Strings here are trusted (ours); they may hold simple
Paragraph markup (<b>, <br/>). Text from users or data files never goes through ``t`` unescaped.
"""

from __future__ import annotations

from datetime import date
from typing import Any

LANGS = ("vi", "en")
DEFAULT = "vi"

STRINGS: dict[str, dict[str, str]] = {
    "vi": {
        "tool_name": "Sẵn sàng số",
        "tool_subtitle": "Tự đánh giá mức độ sẵn sàng chuyển đổi số cho doanh nghiệp nhỏ và vừa",
        "doc_title": "Kết quả đánh giá và lộ trình chuyển đổi số",
        "doc_subject": "Mức sẵn sàng số theo trụ cột, lộ trình 24 tháng và nền tảng số gợi ý",
        "keywords": "chuyển đổi số, DBI, doanh nghiệp nhỏ và vừa, SMEdx, lộ trình",
        "prepared_for": "Dành cho",
        "no_name": "Doanh nghiệp của bạn",
        "date": "Ngày lập",
        "questionnaire": "Bộ câu hỏi",
        "version": "phiên bản {v}",
        "overall": "Mức sẵn sàng số tổng thể",
        "level_n": "Mức {n}",
        "level_of": "Mức {n}/{top}",
        "indicative": "Kết quả sơ bộ",
        "indicative_note": (
            "Đây là kết quả sơ bộ từ bản kiểm tra nhanh. Hãy làm bản đánh giá đầy đủ để biết mức "
            "chính xác của doanh nghiệp."
        ),
        "points": "{points} / {max} điểm ({percent})",
        "sector": "Ngành",
        "size": "Quy mô",
        "province": "Tỉnh, thành phố",
        "staff": "Số lao động",
        "cover_note": (
            "Báo cáo này do doanh nghiệp tự đánh giá, dựa trên bộ chỉ số DBI cho doanh nghiệp nhỏ và "
            "vừa (Quyết định 1970/QĐ-BTTTT). Hãy giữ lại để so sánh ở lần đánh giá sau."
        ),
        "summary": "Tóm tắt",
        "what_level_means": "Mức này có nghĩa là gì",
        "next_level": "Để lên mức {level} · {name} cần",
        "cond_total_points": "tổng điểm trên {needed} (hiện {now})",
        "cond_total_percent": "tổng điểm trên {needed}% điểm tối đa (hiện {now}%)",
        "cond_mean_percent": "điểm trung bình các trụ cột từ {needed}% (hiện {now}%)",
        "cond_pillars": "ít nhất {needed} trụ cột ở mức {level} trở lên (hiện {now})",
        "cond_lift": "gần đạt nhất: {names}",
        "cond_met": "đã đạt",
        "cond_missing": "chưa đạt",
        "strongest": "Trụ cột mạnh nhất",
        "weakest": "Trụ cột cần cải thiện trước",
        "first_steps": "Ba việc nên làm đầu tiên",
        "no_actions": "Chưa có việc nào được đề xuất cho các câu trả lời này.",
        "radar_title": "Điểm theo trụ cột (% số điểm tối đa)",
        "you": "Doanh nghiệp bạn",
        "peers": "Trung bình doanh nghiệp tương tự",
        "bench_title": "So sánh với doanh nghiệp tương tự",
        "bench_note": (
            "So với trung bình của {n} doanh nghiệp cùng ngành và quy mô đã đồng ý chia sẻ kết quả "
            "(ẩn danh)."
        ),
        "pillars_table": "Kết quả theo trụ cột",
        "pillar": "Trụ cột",
        "score": "Điểm",
        "percent": "Tỷ lệ",
        "level": "Mức",
        "not_applicable_pillar": "Không áp dụng",
        "pillar_page": "Trụ cột: {name}",
        "pillar_score": "Điểm: {points} / {max} ({percent}) — {level}",
        "pillar_all_na": "Mọi câu hỏi của trụ cột này đều không áp dụng cho doanh nghiệp, nên trụ cột không được tính mức.",
        "working": "Điều đang làm tốt",
        "nothing_working": "Chưa có câu trả lời nào của trụ cột này đạt mức cao nhất — đây là chỗ có nhiều dư địa nhất.",
        "gaps": "Khoảng trống và cách làm tốt hơn",
        "no_gaps": "Không còn khoảng trống đáng kể trong trụ cột này. Hãy duy trì và chia sẻ cách làm.",
        "question": "Câu hỏi",
        "your_answer": "Câu trả lời",
        "how_better": "Cách làm tốt hơn",
        "roadmap": "Lộ trình theo giai đoạn",
        "roadmap_intro": (
            "Các việc được sắp theo thời gian: việc nhanh, chi phí thấp trước; việc cần đầu tư sau. "
            "Mỗi việc đưa một trụ cột lên một mức."
        ),
        "phase": "Giai đoạn",
        "action": "Việc cần làm",
        "step": "Bước",
        "phase_0-3": "0–3 tháng",
        "phase_3-12": "3–12 tháng",
        "phase_12-24": "12–24 tháng",
        "phase_0-3_sub": "Làm ngay",
        "phase_3-12_sub": "Xây nền tảng",
        "phase_12-24_sub": "Mở rộng, nâng cao",
        "phase_empty": "Không có việc nào trong giai đoạn này.",
        "support": "Hỗ trợ",
        "targets": "Mục tiêu theo trụ cột",
        "now": "Hiện tại",
        "in_12m": "Sau 12 tháng",
        "in_24m": "Sau 24 tháng",
        "platforms": "Nền tảng số gợi ý",
        "platforms_intro": (
            "Các nền tảng phù hợp với quy mô, ngành và ngân sách của doanh nghiệp, xếp theo mức cần thiết. "
            "Danh sách để tham khảo, không phải quảng cáo: hãy hỏi nhà cung cấp về giá và điều kiện, "
            "và dùng thử trước khi mua."
        ),
        "category": "Nhóm",
        "platform": "Nền tảng",
        "vendor": "Nhà cung cấp",
        "why": "Vì sao phù hợp",
        "support_available": "Hỗ trợ",
        "mode_adopt": "Nên bắt đầu dùng",
        "mode_improve": "Dùng tốt hơn công cụ đang có",
        "no_platforms": "Chưa có nền tảng nào trong danh mục phù hợp với doanh nghiệp.",
        "no_categories": "Các câu trả lời chưa cho thấy nhóm nền tảng nào cần bổ sung.",
        "flag_yes": "có",
        "flag_no": "không",
        "flag_unknown": "chưa rõ",
        "smedx_flag": "SMEdx: {v}",
        "decree80_flag": "NĐ 80/2021: {v}",
        "free_trial_flag": "Dùng thử: {v}",
        "price": "Giá: {v}",
        "price_free": "miễn phí",
        "price_low": "thấp",
        "price_medium": "trung bình",
        "price_high": "cao",
        "support_title": "Hỗ trợ chuyển đổi số cho doanh nghiệp nhỏ và vừa tại Việt Nam",
        "support_intro": (
            "Doanh nghiệp nhỏ và vừa không phải tự gánh toàn bộ chi phí chuyển đổi số. "
            "Dưới đây là các nguồn hỗ trợ chính và cách tiếp cận."
        ),
        "smedx_title": "Chương trình SMEdx",
        "smedx_body": (
            "Chương trình hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số (SMEdx), khởi động năm 2021, giới "
            "thiệu các nền tảng số \"Make in Vietnam\" được lựa chọn. Doanh nghiệp dưới 50 lao động có thể "
            "dùng <b>miễn phí từ 3 đến 6 tháng</b>, sau đó trả phí theo tháng nếu muốn dùng tiếp. "
            "Cách làm: vào cổng smedx.vn, chọn nền tảng theo nhu cầu, đăng ký dùng thử."
        ),
        "decree80_title": "Nghị định 80/2021/NĐ-CP",
        "decree80_body": (
            "Nghị định hướng dẫn Luật Hỗ trợ doanh nghiệp nhỏ và vừa cho phép hỗ trợ <b>tới 50% chi phí</b> "
            "thuê, mua các giải pháp, nền tảng số được phê duyệt, cùng chi phí tư vấn chuyển đổi số, trong "
            "giới hạn mỗi năm. Hồ sơ nộp qua cơ quan, tổ chức hỗ trợ doanh nghiệp nhỏ và vừa của bộ, ngành "
            "hoặc tỉnh. Giữ hợp đồng, hoá đơn và chứng từ thanh toán để đề nghị hỗ trợ."
        ),
        "provincial_title": "Chương trình của tỉnh, thành phố",
        "provincial_body": (
            "Nhiều tỉnh, thành phố có chương trình chuyển đổi số riêng cho doanh nghiệp: tư vấn và đào tạo "
            "miễn phí, hỗ trợ một phần chi phí, gặp gỡ nhà cung cấp. Hãy hỏi Sở Khoa học và Công nghệ, "
            "Trung tâm hỗ trợ doanh nghiệp hoặc hiệp hội doanh nghiệp tại địa phương."
        ),
        "how_to_start_title": "Bắt đầu thế nào",
        "how_to_start_body": (
            "1. Chọn một hoặc hai việc của giai đoạn 0–3 tháng. 2. Hỏi nhà cung cấp xem nền tảng có trong "
            "SMEdx hay được hỗ trợ theo Nghị định 80 không. 3. Dùng thử trước khi ký hợp đồng. "
            "4. Đánh giá lại sau 6–12 tháng để thấy tiến bộ."
        ),
        "support_disclaimer": (
            "Thông tin để tham khảo, không phải tư vấn pháp lý. Điều kiện và mức hỗ trợ có thể thay đổi: "
            "hãy kiểm tra với cơ quan hỗ trợ doanh nghiệp trước khi nộp hồ sơ."
        ),
        "appendix": "Phụ lục: toàn bộ câu trả lời",
        "answer_na": "Không áp dụng",
        "answer_hidden": "Không hỏi (không liên quan theo câu trả lời trước)",
        "answer_missing": "Chưa trả lời",
        "answer_empty": "(để trống)",
        "answer_none": "(không chọn)",
        "scale_between": "giữa «{lo}» và «{hi}»",
        "page_of": "trang {x} / {y}",
        "footer": "{title}, phiên bản {version}",
        "none": "—",
        "and": "và",
    },
    "en": {
        "tool_name": "Sẵn sàng số",
        "tool_subtitle": "Digital-readiness self-assessment for small and medium-sized enterprises",
        "doc_title": "Assessment results and digital transformation roadmap",
        "doc_subject": "Digital-readiness level by pillar, a 24-month roadmap and suggested digital platforms",
        "keywords": "digital transformation, DBI, SME, SMEdx, roadmap",
        "prepared_for": "Prepared for",
        "no_name": "Your business",
        "date": "Date",
        "questionnaire": "Questionnaire",
        "version": "version {v}",
        "overall": "Overall digital-readiness level",
        "level_n": "Level {n}",
        "level_of": "Level {n} of {top}",
        "indicative": "Indicative result",
        "indicative_note": (
            "This is an indicative result from the quick check. Take the full assessment to learn the "
            "firm's exact level."
        ),
        "points": "{points} of {max} points ({percent})",
        "sector": "Sector",
        "size": "Size",
        "province": "Province",
        "staff": "Staff",
        "cover_note": (
            "A self-assessment by the firm, built on the national DBI index for SMEs (Decision "
            "1970/QĐ-BTTTT). Keep it to compare with your next assessment."
        ),
        "summary": "Summary",
        "what_level_means": "What this level means",
        "next_level": "To reach level {level} · {name} you need",
        "cond_total_points": "a total above {needed} points (now {now})",
        "cond_total_percent": "a total above {needed}% of the maximum (now {now}%)",
        "cond_mean_percent": "a mean pillar score of {needed}% or more (now {now}%)",
        "cond_pillars": "at least {needed} pillars at level {level} or higher (now {now})",
        "cond_lift": "closest: {names}",
        "cond_met": "done",
        "cond_missing": "not yet",
        "strongest": "Strongest pillars",
        "weakest": "Pillars to improve first",
        "first_steps": "Your first three steps",
        "no_actions": "No actions are suggested for these answers.",
        "radar_title": "Score by pillar (% of the maximum)",
        "you": "Your firm",
        "peers": "Average of similar firms",
        "bench_title": "Compared with similar firms",
        "bench_note": "Compared with the average of {n} firms of the same sector and size that agreed to share their results (anonymously).",
        "pillars_table": "Results by pillar",
        "pillar": "Pillar",
        "score": "Points",
        "percent": "Share",
        "level": "Level",
        "not_applicable_pillar": "Not applicable",
        "pillar_page": "Pillar: {name}",
        "pillar_score": "Points: {points} of {max} ({percent}) — {level}",
        "pillar_all_na": "No question of this pillar applies to the firm, so the pillar has no level.",
        "working": "What is working",
        "nothing_working": "No answer in this pillar is at the top yet — this is where there is most room to grow.",
        "gaps": "Gaps and how to do better",
        "no_gaps": "No notable gaps in this pillar. Keep it up and share how you do it.",
        "question": "Question",
        "your_answer": "Your answer",
        "how_better": "How to do better",
        "roadmap": "Phased roadmap",
        "roadmap_intro": (
            "The actions in time order: quick, low-cost wins first, investments later. "
            "Each action lifts one pillar by one level."
        ),
        "phase": "Phase",
        "action": "Action",
        "step": "Step",
        "phase_0-3": "0–3 months",
        "phase_3-12": "3–12 months",
        "phase_12-24": "12–24 months",
        "phase_0-3_sub": "Start now",
        "phase_3-12_sub": "Build the base",
        "phase_12-24_sub": "Extend and deepen",
        "phase_empty": "No actions in this phase.",
        "support": "Support",
        "targets": "Targets per pillar",
        "now": "Now",
        "in_12m": "In 12 months",
        "in_24m": "In 24 months",
        "platforms": "Suggested digital platforms",
        "platforms_intro": (
            "Platforms that fit the firm's size, sector and budget, most needed first. A list for "
            "reference, not advertising: ask the vendor about prices and terms, and try before you buy."
        ),
        "category": "Category",
        "platform": "Platform",
        "vendor": "Vendor",
        "why": "Why it fits",
        "support_available": "Support",
        "mode_adopt": "Start using one",
        "mode_improve": "Make better use of the tool you have",
        "no_platforms": "No platform in the catalogue fits the firm yet.",
        "no_categories": "The answers show no category of platform the firm is missing.",
        "flag_yes": "yes",
        "flag_no": "no",
        "flag_unknown": "not known",
        "smedx_flag": "SMEdx: {v}",
        "decree80_flag": "Decree 80/2021: {v}",
        "free_trial_flag": "Free trial: {v}",
        "price": "Price: {v}",
        "price_free": "free",
        "price_low": "low",
        "price_medium": "medium",
        "price_high": "high",
        "support_title": "Support for SMEs' digital transformation in Vietnam",
        "support_intro": (
            "Small and medium-sized firms need not carry the whole cost of going digital alone. "
            "These are the main sources of support and how to reach them."
        ),
        "smedx_title": "The SMEdx programme",
        "smedx_body": (
            "The SME digital transformation programme (SMEdx), launched in 2021, lists selected \"Make in "
            "Vietnam\" digital platforms. Firms with fewer than 50 staff can use them <b>free for 3 to 6 "
            "months</b>, then pay monthly if they keep them. How: go to smedx.vn, choose a platform for your "
            "need and sign up for the trial."
        ),
        "decree80_title": "Decree 80/2021/NĐ-CP",
        "decree80_body": (
            "The decree implementing the SME Support Law allows support of <b>up to 50% of the cost</b> of "
            "renting or buying approved digital solutions and platforms, and of digital-transformation "
            "advice, within a yearly limit. Apply through the SME support body of a ministry or your "
            "province. Keep contracts, invoices and proof of payment for the claim."
        ),
        "provincial_title": "Provincial programmes",
        "provincial_body": (
            "Many provinces and cities run their own digital-transformation programmes for firms: free advice "
            "and training, part of the cost, meetings with vendors. Ask the provincial Department of Science "
            "and Technology, the SME support centre or your local business association."
        ),
        "how_to_start_title": "How to start",
        "how_to_start_body": (
            "1. Pick one or two actions of the 0–3 month phase. 2. Ask the vendor whether the platform is on "
            "SMEdx or eligible under Decree 80. 3. Try it before signing a contract. 4. Assess again after "
            "6–12 months to see your progress."
        ),
        "support_disclaimer": (
            "Guidance for reference, not legal advice. Conditions and amounts can change: check with the SME "
            "support body before you apply."
        ),
        "appendix": "Appendix: every answer",
        "answer_na": "Not applicable",
        "answer_hidden": "Not asked (does not apply given an earlier answer)",
        "answer_missing": "Not answered",
        "answer_empty": "(left blank)",
        "answer_none": "(none ticked)",
        "scale_between": "between “{lo}” and “{hi}”",
        "page_of": "page {x} of {y}",
        "footer": "{title}, version {version}",
        "none": "—",
        "and": "and",
    },
}

VI_MONTHS = ["", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
EN_MONTHS = [
    "", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]


def lang_of(lang: str | None) -> str:
    return lang if lang in STRINGS else DEFAULT


def t(lang: str, key: str, **values: object) -> str:
    text = STRINGS[lang_of(lang)][key]
    return text.format(**values) if values else text


def format_date(d: date, lang: str) -> str:
    if lang_of(lang) == "vi":
        return f"ngày {d.day} tháng {VI_MONTHS[d.month]} năm {d.year}"
    return f"{d.day} {EN_MONTHS[d.month]} {d.year}"


def format_number(x: float | None, lang: str) -> str:
    """Points as people write them: 12, 12,5 (vi) or 12.5 (en)."""
    if x is None:
        return "—"
    s = f"{x:.1f}".rstrip("0").rstrip(".") if abs(x - round(x)) > 1e-9 else str(int(round(x)))
    return s.replace(".", ",") if lang_of(lang) == "vi" else s


def format_condition(cond: Any, lang: str) -> tuple[str, str, str]:
    """A next-level condition as printed: (kind of sentence, needed, now). A share of the
    maximum total is said in points of the firm's own maximum (DBI's "trên 128 điểm"), points
    as written, percents whole."""
    if cond.kind == "total_percent" and getattr(cond, "points_needed", None) is not None:
        return "total_points", format_number(cond.points_needed, lang), format_number(cond.points_now, lang)
    now = format_number(cond.now, lang) if cond.kind == "total_points" else f"{cond.now:.0f}"
    return cond.kind, format_number(cond.needed, lang), now


def format_percent(x: float | None, lang: str) -> str:
    if x is None:
        return "—"
    return f"{int(round(x))}%"
