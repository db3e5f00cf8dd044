"""Firm-profile reference data: 34 provinces (63 former), VSIC sections, Decree 80 size bands."""

from __future__ import annotations

import pytest

from scoring.profile import (
    ProfileError,
    classify_size,
    load_profile_reference,
    load_profile_text,
    normalize_name,
    province_from_name,
    sector_group,
)

REF = load_profile_reference()

# Former province → new unit (1 July 2025), written out by hand from the merger list.
FORMER_TO_NEW = {
    "Hà Nội": "ha_noi",
    "Thừa Thiên Huế": "hue",
    "Hải Phòng": "hai_phong",
    "Hải Dương": "hai_phong",
    "Đà Nẵng": "da_nang",
    "Quảng Nam": "da_nang",
    "Hồ Chí Minh": "ho_chi_minh",
    "Bình Dương": "ho_chi_minh",
    "Bà Rịa – Vũng Tàu": "ho_chi_minh",
    "Cần Thơ": "can_tho",
    "Sóc Trăng": "can_tho",
    "Hậu Giang": "can_tho",
    "Lai Châu": "lai_chau",
    "Điện Biên": "dien_bien",
    "Sơn La": "son_la",
    "Lạng Sơn": "lang_son",
    "Quảng Ninh": "quang_ninh",
    "Thanh Hóa": "thanh_hoa",
    "Nghệ An": "nghe_an",
    "Hà Tĩnh": "ha_tinh",
    "Cao Bằng": "cao_bang",
    "Tuyên Quang": "tuyen_quang",
    "Hà Giang": "tuyen_quang",
    "Lào Cai": "lao_cai",
    "Yên Bái": "lao_cai",
    "Thái Nguyên": "thai_nguyen",
    "Bắc Kạn": "thai_nguyen",
    "Phú Thọ": "phu_tho",
    "Vĩnh Phúc": "phu_tho",
    "Hòa Bình": "phu_tho",
    "Bắc Ninh": "bac_ninh",
    "Bắc Giang": "bac_ninh",
    "Hưng Yên": "hung_yen",
    "Thái Bình": "hung_yen",
    "Ninh Bình": "ninh_binh",
    "Hà Nam": "ninh_binh",
    "Nam Định": "ninh_binh",
    "Quảng Trị": "quang_tri",
    "Quảng Bình": "quang_tri",
    "Quảng Ngãi": "quang_ngai",
    "Kon Tum": "quang_ngai",
    "Gia Lai": "gia_lai",
    "Bình Định": "gia_lai",
    "Khánh Hòa": "khanh_hoa",
    "Ninh Thuận": "khanh_hoa",
    "Lâm Đồng": "lam_dong",
    "Đắk Nông": "lam_dong",
    "Bình Thuận": "lam_dong",
    "Đắk Lắk": "dak_lak",
    "Phú Yên": "dak_lak",
    "Đồng Nai": "dong_nai",
    "Bình Phước": "dong_nai",
    "Tây Ninh": "tay_ninh",
    "Long An": "tay_ninh",
    "Vĩnh Long": "vinh_long",
    "Bến Tre": "vinh_long",
    "Trà Vinh": "vinh_long",
    "Đồng Tháp": "dong_thap",
    "Tiền Giang": "dong_thap",
    "Cà Mau": "ca_mau",
    "Bạc Liêu": "ca_mau",
    "An Giang": "an_giang",
    "Kiên Giang": "an_giang",
}


# ---------------------------------------------------------------- provinces


def test_exactly_34_units_six_cities():
    assert len(REF.provinces) == 34
    assert len({p.id for p in REF.provinces}) == 34
    cities = {p.id for p in REF.provinces if p.kind == "city"}
    assert cities == {"ha_noi", "hue", "hai_phong", "da_nang", "ho_chi_minh", "can_tho"}


def test_63_distinct_former_names_each_listed_once():
    former = [f for p in REF.provinces for f in p.former]
    assert len(former) == 63
    assert len(set(former)) == 63
    assert len({normalize_name(f) for f in former}) == 63
    assert len(FORMER_TO_NEW) == 63
    assert {normalize_name(f) for f in former} == {normalize_name(f) for f in FORMER_TO_NEW}


def test_names_have_diacritics_and_english():
    hcm = REF.province("ho_chi_minh")
    assert hcm.former == ("Hồ Chí Minh", "Bình Dương", "Bà Rịa – Vũng Tàu")
    assert REF.province("hue").former == ("Thừa Thiên Huế",)
    assert REF.province("ha_noi").name.get("vi") == "Hà Nội"
    for p in REF.provinces:
        assert p.name.get("vi").strip() and p.name.get("en").strip()
        assert p.name.get("en").isascii()
        assert p.id.isascii()


