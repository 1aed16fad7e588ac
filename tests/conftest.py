"""Named personas, as in the stories the product is built for.

- Casey Coordinator: engagement coordinator of the Riverside police (edits the map)
- Ana Analyst: crime analyst (reads the map)
- Cleo Command: command staff (reads the map)
- Adam Admin: agency administrator (reads the audit log)
- Rosa Resident: a registered resident (no map access)
- Pat Partner: a partner organisation's representative (no map access)
- Uma Uni: coordinator of the *university* police, another agency sharing ground

`client_for(user)` returns a client signed in with the second factor passed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from roundtable.accounts.models import Role, User
from roundtable.agencies.models import Agency
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, verified_totp


@pytest.fixture
def agency(db) -> Agency:
    return AgencyFactory.create(name="Riverside Police Department", slug="riverside")


@pytest.fixture
def other_agency(db) -> Agency:
    return AgencyFactory.create(
        name="Riverside University Police", slug="riverside-university", kind=Agency.Kind.UNIVERSITY
    )


def _persona(username: str, agency: Agency, role: Role) -> User:
    user = UserFactory.create(username=username)
    MembershipFactory.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def casey(agency) -> User:
    return _persona("casey", agency, Role.COORDINATOR)


@pytest.fixture
def ana(agency) -> User:
    return _persona("ana", agency, Role.ANALYST)


@pytest.fixture
def cleo(agency) -> User:
    return _persona("cleo", agency, Role.COMMAND)


@pytest.fixture
def adam(agency) -> User:
    return _persona("adam", agency, Role.ADMINISTRATOR)


@pytest.fixture
def rosa(agency) -> User:
    return _persona("rosa", agency, Role.RESIDENT)


@pytest.fixture
def pat(agency) -> User:
    return _persona("pat", agency, Role.PARTNER)


@pytest.fixture
def uma(other_agency) -> User:
    return _persona("uma", other_agency, Role.COORDINATOR)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A client signed in as `user`, with the TOTP step already passed."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        device = verified_totp(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return make


@pytest.fixture(autouse=True)
def _default_language():
    """A test that switches the language (a request with the Spanish cookie, an
    override left open) must not leave the next test in Spanish."""
    from django.utils import translation

    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; no test inherits another's."""
    from django.core.cache import cache

    from roundtable.inputs import sms

    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()
    sms.outbox.clear()


def pytest_configure(config):
    """PBKDF2 costs ~0.4 s a user on this machine; tests need no real hashing cost.

    Set once for the session (not per test) so module-scoped data such as the demo
    is hashed the same way the tests check it.
    """
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run at once, in the test's own process; text messages are
    # kept in roundtable.inputs.sms.outbox instead of being sent.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # django_tasks builds its backends when the first task module is imported,
    # which may already have happened (pytest-django sets Django up first):
    # without this the database queue silently stays in place.
    from django_tasks.signals import clear_tasks_handlers

    clear_tasks_handlers(setting="TASKS")
    settings.ROUNDTABLE_SMS_BACKEND = "locmem"
