"""Offline-first synchronisation: outbox, hybrid logical clock, push and pull. No Qt."""
