"""Make every model choice field refuse ids outside the database's integer range.

Django's ModelChoiceField and ModelMultipleChoiceField look an id up as given: an id such as
99999999999999999999 overflows SQLite's and PostgreSQL's 64-bit integers and raises
OverflowError or DataError, which Django does not turn into a field error, so the page fails
with 500. Every form in ReviewHub gets the check through this one patch (installed in
AccountsConfig.ready) instead of each form repeating it.
"""

from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField, ModelMultipleChoiceField

LIMIT = 2**63


def _out_of_range(value) -> bool:
    text = str(value).strip()
    if text.startswith("-"):
        text = text[1:]
    return text.isdigit() and not -LIMIT <= int(str(value).strip()) < LIMIT


def install() -> None:
    for cls in (ModelChoiceField, ModelMultipleChoiceField):
        if getattr(cls.clean, "_reviewhub_bounded", False):
            continue
        original = cls.clean

        def clean(self, value, _original=original):
            values = value if isinstance(value, list | tuple) else [value]
            for item in values:
                if item is not None and _out_of_range(item):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": str(item)[:30]},
                    )
            return _original(self, value)

        clean._reviewhub_bounded = True
        cls.clean = clean
