import unicodedata

from phoihop.triage.normalize import (
    content_hash,
    expand_abbreviations,
    fold,
    match_key,
    normalize_for_match,
    normalize_text,
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
