"""The `scheduler` command: click commands, the progress display, exit codes.

Exit status: 0 success, 2 bad input (every problem printed, nothing written),
1 internal error (no traceback unless --debug), 130 interrupted.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .plan.options import values as plan_values
from .problems import InputError, Problem, plural

if TYPE_CHECKING:  # the commands import their modules lazily, to start fast
    from .model import Event
    from .schedule import Schedule

EXIT_INPUT = 2
SEED = click.IntRange(-(2**31), 2**31 - 1)  # CP-SAT's random seed is a 32-bit integer


class Context:
    def __init__(self, debug: bool):
        self.debug = debug


def _guard(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn known failures into located messages and exit codes."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        settings = ctx.find_object(Context)
        debug = bool(settings and settings.debug)
        try:
            return func(*args, **kwargs)
        except InputError as err:
            _print_problems(err.problems)
            sys.exit(EXIT_INPUT)
        except click.exceptions.Exit:
            raise
        except (click.ClickException, SystemExit):
            raise
        except OSError as err:  # a file or folder the command cannot write or read: the user's to fix
            if debug:
                raise
            _print_problems([Problem(_os_message(err))])
            sys.exit(EXIT_INPUT)
        except Exception as err:  # noqa: BLE001 - the user sees a message, not a traceback
            if debug:
                raise
            click.echo(f"internal error: {type(err).__name__}: {err}", err=True)
            click.echo("Run again with --debug for the details, and please report it.", err=True)
            sys.exit(1)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _os_message(err: OSError) -> str:
    """"cannot write /x/y.xlsx (permission denied or a read-only disk); choose another place"."""
    where = _shown_path(err.filename) if err.filename else "the output folder"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {where} (permission denied or a read-only disk); choose another place"
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left on the disk of {where}; free some space or choose another place"
    if err.errno == errno.ENOENT:
        return f"{where}: no such file or folder"
    return f"{where}: {err.strerror or err}"


def _shown_path(name: object) -> str:
    """A path as the user gave it: a file in an output folder's hidden store
    (``out/../.out.runs/staging-…/x``) is named by the output folder (``out``)."""
    parts = Path(str(name)).parts
    for i, part in enumerate(parts):
        if part.startswith(".") and part.endswith(".runs") and len(part) > len("..runs"):
            return str(Path(*parts[:i], part[1:-len(".runs")]))
    return str(name)


def _print_problems(problems: Sequence[Problem]) -> None:
    errors = [p for p in problems if not p.warning]
    warnings = [p for p in problems if p.warning]
    for p in errors:
        click.echo(f"error: {p.render()}", err=True)
    for p in warnings:
        click.echo(f"warning: {p.render()}", err=True)
    click.echo(f"{len(errors)} error(s), {len(warnings)} warning(s).", err=True)


@click.group()
@click.option("--debug", is_flag=True, help="Show full tracebacks of internal errors.")
@click.version_option(package_name="scheduler")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Schedule the one-to-one meetings and track sessions of a trade conference."""
    ctx.obj = Context(debug)
    if not debug:  # a failed write leaves generators that complain when collected: the message said it all
        sys.unraisablehook = lambda unraisable: None


