"""Engines, sessions and schema migrations."""
