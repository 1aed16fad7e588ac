from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from roundtable.accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with the username or the email address, in any letter case.

    Invited people get their email address as username; nobody should have to
    remember how they typed its capitals. An address shared by two accounts
    matches neither (the username still works).
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        matches = list(
            User.objects.filter(Q(username__iexact=username) | Q(email__iexact=username))[:2]
        )
        exact = [u for u in matches if u.username == username]
        candidates = exact or (matches if len(matches) == 1 else [])
        if not candidates:
            User().set_password(password)  # same time as a real check, so timing says nothing
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
