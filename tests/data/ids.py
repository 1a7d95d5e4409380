"""ID numbers for tests, made without the application's code.

The check character comes from python-stdnum (``stdnum.cn.ric``), an implementation of
GB 11643-1999 maintained outside this project, so a mistake in ``app.core.validators`` cannot
be copied into the test data that is meant to catch it.
"""

from __future__ import annotations

from stdnum.cn import ric


def check_char(first17: str) -> str:
    """The GB 11643 check character of ``first17`` according to python-stdnum."""
    # calc_check_digit takes a full number and ignores its last character.
    return ric.calc_check_digit(first17 + "0")


def make_id(birth: str = "19900101", seq: str | int = "002", region: str = "110105") -> str:
    """A valid 18-character ID number: ``region`` (6 digits), ``birth`` (yyyymmdd), the
    3-digit sequence ``seq`` (odd for men, even for women) and its check character."""
    first17 = f"{region}{birth}{int(seq):03d}"
    assert len(first17) == 17 and first17.isdigit(), first17
    return first17 + check_char(first17)


def with_wrong_check(idn: str) -> str:
    """The same number with a check character that is not the right one."""
    return idn[:17] + ("0" if idn[17] != "0" else "1")


#: Real-format numbers worked by hand, one for every check character.  Each line gives the
#: weighted sum S of the first 17 digits (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) and
#: S mod 11; the check character is "1 0 X 9 8 7 6 5 4 3 2"[S mod 11].  Region codes are
#: real districts (python-stdnum's table agrees they existed in the birth year).
HAND_WORKED = {
    "0": "110105195603170160",  # 北京朝阳  S=188, 188 mod 11 = 1 → 0
    "1": "310104196308220191",  # 上海徐汇  S=231, 231 mod 11 = 0 → 1
    "2": "120101197106050112",  # 天津和平  S=175, 175 mod 11 = 10 → 2
    "3": "110108197809300133",  # 北京海淀  S=251, 251 mod 11 = 9 → 3
    "4": "610113198805230194",  # 西安雁塔  S=261, 261 mod 11 = 8 → 4
    "5": "440304198707110175",  # 深圳福田  S=271, 271 mod 11 = 7 → 5
    "6": "320102199104260186",  # 南京玄武  S=226, 226 mod 11 = 6 → 6
    "7": "330106199501180187",  # 杭州西湖  S=236, 236 mod 11 = 5 → 7
    "8": "420106200002290178",  # 武汉武昌  S=180, 180 mod 11 = 4 → 8 (born on a 29 Feb)
    "9": "510107200311070169",  # 成都武侯  S=157, 157 mod 11 = 3 → 9
    "X": "37020219930917012X",  # 青岛市南  S=310, 310 mod 11 = 2 → X
}

#: The example printed in GB 11643-1999 itself: 1×7 + 1×9 + 0×10 + 1×5 + 0×8 + 5×4 + 1×2
#: + 9×1 + 4×6 + 9×3 + 1×7 + 2×9 + 3×10 + 1×5 + 0×8 + 0×4 + 2×2 = 167; 167 mod 11 = 2 → X.
STANDARD_EXAMPLE = "11010519491231002X"
