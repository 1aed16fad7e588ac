"""Staff pages of priorities: the shortlist, themes, worksheet and decisions
(urls_shortlist) and the community ranking (urls_ranking)."""

from roundtable.priorities import urls_ranking, urls_shortlist

app_name = "priorities"
urlpatterns = [*urls_shortlist.urlpatterns, *urls_ranking.urlpatterns]
