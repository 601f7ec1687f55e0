from wushe_service.sql import one, where


def test_where_numbers_the_placeholders_of_the_conditions_that_have_values():
    sql, args = where(
        ("a = ?", one("x")),
        ("b = ?", one(None)),
        ("(c, d) > (?, ?)", (1, 2)),
        ("e = ?", (None,)),
    )
    assert sql == " WHERE a = $1 AND (c, d) > ($2, $3)"
    assert args == ["x", 1, 2]


def test_no_condition_with_a_value_is_no_where():
    assert where(("a = ?", None)) == ("", [])
