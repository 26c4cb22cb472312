"""The demo partnership's people: fictional agencies and one user per role."""

from django.db import transaction

from .choices import AgencyKind, PartnershipKind, Role
from .models import Agency, Membership, Partnership, Team, User

# Printed on the console by `reviewhub demo`; demo data only.
DEMO_PASSWORD = "demo-Reviewhub-2026"  # noqa: S105

PARTNERSHIP = {
    "slug": "northshire",
    "name": "Northshire Safeguarding Children Partnership",
    "kind": PartnershipKind.CHILDREN,
}
OTHER_PARTNERSHIP = {
    "slug": "westmere",
    "name": "Westmere Safeguarding Children Partnership",
    "kind": PartnershipKind.CHILDREN,
}

AGENCIES = [
    ("Northshire Council Children's Services", AgencyKind.CHILDRENS_SERVICES),
    ("Northshire Police", AgencyKind.POLICE),
    ("Northshire Integrated Care Board", AgencyKind.HEALTH),
    ("Northshire Education Services", AgencyKind.EDUCATION),
    ("Northshire Youth Justice Service", AgencyKind.YOUTH_JUSTICE),
    ("Northshire Housing", AgencyKind.HOUSING),
]

# username, first, last, role, agency index or None
PEOPLE = [
    ("manager", "Morgan", "Ashby", Role.BUSINESS_UNIT, None),
    ("lead.council", "Priya", "Nandra", Role.PARTNER_LEAD, 0),
    ("lead.police", "Tom", "Whitfield", Role.PARTNER_LEAD, 1),
    ("lead.health", "Grace", "Okafor", Role.PARTNER_LEAD, 2),
    ("reviewer", "Helen", "Marsh", Role.REVIEWER, None),
    ("analyst", "Sam", "Lindqvist", Role.ANALYST, None),
    ("practitioner", "Jo", "Carver", Role.PRACTITIONER, 0),
    ("admin", "Alex", "Brennan", Role.ADMINISTRATOR, None),
]


@transaction.atomic
def load_people() -> tuple[Partnership, dict[str, User]]:
    """Create (or find) the demo partnership, its agencies and one user per role."""
    partnership, _ = Partnership.objects.get_or_create(
        slug=PARTNERSHIP["slug"], defaults=PARTNERSHIP
    )
    Partnership.objects.get_or_create(slug=OTHER_PARTNERSHIP["slug"], defaults=OTHER_PARTNERSHIP)
    agencies = [
        Agency.objects.get_or_create(partnership=partnership, name=name, defaults={"kind": kind})[0]
        for name, kind in AGENCIES
    ]
    users = {}
    for username, first, last, role, agency_index in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@northshire.example",
            )
        Membership.objects.get_or_create(
            user=user,
            partnership=partnership,
            role=role,
            defaults={"agency": agencies[agency_index] if agency_index is not None else None},
        )
        users[username] = user
    team, _ = Team.objects.get_or_create(
        partnership=partnership,
        name="Northtown early help team",
        defaults={"agency": agencies[0]},
    )
    team.members.add(users["practitioner"], users["lead.council"])
    return partnership, users
