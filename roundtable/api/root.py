from ninja import NinjaAPI

api = NinjaAPI(title="Roundtable API", version="1", urls_namespace="api")
