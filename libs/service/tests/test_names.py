"""What in a public title could be a person's name (wishes', activities')."""

from wushe_service.identity import as_digits
from wushe_service.names import calls_by_surname, gives_phone_tail, plain, possible_names


def test_possible_names_are_the_runs_of_two_to_four_han_characters_as_they_read():
    names = possible_names("给陈 建·国家孩子买书包 abc")
    assert {"陈建国", "陈建", "建国家", "陈建国家", "书包"} <= names
    assert all(2 <= len(n) <= 4 for n in names)
    assert possible_names("李 明·华来理发") >= {"李明", "李明华", "李明华来", "理发"}
    assert possible_names("a 1 书") == set()
    assert possible_names("Haircut 2030") == set()


def test_plain_reads_a_text_without_spaces_punctuation_or_full_width_forms():
    assert plain("陈　奶奶") == "陈奶奶"
    assert plain("陈·奶 奶") == "陈奶奶"
    assert plain("１３８ 1234") == "1381234"


def test_a_surname_with_xing_or_a_phone_tail_points_at_someone():
    assert calls_by_surname("为张姓独居老人理发")
    assert calls_by_surname("姓 欧阳 的老人")
    assert not calls_by_surname("为老百姓安装扶手")
    assert not calls_by_surname("填写姓名的表格")
    assert gives_phone_tail(as_digits("手机尾号二三四五"))
    assert not gives_phone_tail(as_digits("尾号23"))
