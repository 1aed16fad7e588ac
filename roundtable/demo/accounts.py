"""The demo sign-ins: one per role, one shared password, one shared TOTP secret.

The password and the TOTP secret are printed on purpose (`roundtable demo
--logins`) so that anyone trying Roundtable on a laptop can sign in as each
role, second factor included. That is also why the demo refuses to run with
ROUNDTABLE_ENV=production.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db.models import Prefetch
from django_otp.plugins.otp_totp.models import TOTPDevice

from roundtable.accounts.models import STAFF_ROLES, Membership, Role, User
from roundtable.accounts.services import membership_grant, user_create
from roundtable.agencies.models import Agency

DEMO_PASSWORD = "roundtable-demo"  # noqa: S105 -- printed for demo sign-ins by design
# 20 bytes, the size django_otp generates; spelled so the secret is recognisable.
DEMO_TOTP_KEY = b"roundtable-demo-totp".hex()
DEMO_TOTP_BASE32 = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode().rstrip("=")


@dataclass(frozen=True)
class AccountSpec:
    username: str
    first_name: str
    last_name: str
    email: str
    memberships: tuple[tuple[str, Role], ...]
    language: str = "en"
    # The organisation a partner representative speaks for (by name), and their
    # job there (the Community Map contact the builder adds for them).
    represents: str = ""
    title: str = "Program director"


ACCOUNTS = [
    AccountSpec(
        "admin",
        "Dana",
        "Whitmore",
        "dana.whitmore@riverside-pd.example",
        (("riverside", Role.ADMINISTRATOR), ("rsu", Role.ADMINISTRATOR)),
    ),
    AccountSpec(
        "coordinator",
        "Casey",
        "Alvarez",
        "casey.alvarez@riverside-pd.example",
        (("riverside", Role.COORDINATOR),),
    ),
    AccountSpec(
        "analyst",
        "Anita",
        "Desai",
        "anita.desai@riverside-pd.example",
        (("riverside", Role.ANALYST),),
    ),
    AccountSpec(
        "command",
        "Marcus",
        "Bell",
        "marcus.bell@riverside-pd.example",
        (("riverside", Role.COMMAND),),
    ),
    AccountSpec(
        "pst",
        "Jordan",
        "Ellis",
        "jordan.ellis@riverside-pd.example",
        (("riverside", Role.PST_MEMBER),),
    ),
    AccountSpec(
        "partner",
        "Pat",
        "Gonzalez",
        "pat.gonzalez@riversideinterfaith.example",
        (("riverside", Role.PARTNER),),
        represents="Riverside Interfaith Council",
    ),
    # Partners who share figures for the CompStat360 measures (demo/measures.py).
    AccountSpec(
        "schools",
        "Grace",
        "Okafor",
        "grace.okafor@riversideusd.example",
        (("riverside", Role.PARTNER),),
        represents="Riverside Unified School District",
        title="Director of student data",
    ),
    AccountSpec(
        "hospital",
        "Helen",
        "Park",
        "helen.park@countygeneral.example",
        (("riverside", Role.PARTNER),),
        represents="Riverside County General Hospital",
        title="Injury prevention analyst",
    ),
    AccountSpec(
        "codes",
        "Miguel",
        "Torres",
        "miguel.torres@riverside-codes.example",
        (("riverside", Role.PARTNER),),
        represents="Riverside Code Enforcement Division",
        title="Code enforcement supervisor",
    ),
    AccountSpec(
        "resident",
        "Rosa",
        "Martínez",
        "rosa.martinez@mail.example",
        (("riverside", Role.RESIDENT),),
        language="es",
    ),
    AccountSpec(
        "unicoordinator", "Uma", "Brooks", "uma.brooks@rsupd.example", (("rsu", Role.COORDINATOR),)
    ),
]
DEMO_USERNAMES = [spec.username for spec in ACCOUNTS]


def is_staff_spec(spec: AccountSpec) -> bool:
    return any(role in STAFF_ROLES for _slug, role in spec.memberships)


def demo_users() -> list[User]:
    """Existing users that the demo made: demo username *and* demo email."""
    expected = {spec.username: spec.email.lower() for spec in ACCOUNTS}
    return [
        user
        for user in User.objects.filter(username__in=expected)
        if user.email.lower() == expected[user.username]
    ]


def foreign_users() -> list[str]:
    """Usernames the demo needs that belong to someone else; never touched."""
    mine = {user.pk for user in demo_users()}
    return sorted(
        User.objects.filter(username__in=DEMO_USERNAMES)
        .exclude(pk__in=mine)
        .values_list("username", flat=True)
    )


def accounts_create(agencies: dict[str, Agency]) -> dict[str, User]:
    # One hash for every account: hashing is deliberately slow (~0.4 s each).
    password_hash = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for spec in ACCOUNTS:
        user = user_create(
            username=spec.username,
            email=spec.email,
            password=None,
            first_name=spec.first_name,
            last_name=spec.last_name,
            preferred_language=spec.language,
        )
        user.password = password_hash
        user.save(update_fields=["password"])
        users[spec.username] = user
    admin = users["admin"]
    for spec in ACCOUNTS:
        for slug, role in spec.memberships:
            actor = None if spec.username == "admin" else admin
            membership_grant(
                actor=actor, user=users[spec.username], agency=agencies[slug], role=role
            )
        if is_staff_spec(spec):
            # A confirmed authenticator with the published secret, so the demo's
            # staff can pass the second factor from any authenticator app.
            TOTPDevice.objects.create(
                user=users[spec.username], name="authenticator", key=DEMO_TOTP_KEY, confirmed=True
            )
    return users


@dataclass(frozen=True)
class LoginRow:
    username: str
    name: str
    role: str
    agency: str
    two_factor: bool
    represents: str


def demo_logins() -> list[LoginRow]:
    """One row per role of each demo account that exists, in the order of ACCOUNTS."""
    specs = {spec.username: spec for spec in ACCOUNTS}
    users = {
        user.username: user
        for user in User.objects.filter(pk__in=[u.pk for u in demo_users()]).prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("agency"))
        )
    }
    confirmed = set(
        TOTPDevice.objects.filter(user__in=users.values(), confirmed=True).values_list(
            "user__username", flat=True
        )
    )
    rows = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        for membership in user.memberships.all():
            rows.append(
                LoginRow(
                    username=username,
                    name=user.get_full_name(),
                    role=str(membership.get_role_display()),
                    agency=membership.agency.name,
                    two_factor=username in confirmed,
                    represents=specs[username].represents,
                )
            )
    return rows