@main.command()
@click.argument("files", nargs=-1, required=True)
@_guard
def validate(files: tuple[str, ...]) -> None:
    """Read FILES, print a summary of what was read and every problem found."""
    from .engine.solve import preflight
    from .io.read import summarize
    from .run import read_all_at_once

    result = read_all_at_once(files)
    for line in summarize(result):
        click.echo(line)
    # The checks solve makes before its search, so that "OK" means solve starts.
    refused = [Problem(reason) for reason in preflight(result.event)]
    if refused:
        raise InputError(refused + list(result.warnings))
    if result.warnings:
        _print_problems(result.warnings)
    click.echo("OK: no errors.")


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Output folder (default outputs/<event>).",
)
@click.option(
    "--time-limit",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True, max=1e7),
    callback=lambda _ctx, _param, value: _finite(value),
    help="Seconds for the whole solve.",
)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1, max=256), help="CPU cores for CP-SAT.")
@click.option(
    "--seed", default=0, show_default=True, type=SEED, help="Same inputs, seed and workers give the same schedule."
)
@click.option("--quiet", is_flag=True, help="No progress display.")
@click.option(
    "--keep-best-on-interrupt", is_flag=True, help="On Ctrl-C, write the best schedule found so far."
)
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False),
    help="A published schedule.xlsx to change as little as possible.",
)
@click.option("--no-documents", is_flag=True, help="Write schedule.xlsx only (no PDFs, calendars, report).")
@click.option(
    "--duplex/--no-duplex",
    default=None,
    help="Start every agenda on an odd page for double-sided printing (default: the event's "
    "'Duplex printing' setting, Yes unless set).",
)
@click.option(
    "--accept-renames",
    is_flag=True,
    help="With --previous: go on although attendees' names, organizations or IDs differ from it.",
)
@_guard
def solve(
    files: tuple[str, ...],
    out_dir: str | None,
    time_limit: float,
    workers: int,
    seed: int,
    quiet: bool,
    keep_best_on_interrupt: bool,
    previous: str | None,
    no_documents: bool,
    duplex: bool | None,
    accept_renames: bool,
) -> None:
    """Solve FILES and write schedule.xlsx, agendas, calendars and the report."""
    from .engine.solve import SolveError, SolveOptions
    from .run import default_out, gc_paused, read_all_at_once, run_solve, same_folder

    with gc_paused():
        result = read_all_at_once(files)
    # The event lives until the command ends: the collector need not walk it again.
    gc.freeze()
    if result.warnings and not quiet:
        click.echo(f"{len(result.warnings)} warning(s) in the input (run `scheduler validate` to list them).")
    event = result.event
    out = Path(out_dir) if out_dir else default_out(event, previous)
    if previous and same_folder(out, previous):
        raise InputError([Problem(f"{out} holds the --previous schedule, which a re-solve never replaces; "
                                  "leave out -o (a new folder is chosen) or name another folder")])
    if previous and not out_dir and not quiet:
        click.echo(f"Writing the re-solve to {out} ({Path(previous).parent} stays as it was).")
    stop = threading.Event()
    old = signal.signal(signal.SIGINT, _on_interrupt(stop))
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    cores = os.cpu_count() or 1
    if workers > cores and not quiet:  # each worker is one more search thread: beyond the cores they queue
        click.echo(f"warning: --workers {workers} is more than this machine's {cores} cores; the search gets "
                   f"slower, not faster (--workers {cores} or fewer)", err=True)
    update, display = _progress_display(quiet)
    try:
        with display:
            outcome = run_solve(
                event,
                options,
                out,
                stop=stop,
                progress=update,
                keep_best_on_interrupt=keep_best_on_interrupt,
                previous=previous,
                documents=not no_documents,
                accept_renames=accept_renames,
                duplex=duplex,
            )
    except SolveError as err:
        for reason in err.reasons:
            click.echo(f"error: {reason}", err=True)
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        click.echo("Interrupted: nothing written.", err=True)
        sys.exit(130)
    finally:
        signal.signal(signal.SIGINT, old)
    for line in outcome.lines:
        click.echo(line)
    sys.exit(outcome.exit_code)


def _finite(value: float) -> float:
    if value != value:  # NaN passes every range comparison
        raise click.BadParameter("give a number of seconds greater than 0, not nan")
    return value


