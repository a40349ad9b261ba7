from django.apps import AppConfig


class UmkmConfig(AppConfig):
    name = "apps.umkm"
    verbose_name = "Registri UMKM"
