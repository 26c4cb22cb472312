"""Factories for tests: small functions that build valid records with sensible defaults."""

import functools
import itertools

from reviewhub.accounts.choices import AgencyKind, Role
from reviewhub.accounts.models import Agency, Membership, Partnership, User

PASSWORD = "correct-horse-battery-staple-42"
_seq = itertools.count(1)


def partnership(name: str | None = None) -> Partnership:
    n = next(_seq)
    name = name or f"Testshire Partnership {n}"
    return Partnership.objects.create(name=name, slug=f"p{n}-{abs(hash(name)) % 10**6}")


def agency(p: Partnership, name: str | None = None, kind=AgencyKind.POLICE) -> Agency:
    return Agency.objects.create(partnership=p, name=name or f"Agency {next(_seq)}", kind=kind)


def user(p: Partnership | None = None, *roles: str, agency_obj: Agency | None = None, **fields):
    n = next(_seq)
    u = User.objects.create_user(
        username=fields.pop("username", f"user{n}"), password=PASSWORD, **fields
    )
    for role in roles:
        Membership.objects.create(user=u, partnership=p, role=role, agency=agency_obj)
    return u


class World:
    """Two partnerships; in the first, one user per role (partner lead with an agency)."""

    def __init__(self):
        self.partnership = partnership("Northshire Test Partnership")
        self.other = partnership("Southshire Test Partnership")
        self.agency = agency(self.partnership, "Northshire Police")
        self.other_agency = agency(self.partnership, "Northshire Health", AgencyKind.HEALTH)
        self.users = {
            role: user(
                self.partnership,
                role,
                username=f"{role}-user",
                agency_obj=self.agency if role == Role.PARTNER_LEAD else None,
            )
            for role in Role.values
            if role != Role.NATIONAL_ANALYST
        }
        self.users[Role.NATIONAL_ANALYST] = user(
            self.other, Role.NATIONAL_ANALYST, username="national-user"
        )
        self.outsider_admin = user(self.other, Role.ADMINISTRATOR, username="other-admin")

    @functools.cached_property
    def case(self):
        """A child case with every record up to an LCSPR in progress: the partner lead's agency is
        involved and the reviewer leads the review. Built on first use to keep World cheap."""
        from reviewhub.cases.tests.factories import case

        return case(
            self.partnership,
            "review",
            agencies=[self.agency],
            lead_reviewer=self.users[Role.REVIEWER],
        )
