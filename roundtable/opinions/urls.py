app_name = "opinions"
urlpatterns: list = []  # filled by the views (issue 6)
