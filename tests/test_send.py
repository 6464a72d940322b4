"""`scheduler send` against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import socket
from datetime import date
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from icalendar import Calendar

from scheduler import build, cli
from scheduler.documents import render_all
from scheduler.engine.solve import SolveOptions, solve
from scheduler.model import Attendee, Room
from scheduler.send import LOG, send_all

DAY = date(2017, 6, 5)
REFUSED = "gone@example.org"


class Inbox:
    """aiosmtpd handler: keeps every accepted message; refuses one address."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001
        if address == REFUSED:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


PEOPLE = [("A", "ann@example.org"), ("B", "bob@example.org"), ("C", "no address"), ("D", REFUSED), ("E", "")]


def event_with_mail():
    people = [Attendee(id=x, name=f"Person {x}", organization=f"Org {x}", email=mail) for x, mail in PEOPLE]
    return build.event(blocks=[build.block(DAY, "9:00", "10:10")], rooms=[Room("Hall", "Meetings", tables=2)],
                       attendees=people, asks=[("A", "B"), ("C", "D")])


@pytest.fixture
def outdir(tmp_path: Path) -> Path:
    event = event_with_mail()
    schedule = solve(event, SolveOptions(time_limit=3, workers=1, seed=0))
    render_all(event, schedule, tmp_path / "out", only={"a"})
    return tmp_path / "out"


def attachments(msg: Message) -> list[tuple[str, str]]:
    return [(part.get_content_type(), part.get_filename()) for part in msg.walk() if part.get_filename()]


