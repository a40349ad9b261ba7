"""Job kinds are plain functions registered by name; a handler gets the params and a Progress."""

import importlib
from collections.abc import Callable
from typing import Any

from django.apps import apps

from apps.jobs.progress import Progress

Handler = Callable[[dict[str, Any], Progress], dict[str, Any]]
_handlers: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _handlers[kind] = fn
        return fn

    return register


def handler_for(kind: str) -> Handler:
    # Handlers live in each app's `jobs.py`; importing them registers them.
    if kind not in _handlers:
        for config in apps.get_app_configs():
            try:
                importlib.import_module(f"{config.name}.jobs")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.jobs":
                    raise
    return _handlers[kind]


# What the worker does while the queue is empty: derived data catching up with edits (each task does one
# small step and returns how much it did, 0 when there was nothing to do, so queued jobs never wait long).
IdleTask = Callable[[], int]
_idle_tasks: list[IdleTask] = []


def register_idle_task(task: IdleTask) -> None:
    if task not in _idle_tasks:
        _idle_tasks.append(task)


def idle_tasks() -> list[IdleTask]:
    return list(_idle_tasks)
