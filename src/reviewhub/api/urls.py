from django.urls import path

from .api import api
from .views import openapi_schema

urlpatterns = [
    path("v1/openapi.json", openapi_schema, name="openapi"),
    path("v1/", api.urls),
]
