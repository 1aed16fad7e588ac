app_name = "compstat"
urlpatterns: list = []
