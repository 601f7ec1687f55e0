"""Public titles (a wish's, an activity's: they go on the bus and on public boards): what in
one points at a person whoever they are — a surname with 姓, a phone's last digits — and the
runs of Han characters that could be a person's name, to look up in a blind index of names."""

from __future__ import annotations

import re
import unicodedata

# Chinese names are a surname and a given name of two to four Han characters in all (欧阳明月):
# every run of that many in a title is looked up among the office's names.
NAME_LENGTHS = range(2, 5)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def plain(text: str) -> str:
    """`text` as it reads: compatibility forms folded (full-width to half-width), and spaces,
    punctuation, symbols and invisible characters left out — 陈　奶奶, 陈·奶奶 and 陈 奶 奶 all
    read 陈奶奶."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if unicodedata.category(c)[0] not in "ZPSC")


# The most common surnames (about 85% of people): with 姓, "张姓独居老人" or "姓张的老人",
# they point at one household of a small community as surely as a name.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_COMPOUND = "欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|令狐|端木"
_SURNAME = f"(?:{_COMPOUND}|[{_SURNAMES}])"
_CALLED_BY_SURNAME = re.compile(f"{_SURNAME}姓(?!名)|(?<!百)姓{_SURNAME}")  # not 老百姓安康
# A phone's last digits (尾号2345, 手机后四位2345): enough, with the community, to find them.
_PHONE_TAIL = re.compile(r"(?:尾号|尾数|[后末]\d位(?:数字|号码|是|为)?)\D{0,3}\d{4,}")


def calls_by_surname(title: str) -> bool:
    """Whether `title` points at someone by surname, 张姓独居老人 or 姓王的阿婆 (not 老百姓)."""
    return bool(_CALLED_BY_SURNAME.search(plain(title)))


def gives_phone_tail(digits: str) -> bool:
    """Whether a title, with its numerals as digits (`identity.as_digits`), gives a phone's
    last digits, 尾号2345 or 手机后四位是2345."""
    return bool(_PHONE_TAIL.search(plain(digits)))


def possible_names(title: str) -> set[str]:
    """Every run of two to four Han characters in `title` as it reads (陈 建·国 reads 陈建国)."""
    found: set[str] = set()
    for run in _HAN.findall(plain(title)):
        for size in NAME_LENGTHS:
            found.update(run[start : start + size] for start in range(len(run) - size + 1))
    return found
