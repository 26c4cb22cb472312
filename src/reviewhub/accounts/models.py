"""People, partnerships, agencies and the roles that join them."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from .choices import AgencyKind, PartnershipKind, Role


class Partnership(models.Model):
    """A safeguarding partnership: the tenant every record belongs to."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(
        max_length=20, choices=PartnershipKind.choices, default=PartnershipKind.CHILDREN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An organisation that takes part in the partnership's reviews."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Accounts are deactivated, never deleted, so the audit stays whole."""

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """One role a user holds in one partnership, optionally on behalf of an agency."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )

    class Meta:
        ordering = ["partnership", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} ({self.partnership})"

    def clean(self) -> None:
        """Require an agency for partner leads, and an agency of the same partnership."""
        if self.agency_id and self.agency.partnership_id != self.partnership_id:
            raise ValidationError({"agency": "The agency belongs to another partnership."})
        if self.role == Role.PARTNER_LEAD and not self.agency_id:
            raise ValidationError({"agency": "A partner lead acts for an agency: choose one."})


class Team(models.Model):
    """A team within the partnership (for example a health visiting team): a distribution list
    for briefings, finer than a whole agency."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="teams")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    name = models.CharField(max_length=200)
    members = models.ManyToManyField(User, blank=True, related_name="teams")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
