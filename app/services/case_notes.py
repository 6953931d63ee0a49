"""Case notes: general and work-ability notes with their author and time.

Editing never overwrites: it writes a new note that supersedes the old one and tombstones
the old one, so the earlier text is kept (and synchronised) as the note's history, and
the edit is audited (without the text). Reading needs `case_notes.read`, writing
`plan.edit`, each by caseload and team (app/rules/case_access.py), as the central
database's policies on `customer_note` say; the desk has neither."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dto.case_work import CaseNoteRow, CaseNotes
from app.i18n import N_
from app.models import CustomerNote, Staff
from app.rules import case_access as caseload
from app.rules.codes import NoteKind
from app.rules.customer import nfc
from app.rules.permissions import Permission, allowed
from app.services import case_access, text_guard
from app.services.context import AppContext
from app.services.customers import live_customer
from app.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

NOTE_LIMIT = 4000  # characters: a note, not a document
HISTORY_LIMIT = 200  # versions followed back (a chain is never longer in practice)
NOT_FOR_ROLE = N_("Case notes are for coaches and team leads: your role does not show "
                  "or write them.")


class CaseNoteService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def _require(self, permission: Permission) -> None:
        actor = self.ctx.require(Permission.CUSTOMER_READ)
        if not allowed(actor.role, permission):
            raise PermissionDenied(NOT_FOR_ROLE)

    # --- reading ----------------------------------------------------------------------

    def notes(self, customer_id: str) -> CaseNotes:
        """The customer's notes as they read now, newest first (superseded versions are
        left out: `history` gives them)."""
        self._require(Permission.CASE_NOTES_READ)
        with self.ctx.transaction(Permission.CASE_NOTES_READ) as s:
            live_customer(s, customer_id)
            actor = self.ctx.signed_in
            case_access.check_read(s, actor, customer_id, Permission.CASE_NOTES_READ)
            rows = s.execute(
                select(CustomerNote, Staff.full_name)
                .outerjoin(Staff, Staff.id == CustomerNote.author_id)
                .where(CustomerNote.customer_id == customer_id,
                       CustomerNote.deleted_at.is_(None))
                .order_by(CustomerNote.written_at.desc(), CustomerNote.id)).all()
            writable = caseload.may_write(case_access.worker(actor),
                                          case_access.case_of(s, customer_id),
                                          Permission.PLAN_EDIT)
            return CaseNotes(customer_id, [_row(n, name) for n, name in rows], writable)

    def history(self, note_id: str) -> list[CaseNoteRow]:
        """Every version of a note, the latest first: the one given and those it
        superseded, one by one."""
        self._require(Permission.CASE_NOTES_READ)
        with self.ctx.transaction(Permission.CASE_NOTES_READ) as s:
            note = self._note(s, note_id)
            case_access.check_read(s, self.ctx.signed_in, note.customer_id,
                                   Permission.CASE_NOTES_READ)
            versions: list[CaseNoteRow] = []
            current: CustomerNote | None = note
            while current is not None and len(versions) < HISTORY_LIMIT:
                versions.append(_row(current, _name(s, current.author_id)))
                older = current.supersedes_id
                current = s.get(CustomerNote, older) if older else None
                if current is not None and current.customer_id != note.customer_id:
                    break  # a foreign row can never be part of this note's history
            return versions

    # --- writing ----------------------------------------------------------------------

    def add(self, customer_id: str, kind: str, text: str) -> CaseNoteRow:
        self._require(Permission.PLAN_EDIT)
        note_kind = _kind(kind)
        body = _checked_text(text)
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            live_customer(s, customer_id)
            case_access.check_write(s, self.ctx.signed_in, customer_id, Permission.PLAN_EDIT)
            note = CustomerNote(customer_id=customer_id, kind=note_kind, text=body,
                                author_id=self.ctx.signed_in.staff_id,
                                written_at=self.ctx.now())
            s.add(note)
            s.flush()
            self.ctx.audit(s, "case_note.add", "customer", customer_id,
                           {"note_id": note.id, "kind": note_kind.value})
            return _row(note, _name(s, note.author_id))

    def edit(self, note_id: str, text: str) -> CaseNoteRow:
        """A new version of the note: the earlier one is kept, tombstoned, as history."""
        self._require(Permission.PLAN_EDIT)
        body = _checked_text(text)
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            old = self._note(s, note_id)
            live_customer(s, old.customer_id)
            case_access.check_write(s, self.ctx.signed_in, old.customer_id,
                                    Permission.PLAN_EDIT)
            if old.deleted_at is not None:
                raise Conflict(N_("This note was changed meanwhile: open it again."))
            if body == old.text:
                return _row(old, _name(s, old.author_id))  # nothing changed: no version
            new = CustomerNote(customer_id=old.customer_id, kind=old.kind, text=body,
                               author_id=self.ctx.signed_in.staff_id,
                               written_at=self.ctx.now(), supersedes_id=old.id)
            s.add(new)
            old.deleted_at = self.ctx.now()
            s.flush()
            self.ctx.audit(s, "case_note.edit", "customer", old.customer_id,
                           {"note_id": new.id, "supersedes_id": old.id,
                            "kind": old.kind.value})
            return _row(new, _name(s, new.author_id))

    @staticmethod
    def _note(s: Session, note_id: str) -> CustomerNote:
        note = s.get(CustomerNote, note_id)
        if note is None:
            raise NotFound(N_("The note was not found."))
        return note


def _kind(kind: str) -> NoteKind:
    try:
        return NoteKind(kind)
    except ValueError:
        raise ValidationFailed({"kind": N_("Choose the kind of note.")}) from None


def _checked_text(text: str) -> str:
    body = nfc(text)
    if not body:
        raise ValidationFailed({"text": N_("Write the note first.")})
    if len(body) > NOTE_LIMIT:
        raise ValidationFailed({"text": N_("At most 4000 characters.")})
    refused = text_guard.field_errors(CustomerNote, {"text": body})
    if refused:
        raise ValidationFailed(refused)
    return body


def _name(s: Session, staff_id: str | None) -> str | None:
    return s.scalar(select(Staff.full_name).where(Staff.id == staff_id)) if staff_id else None


def _row(note: CustomerNote, author: str | None) -> CaseNoteRow:
    return CaseNoteRow(note.id, note.kind.value, note.text, author, note.written_at,
                       edited=note.supersedes_id is not None)
