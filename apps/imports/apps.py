from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "apps.imports"
    verbose_name = "Impor data"

    def ready(self) -> None:
        from apps.imports.services import import_files_purge
        from apps.jobs.registry import register_idle_task

        register_idle_task(import_files_purge)
