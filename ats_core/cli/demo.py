"""`ats demo --provider NAME`: start the provider's sandbox and walk the sourcing flow end to end.

Each step is guarded by `client.supports(operation)`: a step the provider does not implement is shown
as skipped with the manifest's status and reason. The demo prints synthetic sandbox data to the
terminal only; it logs nothing.
"""

from __future__ import annotations

import base64
import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ats_core.cli._options import when_option_callback
from ats_core.cli._progress import make_console, record_progress
from ats_core.client import ATSClient, connect
from ats_core.errors import ATSError
from ats_core.models import Application, Attachment, Candidate, Note, NoteFormat, Page
from ats_core.operations import operation
from ats_core.paging import iter_pages
from ats_core.pdf import build_pdf
from ats_core.sandbox import SandboxOptions, start_sandbox

__all__ = ["SourcingDemo", "StepOutcome", "demo_command"]

Result = Literal["done", "skipped", "failed"]
SINCE_SAMPLE = 200
FILTERED_SAMPLE = 10  # filtered reads can cost a request per record (detail fetches), so sample few
DISTANT_PAST = datetime(1970, 1, 1, tzinfo=UTC)
DEFAULT_LIMIT = 1000  # all of the default sandbox; keeps a demo against a real tenant short
STREAM_PAGE = 100
RESUME_TRIES = 5  # candidates whose resume is unknown to try before reporting that none has one
SINCE_QUANTILE = 0.25  # since = this quantile of the sampled update times
REPORT_NAME = "interview-report.pdf"
_MARKS = {"done": "[green]✓[/]", "skipped": "[yellow]○[/]", "failed": "[red]✗[/]"}


@dataclass(frozen=True)
class StepOutcome:
    """What one step did: its result, a line of detail, how long it took, and how many records it touched."""

    title: str
    operation: str
    result: Result
    detail: str
    seconds: float
    records: int | None = None


class StepSkipped(Exception):
    """A step cannot run (an earlier step found nothing to work on); the message says why."""


class StepFailed(Exception):
    """A step ran but its result is wrong; the message says what was expected."""


@dataclass
class _Detail:
    text: str
    records: int | None = None


