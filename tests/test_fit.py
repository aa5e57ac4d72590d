"""Cutting metadata values to a format's length limit."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from publish.graphemes import is_boundary
from publish.render._fit import ELLIPSIS, fit
from publish.render.pdf import PDF_STRING_LIMIT, pdf_string_size


def test_a_value_that_fits_is_kept_whole():
    assert fit('x' * 255, 255) == 'x' * 255
    assert fit('', 3) == ''


def test_a_long_value_keeps_its_start_and_ends_in_an_ellipsis():
    cut = fit('abcdefghij', 5)
    assert cut == 'abcd' + ELLIPSIS and len(cut) == 5


def test_spaces_before_the_ellipsis_are_dropped():
    assert fit('By Staff Reporter The city', 9) == 'By Staff' + ELLIPSIS


@pytest.mark.parametrize('text, kept', [
    ('abcde\u0301\u0301fgh', 'abcd'),                       # e with two combining accents
    ('abc\U0001F44D\U0001F3FDdefg', 'abc'),                  # thumbs up with a skin tone
    ('ab\U0001F469\u200d\U0001F4BBxyz', 'ab'),               # woman technologist (ZWJ sequence)
    ('ab\u2764\ufe0fxyzw', 'ab'),                            # heart with emoji presentation
    ('\U0001F1E8\U0001F1F3\U0001F1EF\U0001F1F5xyz', '\U0001F1E8\U0001F1F3'),   # two flags
])
def test_never_cut_inside_a_character(text, kept):
    assert fit(text, len(kept) + 2) == kept + ELLIPSIS


def test_flag_halves_pair_from_the_start_of_their_run():
    flags = '\U0001F1E8\U0001F1F3\U0001F1EF\U0001F1F5'
    assert [is_boundary(flags, i) for i in range(5)] == [True, False, True, False, True]


def test_pdf_strings_are_measured_in_the_bytes_written():
    assert pdf_string_size('abc') == 3
    assert pdf_string_size('新闻') == 2 + 4
    assert pdf_string_size('\U0001F44D') == 2 + 4
    cut = fit('新' * 20000, PDF_STRING_LIMIT, pdf_string_size)
    assert cut.endswith(ELLIPSIS) and pdf_string_size(cut) <= PDF_STRING_LIMIT
    assert pdf_string_size(cut + '新') > PDF_STRING_LIMIT


@given(st.text(min_size=0, max_size=80), st.integers(min_value=1, max_value=60))
def test_any_text_fits_and_is_a_start_of_the_original(text, limit):
    cut = fit(text, limit)
    assert len(cut) <= limit
    if cut != text:
        assert cut.endswith(ELLIPSIS) and text.startswith(cut[:-1])
