def build(ctx) -> None:
    """Filled in below (step 6)."""
