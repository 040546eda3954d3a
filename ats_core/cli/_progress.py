"""Rich helpers shared by `ats demo` and `ats sync`: a console sized for pipes, and record progress."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

__all__ = ["PIPE_WIDTH", "make_console", "record_progress"]

PIPE_WIDTH = 120


def make_console(stderr: bool = False) -> Console:
    """A console that is as wide as the terminal, or PIPE_WIDTH when output goes to a pipe or file."""
    console = Console(stderr=stderr)
    if not console.is_terminal:
        console = Console(stderr=stderr, width=PIPE_WIDTH)
    return console


def record_progress(console: Console, total: int | None = None) -> Progress:
    """A progress display counting records (and pages); a bar when the total is known, a spinner otherwise."""
    columns = [SpinnerColumn(), TextColumn("[bold]{task.description}")]
    if total is not None:
        columns += [BarColumn(), MofNCompleteColumn()]
    else:
        columns.append(TextColumn("{task.completed:,.0f} records"))
    columns += [TextColumn("{task.fields[detail]}"), TimeElapsedColumn()]
    return Progress(*columns, console=console, transient=False, disable=not console.is_terminal)
