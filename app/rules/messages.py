"""Messages to customers (#23): the one id each message has wherever it is made, and
which changes of a message's status a person may make.

The messenger derives a message's id from what it is about (the kind, the appointment
or participant, the session), so two messenger processes, or one running its pass twice,
make each message once (INSERT ... ON CONFLICT DO NOTHING). A contact preference, a
template and a heartbeat take their ids from their natural keys for the same reason."""

from __future__ import annotations

import uuid

from app.rules.codes import MessageChannel, MessageKind, MessageStatus

MESSAGE_NAMESPACE = "3f6c1e2a-8b4d-4c7e-9a10-5e2d7b8c9f01"
PREFERENCE_NAMESPACE = "a41d7c2e-5b3f-4e8a-b9c6-0d1e2f3a4b5c"
TEMPLATE_NAMESPACE = "c9e8d7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
HEARTBEAT_NAMESPACE = "e2b4c6d8-0f1a-4b3c-9d5e-7f8091a2b3c4"

LANGUAGES = ("fi", "sv", "en")  # a customer's other language gets Finnish

# Kinds a worker asks for at a workstation; the messenger makes the others.
REQUESTED_KINDS = frozenset({MessageKind.LETTER, MessageKind.PLAN, MessageKind.PASSWORD})
# What a person may do with a message (the Messages page; central c0105 holds the same
# line for every login but the messenger's): queue a failed or held one again, say a
# held one did go out, or decide it is not to be sent; hand out a print-list letter.
PERSON_MOVES: dict[MessageStatus, frozenset[MessageStatus]] = {
    MessageStatus.FAILED: frozenset({MessageStatus.QUEUED, MessageStatus.CANCELLED}),
    MessageStatus.HELD: frozenset({MessageStatus.QUEUED, MessageStatus.SENT,
                                   MessageStatus.CANCELLED}),
    MessageStatus.QUEUED: frozenset({MessageStatus.CANCELLED, MessageStatus.PRINTED}),
}
# States in which a message is finished: the messenger never touches it again.
FINISHED = frozenset({MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.CANCELLED,
                      MessageStatus.PRINTED})
# States a person is asked to look at (the Messages page's "To handle").
NEEDS_A_PERSON = frozenset({MessageStatus.FAILED, MessageStatus.HELD})


def person_may_move(old: MessageStatus, new: MessageStatus,
                    channel: MessageChannel) -> bool:
    """PRINTED is only for a print-list letter, and a print-list letter is only printed
    or cancelled while queued: no messenger sends it (central c0105 alike)."""
    if channel is MessageChannel.PRINT:
        return old is MessageStatus.QUEUED and new in (MessageStatus.PRINTED,
                                                       MessageStatus.CANCELLED)
    return new is not MessageStatus.PRINTED and new in PERSON_MOVES.get(old, frozenset())


def message_id(kind: MessageKind, about_id: str, session_id: str | None = None) -> str:
    """The id of the message of `kind` about an appointment or a participant (and, for an
    event reminder, the session). A moved appointment is a new appointment row, so its
    messages get new ids; the old one's queued reminder is cancelled."""
    key = f"{kind.value}:{about_id}" + (f":{session_id}" if session_id else "")
    return str(uuid.uuid5(uuid.UUID(MESSAGE_NAMESPACE), key))


def preference_id(customer_id: str) -> str:
    return str(uuid.uuid5(uuid.UUID(PREFERENCE_NAMESPACE), customer_id))


def template_id(kind: MessageKind, channel: MessageChannel, language: str) -> str:
    return str(uuid.uuid5(uuid.UUID(TEMPLATE_NAMESPACE),
                          f"{kind.value}:{channel.value}:{language}"))


def heartbeat_id(name: str) -> str:
    return str(uuid.uuid5(uuid.UUID(HEARTBEAT_NAMESPACE), name))
