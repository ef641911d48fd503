from ninja import NinjaAPI

api = NinjaAPI(title="Concord API", version="1", urls_namespace="api")
