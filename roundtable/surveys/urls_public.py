
app_name = "surveys_public"
urlpatterns: list = []
