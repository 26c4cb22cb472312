"""Who may see which indexed objects: one access hook per kind, registered by the owning app.

Search never decides visibility itself. The app that owns a kind registers, in its
``AppConfig.ready``::

    register_kind("learning", lambda user, pks: set(
        LearningPoint.objects.restrict(user).filter(pk__in=pks).values_list("pk", flat=True)
    ), label="Learning point")

A kind with no hook shows nothing to anyone (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

VisibleFn = Callable[[object, list[int]], Iterable[int]]


@dataclass(frozen=True)
class KindHook:
    kind: str
    visible_pks: VisibleFn
    label: str


_HOOKS: dict[str, KindHook] = {}


def register_kind(kind: str, visible_pks: VisibleFn, label: str = "") -> None:
    """Register the access hook of a kind (replacing an earlier one, so reloads are harmless)."""
    _HOOKS[kind] = KindHook(kind=kind, visible_pks=visible_pks, label=label or kind)


def unregister_kind(kind: str) -> None:
    """Remove a kind's hook (tests); its entries become invisible again."""
    _HOOKS.pop(kind, None)


def label_for(kind: str) -> str:
    hook = _HOOKS.get(kind)
    return hook.label if hook else kind.replace("_", " ").capitalize()


def visible(user, kind: str, pks: list[int]) -> set[int]:
    """Return the pks of ``kind`` the user may see: none when the kind has no hook."""
    hook = _HOOKS.get(kind)
    if hook is None or not pks:
        return set()
    return {int(pk) for pk in hook.visible_pks(user, list(pks))}
