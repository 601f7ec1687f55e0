"""What in a public title could be a person's name (wishes', activities')."""

from wushe_service.names import plain, possible_names


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
