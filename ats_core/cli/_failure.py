"""How the fleet subcommands stop on an error: `error: ...` on stderr, then a hint and what to do next."""

from __future__ import annotations

from typing import NoReturn

from rich.markup import escape

from ats_core.cli._progress import make_console

__all__ = ["fail"]


def fail(message: str, *notes: str | None, exit_code: int = 1) -> NoReturn:
    """Print the error and each note given (a hint, saved progress) to stderr, and exit with `exit_code`."""
    errors = make_console(stderr=True)
    errors.print("[bold red]error:[/]", escape(message), highlight=False, soft_wrap=True)
    for note in notes:
        if note:
            errors.print(note, markup=False, highlight=False, soft_wrap=True)
    raise SystemExit(exit_code)
