from phoihop.reports.programme_report import percent


def test_a_percentage_rounds_a_half_up_with_a_decimal_comma() -> None:
    assert percent(5 / 16 * 100) == "31,3%"  # 31,25: Python's float format gave 31,2
    assert percent(80.0) == "80%" and percent(85.5) == "85,5%" and percent(100) == "100%"
    assert percent(None) == "—"
