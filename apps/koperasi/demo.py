"""Demo cooperatives (filled in below)."""


def build(ctx) -> None:
    return None
