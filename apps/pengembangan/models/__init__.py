"""Cooperative development (SPEC §11): competency tests (`ujikom`) and the Koperasi Award (`award`)."""

from apps.pengembangan.models.ujikom import (
    Certificate,
    Criterion,
    Jabatan,
    Manager,
    Participant,
    ParticipantStatus,
    Result,
    ResultSource,
    Scheme,
    Score,
    Session,
    SessionAssessor,
    SessionStatus,
    Unit,
)

__all__ = [
    "Certificate",
    "Criterion",
    "Jabatan",
    "Manager",
    "Participant",
    "ParticipantStatus",
    "Result",
    "ResultSource",
    "Scheme",
    "Score",
    "Session",
    "SessionAssessor",
    "SessionStatus",
    "Unit",
]
