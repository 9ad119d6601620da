from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class Report(Protocol):
    def __call__(self, stage: str, done: int, total: int) -> None: ...


@contextmanager
def progress_bar(*, enabled: bool = True) -> Iterator[Report]:
    """A rich progress bar fed by ``report(stage, done, total)``; one bar per stage.

    Drawn on stderr, and only on a terminal, so logs and pipes stay clean.
    """
    if not enabled or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    with Progress(
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        yield report
