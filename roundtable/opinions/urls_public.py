app_name = "opinions_public"
urlpatterns: list = []  # filled by the public views (issue 6)
