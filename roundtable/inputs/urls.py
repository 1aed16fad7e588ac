from django.urls import include, path  # noqa: F401

app_name = "inputs"
urlpatterns: list = [
    # Imports (social media, 311) live in their own module.
    path("", include("roundtable.inputs.urls_io")),
]
