from phoihop.core.text import shorten


def test_shorten_cuts_after_a_whole_word_and_keeps_short_text() -> None:
    assert shorten("  Đường   xuống cấp ", 80) == "Đường xuống cấp"
    assert shorten("Dự án cao tốc Đồng Đăng – Trà Lĩnh", 27) == "Dự án cao tốc Đồng Đăng…"
    assert shorten("Dự án cao tốc Đồng Đăng – Trà Lĩnh", 32) == "Dự án cao tốc Đồng Đăng – Trà…"
    assert len(shorten("x" * 200, 80)) == 81  # one long word: cut where it must be


def test_a_name_inside_a_sentence_keeps_abbreviations() -> None:
    from phoihop.core.text import in_sentence

    assert in_sentence("Nhóm") == "nhóm"
    assert in_sentence("UBND tỉnh") == "UBND tỉnh"
    assert in_sentence("vấn đề") == "vấn đề"
    assert in_sentence("Y tế") == "y tế"
    assert in_sentence("ATTP và dịch bệnh") == "ATTP và dịch bệnh"
    assert in_sentence("") == ""


def test_a_title_from_someones_words_is_their_first_sentence() -> None:
    from phoihop.core.text import title_from

    assert title_from("Khói bụi từ trạm trộn bê tông.  Đề nghị xử lý.", 300) == (
        "Khói bụi từ trạm trộn bê tông"
    )
    # an abbreviation is not a sentence
    assert title_from("TP. Lạng Sơn ngập sau mưa", 300) == "TP. Lạng Sơn ngập sau mưa"
    assert title_from("Đường liên xã xuống cấp nghiêm trọng", 20) == "Đường liên xã xuống…"
