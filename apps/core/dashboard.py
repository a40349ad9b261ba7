"""Dashboard cards per role. Apps append providers: fn(user) -> list of {"title", "value", "url"}."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from apps.core.actors import user_regency_codes

CardProvider = Callable[[Any], list[dict[str, Any]]]
CARD_PROVIDERS: list[CardProvider] = []


def dashboard_cards(user) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = []
    for provider in CARD_PROVIDERS:
        cards.extend(provider(user))
    if not cards:
        codes = user_regency_codes(user)
        regions = _("semua wilayah") if codes is None else (", ".join(sorted(codes)) or _("belum ada"))
        cards.append({"title": _("Wilayah tugas"), "value": regions, "url": ""})
    return cards
