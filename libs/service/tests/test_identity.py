"""Chinese resident ID numbers and phone numbers."""

import pytest

from wushe_service.identity import check_digit, public_text, valid_id_number, valid_phone

VALID = "11010519491231002X"  # the example of GB 11643-1999


class TestIdNumber:
    def test_a_valid_number_passes_and_is_upper_cased(self):
        assert valid_id_number(VALID.lower()) == VALID

    @pytest.mark.parametrize(
        "typed",
        [
            "３３０２８１１９６０１１１１００２２",  # full-width, as a Chinese input method types
            "330281 19601111 0022",
            "330281-19601111-0022",
            "３３０２８１　１９６０１１１１　００２２",
        ],
    )
    def test_a_number_typed_full_width_or_spaced_is_kept_in_one_form(self, typed):
        assert valid_id_number(typed) == "330281196011110022"

    def test_the_full_width_check_character_x_counts(self):
        assert valid_id_number("１１０１０５１９４９１２３１００２ｘ") == VALID

    def test_a_foreigners_permanent_residence_id_of_2023_passes(self):
        first = "93384019850101001"  # 9, Zhejiang (33), a nationality, a birth date
        assert valid_id_number(first + check_digit(first)) == first + check_digit(first)

    @pytest.mark.parametrize(
        "prefix",
        ["00", "10", "16", "20", "24", "38", "47", "55", "66", "70", "72", "80", "84", "90", "99"],
    )
    def test_a_number_of_no_province_is_refused(self, prefix):
        first = prefix + "0105194912310" + "02"
        with pytest.raises(ValueError, match="province-level code"):
            valid_id_number(first + check_digit(first))

    def test_the_check_digit_of_the_standard_example(self):
        assert check_digit(VALID[:17]) == "X"

    @pytest.mark.parametrize(
        ("number", "reason"),
        [
            ("110105194912310021", "check character"),
            ("11010519491231002", "17 digits"),
            ("1101051949123100AX", "17 digits"),
            ("110105194913310024", "not a date"),
        ],
    )
    def test_invalid_numbers_are_refused_with_the_reason(self, number, reason):
        if reason == "not a date":
            number = number[:17] + check_digit(number[:17])
        with pytest.raises(ValueError, match=reason):
            valid_id_number(number)


class TestPhone:
    @pytest.mark.parametrize(
        ("number", "stored"),
        [
            ("13812345678", "13812345678"),
            ("+86 138-1234-5678", "13812345678"),
            ("19912345678", "19912345678"),
            ("0574-62345678", "0574-62345678"),  # a fixed line (固定电话), area code 0574
            ("0574 6234 5678", "0574-62345678"),
            ("(0574) 62345678", "0574-62345678"),
            ("057462345678", "0574-62345678"),
            ("+86 574 6234 5678", "0574-62345678"),
            ("010-61234567", "010-61234567"),  # Beijing: a three-digit area code
            ("02161234567", "021-61234567"),
            ("0791-8123456", "0791-8123456"),  # a seven-digit local number
            ("１３９５７４０１１１１", "13957401111"),  # full-width, from a Chinese input method
            ("１３９－５７４０－１１１１", "13957401111"),
            ("（０５７４）６２３４５６７８", "0574-62345678"),
        ],
    )
    def test_mobile_and_fixed_line_numbers_pass_in_one_form(self, number, stored):
        assert valid_phone(number) == stored

    @pytest.mark.parametrize(
        "number",
        [
            "12812345678",  # no such mobile prefix
            "1381234567",  # a digit short
            "62345678",  # a fixed line without its area code
            "0574-0234567",  # a local number never starts with 0 …
            "0574-12345678",  # … or 1
            "0574-623456789",  # nine digits
            "0574-623456",  # six digits
            "0134-62345678",  # 01x is 010 only
            "+86",
            "电话0574-62345678",
        ],
    )
    def test_anything_else_is_refused_saying_what_a_number_is(self, number):
        with pytest.raises(ValueError, match=r"mobile number .* or a fixed line"):
            valid_phone(number)


class TestPublicText:
    @pytest.mark.parametrize(
        "title",
        [
            "请联系 138-1234-5678",
            "身份证11010519491231002X",
            "身份证 110105 19491231 002X",
            "110105-19491231-002X",
            "电话 0574-62345678",
            "(0574) 6234 5678",
            "电话一三八五七四二一九三六",  # written out, as read aloud
            "电话幺叁捌·伍柒肆贰·幺玖叁陆",
            "电话１３８１２３４５６７８",  # full-width
        ],
    )
    def test_numbers_that_identify_someone_are_refused(self, title):
        with pytest.raises(ValueError, match="shown publicly") as refused:
            public_text(title)
        assert refused.value.type == "public_text_numbers"  # the code the pages word

    @pytest.mark.parametrize(
        "title",
        [
            "一台收音机",
            "100斤大米和2桶油",
            "2026年冬季棉被",
            "2026-2027 学年助学",
            "一二三四五六七八九十",
            "三五好友一起包饺子",
        ],
    )
    def test_ordinary_titles_pass(self, title):
        assert public_text(title) == title