def _on_interrupt(stop: threading.Event) -> Callable[..., None]:
    """First Ctrl-C: stop the search at the next step and finish cleanly.
    Second Ctrl-C: give up at once, writing nothing."""

    def handler(*_: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        click.echo("\nStopping after the current step (Ctrl-C again to quit at once)...", err=True)

    return handler


def _progress_display(quiet: bool) -> tuple[Callable[..., None] | None, Any]:
    """Progress on stderr: a live status line on a terminal, a line every few
    seconds otherwise (logs, CI)."""
    if quiet:
        return None, contextlib.nullcontext()
    if not sys.stderr.isatty():
        return _log_lines(), contextlib.nullcontext()
    from rich.console import Console
    from rich.live import Live
    from rich.text import Text

    live = Live(console=Console(stderr=True), refresh_per_second=4, transient=False)
    return (lambda p: live.update(Text(_progress_text(p)))), live


def _progress_text(p: Any) -> str:
    # No bound (and so no gap) exists before the bound phase has run.
    bound = f"bound {p.bound:>10,.1f}  gap {p.gap:6.2%}" if p.bound > 0 else f"bound {'-':>10}  gap {'-':>6}"
    return f"{p.phase:<10} meetings {p.placed:>7,}  score {p.score:>10,.1f}  {bound}  {p.elapsed:6.1f} s"


def _log_lines() -> Callable[..., None]:
    last = {"phase": "", "at": -1e9}

    def update(p: Any) -> None:
        if p.phase != last["phase"] or p.elapsed - last["at"] >= 5:
            last.update(phase=p.phase, at=p.elapsed)
            click.echo(_progress_text(p), err=True)

    return update


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for plan.xlsx, plan.html and best/.")
@click.option("--tables", callback=plan_values(int), help="Meeting tables on the busiest day, e.g. 30,40,50.")
@click.option("--meeting-minutes", callback=plan_values(int), help="Meeting lengths, e.g. 20,30.")
@click.option("--buffer-minutes", callback=plan_values(int), help="Minutes between meetings, e.g. 0,5.")
@click.option("--spare-tables", callback=plan_values(str), help="Tables kept free, e.g. 0,10%.")
@click.option("--time-limit", required=True, type=click.FloatRange(min=1), help="Seconds for each scenario.")
@click.option("--cluster", help="A running Dask scheduler, tcp://HOST:PORT (default: a local cluster).")
@click.option("--workers-per-solve", default=1, show_default=True, type=click.IntRange(min=1),
              help="CPU threads (CP-SAT workers) for each scenario's solve.")
@click.option("--seed", default=0, show_default=True, type=SEED, help="The same seed for every scenario.")
@click.option("--no-documents", is_flag=True, help="best/ gets schedule.xlsx only.")
@_guard
def plan(files: tuple[str, ...], out_dir: str, tables: tuple[int, ...], meeting_minutes: tuple[int, ...],
         buffer_minutes: tuple[int, ...], spare_tables: tuple[str, ...], time_limit: float, cluster: str | None,
         workers_per_solve: int, seed: int, no_documents: bool) -> None:
    """Solve every combination of the given values (a capacity plan) on Dask and compare them."""
    from .engine.solve import SolveOptions
    from .plan.command import PlanRequest, run_plan
    from .plan.sweep import Cluster

    request = PlanRequest(
        files, Path(out_dir), tables, meeting_minutes, buffer_minutes, spare_tables,
        SolveOptions(time_limit=time_limit, seed=seed), Cluster(cluster, workers_per_solve),
        documents=not no_documents,
    )  # fmt: skip
    stop = threading.Event()
    old = signal.signal(signal.SIGINT, _on_interrupt(stop))
    try:
        code = run_plan(request, stop, lambda line: click.echo(line, err=True))
    except KeyboardInterrupt:
        click.echo("Interrupted: nothing written.", err=True)
        code = 130
    finally:
        signal.signal(signal.SIGINT, old)
    sys.exit(code)


def _verified(files: tuple[str, ...], schedule_path: str) -> tuple[Event, Schedule]:
    """The event and the schedule workbook read against it, after every rule check:
    an error stops (InputError), a warning (the Unscheduled sheet's bookkeeping) is
    printed. `verify` and `agendas` share it, so they never disagree."""
    from .io.read import read_event
    from .io.schedule_read import read_schedule
    from .verify import verify as check

    event = read_event(files).event
    schedule = read_schedule(schedule_path, event)
    problems = check(event, schedule, file=Path(schedule_path).name)
    if any(not p.warning for p in problems):
        raise InputError(problems)
    if problems:
        _print_problems(problems)
    return event, schedule


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--schedule", "schedule_path", required=True, type=click.Path(exists=True, dir_okay=False))
@_guard
def verify(files: tuple[str, ...], schedule_path: str) -> None:
    """Check every hard rule of the contract on a schedule.xlsx."""
    _, schedule = _verified(files, schedule_path)
    click.echo(f"OK: {plural(len(schedule.meetings), 'meeting')} and {plural(len(schedule.sessions), 'session')} "
               "break no rule.")


@main.command()
@click.argument("schedule_path", type=click.Path(exists=True, dir_okay=False))
@click.argument("files", nargs=-1, required=True)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Output folder (default: beside the schedule).",
)
@_guard
def agendas(schedule_path: str, files: tuple[str, ...], out_dir: str | None) -> None:
    """Re-render every document from a (hand-edited) schedule workbook, after verifying it."""
    from .documents import render_all
    from .io.output import staged_output

    event, schedule = _verified(files, schedule_path)
    out = Path(out_dir) if out_dir else Path(schedule_path).parent
    with staged_output(out) as tmp:
        shutil.copy2(schedule_path, tmp / "schedule.xlsx")  # the documents stay beside their schedule
        written = render_all(event, schedule, tmp, duplex=event.settings.duplex_printing == "Yes")
    click.echo(f"Wrote {len(written)} files to {out}.")


