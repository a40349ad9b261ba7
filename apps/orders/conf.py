"""Settings of the sales flow, read once: from Django settings when the project sets them, else the
environment, with development defaults (the server key is required in production)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_DEV_SERVER_KEY = "SB-Mid-server-dev-tukatuku-bukan-rahasia"


def _get(name: str, default: str) -> str:
    return str(getattr(settings, name, None) or os.environ.get(name) or default)


def midtrans_server_key() -> str:
    key = _get("MIDTRANS_SERVER_KEY", "")
    if key:
        return key
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("MIDTRANS_SERVER_KEY must be set when TUKATUKU_ENV=production")
    return _DEV_SERVER_KEY


def gateway_sandbox_enabled() -> bool:
    """The local gateway simulator is on in development and tests, off in production unless asked."""
    default = "0" if getattr(settings, "PRODUCTION", False) else "1"
    return _get("MIDTRANS_SANDBOX", default) == "1"


def gateway_notification_max_bytes() -> int:
    """The largest notification body accepted (a real one is about 1–2 KB); larger ones are refused unread."""
    return int(_get("ORDERS_GATEWAY_NOTIFICATION_MAX_BYTES", "65536"))


def gateway_notification_rate() -> str:
    """Notifications accepted per source address (django-ratelimit's `N/s|m|h`); past it: 429, nothing stored.
    The gateway retries a refused notification, so a burst from it is delayed, not lost."""
    return _get("ORDERS_GATEWAY_NOTIFICATION_RATE", "120/m")


def bank_account() -> str:
    return _get("ORDERS_BANK_ACCOUNT", "Bank Jateng 1-234-56789-0 a.n. Dinkop UKM Kab. Purbalingga")


def auto_complete_days() -> int:
    return int(_get("ORDERS_AUTO_COMPLETE_DAYS", "7"))


def payment_ttl_hours() -> int:
    """How long a transfer or gateway payment may stay unpaid before its reservation is released."""
    return int(_get("ORDERS_PAYMENT_TTL_HOURS", "24"))


def store_account_regency() -> str:
    """The regency whose department owns the store's bank account (`bank_account`): its officers may verify
    every transfer, also one whose orders span regencies; other officers only payments wholly in their regions."""
    return _get("ORDERS_STORE_ACCOUNT_REGENCY", str(getattr(settings, "TUKATUKU_DEFAULT_REGENCY", "33.03")))


def cod_confirm_hours() -> int:
    """How long a cash-on-delivery checkout whose e-mail is not yet confirmed holds its stock."""
    return int(_get("ORDERS_COD_CONFIRM_HOURS", "6"))


def cod_max_open_units() -> int:
    """How many units one buyer (account, e-mail or phone) may hold in cash-on-delivery orders that no
    seller has started processing yet: a cap on what one person can take out of stock without paying."""
    return int(_get("ORDERS_COD_MAX_OPEN_UNITS", "20"))
