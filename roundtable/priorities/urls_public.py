"""The public face of priorities: decisions (urls_public_decisions) and the
pairwise survey with its results (urls_public_ranking)."""

from roundtable.priorities import urls_public_decisions, urls_public_ranking

app_name = "priorities_public"
urlpatterns = [*urls_public_decisions.urlpatterns, *urls_public_ranking.urlpatterns]
