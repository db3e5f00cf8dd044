"""Every user-facing string of the PDF, in Vietnamese (default) and English.

``t(lang, key, **values)`` formats one. Strings here are trusted (ours); they may hold simple
Paragraph markup (<b>, <br/>). Text from users or data files never goes through ``t`` unescaped.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

LANGS = ("vi", "en")
DEFAULT = "vi"

STRINGS: dict[str, dict[str, str]] = {
    "vi": {
        "tool_name": "Sẵn sàng số",
        "tool_subtitle": "Tự đánh giá mức độ chuyển đổi số cho doanh nghiệp nhỏ và vừa",
        "doc_title": "Kết quả đánh giá và lộ trình chuyển đổi số",
        "doc_subject": "Mức độ chuyển đổi số theo trụ cột (tự đánh giá), lộ trình 24 tháng và nền tảng số gợi ý",
        "keywords": "chuyển đổi số, DBI, doanh nghiệp nhỏ và vừa, SMEdx, lộ trình",
        "prepared_for": "Dành cho",
        "no_name": "Doanh nghiệp của bạn",
        "date": "Ngày lập",
        "questionnaire": "Bộ câu hỏi",
        "version": "phiên bản {v}",
        "overall": "Mức độ chuyển đổi số chung (tự đánh giá)",
        "level_n": "Mức {n}",
        "level_of": "Mức {n}/{top}",
        "indicative": "Kết quả sơ bộ",
        "indicative_note": (
            "Đây là kết quả sơ bộ từ bản kiểm tra nhanh, chỉ để tham khảo. Bản đánh giá đầy đủ xem xét "
            "nhiều tiêu chí hơn nên cho kết quả chi tiết hơn."
        ),
        "points": "{points} / {max} điểm ({percent})",
        "sector": "Ngành",
        "size": "Quy mô",
        "province": "Tỉnh, thành phố",
        "staff": "Số lao động",
        "cover_note": "Hãy giữ báo cáo này để so sánh ở lần đánh giá sau.",
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
            "Chương trình hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số (SMEdx) được khởi động năm 2021, "
            "giới thiệu các nền tảng số \"Make in Vietnam\" được lựa chọn. Điều kiện dùng thử và giá do "
            "từng nhà cung cấp đặt ra và có thể thay đổi: hãy hỏi nhà cung cấp trước khi đăng ký. "
            "Cách làm: vào cổng smedx.vn, chọn nền tảng theo nhu cầu, hỏi điều kiện dùng thử."
        ),
        "decree80_title": "Nghị định 80/2021/NĐ-CP",
        "decree80_body": (
            "Theo Điều 11 Nghị định 80/2021/NĐ-CP, doanh nghiệp nhỏ và vừa có thể được hỗ trợ <b>tối đa 50% "
            "chi phí thuê, mua các giải pháp chuyển đổi số</b>, không quá 20 triệu đồng mỗi năm với doanh "
            "nghiệp siêu nhỏ, 50 triệu đồng với doanh nghiệp nhỏ và 100 triệu đồng với doanh nghiệp vừa; "
            "và tối đa 50% giá trị hợp đồng tư vấn chuyển đổi số. Hộ kinh doanh không phải là doanh nghiệp "
            "nhỏ và vừa theo Nghị định này. Hồ sơ nộp qua cơ quan, tổ chức hỗ trợ doanh nghiệp nhỏ và vừa "
            "của bộ, ngành hoặc tỉnh. Giữ hợp đồng, hóa đơn và chứng từ thanh toán để đề nghị hỗ trợ. "
            "Một dự thảo nghị định hướng dẫn Luật Chuyển đổi số đề xuất mức hỗ trợ cao hơn: hãy hỏi cơ "
            "quan hỗ trợ doanh nghiệp về quy định đang có hiệu lực."
        ),
        "provincial_title": "Chương trình của tỉnh, thành phố",
        "provincial_body": (
            "Một số tỉnh, thành phố có chương trình chuyển đổi số riêng cho doanh nghiệp, chẳng hạn tư vấn, "
            "đào tạo, hỗ trợ một phần chi phí hoặc gặp gỡ nhà cung cấp. Hãy hỏi Sở Khoa học và Công nghệ, "
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
        "tool_subtitle": "Digital transformation self-assessment for small and medium-sized enterprises",
        "doc_title": "Assessment results and digital transformation roadmap",
        "doc_subject": "Digital transformation level by pillar (self-assessed), a 24-month roadmap and suggested digital platforms",
        "keywords": "digital transformation, DBI, SME, SMEdx, roadmap",
        "prepared_for": "Prepared for",
        "no_name": "Your business",
        "date": "Date",
        "questionnaire": "Questionnaire",
        "version": "version {v}",
        "overall": "Overall digital transformation level (self-assessed)",
        "level_n": "Level {n}",
        "level_of": "Level {n} of {top}",
        "indicative": "Indicative result",
        "indicative_note": (
            "This is an indicative result from the quick check, for reference only. The full assessment "
            "looks at more criteria and so gives a more detailed result."
        ),
        "points": "{points} of {max} points ({percent})",
        "sector": "Sector",
        "size": "Size",
        "province": "Province",
        "staff": "Staff",
        "cover_note": "Keep this report to compare with your next assessment.",
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
            "Vietnam\" digital platforms. Trial terms and prices are set by each vendor and can change: ask "
            "the vendor before you sign up. How: go to smedx.vn, choose a platform for your need and ask "
            "about its trial."
        ),
        "decree80_title": "Decree 80/2021/NĐ-CP",
        "decree80_body": (
            "Under Article 11 of Decree 80/2021/NĐ-CP, an SME can receive <b>up to 50% of the cost of "
            "renting or buying digital transformation solutions</b>, capped at VND 20 million a year for a "
            "micro firm, VND 50 million for a small firm and VND 100 million for a medium firm; and up to "
            "50% of a digital transformation consultancy contract. Household businesses are not SMEs under "
            "the decree. Apply through the SME support body of a ministry or your province. Keep contracts, "
            "invoices and proof of payment for the claim. A draft decree under the Law on Digital "
            "Transformation proposes more support: ask the SME support body which rules are in force."
        ),
        "provincial_title": "Provincial programmes",
        "provincial_body": (
            "Some provinces and cities run their own digital transformation programmes for firms, such as "
            "advice, training, part of the cost or meetings with vendors. Ask the provincial Department of "
            "Science and Technology, the SME support centre or your local business association."
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

# Strings added since the roadmap's first version, each key with its two languages side by side
# (vi, en): a missing translation is visible at a glance. Merged into STRINGS below.
_PAIRS: dict[str, tuple[str, str]] = {
    # -- honest framing (cover, summary, support page)
    "frame_criteria": (
        "Đây là kết quả tự đánh giá theo các tiêu chí của Bộ chỉ số đánh giá mức độ chuyển đổi số doanh "
        "nghiệp (DBI) năm 2021 dành cho doanh nghiệp nhỏ và vừa, ban hành theo Quyết định 1970/QĐ-BTTTT. "
        "Bộ chỉ số chính thức đã được sửa đổi sau đó (Quyết định 2158/QĐ-BTTTT năm 2023; Bộ tiêu chí "
        "phiên bản 1.0 của Bộ Khoa học và Công nghệ năm 2025). Kết quả dựa trên câu trả lời của doanh "
        "nghiệp, không phải đánh giá hay xếp hạng chính thức.",
        "This is a self-assessment following the criteria of the 2021 Digital Business Indicators (DBI) "
        "for small and medium-sized enterprises, issued by Decision 1970/QĐ-BTTTT. The official index has "
        "since been revised (Decision 2158/QĐ-BTTTT, 2023; the Ministry of Science and Technology's "
        "criteria, version 1.0, 2025). The result rests on the firm's own answers; it is not an official "
        "assessment or rating.",
    ),
    "frame_pillars": (
        "Đây là kết quả tự đánh giá, dựa trên các trụ cột và các mức của Bộ chỉ số đánh giá mức độ chuyển "
        "đổi số doanh nghiệp (DBI) năm 2021 (Quyết định 1970/QĐ-BTTTT). Bộ chỉ số chính thức đã được sửa "
        "đổi sau đó (Quyết định 2158/QĐ-BTTTT năm 2023; Bộ tiêu chí phiên bản 1.0 của Bộ Khoa học và Công "
        "nghệ năm 2025). Kết quả dựa trên câu trả lời của doanh nghiệp, không phải đánh giá hay xếp hạng "
        "chính thức.",
        "This is a self-assessment built on the pillars and levels of the 2021 Digital Business Indicators "
        "(DBI, Decision 1970/QĐ-BTTTT). The official index has since been revised (Decision 2158/QĐ-BTTTT, "
        "2023; the Ministry of Science and Technology's criteria, version 1.0, 2025). The result rests on "
        "the firm's own answers; it is not an official assessment or rating.",
    ),
    "frame_short": (
        "Kết quả tự đánh giá theo bộ chỉ số DBI 2021, không phải xếp hạng chính thức.",
        "A self-assessment following DBI 2021, not an official rating.",
    ),
    "dbi_title": ("Về bộ chỉ số DBI", "About the DBI index"),
    # -- resume code and follow-up (cover, summary, results)
    "code_label": ("Mã tiếp tục của bạn", "Your resume code"),
    "code_note": (
        "Nhập mã này ở trang «Tiếp tục với mã» để xem lại kết quả hoặc làm lần đánh giá sau. Hãy giữ kín: "
        "ai có mã đều mở được kết quả của bạn.",
        "Enter it on the “Resume with a code” page to see these results again or to take your follow-up. "
        "Keep it private: anyone with the code can open your results.",
    ),
    "previous_label": ("Lần đánh giá trước", "Previous assessment"),
    "progress_title": ("Tiến bộ so với lần đánh giá trước", "Progress since your previous assessment"),
    "progress_when": ("Lần trước ({when})", "Last time ({when})"),
    "progress_before": ("Lần trước", "Last time"),
    "progress_now": ("Lần này", "This time"),
    "progress_change": ("Thay đổi", "Change"),
    "progress_overall": ("Tổng thể", "Overall"),
    "progress_line": (
        "<b>{before_label}</b>: {level_before}, {points_before}. <b>{now_label}</b>: {level_now}, {points_now}.",
        "<b>{before_label}</b>: {level_before}, {points_before}. <b>{now_label}</b>: {level_now}, {points_now}.",
    ),
    "progress_since": ("So với lần trước: {change}.", "Since last time: {change}."),
    "progress_chart": (
        "Tỷ lệ điểm theo trụ cột, lần trước và lần này (% số điểm tối đa)",
        "Score by pillar, last time and this time (% of the maximum)",
    ),
    "progress_version": (
        "Lần trước trả lời theo phiên bản {old} của bộ câu hỏi, lần này theo phiên bản {new}: các tiêu chí "
        "đã thay đổi nên mức chênh lệch chỉ để tham khảo.",
        "Last time's answers were to version {old} of the questionnaire, this time's to version {new}: the "
        "criteria changed, so the differences are a guide only.",
    ),
    "progress_other": (
        "Lần trước dùng một bộ câu hỏi khác ({id}): số điểm không so sánh trực tiếp được, chỉ nên xem tỷ "
        "lệ và mức của từng trụ cột.",
        "Last time used another questionnaire ({id}): the points do not compare directly; compare each "
        "pillar's share and level only.",
    ),
    "points_up": ("tăng {n} điểm", "up {n} points"),
    "points_up_one": ("tăng {n} điểm", "up {n} point"),
    "points_down": ("giảm {n} điểm", "down {n} points"),
    "points_down_one": ("giảm {n} điểm", "down {n} point"),
    "points_same": ("số điểm không đổi", "the same points"),
    "pp_up": ("tăng {n} điểm phần trăm", "up {n} percentage points"),
    "pp_up_one": ("tăng {n} điểm phần trăm", "up {n} percentage point"),
    "pp_down": ("giảm {n} điểm phần trăm", "down {n} percentage points"),
    "pp_down_one": ("giảm {n} điểm phần trăm", "down {n} percentage point"),
    "pp_same": ("không đổi", "no change"),
    "level_up": ("lên mức {level}", "up to level {level}"),
    "level_down": ("xuống mức {level}", "down to level {level}"),
    "level_same": ("vẫn ở mức {level}", "still level {level}"),
    # -- framework codes
    "code": ("Mã", "Code"),
    "criteria_codes": ("Tiêu chí {codes}", "Criteria {codes}"),
    "criteria_codes_one": ("Tiêu chí {codes}", "Criterion {codes}"),
    # -- bounded user text
    "cut": ("…", "…"),
    # -- the blank paper form (report.forms)
    "form_title": ("Phiếu tự đánh giá (bản giấy)", "Self-assessment form (paper)"),
    "form_subject": (
        "Phiếu giấy để trả lời bộ câu hỏi khi không có điện thoại hay máy tính",
        "A paper form to answer the questionnaire where there are no phones or computers",
    ),
    "form_number": ("Phiếu số: ……………", "Form no.: ……………"),
    "form_workshop": ("Hội thảo", "Workshop"),
    "form_join_code": ("Mã tham gia", "Join code"),
    "form_how_title": ("Cách điền phiếu", "How to fill in the form"),
    "form_how": (
        "Đánh dấu ✗ vào ô ☐ bên cạnh câu trả lời. «Chọn một» là chỉ đánh dấu một ô; «chọn tất cả ô phù "
        "hợp» là đánh dấu mọi ô đúng với doanh nghiệp. Câu có dòng «Chỉ trả lời nếu …» thì bỏ qua khi điều "
        "kiện đó không đúng. Nếu một câu không áp dụng cho doanh nghiệp, đánh dấu ô «Không áp dụng» (nếu "
        "có). Người tổ chức sẽ nhập câu trả lời vào hệ thống; mỗi doanh nghiệp nhận kết quả và mã tiếp tục "
        "riêng.",
        "Put a ✗ in the box ☐ next to your answer. “Tick one” means one box only; “tick all that apply” "
        "means every box that is true for the firm. Skip a question marked “Answer only if …” when that is "
        "not the case. If a question does not apply to the firm, tick “Not applicable” (where offered). "
        "The organisers type the answers into the system; each firm gets its own results and resume code.",
    ),
    "form_profile": ("Thông tin doanh nghiệp", "About the firm"),
    "form_name": ("Tên doanh nghiệp (không bắt buộc)", "Firm name (optional)"),
    "form_sector": ("Ngành chính (chọn một)", "Main sector (tick one)"),
    "form_size": ("Quy mô (chọn một)", "Size (tick one)"),
    "form_province": ("Tỉnh, thành phố (chọn một)", "Province or city (tick one)"),
    "form_staff": ("Số lao động", "Number of staff"),
    "form_consent_title": ("Đồng ý chia sẻ kết quả", "Agreeing to share the results"),
    "form_consent_room": (
        "Tôi đồng ý để đơn vị tổ chức buổi hội thảo này xem kết quả của doanh nghiệp tôi.",
        "I agree that the organisers of this workshop may see my firm's results.",
    ),
    "form_consent_pool": (
        "Tôi đồng ý góp kết quả của doanh nghiệp, không kèm tên, vào số liệu chung để tính trung bình theo "
        "ngành, quy mô và tỉnh. Số liệu chỉ được công bố cho nhóm từ 5 doanh nghiệp trở lên.",
        "I agree to add my firm's results, without its name, to the pooled figures used for averages by "
        "sector, size and province. Figures are only ever shown for groups of at least 5 firms.",
    ),
    "form_consent_note": (
        "Không đánh dấu nghĩa là không đồng ý. Không đồng ý thì bạn vẫn nhận đủ kết quả và lộ trình.",
        "No tick means no. Without agreeing you still get your full results and roadmap.",
    ),
    "form_tick_one": ("Chọn một", "Tick one"),
    "form_tick_all": ("Chọn tất cả ô phù hợp", "Tick all that apply"),
    "form_tick_scale": ("Khoanh hoặc đánh dấu một số", "Tick one number"),
    "form_tick_matrix": ("Mỗi dòng chọn một ô", "Tick one box in each row"),
    "form_write_number": ("Ghi một số", "Write a number"),
    "form_write_text": ("Ghi câu trả lời (không bắt buộc)", "Write your answer (optional)"),
    "form_range": ("từ {min} đến {max}", "from {min} to {max}"),
    "form_na": ("Không áp dụng", "Not applicable"),
    "form_exclusive": ("chỉ chọn khi không chọn ô nào khác", "only if no other box is ticked"),
    "form_optional": ("không bắt buộc", "optional"),
    "form_question_n": ("Câu {n}", "Question {n}"),
    "form_only_if": ("Chỉ trả lời nếu {cond}.", "Answer only if {cond}."),
    "form_cond_in": ("ở câu {n} bạn chọn {values}", "you chose {values} in question {n}"),
    "form_cond_at_least": ("câu {n} từ {x} trở lên", "question {n} is {x} or more"),
    "form_cond_at_most": ("câu {n} không quá {x}", "question {n} is at most {x}"),
    "form_cond_answered": ("đã trả lời câu {n}", "you answered question {n}"),
    "form_or": ("hoặc", "or"),
    "form_quote": ("«{x}»", "“{x}”"),
    "form_and": ("và", "and"),
    "form_id": ("mã câu: {id}", "id: {id}"),
    "form_end": (
        "Cảm ơn bạn. Hãy nộp phiếu cho người tổ chức.",
        "Thank you. Please hand the form to the organisers.",
    ),
    "form_entry": (
        "Dành cho người nhập liệu — đã nhập ngày: …………… người nhập: ……………",
        "For the person typing it in — typed on: …………… by: ……………",
    ),
    # -- suppression (room summary, staff brief)
    "suppressed": ("dưới {k} doanh nghiệp: không hiển thị", "fewer than {k} firms: not shown"),
    "suppressed_mark": ("ẩn", "hidden"),
    "suppressed_note": (
        "«ẩn»: nhóm dưới {k} doanh nghiệp, không hiển thị để bảo vệ thông tin của từng doanh nghiệp.",
        "“hidden”: a group of fewer than {k} firms, not shown to protect each firm's information.",
    ),
    "not_available": ("chưa có", "not available"),
    "n_firms": ("{n} doanh nghiệp", "{n} firms"),
    "n_firms_one": ("{n} doanh nghiệp", "{n} firm"),
    "n_is": ("n = {n}", "n = {n}"),
    "under_k": ("dưới {k}", "fewer than {k}"),
    "levels_chart": ("Số doanh nghiệp theo mức", "Firms by level"),
    "pillar_means_chart": ("Điểm trung bình theo trụ cột (% số điểm tối đa)", "Mean score by pillar (% of the maximum)"),
    # -- a workshop room's summary (report.room)
    "room_title": ("Tóm tắt kết quả hội thảo", "Workshop results summary"),
    "room_subject": (
        "Kết quả chung của các doanh nghiệp trong một buổi hội thảo, không có tên doanh nghiệp",
        "The pooled results of the firms in one workshop, without firm names",
    ),
    "room_association": ("Đơn vị tổ chức", "Organised by"),
    "room_date": ("Ngày", "Date"),
    "room_province": ("Tỉnh, thành phố", "Province"),
    "room_questionnaire": ("Bộ câu hỏi", "Questionnaire"),
    "room_joined": ("Đã tham gia", "Joined"),
    "room_finished": ("Đã hoàn thành", "Finished"),
    "room_you": ("Hội thảo", "This room"),
    "room_province_pool": ("Trung bình của tỉnh", "Province average"),
    "room_national_pool": ("Trung bình cả nước", "National average"),
    "room_means_table": ("Điểm trung bình theo trụ cột", "Mean score by pillar"),
    "room_gaps": ("Ba khoảng trống phổ biến nhất", "The three most common gaps"),
    "room_categories": ("Nhóm nền tảng số cần nhất", "Platform categories most needed"),
    "room_none": ("Chưa có.", "None yet."),
    "room_count": ("{n} / {total} doanh nghiệp", "{n} of {total} firms"),
    "room_too_few": (
        "Dưới {k} doanh nghiệp: không hiển thị. Số liệu chỉ được hiển thị khi từ {k} doanh nghiệp trở lên "
        "đã hoàn thành, để không ai đoán được kết quả của từng doanh nghiệp.",
        "Fewer than {k} firms: not shown. Figures appear once at least {k} firms have finished, so that no "
        "firm's own result can be worked out.",
    ),
    "room_privacy": (
        "Không có tên doanh nghiệp. Chỉ gồm các doanh nghiệp đồng ý chia sẻ với đơn vị tổ chức; số liệu của "
        "nhóm dưới {k} doanh nghiệp không được hiển thị.",
        "No firm names. Only firms that agreed to share with the organisers; figures for groups of fewer "
        "than {k} firms are not shown.",
    ),
    "pool_n": ("{label} (n = {n})", "{label} (n = {n})"),
    "pool_small": ("{label} (n < {k}: ẩn)", "{label} (n < {k}: hidden)"),
    # -- the programme staff brief (report.brief)
    "brief_title": ("Tóm tắt số liệu cho cán bộ chương trình", "Brief for programme staff"),
    "brief_subject": (
        "Số liệu tự đánh giá chuyển đổi số đã gộp của các doanh nghiệp đồng ý chia sẻ",
        "Pooled digital transformation self-assessment figures of the firms that agreed to share",
    ),
    "brief_filter": ("Nhóm doanh nghiệp", "Which firms"),
    "brief_filter_all": ("Tất cả doanh nghiệp trong dữ liệu chung", "Every firm in the pool"),
    "brief_filter_sentence": (
        "Số liệu của <b>{n}</b> doanh nghiệp đã đồng ý góp kết quả vào số liệu chung: {filters}.",
        "Figures of <b>{n}</b> firms that agreed to pool their results: {filters}.",
    ),
    "brief_questionnaire": ("Bộ câu hỏi", "Questionnaire"),
    "brief_made": ("Lập ngày", "Made on"),
    "brief_key": ("Số liệu chính", "Key figures"),
    "brief_n": ("Số doanh nghiệp", "Firms"),
    "brief_mean": ("Điểm trung bình", "Mean score"),
    "brief_level_share": ("Ở mức {level} trở lên", "At level {level} or above"),
    "brief_compare": ("So sánh với {pool}", "Compared with {pool}"),
    "brief_group": ("Nhóm", "Group"),
    "brief_difference": ("Chênh lệch", "Difference"),
    "brief_difference_note": (
        "Chênh lệch tính bằng điểm phần trăm: nhóm trừ {pool}. Dương là nhóm cao hơn.",
        "Differences in percentage points: the group minus {pool}. Positive means the group is higher.",
    ),
    "brief_needs": ("Nhu cầu phổ biến nhất", "The most common needs"),
    "brief_needs_intro": (
        "Nhóm nền tảng số mà câu trả lời cho thấy doanh nghiệp còn thiếu, nhiều nhất trước: danh sách để "
        "cân nhắc nên hỗ trợ gì.",
        "The platform categories the answers show firms lack, most common first: a list to weigh what to "
        "support.",
    ),
    "brief_need": ("Nhu cầu", "Need"),
    "brief_firms": ("Số doanh nghiệp", "Firms"),
    "brief_share": ("Tỷ lệ trong nhóm", "Share of the group"),
    "brief_breakdown": ("Theo {by}", "By {by}"),
    "brief_no_data": ("Không có doanh nghiệp nào khớp bộ lọc.", "No firm matches the filter."),
    "brief_method": (
        "Chỉ gồm kết quả các doanh nghiệp đã đồng ý góp vào số liệu chung, không có tên doanh nghiệp. Mỗi "
        "con số ghi kèm n (số doanh nghiệp); nhóm dưới {k} doanh nghiệp không được hiển thị. Đây là kết quả "
        "tự đánh giá, không phải số liệu thống kê chính thức.",
        "Only results of firms that agreed to pool them, without firm names. Each figure carries its n "
        "(the number of firms); groups of fewer than {k} firms are not shown. These are self-assessment "
        "results, not official statistics.",
    ),
}

VI_MONTHS = ["", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
EN_MONTHS = [
    "", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]


for _key, (_vi, _en) in _PAIRS.items():
    STRINGS["vi"][_key] = _vi
    STRINGS["en"][_key] = _en


def lang_of(lang: str | None) -> str:
    return lang if lang in STRINGS else DEFAULT


def t(lang: str, key: str, **values: object) -> str:
    text = STRINGS[lang_of(lang)][key]
    return text.format(**values) if values else text


def plural(lang: str, key: str, count: float, **values: object) -> str:
    """``key`` for a ``count``: ``key_one`` when it is 1 and that key exists (English "1 point")."""
    one = f"{key}_one"
    return t(lang, one if count == 1 and one in STRINGS[lang_of(lang)] else key, **values)


VN_TZ = timezone(timedelta(hours=7), "ICT")  # Vietnam: UTC+7 all year (no daylight saving)


def local_date(when: date | datetime | None) -> date:
    """The calendar day in Vietnam for a date (as it is) or an aware datetime (converted to UTC+7);
    None is today in Vietnam. A naive datetime is refused: it could be any time zone's, and a
    report dated the wrong day is worse than an error."""
    if when is None:
        return datetime.now(VN_TZ).date()
    if isinstance(when, datetime):
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError(f"when={when.isoformat()} has no time zone: pass a date or an aware datetime")
        return when.astimezone(VN_TZ).date()
    if isinstance(when, date):
        return when
    raise TypeError(f"when must be a date or an aware datetime, not {type(when).__name__}")


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


def format_count(n: int | None, lang: str) -> str:
    """A whole count with thousands grouped as each language writes it: 12.345 (vi), 12,345 (en)."""
    if n is None:
        return "—"
    s = f"{int(n):,}"
    return s.replace(",", ".") if lang_of(lang) == "vi" else s


def format_percent(x: float | None, lang: str) -> str:
    if x is None:
        return "—"
    return f"{int(round(x))}%"