def send(outdir: Path, port: int, *extra: str):
    return CliRunner().invoke(cli.main, ["send", str(outdir), "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                                         "--from", "SEUS-CP 2017 <events@example.org>", *extra])


def test_every_attendee_gets_agenda_and_calendar_and_nothing_is_sent_twice(smtp, outdir: Path) -> None:
    inbox, port = smtp
    first = send(outdir, port)
    assert first.exit_code == 2, first.output  # some attendees could not be mailed
    assert sorted(to for to, _ in inbox.messages) == [["ann@example.org"], ["bob@example.org"]]
    for to, msg in inbox.messages:
        assert msg["Subject"] == "Test event: your agenda"
        assert msg["From"] == "SEUS-CP 2017 <events@example.org>"
        stem = to[0][0]  # a or b
        assert attachments(msg) == [("application/pdf", f"{stem}.pdf"), ("text/calendar", f"{stem}.ics")]
        pdf = next(p for p in msg.walk() if p.get_content_type() == "application/pdf").get_payload(decode=True)
        assert pdf.startswith(b"%PDF") and pdf == (outdir / "agendas" / f"{stem}.pdf").read_bytes()
        ics = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
        assert ics.get_param("method") == "PUBLISH"
        assert Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")
    # Each failure is named; the others went on.
    assert "C: not an e-mail address: 'no address'" in first.output
    assert "D: 550 5.1.1 mailbox unavailable" in first.output
    assert "E: no e-mail address" in first.output
    assert "Sent 2 messages; 0 already sent before; 3 failed." in first.output
    again = send(outdir, port)
    assert len(inbox.messages) == 2  # nothing twice
    assert "Sent 0 messages; 2 already sent before; 3 failed." in again.output


def test_a_broken_run_resumes_where_it_stopped(smtp, outdir: Path) -> None:
    inbox, port = smtp
    from scheduler.send import Server

    def break_after_first(items):
        for n, item in enumerate(items):
            if n == 1:
                raise KeyboardInterrupt  # the organizer's laptop lid closes
            yield item

    with pytest.raises(KeyboardInterrupt):
        send_all(outdir, "events@example.org", Server("127.0.0.1", port), progress=break_after_first)
    assert [to for to, _ in inbox.messages] == [["ann@example.org"]]
    assert "ann@example.org" in (outdir / LOG).read_text()
    result = send(outdir, port)
    assert [to for to, _ in inbox.messages] == [["ann@example.org"], ["bob@example.org"]]
    assert "Sent 1 messages; 1 already sent before" in result.output


def test_only_changed_mails_the_revised_agenda_with_the_calendar_update(smtp, outdir: Path) -> None:
    inbox, port = smtp
    result = send(outdir, port, "--only-changed")
    assert result.exit_code == 0, result.output
    assert [to for to, _ in inbox.messages] == [["ann@example.org"]]
    msg = inbox.messages[0][1]
    assert msg["Subject"] == "Test event: your revised agenda"
    assert "has changed" in next(p for p in msg.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()


def test_cancelled_entries_also_go_as_an_itip_cancel(smtp, outdir: Path, tmp_path: Path) -> None:
    inbox, port = smtp
    event = event_with_mail()
    render_all(event, solve(event, SolveOptions(time_limit=3, workers=1, seed=0)), tmp_path / "v1")
    from scheduler.schedule import Schedule

    render_all(event, Schedule(), tmp_path / "v2", only={"a", "b"}, previous=tmp_path / "v1")  # all dropped
    assert send(tmp_path / "v2", port, "--only-changed").exit_code == 0
    parts = {p.get_filename(): p for _, m in inbox.messages for p in m.walk() if p.get_filename()}
    cancel = parts["cancelled.ics"]
    assert cancel.get_param("method") == "CANCEL"
    cal = Calendar.from_ical(cancel.get_payload(decode=True))
    assert str(cal["method"]) == "CANCEL"
    entries = cal.walk("VEVENT")
    assert entries and all(str(e["status"]) == "CANCELLED" for e in entries)
    assert all(str(e["organizer"]) == "mailto:events@example.org" for e in entries)


def test_dry_run_writes_eml_files_and_sends_nothing(smtp, outdir: Path, tmp_path: Path) -> None:
    inbox, _port = smtp
    result = CliRunner().invoke(cli.main, ["send", str(outdir), "--from", "events@example.org",
                                           "--dry-run", str(tmp_path / "eml")])
    assert sorted(p.name for p in (tmp_path / "eml").iterdir()) == ["a.eml", "b.eml", "d.eml"]  # only the server refuses D
    assert "Wrote 3 messages" in result.output
    msg = email.message_from_bytes((tmp_path / "eml" / "b.eml").read_bytes())
    assert msg["To"] == "Person B <bob@example.org>"
    assert inbox.messages == [] and not (outdir / LOG).exists()
    refused = CliRunner().invoke(cli.main, ["send", str(outdir), "--from", "SEUS-CP events", "--dry-run",
                                            str(tmp_path / "eml2")])
    assert refused.exit_code == 2 and "holds no e-mail address" in refused.output
    assert not (tmp_path / "eml2").exists()


def test_a_login_needs_the_password_from_the_environment(outdir: Path, monkeypatch) -> None:
    monkeypatch.delenv("SCHEDULER_SMTP_PASSWORD", raising=False)
    result = send(outdir, 2525, "--smtp-user", "events")
    assert result.exit_code == 2
    assert "SCHEDULER_SMTP_PASSWORD" in result.output


def test_an_unreachable_server_is_a_plain_message(outdir: Path) -> None:
    result = send(outdir, free_port())
    assert result.exit_code == 2
    assert "cannot reach the SMTP server 127.0.0.1" in result.output
    assert "Traceback" not in result.output


def text_of(msg: Message) -> str:
    part = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def test_a_french_speaker_gets_the_mail_in_french(smtp, tmp_path: Path) -> None:
    inbox, port = smtp
    people = [Attendee(id="A", name="Ann Lee", email="ann@example.org"),
              Attendee(id="B", name="Benoît Roy", email="benoit@example.org", languages=("French",))]
    event = build.event(blocks=[build.block(DAY, "9:00", "10:10")], rooms=[Room("Hall", "Meetings", tables=2)],
                        attendees=people, asks=[("A", "B")])
    render_all(event, solve(event, SolveOptions(time_limit=3, workers=1, seed=0)), tmp_path / "out")
    assert send(tmp_path / "out", port).exit_code == 0
    mails = {to[0]: msg for to, msg in inbox.messages}
    assert str(make_header(decode_header(mails["benoit@example.org"]["Subject"]))) == "Test event\u00a0: votre agenda"
    assert text_of(mails["benoit@example.org"]).startswith("Bonjour Benoît Roy,")
    assert mails["ann@example.org"]["Subject"] == "Test event: your agenda"
    assert text_of(mails["ann@example.org"]).startswith("Dear Ann Lee,")


def test_the_command_works_in_a_fresh_process(outdir: Path, tmp_path: Path) -> None:
    """As typed in a shell: nothing imported beforehand (an import cycle shows only there)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-m", "scheduler.cli", "send", str(outdir), "--from", "e@example.org",
                           "--dry-run", str(tmp_path / "eml")], capture_output=True, text=True, env=env, timeout=120)
    assert "Wrote 3 messages" in done.stdout, done.stderr


def test_mailing_csv_quotes_formula_text_and_reads_back_as_excel_saves_it(tmp_path: Path) -> None:
    from scheduler.io.mailing import FILE, read_mailing, write_mailing

    people = [Attendee(id="A", name='=HYPERLINK("http://evil.example","click")', organization="Org",
                       email="ann@example.org"), Attendee(id="B", name="Zoë Müller—Ray", organization="Org B"),
              Attendee(id="C", name="'-Ann", organization="Org C")]
    event = build.event(blocks=[build.block(DAY, "9:00", "10:10")], rooms=[Room("Hall", "Meetings", tables=2)],
                        attendees=people)
    write_mailing(event, tmp_path, {"a": "a", "b": "b", "c": "c"}, None)
    text = (tmp_path / FILE).read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text  # a spreadsheet shows it as text, never runs it
    assert [r.name for r in read_mailing(tmp_path)] == ['=HYPERLINK("http://evil.example","click")', "Zoë Müller—Ray",
                                                        "'-Ann"]
    # Excel on a French Windows saves it back in its code page, with semicolons.
    (tmp_path / FILE).write_bytes(text.replace(",", ";").encode("cp1252", errors="replace"))
    again = read_mailing(tmp_path)
    assert [(r.id, r.name, r.email) for r in again][1] == ("B", "Zoë Müller—Ray", "")
    assert again[0].email == "ann@example.org"
