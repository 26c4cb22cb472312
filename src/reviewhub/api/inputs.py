"""The types every API request schema is built from, so that the published schema tells clients
the truth: a request the schema allows is one the server reads as sent, and a request it refuses
gets 422 naming the field.

JSON has types of its own, and pydantic's default (lax) mode converts between them: ``0`` became
1 January 1970, ``false`` became 0 and ``"50"`` the integer 50. A client sending those has a bug
the API should report rather than guess around, so request bodies use:

- ``JsonInt``: an integer as JSON Schema defines it, a number without a fractional part (``50``
  or ``50.0``), never ``true``/``false`` or a string;
- ``IsoDate``: a string ``YYYY-MM-DD`` (the schema's ``format: date``), nothing else;
- ``Text``: a string without NUL characters (the schema says so with a pattern) or lone
  surrogates (which JSON escapes can carry and no database stores);
- ``NonBlankText``: the same, with at least one character that is not white space (the rule
  the models' ``clean`` apply), said in the schema too.

No body takes a boolean yet; one would be ``Annotated[bool, pydantic.Strict()]`` (``true`` or
``false`` only). Query parameters arrive as strings whatever their type (``?year=2020``), so
their schemas (``QueryIn``) keep pydantic's ordinary parsing. Patterns (``Matches``, or a field's
``pattern``) are checked with Python's ``re``, searching as JSON Schema does: the engine of the
forms and of schemathesis, so a value matches the published pattern exactly when the server
takes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError, core_schema


def _json_number(value: Any) -> Any:
    """Let only numbers through to the integer parser, which refuses fractions (``50.5``) and
    takes ``50.0``: JSON Schema counts that as an integer, and so do schema-driven clients."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be an integer (a JSON number)")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_number)]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_text(value: Any) -> Any:
    """Let only ``YYYY-MM-DD`` strings through to the date parser (and dates, for Python callers):
    no numbers (timestamps), no datetimes, no ``20240101``."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_type", "Input should be a date written YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]


@dataclass(frozen=True)
class Matches:
    """Refuse a string that ``pattern`` does not find (``re.search``) with a readable ``message``,
    and publish the pattern in the schema. One regex serves both, so they cannot disagree."""

    pattern: str
    message: str

    def __get_pydantic_core_schema__(self, source, handler):
        regex = re.compile(self.pattern)
        message = self.message

        def check(value):
            if isinstance(value, str) and not regex.search(value):
                raise PydanticCustomError("string_pattern_mismatch", message)
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(self, schema, handler):
        result = handler(schema)
        result["pattern"] = self.pattern
        return result


def _no_lone_surrogates(value: str | None) -> str | None:
    """Refuse text that is not valid Unicode: a lone surrogate, which a JSON ``\\ud800`` escape
    can carry and no database can store (NUL is refused by the pattern)."""
    if value is None:
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            "string_unicode", "The text is not valid Unicode (a lone surrogate)."
        ) from None
    return value


#: No NUL anywhere (PostgreSQL cannot store it).
NO_NUL = r"^[^\x00]*$"
#: No NUL, and something other than white space. Linear to check: the leading white space
#: cannot overlap the first other character.
NOT_BLANK = r"^\s*[^\s\x00][^\x00]*$"

Text = Annotated[
    str,
    Matches(NO_NUL, "The text contains a character that is not allowed (NUL)."),
    AfterValidator(_no_lone_surrogates),
]
NonBlankText = Annotated[
    str,
    Matches(NOT_BLANK, "Enter some text (not only spaces); NUL characters are not allowed."),
    AfterValidator(_no_lone_surrogates),
]


class BodyIn(Schema):
    """The base of every request body: it names only the fields it takes, and anything else
    (partnership, ids, sign-off, version bumps) is refused with 422, never silently assigned."""

    model_config = ConfigDict(extra="forbid", regex_engine="python-re")


class QueryIn(Schema):
    """The base of query-parameter schemas: patterns checked by Python's ``re`` like the forms'."""

    model_config = ConfigDict(regex_engine="python-re")
