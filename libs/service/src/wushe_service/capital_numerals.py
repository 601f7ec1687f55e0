"""An amount of money in Chinese capital numerals (大写金额), as a finance document writes it:
1234.50 yuan is 人民币壹仟贰佰叁拾肆元伍角整.

The rules are those of 《会计基础工作规范》 art. 52 and the People's Bank's 《支付结算办法》:
壹拾 always (a 拾 with no digit before it can be written in front of); one 零 for a run of
zeros inside the amount (壹仟零伍元, 壹佰万零伍元); a 元 place of zero before 角 left
unwritten (壹仟陆佰捌拾元叁角贰分, the form both rules allow); 零 before 分 where 角 is zero
(叁佰贰拾伍元零肆分); 整 after 元 or 角, never after 分.

Hand-written: the one maintained Python converter (cn2an) is a general-purpose converter of
floats and strings for language processing, with dependencies of its own, and these rules are
exactly what a receipt is checked for — forty lines whose tests pin each of them down.
"""

from __future__ import annotations

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_WAN, _YI = 10**4, 10**8
# 9999万亿 and some: beyond any sum an office's fund holds, and beyond what 万亿 can name.
LIMIT_FEN = 10**16 * 100


def capitals(fen: int) -> str:
    """`fen` (分, a non-negative integer) as 人民币…元…角…分 or …整; ValueError outside
    0 ≤ fen < LIMIT_FEN."""
    if not 0 <= fen < LIMIT_FEN:
        raise ValueError(f"{fen} fen: capitals are written for 0 up to {LIMIT_FEN} fen")
    whole, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    words = f"{_integer(whole)}元" if whole or not cents else ""
    if jiao:
        words += f"{DIGITS[jiao]}角"
    elif fen_digit and whole:
        words += "零"
    if fen_digit:
        words += f"{DIGITS[fen_digit]}分"
    return f"人民币{words}{'' if fen_digit else '整'}"


def _integer(n: int) -> str:
    """A whole number of yuan: by 亿, then 万, then the four places of what is left."""
    for size, unit in ((_YI, "亿"), (_WAN, "万")):
        if n >= size:
            high, low = divmod(n, size)
            return f"{_integer(high)}{unit}{_after(low, size)}"
    return _below_wan(n)


def _after(low: int, size: int) -> str:
    """What follows 亿 or 万: nothing for zero, a 零 where its leading place is empty."""
    if not low:
        return ""
    return ("零" if low < size // 10 else "") + _integer(low)


def _below_wan(n: int) -> str:
    if not n:
        return DIGITS[0]
    words, zeros = "", False
    for place in range(3, -1, -1):
        digit = n // 10**place % 10
        if not digit:
            zeros = bool(words)
            continue
        words += ("零" if zeros else "") + DIGITS[digit] + _PLACES[place]
        zeros = False
    return words