@pytest.mark.parametrize(("former", "new"), sorted(FORMER_TO_NEW.items()))
def test_every_former_province_maps_to_its_new_unit(former, new):
    found = province_from_name(former)
    assert found is not None and found.id == new


@pytest.mark.parametrize(
    ("name", "new"),
    [
        ("Bình Dương", "ho_chi_minh"),
        ("Hà Giang", "tuyen_quang"),
        ("Kiên Giang", "an_giang"),
        ("Quảng Nam", "da_nang"),
        ("tinh ha giang", "tuyen_quang"),
        ("Tỉnh Hà Giang", "tuyen_quang"),
        ("TỈNH BÌNH DƯƠNG", "ho_chi_minh"),
        ("Thành phố Hồ Chí Minh", "ho_chi_minh"),
        ("TP. Hồ Chí Minh", "ho_chi_minh"),
        ("TP.HCM", "ho_chi_minh"),
        ("Ho Chi Minh City", "ho_chi_minh"),
        ("Bà Rịa-Vũng Tàu", "ho_chi_minh"),
        ("Ba Ria - Vung Tau", "ho_chi_minh"),
        ("ba ria–vung tau", "ho_chi_minh"),
        ("Thừa Thiên-Huế", "hue"),
        ("Thành phố Huế", "hue"),
        ("Hoà Bình", "phu_tho"),  # old-style tone placement
        ("dak nong", "lam_dong"),
        ("ĐẮK LẮK", "dak_lak"),
        ("ha_noi", "ha_noi"),
        ("Hanoi", "ha_noi"),
        ("  can tho  ", "can_tho"),
        ("Can Tho City", "can_tho"),
        ("Soc Trang Province", "can_tho"),
    ],
)
def test_province_from_name_is_tolerant(name, new):
    found = province_from_name(name)
    assert found is not None and found.id == new


@pytest.mark.parametrize("name", ["", "   ", "Tỉnh", "Atlantis", "Hà", None])
def test_unknown_names_give_none(name):
    assert province_from_name(name) is None


def test_province_from_name_accepts_decomposed_unicode():
    import unicodedata

    assert province_from_name(unicodedata.normalize("NFD", "Kiên Giang")).id == "an_giang"


# ---------------------------------------------------------------- sectors and bands


def test_sectors_a_to_u_with_groups():
    assert [s.id for s in REF.sectors] == list("ABCDEFGHIJKLMNOPQRSTU")
    for s in REF.sectors:
        assert s.name.get("vi").strip() and s.name.get("en").strip()
        expected = "agri_industry_construction" if s.id in "ABCDEF" else "trade_services"
        assert s.group == expected, s.id
    assert sector_group("g") == "trade_services"
    assert sector_group("trade_services") == "trade_services"
    with pytest.raises(ValueError, match="unknown sector"):
        sector_group("Z")


def test_size_bands():
    assert [b.id for b in REF.size_bands] == ["household", "micro", "small", "medium", "large"]
    for b in REF.size_bands:
        assert b.name.get("vi").strip() and b.name.get("en").strip()
        assert b.description.get("vi").strip() and b.description.get("en").strip()
    assert "80/2021" in REF.size_band("micro").description.get("en")
    assert REF.size_band("household").limits is None and REF.size_band("large").limits is None


# ---------------------------------------------------------------- classify_size


@pytest.mark.parametrize(
    ("sector", "staff", "revenue", "capital", "band"),
    [
        # trade and services (G)
        ("G", 10, 10, None, "micro"),
        ("G", 10, 10.01, None, "small"),
        ("G", 10, 50, 3, "micro"),  # revenue over, capital within: OR
        ("G", 11, None, None, "small"),
        ("G", 11, 1, None, "small"),
        ("G", 50, 100, None, "small"),
        ("G", 51, 1, 1, "medium"),
        ("G", 50, 101, 51, "medium"),  # staff fits small, both money limits above → next band
        ("G", 100, 300, None, "medium"),
        ("G", 100, 301, 100, "medium"),
        ("G", 100, 301, 101, "large"),
        ("G", 101, None, None, "large"),
        ("G", 101, 1, 1, "large"),
        ("J", 0, 0, 0, "micro"),
        # agriculture, industry, construction (A-F)
        ("C", 10, 3, None, "micro"),
        ("C", 10, 4, None, "small"),  # 4 bn is micro for trade, not for industry
        ("C", 10, 4, 3, "micro"),
        ("C", 10, 4, 4, "small"),
        ("C", 100, 50, None, "small"),
        ("F", 100, 51, 20, "small"),
        ("F", 100, 51, 21, "medium"),
        ("A", 101, 1, 1, "medium"),
        ("C", 200, 200, None, "medium"),
        ("C", 200, 201, 100, "medium"),
        ("C", 200, 201, 101, "large"),
        ("C", 201, None, None, "large"),
        ("B", 60, None, None, "small"),  # 60 staff: small in industry ...
        ("H", 60, None, None, "medium"),  # ... medium in services
    ],
)
def test_classify_size_boundaries(sector, staff, revenue, capital, band):
    assert classify_size(sector, staff, revenue, capital) == band


