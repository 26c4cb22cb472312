"""What the operator's commands share: which partnership a command acts on.

One rule for every command that takes ``--partnership SLUG``: the slug given, or else the only
partnership of the instance (a single-partnership install needs no option). With none or several,
the command stops and says what to do.
"""

from __future__ import annotations

from django.core.management.base import CommandError

from .models import Partnership


def partnership_from_option(slug: str | None, *, exclude_kinds=()) -> Partnership:
    """Return the partnership a command acts on (see the module docstring), or raise CommandError.

    ``exclude_kinds`` leaves out partnerships the command cannot act on (a yearly report has no
    meaning for a national analysis), both when guessing and when named.
    """
    candidates = Partnership.objects.exclude(kind__in=list(exclude_kinds))
    if slug:
        found = candidates.filter(slug=slug).first()
        if found is None:
            known = ", ".join(candidates.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No partnership with the slug {slug[:60]!r} (known: {known}).")
        return found
    found = list(candidates[:2])
    if not found:
        raise CommandError(
            "There is no partnership yet: create one with `reviewhub partnership create NAME` "
            "(or load the demo with `reviewhub demo`)."
        )
    if len(found) > 1:
        slugs = ", ".join(candidates.values_list("slug", flat=True))
        raise CommandError(
            f"There are several partnerships; choose one with --partnership ({slugs})."
        )
    return found[0]
