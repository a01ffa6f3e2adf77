"""RFC validation against python-stdnum as the oracle."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.mx import rfc as stdnum_rfc

from repse.core import rfc as rfc_module
from repse.core.rfc import check_rfc, check_rfcs

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ&Ñ"
HOMOCLAVE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@st.composite
def rfc_like(draw):
    letters = draw(st.text(LETTERS, min_size=3, max_size=4))
    yy = draw(st.integers(0, 99))
    mm = draw(st.integers(1, 12))
    dd = draw(st.integers(1, 28))
    homo = draw(st.text(HOMOCLAVE, min_size=2, max_size=2))
    digit = draw(st.sampled_from("0123456789A"))
    return f"{letters}{yy:02d}{mm:02d}{dd:02d}{homo}{digit}"


def test_docstring_examples():
    assert doctest.testmod(rfc_module, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


@given(st.lists(rfc_like(), min_size=1, max_size=30))
def test_check_digit_agrees_with_stdnum(rfcs):
    for raw, result in zip(rfcs, check_rfcs(rfcs), strict=True):
        assert result.error is None
        # stdnum's own validate() is stricter on the homoclave's alphabet than the RFC shape this
        # product checks
        # shape; compare the check digit, which is what the warning is about.
        ok = stdnum_rfc.calc_check_digit(raw[:-1]) == raw[-1]
        assert (result.aviso is None) == ok, raw


@pytest.mark.parametrize("good", ["MAB9307148T4", "GODE561231GR8", "AEL7407151YA"])
def test_domain_examples_pass(good):
    assert check_rfc(good) == (good, None, None)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("", "RFC vacío"),
        ("XAXX010101000", "RFC genérico"),
        ("XEXX010101000", "RFC genérico"),
        ("MA9307148T4", "tiene 11 caracteres"),
        ("MAB9313148T4", "la fecha 931314 no existe"),
        ("MAB9302308T4", "la fecha 930230 no existe"),
        ("M4B9307148T4", "se esperan 3 letras"),
        ("MAB-307148T4", "se esperan 3 letras"),
    ],
)
def test_wrong_shapes_are_errors_with_a_reason(raw, error):
    result = check_rfc(raw)
    assert result.error is not None and error in result.error


@given(st.text(max_size=20))
def test_any_text_gets_a_verdict_and_never_crashes(raw):
    result = check_rfc(raw)
    assert result.error is None or result.aviso is None


@pytest.mark.parametrize(("raw", "ajeno"), [
    # str.upper() made it BSS9307148T0, a valid RFC (found by an adversarial run)
    ("Bß9307148T0", "ß"),
    ("Aß9307148T4", "ß"),
    ("ﬁB9307148T4", "ﬁ"),  # the ligature would become FI
    ("MAB９307148T4", "９"),  # a fullwidth digit is not a digit of the RFC
    ("MAB93071٤8T4", "٤"),  # nor an Arabic-Indic one
])
def test_characters_outside_the_rfc_alphabet_are_refused_not_transformed(raw, ajeno):
    result = check_rfc(raw)
    assert result.rfc == raw
    assert result.error == (f"RFC mal formado «{raw}»: «{ajeno}» no es un carácter del RFC "
                            "(letras A-Z, Ñ y &, dígitos 0-9)")


def test_lower_case_letters_and_enye_are_still_read_in_upper_case():
    assert check_rfc(" ñco930714ab1 ").rfc == "ÑCO930714AB1"
    assert check_rfc("mab9307148t4") == ("MAB9307148T4", None, None)


def test_a_garbage_cell_is_neither_scanned_nor_quoted_whole():
    """D14: a huge cell in the RFC column ended in a MemoryError while its reason was written."""
    result = check_rfc("Xß" * 5_000_000)
    assert result.error == ("RFC mal formado «XßXßXßXßXßXßXßXßXßX…»: tiene 10,000,000 caracteres; "
                            "se esperan 12 (persona moral) o 13 (persona física)")
