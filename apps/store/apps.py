from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "apps.store"
    verbose_name = "Toko Tuka-Tuku"
