"""Writes of the web-store sales flow, by sub-area: cart, checkout, payments, fulfilment."""
