"""The store's errors. Each message is written for the user, not the developer."""
from __future__ import annotations

import os
from typing import Any


class StoreError(Exception):
    """Anything the store refuses to do, with a message a user can act on."""


class Abandoned(StoreError):
    """A read given up part way because its caller no longer wants it (its stop() said so)."""

    def __init__(self) -> None:
        super().__init__("the read was given up: it is no longer wanted.")


class ValidationError(StoreError):
    """A value the user gave is not acceptable; names the field and says why."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class ConflictError(StoreError):
    """The record changed since the caller read it.

    current: the record as it is now (a typed record such as Milestone), or None when it was
    removed or the conflict is not about one record (an undo).
    theirs: for an edit given base, the fields the caller changed that the other person also
    changed, to a different value: field name -> the value stored now. Empty otherwise.
    changed: for an edit given base, every field that differs from base now (the other
    person's changes, clashing or not): field name -> the value stored now. Empty otherwise.
    """

    def __init__(self, item: str, who: str | None, when: str | None, *, current: Any = None,
                 theirs: dict[str, Any] | None = None, changed: dict[str, Any] | None = None,
                 text: str | None = None):
        self.item, self.who, self.when = item, who, when
        self.current = current
        self.theirs = dict(theirs or {})
        self.changed = dict(changed or {})
        if text is None:
            if who:
                text = f"{item} was changed by {who} at {when}; showing the latest."
            else:
                text = f"{item} has changed or been removed since you opened it; showing the latest."
        super().__init__(text)


class NotFoundError(StoreError):
    pass


class ForeignHistoryError(StoreError):
    """A change log entry names a record kind or field ragboard does not have: it was not
    written by ragboard (someone edited the file with another tool), so it is never replayed."""

    def __init__(self) -> None:
        super().__init__("this file's history holds an entry ragboard did not write; it cannot be undone.")


class ReadOnlyError(StoreError):
    def __init__(self, path: str):
        super().__init__(f"{path} is read-only: changes cannot be saved. Copy it somewhere writable to edit.")


class UnusableFileError(StoreError):
    """A file that cannot be opened as a ragboard database; it has been left untouched."""


class NotRagboardError(UnusableFileError):
    pass


class CorruptFileError(UnusableFileError):
    pass


class NewerSchemaError(UnusableFileError):
    pass


class InUseError(UnusableFileError):
    pass


class DiskFullError(StoreError):
    """The disk holding the file has no room left; nothing was written."""

    def __init__(self, path: str | os.PathLike[str]):
        super().__init__(f"no space left on the disk holding {path}; free some space and try again.")