@main.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
@click.option("--smtp-host", help="The organizer's mail server (not needed with --dry-run).")
@click.option("--smtp-port", default=587, show_default=True, help="587: STARTTLS when offered; 465: TLS.")
@click.option("--from", "sender", required=True, help='Sender, e.g. "SEUS-CP 2017 <events@example.org>".')
@click.option("--smtp-user", help="Login name; the password comes from SCHEDULER_SMTP_PASSWORD.")
@click.option("--only-changed", is_flag=True, help="After a re-solve: only attendees whose agenda changed.")
@click.option(
    "--dry-run",
    "dry_run",
    type=click.Path(file_okay=False),
    help="Write the messages as .eml files into this folder instead of sending them.",
)
@_guard
def send(outdir: str, smtp_host: str | None, smtp_port: int, sender: str, smtp_user: str | None,
         only_changed: bool, dry_run: str | None) -> None:
    """Mail every attendee their agenda PDF and calendar file from OUTDIR (a solve's output folder).

    Already-sent messages (sent-log.csv in OUTDIR) are not sent again, so a broken run can simply be
    started again."""
    from email.utils import parseaddr

    from .send import PASSWORD_VARIABLE, SendError, Server, recipients, send_all

    folder = Path(outdir)
    server = None
    if "@" not in parseaddr(sender)[1]:
        raise click.BadParameter(f"{sender!r} holds no e-mail address; write it as "
                                 '"Event name <events@example.org>"', param_hint="--from")
    if dry_run is None:
        if not smtp_host:
            raise click.UsageError("give --smtp-host (or --dry-run DIR to write .eml files)")
        password = os.environ.get(PASSWORD_VARIABLE)
        if smtp_user and not password:
            raise click.UsageError(f"--smtp-user needs the password in the environment variable {PASSWORD_VARIABLE}")
        server = Server(smtp_host, smtp_port, smtp_user, password)
    try:
        total = len(recipients(folder, only_changed))
        with _send_progress(total) as progress:
            result = send_all(folder, sender, server, only_changed=only_changed,
                              dry_run=Path(dry_run) if dry_run else None, progress=progress)
    except SendError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    for ident, why in result.failed:
        click.echo(f"error: {ident}: {why}", err=True)
    verb = f"Wrote {len(result.sent)} messages to {dry_run}" if dry_run else f"Sent {len(result.sent)} messages"
    click.echo(f"{verb}; {len(result.skipped)} already sent before; {len(result.failed)} failed.")
    if result.failed:
        sys.exit(EXIT_INPUT)


@contextlib.contextmanager
def _send_progress(total: int) -> Any:
    """A progress bar on a terminal; nothing in logs."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    bar = Progress(TextColumn("sending"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=console, disable=not console.is_terminal)
    with bar:
        task = bar.add_task("send", total=total)

        def track(items: Any) -> Any:
            for item in items:
                yield item
                bar.advance(task)

        yield track


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@_guard
def template(path: str, force: bool) -> None:
    """Write an empty input workbook with every sheet, instructions and drop-downs."""
    from .io.template import write_template

    if Path(path).suffix.lower() != ".xlsx":
        raise InputError([Problem(f"{path}: the template is an Excel workbook; give it a name ending in .xlsx")])
    if Path(path).exists() and not force:
        raise InputError([Problem(f"{path} already exists (perhaps a filled workbook); give another name, "
                                  "or pass --force to replace it with an empty template")])
    click.echo(f"Wrote {write_template(path)}")


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
@click.option(
    "--by", type=click.Choice(["delegation", "organization"]), default="delegation", show_default=True
)
@click.option("--force", is_flag=True, help="Replace forms already in the folder (filled ones too).")
@_guard
def forms(files: tuple[str, ...], out_dir: str, by: str, force: bool) -> None:
    """Write one preference form per delegation (or organization) to mail out."""
    from .io.forms import write_forms

    paths = write_forms(files, out_dir, by=by, force=force)
    click.echo(f"Wrote {len(paths)} forms to {out_dir}")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--attendees", default=400, show_default=True, type=click.IntRange(min=20))
@click.option("--seed", default=2017, show_default=True)
@click.option("--split", is_flag=True, help="Write registration and requests as two files.")
@_guard
def example(path: str, attendees: int, seed: int, split: bool) -> None:
    """Generate a realistic example event (the SEUS-CP 2017 conference by default)."""
    from .example import write_example

    for p in write_example(path, attendees=attendees, seed=seed, split=split):
        click.echo(f"Wrote {p}")


@main.command()
@click.option("--port", default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Listen address (loopback by default).")
@click.option(
    "--runs", "runs_dir", default="outputs/web", show_default=True, type=click.Path(file_okay=False)
)
@click.option("--allow-remote", is_flag=True, help="Allow a --host other computers can reach.")
@_guard
def serve(port: int, host: str, runs_dir: str, allow_remote: bool) -> None:
    """Start the organizer's web page (served by waitress; Ctrl-C stops it)."""
    from .web.server import ServeError, check_host, start

    try:
        warning = check_host(host, allow_remote)
        served = start(Path(runs_dir), host, port)
    except ServeError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    if warning:
        click.echo(warning, err=True)
    click.echo(f"The page is at {served.url} (runs kept in {Path(runs_dir).resolve()}). Ctrl-C stops it.")
    try:
        served.run()  # waitress returns on Ctrl-C, after the answers under way
    except KeyboardInterrupt:
        pass
    finally:
        served.close()
    click.echo("Stopped.")


if __name__ == "__main__":  # pragma: no cover
    main()
