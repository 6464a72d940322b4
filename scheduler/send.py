"""`scheduler send`: mail every attendee their agenda PDF and calendar file.

The recipients and their files come from the output folder's mailing.csv.
Messages go through the organizer's SMTP server (STARTTLS when the server
offers it; the password only from SCHEDULER_SMTP_PASSWORD, never a command
line argument, which other users can see in the process list).

The sent log (``sent-log.csv`` in the output folder) gets a line as soon as
the server accepted a message, flushed to disk: a second run sends nothing
twice, and a run cut short goes on where it stopped. A line is keyed by
attendee, address and a digest of the attachments, so a corrected address or
a revised agenda is sent, an identical one is not.

A refused address or message is reported for that attendee and the others
go on; a lost connection is retried once.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import smtplib
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path

from icalendar import Calendar

from .i18n import Words, words
from .io.mailing import Recipient, read_mailing

LOG = "sent-log.csv"
LOG_COLUMNS = ("Sent at", "Attendee", "Email", "Digest", "Message-ID")
PASSWORD_VARIABLE = "SCHEDULER_SMTP_PASSWORD"


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0


@dataclass
class Result:
    sent: list[str] = field(default_factory=list)  # attendee IDs
    skipped: list[str] = field(default_factory=list)  # already in the sent log
    failed: list[tuple[str, str]] = field(default_factory=list)  # (attendee ID, why)
    written: list[Path] = field(default_factory=list)  # .eml files of a dry run


class SendError(Exception):
    """Nothing can be sent (no mailing.csv, server unreachable, login refused)."""


# ---------------------------------------------------------------- messages


def message(folder: Path, r: Recipient, sender: str, revised: bool) -> EmailMessage:
    """The mail to one attendee: a short text, the agenda PDF and the calendar file;
    with a calendar that cancels entries, those again as a METHOD:CANCEL file."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = formataddr((r.name, r.email))
    w = words(r.language)  # the language of the attendee's agenda
    what = w._("your revised agenda") if revised else w._("your agenda")
    msg["Subject"] = w._("{event}: {what}").format(event=r.event, what=what) if r.event else what.capitalize()
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=_domain(sender))
    msg.set_content(_body(r, revised, w))
    agenda = (folder / r.agenda).read_bytes()
    msg.add_attachment(agenda, maintype="application", subtype="pdf", filename=Path(r.agenda).name)
    calendar = (folder / r.calendar).read_bytes()
    msg.add_attachment(calendar, maintype="text", subtype="calendar", filename=Path(r.calendar).name,
                       params={"method": "PUBLISH", "charset": "utf-8"})
    cancel = cancellations(calendar, sender)
    if cancel is not None:
        msg.add_attachment(cancel, maintype="text", subtype="calendar", filename="cancelled.ics",
                           params={"method": "CANCEL", "charset": "utf-8"})
    return msg


def _body(r: Recipient, revised: bool, w: Words) -> str:
    event = r.event or w._("the event")
    if revised:
        lead = w._("Your agenda for {event} has changed. The revised agenda is attached; its first page "
                   "lists what changed.").format(event=event)
    else:
        lead = w._("Your agenda for {event} is attached.").format(event=event)
    return "\n\n".join([w._("Dear {name},").format(name=r.name), lead,
                         w._("The calendar file (.ics) adds your meetings and sessions to your calendar; "
                             "opening a newer one updates them and removes cancelled meetings.")]) + "\n"


def cancellations(calendar: bytes, organizer: str) -> bytes | None:
    """The cancelled entries of an attendee's calendar as an iTIP CANCEL message (RFC 5546
    §3.2.5), which Outlook and Gmail act on; None when nothing is cancelled."""
    source = Calendar.from_ical(calendar)
    gone = [e for e in source.walk("VEVENT") if str(e.get("status", "")).upper() == "CANCELLED"]
    if not gone:
        return None
    cal = Calendar()
    cal.add("prodid", str(source.get("prodid", "-//scheduler//EN")))
    cal.add("version", "2.0")
    cal.add("method", "CANCEL")
    for zone in source.walk("VTIMEZONE"):
        cal.add_component(zone)
    address = parseaddr(organizer)[1] or organizer
    for entry in gone:
        if "organizer" not in entry:
            entry.add("organizer", f"mailto:{address}")
        cal.add_component(entry)
    return cal.to_ical()


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "scheduler.invalid"


def digest(folder: Path, r: Recipient) -> str:
    h = hashlib.sha256()
    for name in (r.agenda, r.calendar):
        h.update((folder / name).read_bytes())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------- the sent log


