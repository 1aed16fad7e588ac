from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from roundtable.accounts.models import Membership, Role, User
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
