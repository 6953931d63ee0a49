"""Use cases. Each method opens its own transaction, checks the caller's role, writes
the audit event (and, through the session hook, the outbox entry) and returns DTOs."""
