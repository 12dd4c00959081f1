"""Background jobs for widgets: a thread worker whose failure reaches the learner as a message.

Textual keeps a failed worker's error to itself (its state-change message does not bubble), so a
crash in a check, a figure or a save would otherwise vanish, or leave a spinner turning.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from textual import work


def background(*, group: str, exclusive: bool = False) -> Callable:
    """`@work(thread=True, ...)` that reports an exception to `app.report_failure` and, when the
    widget has one, calls its `worker_failed(exc)` on the UI thread to tidy up."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - any crash becomes a message, never a traceback
                app = self.app
                tidy = getattr(self, "worker_failed", None)
                try:
                    if tidy is not None:
                        app.call_from_thread(tidy, exc)
                    app.call_from_thread(app.report_failure, exc)
                except RuntimeError:
                    pass  # the app is closing
                return None

        return work(thread=True, exclusive=exclusive, group=group, exit_on_error=False)(guarded)

    return decorate
