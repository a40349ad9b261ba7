"""Reads of cooperative development: `ujikom` (competency tests) and `award` (Koperasi Award)."""