class SourcingDemo:
    """The sourcing flow on one connected client: stream, find, resume, note, attachment, read back."""

    def __init__(
        self,
        client: ATSClient,
        console: Console,
        since: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.client = client
        self.console = console
        self.since = since
        self.limit = limit
        self.clock = clock
        self.candidate: Candidate | None = None
        self.resume_candidates: list[Candidate] = []
        self.note: Note | None = None
        self.application: Application | None = None
        self.attachment: Attachment | None = None
        self.outcomes: list[StepOutcome] = []

    # --- the steps ---------------------------------------------------------------------------------

    def run(self) -> list[StepOutcome]:
        """Run every step in order; return their outcomes."""
        paged = self.client.supports("fetch_candidates_page")
        stream_operation = "fetch_candidates_page" if paged else "stream_candidates"
        self.step("Stream candidates", stream_operation, self.stream_candidates)
        self.step("Find by email", "find_candidates_by_details", self.find_by_email)
        self.step("Download resume", "get_resume_for_candidate_id", self.download_resume)
        self.step("Add a note", "add_note_to_candidate", self.add_note)
        self.step("Attach a PDF report", "add_attachment_to_candidate", self.add_attachment)
        self.step("Read back", "get_candidate_by_id", self.read_back)
        self.step("Move an application", "move_application_to_stage", self.move_application)
        self.step("Reject it with a reason", "reject_application", self.reject_application)
        return self.outcomes

    def stream_candidates(self) -> _Detail:
        """Stream candidates updated since `since` (default: a date most sampled records are newer than)."""
        since, chosen = (
            (self.since, "given") if self.since is not None else (self._default_since(), "picked from a sample")
        )
        streamed = 0
        started = self.clock()
        stream = self._candidates(since)
        with record_progress(self.console, total=self.limit or None) as progress:
            task = progress.add_task("streaming candidates", total=self.limit or None, detail="")
            try:
                for candidate in stream:
                    streamed += 1
                    self._consider(candidate)
                    progress.update(task, completed=streamed)
                    if streamed == self.limit:
                        break
            finally:
                _close(stream)
        rate = streamed / max(self.clock() - started, 1e-9)
        when = "all time" if since is None else f"{since:%Y-%m-%d %H:%M} UTC ({chosen})"
        if streamed == 0:
            raise StepFailed(f"no candidate updated since {when}; pass an earlier --since")
        stopped = f", stopped at --limit {self.limit:,}" if streamed == self.limit else ""
        return _Detail(f"{streamed:,} candidates since {when}{stopped}, {rate:,.{0 if rate >= 10 else 1}f}/s", streamed)

    def _candidates(self, since: datetime | None) -> Iterator[Candidate]:
        """Candidates page by page (pages no larger than the limit) when the provider pages, else its stream."""
        if not self.client.supports("fetch_candidates_page"):
            yield from self.client.stream_candidates(updated_after=since)
            return
        page_size = min(self.limit, STREAM_PAGE) if self.limit else STREAM_PAGE

        def fetch(cursor: str | None) -> Page[Candidate]:
            return self.client.fetch_candidates_page(updated_after=since, cursor=cursor, page_size=page_size)

        for page in iter_pages(fetch):
            yield from page.items

    def find_by_email(self) -> _Detail:
        candidate = self._require_candidate()
        if not candidate.email:
            raise StepSkipped("none of the streamed candidates has an email")
        matches = self.client.find_candidates_by_details(email=candidate.email)
        if candidate.remote_id not in {match.remote_id for match in matches}:
            raise StepFailed(f"candidate {candidate.remote_id} is not among the {len(matches)} matches of its email")
        return _Detail(f"{len(matches)} match(es) for {candidate.email}: {self._who(candidate)}", len(matches))

    def download_resume(self) -> _Detail:
        """The chosen candidate's resume; when it has none, the next few streamed candidates that may have one."""
        first = self._require_candidate()
        tried = [first, *(c for c in self.resume_candidates if c.remote_id != first.remote_id)][:RESUME_TRIES]
        for candidate in tried:
            resume = self.client.get_resume_for_candidate_id(candidate.remote_id)
            if resume is not None:
                break
        else:
            return _Detail(f"none of candidates {', '.join(c.remote_id for c in tried)} has a resume", 0)
        is_pdf = resume.content.startswith(b"%PDF")
        claims_pdf = "pdf" in resume.content_type.lower() or resume.file_name.lower().endswith(".pdf")
        if claims_pdf and not is_pdf:
            raise StepFailed(f"{resume.file_name} is declared a PDF but does not start with %PDF")
        switched = ""
        if candidate is not first:
            self.candidate = candidate
            switched = f" (candidate {first.remote_id} has none; the next steps use {self._who(candidate)})"
        check = "starts with %PDF" if is_pdf else "not a PDF"
        return _Detail(
            f"{resume.file_name}, {resume.content_type}, {len(resume.content):,} bytes, {check}{switched}", 1
        )

    def add_note(self) -> _Detail:
        candidate = self._require_candidate()
        text = "Screening call by ats demo: strong communication, available to start Monday."
        html = self.client.manifest.note_format is NoteFormat.HTML
        body = f"<p><b>ats demo</b>: {text}</p>" if html else text
        self.note = self.client.add_note_to_candidate(candidate, body)
        return _Detail(f"note {self.note.remote_id} ({self.note.format.value}, {len(body)} characters)", 1)

    def add_attachment(self) -> _Detail:
        candidate = self._require_candidate()
        pdf = build_pdf(
            "Interview report",
            [
                f"Candidate: {candidate.remote_id}",
                f"Written by: ats demo ({self.client.name})",
                f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
                "Summary: strong communication, available to start Monday.",
            ],
        )
        encoded = base64.b64encode(pdf).decode("ascii")
        self.attachment = self.client.add_attachment_to_candidate(REPORT_NAME, candidate.remote_id, encoded)
        stored = self.attachment
        size = f"{stored.size_bytes:,}" if stored.size_bytes is not None else f"{len(pdf):,} sent"
        return _Detail(f"attachment {stored.remote_id}: {stored.file_name}, {stored.content_type}, {size} bytes", 1)

    def read_back(self) -> _Detail:
        """Re-read the candidate, and find the note and the attachment through their declared read paths."""
        candidate = self._require_candidate()
        again = self.client.get_candidate_by_id(candidate.remote_id)
        if again.remote_id != candidate.remote_id:
            raise StepFailed(f"asked for candidate {candidate.remote_id}, got {again.remote_id}")
        before, after = candidate.updated_at, again.updated_at
        if before is not None and after is not None and after > before:
            touched = f"updated_at moved {before:%Y-%m-%d %H:%M} -> {after:%Y-%m-%d %H:%M} UTC"
        else:
            touched = "updated_at unchanged" if after is not None else "no updated_at"
        found = [self._found_again("note", self.note), self._found_again("attachment", self.attachment)]
        return _Detail(f"candidate {again.remote_id} re-read, {touched}; " + "; ".join(found), 1)

    def _found_again(self, what: str, written: Note | Attachment | None) -> str:
        """Whether the write's declared read path lists what it wrote (a failed step when it does not)."""
        if written is None:
            return f"no {what} was written"
        writer = "add_note_to_candidate" if what == "note" else "add_attachment_to_candidate"
        reader = operation(writer).read_back
        if reader is None or not self.client.supports(reader.name):
            name = "a read path" if reader is None else reader.name
            return f"{what} {written.remote_id} not read back ({self.client.name} does not implement {name})"
        listed = getattr(self.client, reader.name)(self._require_candidate().remote_id)
        if written.remote_id not in {item.remote_id for item in listed}:
            raise StepFailed(f"{reader.name} does not list {what} {written.remote_id}")
        return f"{what} {written.remote_id} listed by {reader.name} ({len(listed)} in all)"

    def move_application(self) -> _Detail:
        """Move an open application to another stage, and read the stage back through the declared read path."""
        application = self._open_application()
        stages = self.client.get_all_application_stages()
        target = next((stage for stage in stages if not _same(stage.name, application.stage)), None)
        if target is None:
            raise StepSkipped(f"the tenant has no stage other than {application.stage!r}")
        self.client.move_application_to_stage(application, target)
        again = self._read_back("move_application_to_stage", application.remote_id)
        if not _same(again.stage, target.name):
            raise StepFailed(
                f"application {application.remote_id} reads back in stage {again.stage!r}, not {target.name!r}"
            )
        self.application = again
        return _Detail(f"application {application.remote_id}: {application.stage or '(none)'} -> {again.stage}", 1)

    def reject_application(self) -> _Detail:
        """Reject the application with the tenant's first disposition reason, and read the rejection back."""
        application = self.application or self._open_application()
        reasons = self.client.get_disposition_reasons()
        if not reasons:
            raise StepSkipped("the tenant has no disposition reasons")
        reason = reasons[0]
        self.client.reject_application(application.remote_id, reason.remote_id)
        again = self._read_back("reject_application", application.remote_id)
        shown = again.rejection_reason or again.status
        if not (_same(again.rejection_reason, reason.name) or _same(again.status, reason.name)):
            raise StepFailed(
                f"application {application.remote_id} reads back as {shown!r}, not rejected for {reason.name!r}"
            )
        return _Detail(f"application {application.remote_id} rejected: {reason.name} (reads back as {shown})", 1)

    def _open_application(self) -> Application:
        if not self.client.supports("stream_applications"):
            raise StepSkipped("the provider streams no applications")
        stream = self.client.stream_applications()
        try:
            found = next(
                (a for a in itertools.islice(stream, 50) if a.rejected_at is None and a.is_active is not False), None
            )
        finally:
            _close(stream)
        if found is None:
            raise StepSkipped("none of the first 50 applications is open")
        return found

    def _read_back(self, writer: str, application_id: str) -> Application:
        """The application as the write's declared read path shows it."""
        reader = operation(writer).read_back
        if reader is None or not self.client.supports(reader.name):
            raise StepSkipped(f"{writer} has no implemented read path")
        again = getattr(self.client, reader.name)(application_id)
        assert isinstance(again, Application)
        return again

    # --- machinery ---------------------------------------------------------------------------------

    def step(self, title: str, operation: str, action: Callable[[], _Detail]) -> StepOutcome:
        """Run one step unless the provider does not implement its operation; record and print the outcome."""
        started = self.clock()
        records: int | None = None
        result: Result
        if not self.client.supports(operation):
            declaration = self.client.manifest.operations[operation]
            result, detail = "skipped", f"{declaration.status.value}: {declaration.reason}"
        else:
            try:
                done = action()
                result, detail, records = "done", done.text, done.records
            except StepSkipped as skipped:
                result, detail = "skipped", str(skipped)
            except (StepFailed, ATSError) as error:
                result, detail = "failed", str(error)
        outcome = _announce(
            self.console, StepOutcome(title, operation, result, detail, self.clock() - started, records)
        )
        self.outcomes.append(outcome)
        return outcome

    def _consider(self, candidate: Candidate) -> None:
        """Keep the best candidate for the next steps (an email, then a resume), and a few that may have resumes."""
        best = self.candidate
        if best is None or (bool(candidate.email), bool(candidate.has_resume)) > (
            bool(best.email),
            bool(best.has_resume),
        ):
            self.candidate = candidate
        if candidate.email and candidate.has_resume is not False and len(self.resume_candidates) < RESUME_TRIES:
            self.resume_candidates.append(candidate)

    def _require_candidate(self) -> Candidate:
        if self.candidate is None:
            raise StepSkipped("needs a candidate from the stream step")
        return self.candidate

    @staticmethod
    def _who(candidate: Candidate) -> str:
        name = " ".join(part for part in (candidate.first_name, candidate.last_name) if part)
        return f"{name or 'unnamed'} (id {candidate.remote_id})"

    def _default_since(self) -> datetime | None:
        """A date most records are newer than: a low quantile of a sample's update times.

        Providers whose plain stream carries no update times (they appear on the filtered path) are
        sampled again, briefly, through the filtered stream from the distant past.
        """
        times = self._sample_update_times(None, SINCE_SAMPLE)
        if not times:
            times = self._sample_update_times(DISTANT_PAST, FILTERED_SAMPLE)
        return times[int(len(times) * SINCE_QUANTILE)] if times else None

    def _sample_update_times(self, updated_after: datetime | None, size: int) -> list[datetime]:
        sample: Iterable[Candidate]
        if self.client.supports("fetch_candidates_page"):
            sample = self.client.fetch_candidates_page(updated_after=updated_after, page_size=size).items
        else:
            stream = self.client.stream_candidates(updated_after=updated_after)
            try:
                sample = list(itertools.islice(stream, size))
            finally:
                _close(stream)
        return sorted(c.updated_at for c in sample if c.updated_at is not None)


def _same(first: str | None, second: str | None) -> bool:
    """Two names that are the same but for case and padding (ATSs echo names back as they store them)."""
    return first is not None and second is not None and first.strip().casefold() == second.strip().casefold()


def _close(stream: Iterator[Any]) -> None:
    """Close a generator we stopped reading early, so the provider releases what it holds."""
    close = getattr(stream, "close", None)
    if close is not None:
        close()


def _summary_table(provider: str, outcomes: list[StepOutcome], setup: list[StepOutcome]) -> Table:
    table = Table(title=f"ats demo — {provider}", title_justify="left")
    table.add_column("#", style="dim", justify="right")
    table.add_column("step")
    table.add_column("result", no_wrap=True)
    table.add_column("detail", overflow="fold")
    table.add_column("records", justify="right")
    table.add_column("time", justify="right", no_wrap=True)
    for number, outcome in enumerate([*setup, *outcomes], start=1):
        step = Text(outcome.title, style="bold")
        if outcome.operation != "-":
            step.append(f"\n{outcome.operation}", style="cyan")
        table.add_row(
            str(number),
            step,
            f"{_MARKS[outcome.result]} {outcome.result}",
            Text(outcome.detail),
            "" if outcome.records is None else f"{outcome.records:,}",
            f"{outcome.seconds * 1000:,.0f} ms",
        )
    return table


@click.command("demo")
@click.option("--provider", required=True, help="Installed provider (see `ats providers`).")
@click.option(
    "--sandbox/--no-sandbox",
    "use_sandbox",
    default=True,
    show_default=True,
    help="Start the provider's local sandbox, or connect with --settings / ATS_<PROVIDER>_* (writes a note "
    "and a PDF to that tenant).",
)
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --no-sandbox: TOML file with a [<provider>] table.",
)
@click.option(
    "--size", type=click.IntRange(min=1), default=SandboxOptions.size, show_default=True, help="Sandbox records."
)
@click.option("--seed", type=int, default=SandboxOptions.seed, show_default=True, help="Sandbox data seed.")
@click.option(
    "--since",
    metavar="DATE",
    callback=when_option_callback,
    help="Stream candidates updated after this (YYYY-MM-DD, ISO 8601, or an age like 30d) "
    "[default: a low quantile of a sample of update times, so most candidates stream].",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="Stop the candidate stream after this many records (0: stream them all).",
)
def demo_command(
    provider: str,
    use_sandbox: bool,
    settings_file: Path | None,
    size: int,
    seed: int,
    since: datetime | None,
    limit: int,
) -> None:
    """Walk PROVIDER's sourcing flow on its sandbox: stream, find by email, resume, note, PDF, read back."""
    if settings_file is not None and use_sandbox:
        raise click.UsageError("--settings is for --no-sandbox; the sandbox hands the demo its own settings")
    console = make_console()
    clock = time.perf_counter
    setup: list[StepOutcome] = []
    total_started = clock()
    with ExitStack() as stack:
        settings: Mapping[str, Any] | None = None
        if use_sandbox:
            started = clock()
            try:
                sandbox = start_sandbox(provider, SandboxOptions(size=size, seed=seed))
            except ATSError as error:
                _fail(f"could not start the {provider} sandbox: {error}; or pass --no-sandbox with --settings")
            stack.callback(sandbox.stop)
            settings = sandbox.settings
            where = f"{sandbox.base_url} ({size:,} records, seed {seed})"
            setup.append(_announce(console, StepOutcome("Start the sandbox", "-", "done", where, clock() - started)))
        started = clock()
        try:
            client = stack.enter_context(connect(provider, settings, settings_file=settings_file))
        except ATSError as error:
            _fail(f"could not connect to {provider}: {error}")
        manifest = client.manifest
        connected = (
            f"{manifest.display_name} {manifest.version}, "
            f"{len(manifest.implemented_operations())} of {len(manifest.operations)} operations implemented"
        )
        setup.append(_announce(console, StepOutcome("Connect", "-", "done", connected, clock() - started)))
        outcomes = SourcingDemo(client, console, since=since, limit=limit, clock=clock).run()
    console.print()
    console.print(_summary_table(provider, outcomes, setup))
    counts = {result: sum(o.result == result for o in outcomes) for result in ("done", "skipped", "failed")}
    console.print(
        f"{counts['done']} done, {counts['skipped']} skipped, {counts['failed']} failed "
        f"in {clock() - total_started:.2f} s",
        highlight=False,
    )
    if counts["failed"]:
        _fail(f"{counts['failed']} step(s) failed; see the table above")


def _announce(console: Console, outcome: StepOutcome) -> StepOutcome:
    """Print one step's outcome as it happens."""
    console.print(f"{_MARKS[outcome.result]} {outcome.title}: ", end="", highlight=False)
    console.print(outcome.detail, markup=False, highlight=False)
    return outcome


def _fail(message: str) -> NoReturn:
    make_console(stderr=True).print("[bold red]error:[/]", escape(message), highlight=False, soft_wrap=True)
    raise SystemExit(1)
