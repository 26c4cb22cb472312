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
        self._made = {}

    def _once(self, key, make):
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def document(self):
        """An unpublished review document with sections, a candidate and a finding."""

        def make():
            from reviewhub.documents.models import PiiFinding
            from reviewhub.documents.services import document_import

            doc = document_import(
                partnership=self.partnership,
                name="review.txt",
                data=DOCUMENT_TEXT.encode(),
                user=self.users[Role.BUSINESS_UNIT],
            ).document
            PiiFinding.objects.create(
                document=doc, start=0, end=5, text=DOCUMENT_TEXT[:5], kind="name"
            )
            return doc

        return self._once("document", make)

    def briefing(self):
        """A draft thematic briefing with two themes."""

        def make():
            from reviewhub.briefings.document import parse_text
            from reviewhub.briefings.services import briefing_create

            return briefing_create(
                partnership=self.partnership,
                doc=parse_text(BRIEFING_TEXT),
                user=self.users[Role.ANALYST],
            )

        return self._once("briefing", make)

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

    def team(self):
        from reviewhub.accounts.models import Team

        return self._once(
            "team", lambda: Team.objects.create(partnership=self.partnership, name="Test team")
        )

    def import_job(self):
        from reviewhub.documents.models import ImportJob

        return self._once(
            "job", lambda: ImportJob.objects.create(partnership=self.partnership, total=0)
        )


DOCUMENT_TEXT = """Local child safeguarding practice review: Child A

1. Introduction
This review considers the help given to Child A and their family.

2. Findings
Practitioners did not share information about the risks posed by a new partner.

3. Recommendations
1. The partnership should publish guidance on sharing information about new partners.
2. Agencies should audit how they record who lives in the household.
"""


BRIEFING_TEXT = """# Learning from reviews: test briefing

## Background

This briefing draws on two rapid reviews.

## Theme 1: Who is in the household

### What we have learned

Practitioners did not know who lived in the home.

### What you should do

- Ask who lives in the household at every visit.
- Record the answer.

## Theme 2: Hearing the child

### What we have learned

The child's voice was not heard.

### What you should do

See the child on their own.
"""
