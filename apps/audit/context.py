"""The request origin of the current thread/task, so services can audit it without taking a request."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    ip: str | None = None
    description: str = ""


current_origin: ContextVar[Origin] = ContextVar("current_origin", default=Origin(description="sistem"))
