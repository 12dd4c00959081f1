"""The one writer of the save file: every save goes through one queue, written in order by one
thread, so a key press never waits on the disk (or on another tutor holding the store's lock).

The app owns one `SaveWriter`; widgets and screens ask the app (`app.save(...)`). `flush()`
waits until everything asked so far is written (quitting, switching profile). Nothing here
knows about Textual: the app hands in how results and failures get back to its thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Deliver = Callable[[Callable[..., Any], Any], None]  # runs callback(arg) on the owner's thread


@dataclass
class SaveJob:
    action: Callable[..., Any]
    args: tuple
    then: Callable[[Any], None] | None = None  # called with the action's result, on the owner's thread


_STOP = object()


class SaveWriter:
    def __init__(self, deliver: Deliver, on_error: Callable[[BaseException], None]) -> None:
        self._deliver = deliver
        self._on_error = on_error
        self._jobs: queue.Queue[SaveJob | object] = queue.Queue()
        self._thread = threading.Thread(target=self._drain, name="tutor-save-writer", daemon=True)
        self._thread.start()

    def submit(self, action: Callable[..., Any], *args, then: Callable[[Any], None] | None = None) -> None:
        """Queue a write; returns at once."""
        self._jobs.put(SaveJob(action, args, then))

    def flush(self) -> None:
        """Block until every write submitted so far is done (call it off the UI thread when you can)."""
        self._jobs.join()

    def close(self) -> None:
        """Write what is queued, then stop the thread."""
        if self._thread.is_alive():
            self._jobs.put(_STOP)
            self._thread.join()

    @property
    def pending(self) -> int:
        return self._jobs.unfinished_tasks

    def _drain(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is _STOP:
                    return
                assert isinstance(job, SaveJob)
                try:
                    result = job.action(*job.args)
                except Exception as exc:  # noqa: BLE001 - a failed save is told, never raised into the app
                    self._safely(self._on_error, exc)
                else:
                    if job.then is not None:
                        self._safely(job.then, result)
            finally:
                self._jobs.task_done()

    def _safely(self, callback: Callable[[Any], None], arg: Any) -> None:
        try:
            self._deliver(callback, arg)
        except RuntimeError:
            pass  # the app has closed; what was written stays written
