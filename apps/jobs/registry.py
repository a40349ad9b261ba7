"""Job kinds are plain functions registered by name; a handler gets the params and a Progress."""

import importlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from apps.jobs.progress import Progress

Handler = Callable[[dict[str, Any], Progress], dict[str, Any]]
# What the job page calls a job, in words a person uses ("Impor data UMKM", "Ekspor laporan PDF"): a fixed
# text, or a function of the job's params when the kind covers several things (which importer, which format).
Title = str | Promise | Callable[[dict[str, Any]], str]
_handlers: dict[str, Handler] = {}
_titles: dict[str, Title] = {}


def job_handler(kind: str, *, title: Title | None = None) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _handlers[kind] = fn
        if title is not None:
            _titles[kind] = title
        return fn

    return register


def load_handlers() -> None:
    # Handlers live in each app's `jobs.py`; importing them registers them.
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.jobs")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.jobs":
                raise


def handler_for(kind: str) -> Handler:
    if kind not in _handlers:
        load_handlers()
    return _handlers[kind]


def registered_kinds() -> list[str]:
    load_handlers()
    return sorted(_handlers)


def job_title(kind: str, params: dict[str, Any]) -> str:
    """The human title of a job ("Impor data UMKM"); a kind registered without one gets "Tugas latar"."""
    if kind not in _handlers:
        load_handlers()
    title = _titles.get(kind)
    if title is None:
        return str(_("Tugas latar"))
    if not isinstance(title, str | Promise):
        try:
            return str(title(params))
        except (KeyError, LookupError, TypeError, ValueError):  # params of an older version of the kind
            return str(_("Tugas latar"))
    return str(title)


# What the worker does while the queue is empty: derived data catching up with edits (each task does one
# small step and returns how much it did, 0 when there was nothing to do, so queued jobs never wait long).
IdleTask = Callable[[], int]
_idle_tasks: list[IdleTask] = []


def register_idle_task(task: IdleTask) -> None:
    if task not in _idle_tasks:
        _idle_tasks.append(task)


def idle_tasks() -> list[IdleTask]:
    return list(_idle_tasks)
