"""Who is taking part, on the public conversation pages.

Three ways in, tried in this order:

1. A link from another system (`?xid=…&sig=…`, made by
   `services.participant_link`): the signature is checked once, then the
   external id is kept in a signed cookie so the next pages need no link. It
   comes first because that system made the link for this person and this
   conversation.
2. A signed-in account: the participant is tied to it.
3. Anyone else: an anonymous random token in an HttpOnly cookie. Only its
   SHA-256 is stored, so the cookie holds nothing about the person and the
   database cannot lead back to the browser.

Cookies are scoped to the conversation's own path, so one conversation never
sees another's. A participant is created only when someone votes or writes a
statement: a visitor who only reads leaves nothing in the database and gets
no cookie. No address or user agent is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.opinions import services
from roundtable.opinions.models import Conversation, Participant

# A participant keeps their place for a year, as long as a conversation runs.
COOKIE_MAX_AGE = 365 * 24 * 3600
# `secrets.token_urlsafe(32)` gives 43 such characters; anything else is ignored.
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{32,64}")


def conversation_path(agency: Agency, conversation: Conversation) -> str:
    """The conversation's public URL prefix: its vote, add and report pages."""
    return reverse("opinions_public:vote", args=[agency.slug, conversation.pk])


def token_cookie(conversation: Conversation) -> str:
    return f"rt_op_{conversation.pk}"


def xid_cookie(conversation: Conversation) -> str:
    return f"rt_op_xid_{conversation.pk}"


def _xid_salt(conversation: Conversation) -> str:
    return f"roundtable.opinions.xid-cookie.{conversation.pk}"


@dataclass(frozen=True)
class Identity:
    """What the request says about who is taking part (at most one is set)."""

    external_id: str | None = None
    user: User | None = None
    token: str | None = None

    @property
    def known(self) -> bool:
        return bool(self.external_id or self.user or self.token)


def identity_of(request: HttpRequest, conversation: Conversation) -> Identity:
    external_id = request.get_signed_cookie(
        xid_cookie(conversation), default=None, salt=_xid_salt(conversation)
    )
    if external_id:
        return Identity(external_id=external_id)
    if request.user.is_authenticated:
        assert isinstance(request.user, User)
        return Identity(user=request.user)
    token = request.COOKIES.get(token_cookie(conversation), "")
    return Identity(token=token if TOKEN_FORMAT.fullmatch(token) else None)


def existing_participant(conversation: Conversation, identity: Identity) -> Participant | None:
    """The participant already behind `identity`, if any; creates nothing."""
    if not identity.known:
        return None
    return services.participant_for(
        conversation=conversation,
        user=identity.user,
        token=identity.token,
        external_id=identity.external_id,
        create=False,
    )


def acting_participant(
    conversation: Conversation, identity: Identity
) -> tuple[Participant, str | None]:
    """The participant who is voting or writing, joined now if new, and the new
    anonymous token to give their browser (None when it already has one, or the
    participant is known otherwise)."""
    new_token = None if identity.known else services.new_participant_token()
    participant = services.participant_for(
        conversation=conversation,
        user=identity.user,
        token=identity.token or new_token,
        external_id=identity.external_id,
        create=True,
    )
    assert participant is not None  # create=True always returns one
    return participant, new_token


def remember_token(
    response: HttpResponse, agency: Agency, conversation: Conversation, token: str
) -> None:
    response.set_cookie(
        token_cookie(conversation),
        token,
        max_age=COOKIE_MAX_AGE,
        path=conversation_path(agency, conversation),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def remember_external_id(
    response: HttpResponse, agency: Agency, conversation: Conversation, external_id: str
) -> None:
    response.set_signed_cookie(
        xid_cookie(conversation),
        external_id,
        salt=_xid_salt(conversation),
        max_age=COOKIE_MAX_AGE,
        path=conversation_path(agency, conversation),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
