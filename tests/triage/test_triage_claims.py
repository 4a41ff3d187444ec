"""Claim matching over paraphrases as they appear on social networks: the registry's report
words, hashtags, missing diacritics, chat spellings and common synonyms do not hide a claim."""

from __future__ import annotations

from phoihop.triage.claims import Claim, ClaimRegistry, matching_form
from phoihop.triage.engine import EngineConfig

COURT = Claim(
    "court",
    "Tin lan truyền nói Tòa án nhân dân tỉnh xử oan một nông dân trong vụ tranh chấp đất, "
    'bản án bị "mua".',
)
LAND = Claim(
    "land",
    "Bài đăng trên mạng xã hội cho rằng tỉnh Lạng Sơn thu hồi đất của người dân để làm cao tốc "
    "Đồng Đăng – Trà Lĩnh mà không bồi thường, hỗ trợ.",
)
HOSPITAL = Claim(
    "hospital", "Bệnh viện Đa khoa tỉnh Lạng Sơn từ chối cấp cứu khiến một sản phụ tử vong."
)
# The product's threshold for proposing a claim match.
THRESHOLD = EngineConfig().claim_min_score


def _registry() -> ClaimRegistry:
    distractors = [
        Claim(f"d{i}", text)
        for i, text in enumerate(
            [
                "Bệnh viện Đa khoa tỉnh khai trương khoa cấp cứu mới",
                "Tòa án nhân dân tỉnh xét xử lưu động vụ án ma túy tại huyện",
                "Nông dân xã Hữu Lũng trúng mùa na, giá bán ổn định",
                "Sản phụ được cấp cứu kịp thời nhờ kíp trực trạm y tế xã",
                "Tỉnh tổ chức đối thoại với nông dân về tranh chấp đất rừng",
            ]
        )
    ]
    return ClaimRegistry([COURT, LAND, HOSPITAL, *distractors], min_score=THRESHOLD)


def test_a_registry_entry_is_compared_without_the_words_that_report_it() -> None:
    assert matching_form(COURT.text, registry_entry=True).startswith("toa an nhan dan tinh xu oan")
    assert matching_form(LAND.text, registry_entry=True).startswith("tinh lang son thu hoi dat")
    # a post keeps every word of its own: "người dân nói" may be the claim itself
    assert matching_form("Người dân nói xã bị thu hồi đất").startswith("nguoi dan noi")


def test_the_tiktok_post_matches_the_rebutted_court_claim_however_it_is_typed() -> None:
    registry = _registry()
    for post in (
        "Tòa án tỉnh Lạng Sơn xử oan nông dân trong vụ tranh chấp đất",
        "Tòa án tỉnh Lạng Sơn xử oan nông dân trong vụ tranh chấp đất #langson #toaan #batcong",
        "Toa an tinh Lang Son xu oan nong dan trong vu tranh chap dat",
        "TÒA ÁN TỈNH LẠNG SƠN XỬ OAN NÔNG DÂN TRONG VỤ TRANH CHẤP ĐẤT https://vt.tiktok.com/x",
    ):
        matches = registry.match(post, k=3)
        assert [m.claim_id for m in matches] == ["court"], post


def test_a_zalo_paraphrase_of_the_hospital_claim_is_matched() -> None:
    registry = _registry()
    for post in (
        "nghe noi bv da khoa tinh ko chiu cap cuu nen san phu chet roi, moi nguoi chia se giup",
        "Nghe nói BVĐK tỉnh Lạng Sơn không chịu cấp cứu làm sản phụ chết",
    ):
        matches = registry.match(post, k=3)
        assert [m.claim_id for m in matches] == ["hospital"], post


def test_posts_about_something_else_match_nothing() -> None:
    registry = _registry()
    for post in (
        "Cử tri đề nghị sửa chữa cầu treo bị hư hỏng ở phường Tam Thanh",
        "Bệnh viện tỉnh tuyển dụng bác sĩ năm 2026",
        "Nông dân cần hỗ trợ giống ngô sau bão",
    ):
        assert registry.match(post) == [], post


def test_a_registry_pickled_by_an_earlier_version_still_matches() -> None:
    """Snapshots outlive the code: one pickled before the registry kept its vectors by feature
    (no ``_by_feature`` in its state) matches as a new one does, and keeps them from then on."""
    registry = _registry()
    post = "Nghe nói BVĐK tỉnh Lạng Sơn không chịu cấp cứu làm sản phụ chết"
    state = registry.__getstate__()
    assert state["_by_feature"] is None  # never pickled: rebuilt on first use
    del state["_by_feature"]
    older = ClaimRegistry.__new__(ClaimRegistry)
    older.__dict__.update(state)  # what unpickling does
    assert older.match(post, k=3) == registry.match(post, k=3)
    assert older._by_feature is not None and older._by_feature.shape == older._vectors.T.shape
    registry.add([Claim("new", "Chợ Đông Kinh đóng cửa vĩnh viễn từ tuần sau")])
    assert [m.claim_id for m in registry.match("Chợ Đông Kinh sẽ đóng cửa vĩnh viễn")] == ["new"]
