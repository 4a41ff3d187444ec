import unicodedata

from phoihop.triage.normalize import (
    content_hash,
    expand_abbreviations,
    fold,
    match_key,
    normalize_for_match,
    normalize_text,
    roads,
    unify_tone_marks,
)


def test_tone_placement_unified():
    assert unify_tone_marks("hoà") == "hòa"
    assert unify_tone_marks("thuỷ") == "thủy"
    assert unify_tone_marks("khoẻ") == "khỏe"
    assert unify_tone_marks("quý") == "quý"  # qu + y keeps the tone on y
    assert normalize_text("Thanh Hoá") == normalize_text("Thanh Hóa")


def test_nfd_input_is_normalised():
    nfd = unicodedata.normalize("NFD", "Giải phóng mặt bằng")
    assert normalize_text(nfd) == "Giải phóng mặt bằng"
    assert content_hash(nfd) == content_hash("giải  phóng mặt bằng")


def test_unaccented_input_matches():
    assert match_key("giai phong mat bang") == match_key("Giải phóng mặt bằng")
    assert fold("Đà Lạt") == "da lat"


def test_abbreviations_expanded():
    assert match_key("GPMB") == match_key("giải phóng mặt bằng")
    assert normalize_for_match("UBND xã") == "ủy ban nhân dân xã"
    assert match_key("HĐND tỉnh") == match_key("hdnd tinh") == "hoi dong nhan dan tinh"
    assert match_key("cấp GCN QSDĐ") == match_key("cấp giấy chứng nhận quyền sử dụng đất")
    for abbr, full in [
        ("TAND", "tòa án nhân dân"),
        ("VKSND", "viện kiểm sát nhân dân"),
        ("BHYT", "bảo hiểm y tế"),
        ("BHXH", "bảo hiểm xã hội"),
        ("THPT", "trung học phổ thông"),
        ("ATGT", "an toàn giao thông"),
    ]:
        assert expand_abbreviations(abbr.lower()) == full


def test_punctuation_and_spaces():
    assert (
        normalize_for_match("  Đường   xuống cấp!!! (thôn 3), xã A.")
        == "đường xuống cấp thôn 3 xã a"
    )


def test_everyday_names_match_the_official_ones():
    official = match_key("cấp giấy chứng nhận quyền sử dụng đất cho hộ dân")
    assert match_key("cấp sổ đỏ cho hộ dân") == official
    assert match_key("cấp Sổ hồng cho hộ dân") == official
    assert match_key("số đó") == "so do"  # folded "so do" is not the red book
    road = match_key("tuyến đường tỉnh 234 và quốc lộ 1a")
    assert match_key("tuyến ĐT.234 và QL.1A") == road
    assert match_key("tuyến ĐT 234 và QL1A") == road
    assert match_key("Sở GD&ĐT") == "so gd dt"  # no number: not a road
    assert match_key("ĐT 0912345678") == "dt 0912345678"  # a phone, not a road


def test_the_roads_a_text_names():
    def named(text: str) -> list[str]:
        return sorted(roads(match_key(text)))

    assert named("tuyến ĐT.234 và QL.4B xuống cấp") == ["QL.4B", "ĐT.234"]
    assert named("duong tinh 234, tinh lo so 226") == ["ĐT.226", "ĐT.234"]
    assert named("Đường huyện ĐH.12 và huyện lộ 7") == ["ĐH.12", "ĐH.7"]
    # Quốc lộ 1A was renamed Quốc lộ 1: one road
    assert named("Quốc lộ 1A") == named("quoc lo 1") == ["QL.1"]
    # a phone number, a year, «ĐH» (đại học, đại hội) and a bare number are not roads
    assert named("ĐT: 0912345678, Sở GD&ĐT 2025, ĐH 12, đường 5 xã Hòa Bình") == []
