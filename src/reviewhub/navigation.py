"""The navigation each role sees. Menus only guide: every view enforces access itself."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from reviewhub.accounts.choices import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset


# Later apps add their entries here, in display order.
ITEMS: list[NavItem] = [
    NavItem("Home", "home", frozenset(Role.values)),
    NavItem(
        "Cases",
        "cases:list",
        frozenset(
            {
                Role.BUSINESS_UNIT,
                Role.ADMINISTRATOR,
                Role.PARTNER_LEAD,
                Role.REVIEWER,
            }
        ),
    ),
    NavItem("Due soon", "cases:due_soon", frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR})),
    NavItem("Briefings", "briefings:list", frozenset(Role.values)),
    NavItem("Documents", "documents:list", frozenset(Role.values)),
    NavItem("Learning", "learning:point_list", frozenset(Role.values)),
    NavItem("Coding", "learning:coding_start", frozenset({Role.ANALYST})),
    NavItem("Taxonomy", "learning:taxonomy", frozenset({Role.ADMINISTRATOR, Role.ANALYST})),
    NavItem("Search", "search:search", frozenset(Role.values)),
    NavItem(
        "Actions",
        "actions:list",
        frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST, Role.PARTNER_LEAD}),
    ),
    NavItem(
        "Reports",
        "reports:dashboard",
        frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST, Role.PARTNER_LEAD}),
    ),
    NavItem("Audit", "audit:search", frozenset({Role.ADMINISTRATOR})),
    NavItem("Users", "accounts:user_list", frozenset({Role.ADMINISTRATOR})),
    NavItem("Teams", "accounts:team_list", frozenset({Role.ADMINISTRATOR})),
    NavItem("Bank holidays", "calendar:holidays", frozenset({Role.ADMINISTRATOR})),
    NavItem("API tokens", "api_tokens:list", frozenset(Role.values)),
]


def items_for(roles) -> list[dict]:
    """Return the menu entries for a set of roles, skipping any whose page does not exist yet."""
    found = []
    for item in ITEMS:
        if item.roles & set(roles):
            try:
                found.append({"label": item.label, "url": reverse(item.url_name)})
            except NoReverseMatch:
                continue
    return found


def navigation(request):
    """Template context: the menu, the active partnership and the ones the user can switch to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "active_partnership": None}
    return {
        # No menu while the user still owes a two-factor code (OTPRequiredMiddleware).
        "nav_items": []
        if getattr(request, "otp_pending", False)
        else items_for(getattr(request, "roles", ())),
        "active_partnership": getattr(request, "partnership", None),
        "active_roles": sorted(getattr(request, "roles", ())),
    }
