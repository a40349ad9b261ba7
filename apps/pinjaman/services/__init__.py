"""Writes of Kredit Mawar (`<entity>_<verb>`, atomic and audited), by sub-area: loans and repayments,
the application flow, and the subsidy claims."""

from apps.pinjaman.services.claims import (
    claim_approve,
    claim_compute,
    claim_create,
    claim_pay,
    claim_reconcile,
    claim_verify,
)
from apps.pinjaman.services.flow import (
    application_checks,
    application_decide,
    application_disburse,
    application_submit,
    batch_recommend,
    loan_restructure,
)
from apps.pinjaman.services.loans import (
    bank_rate_set,
    loan_match,
    loan_schedule_generate,
    loan_write_off,
    loans_recompute,
    repayment_record,
    segments_recompute,
    subsidy_days_refresh,
)

__all__ = [
    "application_checks",
    "application_decide",
    "application_disburse",
    "application_submit",
    "bank_rate_set",
    "batch_recommend",
    "claim_approve",
    "claim_compute",
    "claim_create",
    "claim_pay",
    "claim_reconcile",
    "claim_verify",
    "loan_match",
    "loan_restructure",
    "loan_schedule_generate",
    "loan_write_off",
    "loans_recompute",
    "repayment_record",
    "segments_recompute",
    "subsidy_days_refresh",
]
