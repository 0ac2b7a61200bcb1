"""The shop's addresses: django-oscar-api under /api/ (its admin API under /api/admin/),
the OmniPOS plug-in under /api/omnipos/."""

from django.urls import include, path

urlpatterns = [
    path("api/omnipos/", include("omnipos_oscar.urls")),
    path("api/", include("oscarapi.urls")),
]
