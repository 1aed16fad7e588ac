"""Staff pages of the shortlist, themes, worksheet and decisions (spliced
into the `priorities` namespace by urls.py)."""

from django.urls import URLPattern, path

from roundtable.priorities import views, views_decisions, views_themes, views_worksheet

urlpatterns: list[URLPattern] = [
    path("", views.shortlist, name="shortlist"),
    path("new/", views.candidate_create, name="candidate_create"),
    path("<int:pk>/", views.candidate_detail, name="candidate"),
    path("<int:pk>/edit/", views.candidate_edit, name="candidate_edit"),
    path("<int:pk>/status/", views.candidate_status, name="candidate_status"),
    path("<int:pk>/worksheet/", views_worksheet.worksheet_edit, name="worksheet_edit"),
    path("worksheet/", views_worksheet.worksheet, name="worksheet"),
    path("themes/", views_themes.theme_list, name="themes"),
    path("themes/new/", views_themes.theme_create, name="theme_create"),
    path("themes/suggestions/", views_themes.suggestions, name="theme_suggestions"),
    path(
        "themes/suggestions/accept/", views_themes.suggestion_accept, name="theme_suggestion_accept"
    ),
    path("themes/tag/", views_themes.tag_input, name="tag_input"),
    path("themes/<int:pk>/", views_themes.theme_detail, name="theme"),
    path("themes/<int:pk>/edit/", views_themes.theme_edit, name="theme_edit"),
    path("themes/<int:pk>/tag/", views_themes.theme_tag, name="theme_tag"),
    path("themes/<int:pk>/untag/<int:input_pk>/", views_themes.theme_untag, name="theme_untag"),
    path("themes/<int:pk>/candidate/", views_themes.theme_candidate, name="theme_candidate"),
    path("decisions/", views_decisions.decision_list, name="decisions"),
    path("decisions/new/", views_decisions.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views_decisions.decision_detail, name="decision"),
    path("decisions/<int:pk>/edit/", views_decisions.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/votes/", views_decisions.vote_add, name="vote_add"),
    path(
        "decisions/<int:pk>/votes/<int:vote_pk>/remove/",
        views_decisions.vote_remove,
        name="vote_remove",
    ),
    path("decisions/<int:pk>/publish/", views_decisions.decision_publish, name="decision_publish"),
]
