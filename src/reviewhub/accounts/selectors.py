"""Reads for people: always scoped to the reader's partnership."""

from django.db.models import Prefetch

from .models import Membership, User


def user_list(*, partnership):
    """Return the people who hold a role in ``partnership``, with their roles."""
    return (
        User.objects.filter(memberships__partnership=partnership)
        .distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(partnership=partnership).select_related(
                    "agency"
                ),
                to_attr="partnership_memberships",
            )
        )
        .order_by("last_name", "first_name", "username")
    )


def user_get(*, partnership, pk) -> User | None:
    """Return one person of ``partnership``, or None (never someone from another partnership)."""
    return user_list(partnership=partnership).filter(pk=pk).first()


def team_list(*, partnership):
    from .models import Team

    return Team.objects.filter(partnership=partnership).prefetch_related("members")
