"""Properties of the normalisers and validators over generated input (hypothesis): every
accepted spelling of a valid value gives the same stored value, anything else is refused with
:class:`InvalidValue` (never another exception), and normalising twice changes nothing.
Valid ID numbers come from python-stdnum, Excel serials from a plain day count."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from stdnum.cn import ric

from app.core import validators as v
from tests.data.ids import make_id

TODAY = dt.date(2026, 11, 25)
FULLWIDTH = str.maketrans("0123456789Xx-", "０１２３４５６７８９Ｘｘ－")
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

regions = st.integers(110000, 829999).map(str)
births = st.dates(dt.date(1900, 1, 1), TODAY)
seqs = st.integers(0, 999)


@st.composite
def valid_ids(draw, birth=births):
    return make_id(f"{draw(birth):%Y%m%d}", draw(seqs), draw(regions))


@st.composite
def spellings(draw, value: str, inner_space: bool = True):
    """``value`` as people type or paste it: full-width, a space inside (``inner_space``),
    zero-width characters, U+3000 around it."""
    s = value.translate(FULLWIDTH) if draw(st.booleans()) else value
    if inner_space and draw(st.booleans()):
        cut = draw(st.integers(0, len(s)))
        s = s[:cut] + " " + s[cut:]
    pad = st.sampled_from(["", " ", "\u3000", "\u00a0", "\u200b", "\ufeff"])
    return draw(pad) + s + draw(pad)


# -- ID numbers ------------------------------------------------------------------------------
@given(valid_ids(), st.data())
def test_every_spelling_of_a_valid_id_gives_the_id(idn, data):
    typed = data.draw(spellings(idn.lower() if data.draw(st.booleans()) else idn))
    if data.draw(st.booleans()):
        typed = "'" + typed.strip()
    assert v.normalize_id_number(typed, TODAY) == idn
    assert v.id_birth_date(idn) == ric.get_birth_date(idn)
    assert v.id_gender(idn) == ("男" if int(idn[16]) % 2 else "女")


@given(valid_ids(), st.sampled_from("0123456789X"))
def test_any_other_check_character_is_refused(idn, wrong):
    assume(wrong != idn[17])
    with pytest.raises(v.InvalidValue, match="校验位"):
        v.normalize_id_number(idn[:17] + wrong, TODAY)


@given(valid_ids(st.dates(TODAY + dt.timedelta(days=1), dt.date(2099, 12, 31))))
def test_a_birth_after_today_is_refused(idn):
    with pytest.raises(v.InvalidValue, match="不合理"):
        v.normalize_id_number(idn, TODAY)


@given(st.one_of(st.text(max_size=25), st.text("0123456789xX ", max_size=20),
                 st.integers(), st.floats(allow_nan=False)))
@example("110105194912310")  # 15 digits
def test_anything_else_is_refused_or_valid_by_stdnum(raw):
    try:
        out = v.normalize_id_number(raw, TODAY)
    except v.InvalidValue:
        return
    assert ric.is_valid(out) or ric.calc_check_digit(out) == out[17]
    assert len(out) == 18 and v.normalize_id_number(out, TODAY) == out


# -- phones ----------------------------------------------------------------------------------
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
landlines = st.builds(lambda area, num, ext: f"{area}-{num}{ext}",
                      st.from_regex(r"0[1-9][0-9]{1,2}", fullmatch=True),
                      st.from_regex(r"[2-9][0-9]{6,7}", fullmatch=True),
                      st.one_of(st.just(""), st.from_regex(r"-[0-9]{1,5}", fullmatch=True)))


@given(mobiles, st.data())
def test_a_mobile_however_typed_is_the_11_digits(phone, data):
    typed = data.draw(spellings(phone))
    if data.draw(st.booleans()):
        typed = "+86 " + typed
    assert v.normalize_phone(typed) == phone


@given(landlines)
def test_a_landline_is_kept_as_written(phone):
    assert v.normalize_phone(phone) == phone
    assert v.normalize_phone(phone.translate(FULLWIDTH)) == phone


@given(st.text(max_size=20))
def test_phone_normalising_refuses_or_is_idempotent(raw):
    try:
        out = v.normalize_phone(raw)
    except v.InvalidValue:
        return
    assert re.fullmatch(r"1[3-9]\d{9}|(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,5})?", out)
    assert v.normalize_phone(out) == out


# -- dates -----------------------------------------------------------------------------------
dates = st.dates(dt.date(1900, 3, 1), dt.date(2099, 12, 31))


def day_forms(d: dt.date) -> list[object]:
    y, m, dd = d.year, d.month, d.day
    serial = (d - dt.date(1899, 12, 30)).days   # Excel's count from 1900-03-01 on
    return [f"{y}-{m:02d}-{dd:02d}", f"{y}-{m}-{dd}", f"{y}/{m}/{dd}", f"{y}.{m:02d}.{dd:02d}",
            f"{y}年{m}月{dd}日", f"{y}年{m}月{dd}号", f"{y}{m:02d}{dd:02d}",
            f"{y}-{m:02d}-{dd:02d} 14:30", f"{y}-{m:02d}-{dd:02d}T08:05:09",
            f"{y}/{m}/{dd} 0:00", f"{y}年{m}月{dd}日14:30", f"{y}年{m}月{dd}日 9:05:01", d, dt.datetime(y, m, dd, 23, 59), serial, float(serial),
            serial + 0.75] + ([str(serial), f"{serial}.5"] if serial >= 10000 else [])
    # (serials typed as text are read from five digits on: four digits look like a year)


@given(dates, st.data())
def test_every_accepted_form_of_a_date_gives_that_date(d, data):
    for form in day_forms(d):
        if isinstance(form, str) and data.draw(st.booleans()):
            # a space may fall inside the date, not inside a time of day
            form = data.draw(spellings(form, inner_space=":" not in form))
        assert v.parse_date(form) == d, form


@given(dates)
def test_a_month_only_date_is_the_first(d):
    first = d.replace(day=1)
    for form in (f"{d.year}.{d.month:02d}", f"{d.year}-{d.month}", f"{d.year}年{d.month}月",
                 f"{d.year}/{d.month}"):
        out = v.parse_date(form)
        assert out == first and v.is_month_only(out), form
    assert not v.is_month_only(v.parse_date(first.isoformat()))


@given(dates)
def test_day_first_or_two_digit_years_are_refused(d):
    for form in (f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d.day}.{d.month}.{d.year}",
                 f"{d.year % 100:02d}-{d.month}-{d.day}"):
        with pytest.raises(v.InvalidValue):
            v.parse_date(form)


@given(st.text(max_size=20))
def test_date_parsing_refuses_or_reads_back_the_same(raw):
    try:
        out = v.parse_date(raw)
    except v.InvalidValue:
        return
    if out is not None:
        assert v.parse_date(out.isoformat()) == out


@given(st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2099, 12, 31)))
def test_datetime_text_keeps_the_minute(when):
    when = when.replace(second=0, microsecond=0)
    assert v.parse_datetime(f"{when:%Y-%m-%d %H:%M}") == when
    assert v.parse_datetime(f"{when:%Y年%m月%d日} {when:%H:%M}") == when


# -- text cleaning ---------------------------------------------------------------------------
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@given(texts)
def test_clean_text_is_idempotent_trimmed_and_keeps_chinese_punctuation(raw):
    out = v.clean_text(raw)
    assert v.clean_text(out) == out
    assert out == out.strip()
    assert not any(z in out for z in ZERO_WIDTH)
    assert not any("０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ" for ch in out)
    for mark in "，。：；！？（）、《》":
        assert out.count(mark) == raw.count(mark)


@given(texts, st.sampled_from(["", " ", "\u3000", "\u00a0", "\t", "\u200b"]))
def test_clean_text_ignores_surrounding_space(raw, pad):
    assert v.clean_text(pad + raw + pad) == v.clean_text(raw)


@given(texts)
def test_halfwidth_is_idempotent_and_nfkc(raw):
    out = v.halfwidth(raw)
    assert v.halfwidth(out) == out
    assert unicodedata.is_normalized("NFKC", out)


# -- yes/no ----------------------------------------------------------------------------------
@given(st.sampled_from(["是", "有", "Y", "yes", "TRUE", "1", "√", "✓", "已"]), st.data())
def test_yes_however_typed(word, data):
    assert v.parse_bool(data.draw(spellings(word, inner_space=False))) is True


@given(st.sampled_from(["否", "无", "N", "no", "False", "0", "×", "未", "没有"]), st.data())
def test_no_however_typed(word, data):
    assert v.parse_bool(data.draw(spellings(word, inner_space=False))) is False