def test_classify_size_keywords_and_never_household():
    assert classify_size("g", 5, revenue_bn=1) == "micro"
    assert classify_size("C", 5, capital_bn=10) == "small"
    assert classify_size("C", 5, capital_bn=1000) == "large"  # the only known money figure is above medium
    assert classify_size("trade_services", 11) == "small"
    seen = {classify_size(s.id, n, r) for s in REF.sectors for n in (0, 10, 60, 150, 500) for r in (None, 1, 1e6)}
    assert "household" not in seen
    assert seen <= {"micro", "small", "medium", "large"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Z", 5), "unknown sector"),
        (("G", -1), "staff"),
        (("G", 1.5), "staff"),
        (("G", 5, -1), "revenue_bn"),
        (("G", 5, None, float("nan")), "capital_bn"),
    ],
)
def test_classify_size_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        classify_size(*args)


# ---------------------------------------------------------------- validation on load

BANDS = """
size_bands:
  - id: micro
    name: {vi: Siêu nhỏ, en: Micro}
    description: {vi: a, en: b}
    limits:
      agri_industry_construction: {staff: 10, revenue_bn: 3, capital_bn: 3}
      trade_services: {staff: 10, revenue_bn: 10, capital_bn: 3}
  - id: large
    name: {vi: Lớn, en: Large}
    description: {vi: a, en: b}
"""
SECTORS = """
sectors:
  - {id: A, group: agri_industry_construction, name: {vi: Nông nghiệp, en: Agriculture}}
"""


def _text(provinces: str, sectors: str = SECTORS, bands: str = BANDS) -> str:
    return 'version: "t"\nprovinces:\n' + provinces + sectors + bands


def test_load_text_ok():
    ref = load_profile_text(_text("  - {id: ha_noi, kind: city, name: {vi: Hà Nội, en: Hanoi}, former: [Hà Nội]}\n"))
    assert ref.province_from_name("ha noi").id == "ha_noi"


def test_duplicate_id_names_file_and_path():
    text = _text(
        "  - {id: ha_noi, kind: city, name: {vi: Hà Nội, en: Hanoi}, former: [Hà Nội]}\n"
        "  - {id: ha_noi, kind: city, name: {vi: Huế, en: Hue}, former: [Thừa Thiên Huế]}\n"
    )
    with pytest.raises(ProfileError) as err:
        load_profile_text(text, "profile.yaml")
    msg = str(err.value)
    assert "profile.yaml:4: provinces[1].id: duplicate province id 'ha_noi' (first at provinces[0])" in msg


def test_missing_translation_names_file_and_path():
    text = _text("  - {id: ha_noi, kind: city, name: {vi: Hà Nội}, former: [Hà Nội]}\n")
    with pytest.raises(ProfileError) as err:
        load_profile_text(text, "profile.yaml")
    assert "profile.yaml:3: provinces[0].name: missing 'en' translation" in str(err.value)


def test_missing_translation_in_size_band_description():
    bands = BANDS.replace("description: {vi: a, en: b}\n    limits", "description: {vi: a, en: ''}\n    limits")
    with pytest.raises(ProfileError, match=r"size_bands\[0\]\.description: missing 'en' translation"):
        load_profile_text(
            _text("  - {id: ha_noi, kind: city, name: {vi: Hà Nội, en: Hanoi}, former: [Hà Nội]}\n", bands=bands)
        )


def test_former_listed_twice_and_name_clash():
    text = _text(
        "  - {id: ha_noi, kind: city, name: {vi: Hà Nội, en: Hanoi}, former: [Hà Nội, Hà Tây]}\n"
        "  - {id: ha_tay, kind: province, name: {vi: Hà Tây, en: Ha Tay}, former: [Hà Tây]}\n"
    )
    with pytest.raises(ProfileError) as err:
        load_profile_text(text, "p.yaml")
    msg = str(err.value)
    assert "provinces[1].former[0]: former province 'Hà Tây' is already listed at provinces[0].former[1]" in msg
    assert "also names 'ha_noi'" in msg


def test_unknown_field_and_bad_values():
    text = _text("  - {id: ha_noi, kind: town, name: {vi: Hà Nội, en: Hanoi}, former: [Hà Nội], code: 1}\n")
    with pytest.raises(ProfileError) as err:
        load_profile_text(text, "p.yaml")
    msg = str(err.value)
    assert "provinces[0].kind" in msg and "provinces[0].code: unknown field" in msg


def test_yaml_tags_refused():
    with pytest.raises(ProfileError, match="not valid YAML"):
        load_profile_text("!!python/object/apply:os.system ['true']\n")


def test_cached():
    assert load_profile_reference() is REF
