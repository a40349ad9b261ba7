"""Demo orders: filled in below once the store demo provides sellers and products."""


def build(ctx) -> None:
    return None
