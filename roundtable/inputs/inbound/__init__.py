"""Inbound SMS and email: webhooks that providers call when someone writes to us.

`base.py` says what a provider is and finds one by name; `twilio.py` and
`mailgun.py` are the two we ship; `services.py` stores a message as an input;
`views.py` is the one webhook view, `/hooks/<provider>/<agency>/`.
"""
