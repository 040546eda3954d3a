"""The converters' fast paths give exactly what their general paths give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ats_core.fields import FieldValueError, to_email, to_id, to_phone


@settings(max_examples=300, deadline=None)
@given(area=st.text("0123456789", min_size=3, max_size=3), rest=st.text("0123456789", min_size=7, max_size=7))
def test_common_nanp_layout_reads_as_the_general_path_reads_it(area: str, rest: str) -> None:
    common = f"({area}) {rest[:3]}-{rest[3:]}"
    # Padding skips the fast path (it matches the value as given), so this compares both paths.
    assert to_phone(common) == to_phone(f" {common} ")
    assert to_phone(common, default_country_code="44") == to_phone(f" {common} ", default_country_code="44")


@settings(max_examples=300, deadline=None)
@given(number=st.integers())
def test_int_ids_are_their_decimal_text(number: int) -> None:
    assert to_id(number) == str(number)


_WHITESPACE = re.compile(r"\s")


def _reference_email(value: str) -> tuple[bool, str | None]:
    """(accepted, address) by the plain definition: one last '@' between non-empty parts, no whitespace."""
    text = value.strip()
    if not text:
        return True, None
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or _WHITESPACE.search(text):
        return False, None
    return True, f"{local}@{domain.lower()}"


def _converted(value: str) -> tuple[bool, str | None]:
    try:
        return True, to_email(value)
    except FieldValueError:
        return False, None


@settings(max_examples=500, deadline=None)
@given(value=st.text(alphabet=st.sampled_from("aZé@. \t\u00a0\u2003\x1cİß1"), max_size=12) | st.emails())
def test_email_agrees_with_the_plain_definition(value: str) -> None:
    assert _converted(value) == _reference_email(value)