def read_log(folder: Path) -> set[tuple[str, str, str]]:
    """(attendee ID, address, digest) of every message already accepted by the server."""
    path = folder / LOG
    if not path.is_file():
        return set()
    with path.open(newline="", encoding="utf-8") as f:
        return {(row["Attendee"], row["Email"].casefold(), row["Digest"]) for row in csv.DictReader(f)}


def _log(folder: Path, r: Recipient, stamp: str, message_id: str) -> None:
    path = folder / LOG
    new = not path.exists()
    with path.open("a", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        if new:
            out.writerow(LOG_COLUMNS)
        out.writerow([datetime.now(UTC).isoformat(timespec="seconds"), r.id, r.email, stamp, message_id])
        f.flush()
        os.fsync(f.fileno())  # a crash right after must not send it again


# ---------------------------------------------------------------- sending


def recipients(folder: Path, only_changed: bool) -> list[Recipient]:
    try:
        everyone = read_mailing(folder)
    except FileNotFoundError:
        raise SendError(f"{folder} has no mailing.csv: is it the output folder of `scheduler solve` "
                        "(with documents)?") from None
    return [r for r in everyone if r.changed] if only_changed else everyone


def problem(folder: Path, r: Recipient) -> str | None:
    """Why this attendee cannot be mailed, or None."""
    if not r.email:
        return "no e-mail address (Email column of the Attendees sheet, or mailing.csv)"
    address = parseaddr(r.email)[1]
    if "@" not in address or address != r.email or " " in address:
        return f"not an e-mail address: {r.email!r}"
    for name in (r.agenda, r.calendar):
        if not (folder / name).is_file():
            return f"{name} is missing from {folder}"
    return None


def send_all(folder: Path, sender: str, server: Server | None, *, only_changed: bool = False,
             dry_run: Path | None = None, progress: Callable[[Iterable[Recipient]], Iterable[Recipient]] = iter,
             ) -> Result:
    """Mail every recipient not yet in the sent log (``dry_run``: write .eml files there instead)."""
    result = Result()
    todo = recipients(folder, only_changed)
    done = read_log(folder) if dry_run is None else set()
    connection = _Connection(server) if dry_run is None and server is not None else None
    try:
        for r in progress(todo):
            why = problem(folder, r)
            if why is not None:
                result.failed.append((r.id, why))
                continue
            stamp = digest(folder, r)
            if (r.id, r.email.casefold(), stamp) in done:
                result.skipped.append(r.id)
                continue
            msg = message(folder, r, sender, revised=only_changed)
            if dry_run is not None:
                result.written.append(_write_eml(dry_run, r, msg))
                result.sent.append(r.id)
                continue
            assert connection is not None
            refused = connection.send(msg)
            if refused:
                result.failed.append((r.id, refused))
                continue
            _log(folder, r, stamp, str(msg["Message-ID"]))
            done.add((r.id, r.email.casefold(), stamp))
            result.sent.append(r.id)
    finally:
        if connection is not None:
            connection.close()
    return result


def _write_eml(folder: Path, r: Recipient, msg: EmailMessage) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{Path(r.agenda).stem}.eml"
    path.write_bytes(bytes(msg))
    return path


class _Connection:
    """One SMTP session, opened on first use and once more if the server drops it."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        s = self.server
        try:
            if s.port == 465:  # implicit TLS ("SMTPS")
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                                      context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password or "")
        except smtplib.SMTPAuthenticationError as err:
            raise SendError(f"the server refused the login of {s.user}: {_reply(err)}") from None
        except (OSError, smtplib.SMTPException) as err:
            raise SendError(f"cannot reach the SMTP server {s.host}:{s.port}: {err}") from None
        return smtp

    def send(self, msg: EmailMessage) -> str | None:
        """None when accepted, else the server's reason."""
        for attempt in (1, 2):
            if self.smtp is None:
                self.smtp = self.open()
            try:
                self.smtp.send_message(msg)
                return None
            except smtplib.SMTPRecipientsRefused as err:
                return "; ".join(_reply(e) for e in err.recipients.values())
            except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as err:
                return _reply(err)
            except (smtplib.SMTPServerDisconnected, ConnectionError):
                self.smtp = None
                if attempt == 2:
                    raise SendError(f"the SMTP server {self.server.host} keeps closing the connection") from None
        return None

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()
            self.smtp = None


def _reply(err: object) -> str:
    code = getattr(err, "smtp_code", None)
    text = getattr(err, "smtp_error", None)
    if isinstance(err, tuple) and len(err) == 2:
        code, text = err
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip() if code else str(err)
