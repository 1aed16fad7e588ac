"""Redaction: what could reach or locate a person leaves public text; places stay."""

from __future__ import annotations

import pytest

from roundtable.inputs.redaction import ADDRESS, EMAIL, PHONE, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Write to maria.lopez+tips@example.com about the lights.",
            "Write to [email] about the lights.",
        ),
        ("Mi correo es josé.ñúñez@correo.es, gracias", "Mi correo es [email], gracias"),
        ("two: a@b.org and c.d@e.co.uk", "two: [email] and [email]"),
    ],
)
def test_email_addresses_are_removed(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me at (312) 555-0198 please", "Call me at [phone] please"),
        ("my number is 312.555.0198", "my number is [phone]"),
        ("text 3125550198 anytime", "text [phone] anytime"),
        ("+1 (312) 555-0198 is my cell", "[phone] is my cell"),
        ("reach me at 773 555 0123 or 312-555-0198", "reach me at [phone] or [phone]"),
        ("Call 555-1234 after 6pm", "Call [phone] after 6pm"),
        ("Mi móvil es +34 612 345 678", "Mi móvil es [phone]"),
        ("llámame al 612 34 56 78 por favor", "llámame al [phone] por favor"),
        ("London office +44 20 7946 0958", "London office [phone]"),
    ],
)
def test_phone_numbers_are_removed(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The party at 1234 N Main St is loud", "The party at [address] is loud"),
        ("Cars speed on the 1200 block of Oak Avenue", "Cars speed on the [address]"),
        ("I live at 45 Elm Street, Apt 4B and nobody came", "I live at [address] and nobody came"),
        ("Send someone to 221B Baker Street", "Send someone to [address]"),
        ("visit 77 Sunset Blvd. tonight", "visit [address] tonight"),
        ("my apartment is Unit 12", "my apartment is [address]"),
        ("Vivo en Calle Mayor 12 y nadie vino", "Vivo en [address] y nadie vino"),
        ("Corren por la Avenida de la Paz 45 cada noche", "Corren por la [address] cada noche"),
        ("Mi dirección: C/ Sol 3, 2º B", "Mi dirección: [address]"),
        ("En Calle Luna, número 8 hay ruido", "En [address] hay ruido"),
    ],
)
def test_street_addresses_are_removed(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The corner of 5th and Main is dark after 10:30 pm.",
        "La esquina de Calle Mayor con Sol está oscura.",
        "Drive along Route 66 and Highway 61",
        "Case 2024-001234 was filed in 2024 for $1,200.",
        "Case #3125550198 is still open",
        "Expediente 612345678, sin respuesta",
        "report number 2023-0456789",
        "I saw 3 men on Main Street",
        "We waited 20 minutes at Oak Avenue",
        "There were 12 officers at the meeting on March 3, 2024",
        "On 12/05/2024 at 10:30 the alarm rang twice",
        "It cost $3,125,550,198 — a lot",
        "zip code 60614",
        "",
    ],
)
def test_places_dates_money_and_case_numbers_stay(text):
    assert redact(text) == text


def test_a_realistic_english_message():
    text = (
        "Since January, people deal drugs outside 1450 W Grand Ave every night around 11pm. "
        "I called 911 three times. Contact me at neighbor77@gmail.com or (773) 555-0142, "
        "but please don't tell anyone on the 1400 block of Grand."
    )
    assert redact(text) == (
        "Since January, people deal drugs outside [address] every night around 11pm. "
        "I called 911 three times. Contact me at [email] or [phone], "
        "but please don't tell anyone on the [address]."
    )


def test_a_realistic_spanish_message():
    text = (
        "Desde marzo hay peleas en la Plaza Mayor 3 los viernes a las 23:00. "
        "Escríbanme a vecina@correo.mx o llamen al +52 55 1234 5678."
    )
    assert redact(text) == (
        "Desde marzo hay peleas en la [address] los viernes a las 23:00. "
        "Escríbanme a [email] o llamen al [phone]."
    )


def test_the_tokens_are_fixed_and_redaction_is_idempotent():
    assert (EMAIL, PHONE, ADDRESS) == ("[email]", "[phone]", "[address]")
    once = redact("a@b.org, 312-555-0198, 12 Oak St")
    assert once == "[email], [phone], [address]"
    assert redact(once) == once
