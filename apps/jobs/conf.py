"""Settings of the job queue, read from Django settings when the project sets them, else the environment."""

import os

from django.conf import settings


def _get(name: str, default: str) -> str:
    return str(getattr(settings, name, None) or os.environ.get(name) or default)


def heartbeat_seconds() -> float:
    """How often a running job's worker stamps `heartbeat_at`, also while the handler reports no progress."""
    return float(_get("JOBS_HEARTBEAT_SECONDS", "15"))


def stale_after_seconds() -> float:
    """A running job whose heartbeat is older than this lost its worker (killed, machine restarted)."""
    return float(_get("JOBS_STALE_AFTER_SECONDS", "120"))


def max_attempts() -> int:
    """How many times a job is started before a crash marks it failed instead of running it again."""
    return int(_get("JOBS_MAX_ATTEMPTS", "3"))
