import pytest

from wushe_service.spreadsheet import cell


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx"])
def test_text_excel_would_run_is_quoted_as_text(text):
    assert cell(text) == "'" + text


@pytest.mark.parametrize("value", ["银龄互助小组", "a=b", -5, 3.5, None, ""])
def test_other_values_are_left_alone(value):
    assert cell(value) == value
