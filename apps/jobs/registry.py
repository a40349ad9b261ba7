"""Job kinds are plain functions registered by name; a handler gets the params and a Progress."""

from collections.abc import Callable
from typing import Any

from apps.jobs.progress import Progress

Handler = Callable[[dict[str, Any], Progress], dict[str, Any]]
_handlers: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _handlers[kind] = fn
        return fn

    return register


def handler_for(kind: str) -> Handler:
    from django.apps import apps

    # Handlers live in each app's `jobs.py`; importing them registers them.
    if kind not in _handlers:
        import importlib

        for config in apps.get_app_configs():
            try:
                importlib.import_module(f"{config.name}.jobs")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.jobs":
                    raise
    return _handlers[kind]
