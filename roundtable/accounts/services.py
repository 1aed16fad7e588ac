from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from roundtable.accounts.models import (
    API_TOKEN_DAYS,
    API_TOKEN_PREFIX,
    ApiToken,
    Membership,
    Role,
    User,
    api_token_hash,
)
from roundtable.agencies.models import Agency
from roundtable.audit.services import audit_record


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "en",
) -> User:
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        preferred_language=preferred_language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def membership_grant(*, actor: User | None, user: User, agency: Agency, role: Role) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
    if created:
        audit_record(
            actor=actor,
            agency=agency,
            action="membership.grant",
            instance=membership,
            after={"user": user.username, "role": str(role)},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: User, membership: Membership) -> None:
    audit_record(
        actor=actor,
        agency=membership.agency,
        action="membership.revoke",
        instance=membership,
        before={"user": membership.user.username, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for `user`; earlier unconfirmed ones go."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice) -> TOTPDevice:
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=device.user,
        agency=None,
        action="totp.enrol",
        instance=device.user,
        after={"device": device.name},
    )
    return device


@transaction.atomic
def member_invite(
    *,
    actor: User,
    agency: Agency,
    email: str,
    first_name: str,
    last_name: str,
    role: Role,
    preferred_language: str,
) -> tuple[User, bool]:
    """Grant `role` to the person with `email`, creating their account if needed.

    Returns the user and whether the account is new (then it has no usable
    password; the caller sends the invitation to choose one).
    """
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = user_create(
            username=email,
            email=email,
            password=None,
            first_name=first_name,
            last_name=last_name,
            preferred_language=preferred_language,
        )
    membership_grant(actor=actor, user=user, agency=agency, role=role)
    return user, created


# A used token's last_used_at is written at most this often, not on every request.
API_TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=1)


@transaction.atomic
def api_token_create(
    *, user: User, name: str, days: int = API_TOKEN_DAYS, second_factor: bool = False
) -> tuple[ApiToken, str]:
    """A new API token for `user`, valid for `days`; returns it and the plain token.

    The plain token is returned this once and never stored: only its hash is.
    `second_factor` says whether the session asking for it passed the TOTP step.
    """
    if days < 1:
        raise ValueError("A token must be valid for at least one day.")
    plain = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_prefix=plain[:8],
        key_hash=api_token_hash(plain),
        second_factor=second_factor,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    assert token.expires_at is not None
    audit_record(
        actor=user,
        agency=None,
        action="api_token.create",
        instance=token,
        after={
            "name": token.name,
            "key_prefix": token.key_prefix,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, plain


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Refuse `token` from now on. Revoking a revoked token changes nothing."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        agency=None,
        action="api_token.revoke",
        instance=token,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at.isoformat()},
    )
    return token


def api_token_touch(*, token: ApiToken, now: dt.datetime) -> None:
    """Note that `token` was used, at most once per API_TOKEN_TOUCH_INTERVAL.

    Bookkeeping, not an action of anyone: not audited. A single conditional
    UPDATE, so concurrent requests do not race to write it twice.
    """
    last = token.last_used_at
    if last is not None and now - last < API_TOKEN_TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - API_TOKEN_TOUCH_INTERVAL)
    ).update(last_used_at=now)
    token.last_used_at = now
