from django.urls import path

from roundtable.accounts import views, views_tokens

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.LoginView.as_view(), name="login"),
    path("sign-out/", views.logout, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("language/", views.set_language, name="set_language"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("api-tokens/", views_tokens.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views_tokens.api_token_revoke, name="api_token_revoke"),
]
