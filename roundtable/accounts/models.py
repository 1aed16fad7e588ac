from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
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


API_TOKEN_DAYS = 90
API_TOKEN_PREFIX = "rt_"  # noqa: S105 (marks our tokens, e.g. for secret scanners; not a secret)


def api_token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256, in hex.

    The token carries 256 random bits, so a plain fast hash is enough (no salt,
    no key stretching), and looking it up by hash leaks no timing about it.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_default_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A personal token for the JSON API: scripts act as its owner, with the owner's roles.

    Only a SHA-256 hash of the token is kept; the token itself is shown once, when
    it is created (services.api_token_create), and cannot be recovered.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    key_prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    # Whether the session that created the token had passed the TOTP step. A token
    # stands in for the second factor only then: someone who made a token as a
    # resident and is later given a staff role must make a new one.
    second_factor = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, default=api_token_default_expiry
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
