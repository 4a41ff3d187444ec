import pytest

from phoihop.triage.normalize import match_key
from phoihop.triage.places import Gazetteer
from phoihop.triage.routing import Router, RoutingConfig, named_by_source

LANG_SON = 20


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.from_vietnam_provinces()


def names(places):
    return [(p.kind, p.name) for p in places]


def test_prefixed_with_and_without_diacritics(gaz):
    assert ("ward", "Phường Lương Văn Tri") in names(
        gaz.extract("duong o phuong Luong Van Tri hong", LANG_SON)
    )
    assert ("ward", "Xã Thất Khê") in names(gaz.extract("UBND xã Thất Khê chậm trả lời", LANG_SON))
    assert ("ward", "Xã Thất Khê") in names(gaz.extract("xa that khe", None))


def test_bare_names_only_in_context_province(gaz):
    assert ("ward", "Xã Thất Khê") in names(gaz.extract("người dân Thất Khê bức xúc", LANG_SON))
    assert names(gaz.extract("người dân Thất Khê bức xúc", None)) == []


def test_province_mentions(gaz):
    found = gaz.extract("Tỉnh Lạng Sơn và TP HCM", None)
    assert ("province", "Lạng Sơn") in names(found)
    assert ("province", "Thành phố Hồ Chí Minh") in names(found)
    ward = next(p for p in gaz.extract("xã Thất Khê, tỉnh Lạng Sơn") if p.kind == "ward")
    assert ward.province_code == LANG_SON and ward.prefixed


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(RoutingConfig(province_code=LANG_SON, commune_agency={6040: "xa-that-khe"}))


def route(router, gaz, text, field):
    return router.route(match_key(text), field, gaz.extract(text, LANG_SON))


def test_court(router, gaz):
    r = route(
        router,
        gaz,
        "Đề nghị xem xét lại bản án sơ thẩm, phiên tòa xét xử không khách quan",
        "tu_phap",
    )
    assert (r.agency, r.rule) == ("tand", "court")
    assert "Tòa án" in r.reason and "bản án" in r.matched_terms


def test_procuracy(router, gaz):
    r = route(router, gaz, "Con tôi bị tạm giam quá hạn, đề nghị xem xét việc khởi tố", "tu_phap")
    assert (r.agency, r.rule) == ("vksnd", "procuracy")
    assert "Viện kiểm sát" in r.reason


def test_enforcement_is_not_court(router, gaz):
    r = route(router, gaz, "Chi cục thi hành án dân sự chậm thi hành bản án", "tu_phap")
    assert r.rule == "enforcement" and r.agency != "tand"


def test_council(router, gaz):
    r = route(router, gaz, "Cử tri đề nghị chất vấn về nghị quyết HĐND tỉnh", "khac")
    assert (r.agency, r.rule) == ("hdnd", "council")


def test_commune(router, gaz):
    r = route(router, gaz, "Rác thải ùn ứ ở thôn Nà Pàn, xã Thất Khê, gây mùi hôi", "moi_truong")
    assert (r.agency, r.rule, r.commune_code) == ("xa-that-khe", "commune", 6040)
    assert "xã Thất Khê" in r.reason


def test_field_default_and_central_flag(router, gaz):
    r = route(router, gaz, "Đề nghị Quốc hội sửa đổi luật đất đai về giá đất", "dat_dai")
    assert r.rule == "field" and r.agency == "so-nnmt"
    assert r.central_level and "quốc hội" in r.central_terms
    assert "trung ương" in r.reason
    r2 = route(router, gaz, "Tiền điện tăng cao bất thường", "cong_thuong")
    assert not r2.central_level and r2.agency == "so-ct" and r2.reason


def test_a_provincial_road_is_not_the_communes(router, gaz):
    r = route(
        router, gaz, "Tuyến ĐT.234 qua xã Thất Khê xuống cấp, nhiều ổ gà", "xay_dung_giao_thong"
    )
    assert r.rule == "field" and "đường tỉnh" in r.reason


def test_the_agency_the_source_names_replaces_the_rules_with_their_reason_kept(router, gaz):
    rules = route(router, gaz, "Rác thải ùn ứ ở thôn Nà Pàn, xã Thất Khê", "moi_truong")
    r = named_by_source(rules, "so-xd", "Sở Xây dựng", "Tệp kiến nghị")
    assert (r.agency, r.rule) == ("so-xd", "source")
    assert r.reason.startswith("Tệp kiến nghị ghi cơ quan giải quyết «Sở Xây dựng»")
    assert "xa-that-khe" in r.reason and rules.reason in r.reason
    same = named_by_source(rules, "xa-that-khe", "UBND xã Thất Khê", "Tệp kiến nghị")
    assert "trùng với đề xuất" in same.reason
