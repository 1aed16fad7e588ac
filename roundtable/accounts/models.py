from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account. The public needs none."""

    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Engagement coordinator")
    ANALYST = "analyst", _("Crime analyst")
    COMMAND = "command", _("Command staff")
    PST_MEMBER = "pst_member", _("Problem-solving team member")
    PARTNER = "partner", _("Partner organisation representative")
    RESIDENT = "resident", _("Registered resident")


# Agency employees: they see personal data of partners, so they sign in with TOTP.
STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.ANALYST, Role.COMMAND})


class Membership(models.Model):
    """A person's role in one agency. A person may hold roles in several agencies."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            )
        ]
        ordering = ["agency", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.agency})"
