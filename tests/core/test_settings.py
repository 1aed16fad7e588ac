"""Production settings refuse what would quietly weaken them."""

import os
import subprocess
import sys

import pytest

BASE = {
    "ROUNDTABLE_ENV": "production",
    "ROUNDTABLE_SECRET_KEY": "x" * 60,
    "ROUNDTABLE_ALLOWED_HOSTS": "roundtable.example.org",
    "ROUNDTABLE_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def _load(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDTABLE_")}
    env.update(BASE)
    env.update(overrides)
    env["DJANGO_SETTINGS_MODULE"] = "roundtable.settings"
    return subprocess.run(
        [sys.executable, "-c", "import roundtable.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_production_settings_load():
    assert _load().returncode == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"ROUNDTABLE_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
            "real mail backend",
        ),
        ({"ROUNDTABLE_EMAIL_BACKEND": ""}, "ROUNDTABLE_EMAIL_BACKEND"),
        ({"ROUNDTABLE_STAFF_2FA": "0"}, "ROUNDTABLE_STAFF_2FA"),
        ({"ROUNDTABLE_DEBUG": "1"}, "ROUNDTABLE_DEBUG"),
        ({"ROUNDTABLE_SECRET_KEY": ""}, "ROUNDTABLE_SECRET_KEY"),
        ({"ROUNDTABLE_STAFF_2FA": "maybe"}, "is not a boolean"),
    ],
)
def test_production_refuses_weak_or_malformed_settings(overrides, message):
    result = _load(**overrides)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_shared_cache_is_required_in_production(settings):
    from roundtable.core.checks import shared_cache_in_production

    settings.PRODUCTION = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [e.id for e in shared_cache_in_production(None)] == ["roundtable.E001"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://x",
        }
    }
    assert shared_cache_in_production(None) == []


def test_behind_a_proxy_the_client_is_the_last_forwarded_address(rf, settings):
    from roundtable.core.ratelimit import client_identity

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    assert client_identity(request) == "10.0.0.1"
    settings.ROUNDTABLE_BEHIND_PROXY = True
    assert client_identity(request) == "203.0.113.9"
