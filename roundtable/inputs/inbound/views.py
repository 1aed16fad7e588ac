"""The inbound webhook: `/hooks/<provider>/<agency>/`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from roundtable.agencies.models import Agency
from roundtable.inputs.inbound.base import InvalidMessage, provider_for
from roundtable.inputs.inbound.services import inbound_receive

# Declares who may call it for the URL-walk test: whoever holds the provider's
# signing secret, checked in the view (no session, no account).
PROVIDER_SIGNATURE = frozenset({"provider-signature"})


@csrf_exempt
@require_POST
def receive(request: HttpRequest, provider: str, agency_slug: str) -> HttpResponse:
    """SMS and email providers only, proven by their request signature (no
    account): a message someone sent to the agency's number or address."""
    hook = provider_for(provider)
    if hook is None:
        raise Http404("No such provider.")
    agency = get_object_or_404(Agency, slug=agency_slug)
    # Before anything reads the message: an unsigned request stores nothing.
    if not hook.verify(request):
        return HttpResponseForbidden("Bad or missing signature.")
    try:
        message = hook.parse(request)
        received = inbound_receive(
            agency=agency, message=message, replies_inline=hook.replies_inline
        )
    except InvalidMessage as error:
        return hook.refuse(str(error))
    except ValidationError as error:
        return hook.refuse(" ".join(error.messages))
    return hook.reply(received)


receive.allowed_roles = PROVIDER_SIGNATURE  # type: ignore[attr-defined]
