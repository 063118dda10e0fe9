"""Every use of Textual's private API, in one place. Textual is pinned; each use here has a test
(tests/cli/test_fatal.py) that fails when an upgrade changes what it relies on.

Uses, against textual 8.2.8:
- App._handle_exception(error): Textual calls it with every error nothing else caught (in an
  event handler, a screen, a worker: WorkerFailed wrapping the worker's error). It sets
  return_code to 1 and closes the app, then queues a traceback with local variables for
  printing once the terminal is restored.
- App._exit_renderables: the list of what is printed then. Emptied here, so no traceback (nor the
  values of local variables, which hold the user's data) reaches the terminal.
"""
from __future__ import annotations

import traceback

from textual.app import App
from textual.worker import WorkerFailed


class FatalErrors:
    """The tracebacks of the errors that ended an app, as text, for the error log."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.texts)

    def text(self) -> str:
        return "\n".join(self.texts)


def capture_fatal_errors(app: App) -> FatalErrors:
    """Keep the traceback of each error that ends app, instead of printing it; call before run().

    Textual still ends the app as it would (return_code 1, the terminal restored); the caller
    writes the log and tells the user.
    """
    errors = FatalErrors()
    handle = app._handle_exception

    def _handle_exception(error: Exception) -> None:
        errors.texts.append(_describe(error))
        handle(error)
        app._exit_renderables.clear()

    app._handle_exception = _handle_exception
    return errors


def _describe(error: BaseException) -> str:
    if isinstance(error, WorkerFailed):  # raised by Textual, not where it went wrong: show the worker's
        return "In a worker:\n" + "".join(traceback.format_exception(error.error))
    return "".join(traceback.format_exception(error))
