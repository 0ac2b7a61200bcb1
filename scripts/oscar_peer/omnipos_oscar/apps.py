from django.apps import AppConfig


class OmniposOscarConfig(AppConfig):
    name = "omnipos_oscar"
    verbose_name = "OmniPOS plug-in"
