"""The output folder switches from one run to the next in one step, whenever the writer dies."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scheduler.io import output
from scheduler.io.output import recover, staged_output, store_of

OLD = {"agendas.pdf": "old agendas", "agendas/A001.pdf": "old agenda of a departed attendee",
       "changes.xlsx": "old changes", "schedule.xlsx": "old schedule"}
NEW = {"agendas.pdf": "new agendas", "agendas/A002.pdf": "new agenda", "schedule.xlsx": "new schedule"}


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


@pytest.fixture
def previous_run(tmp_path: Path) -> Path:
    out = tmp_path / "outputs" / "seus-cp-2017"
    with staged_output(out) as staging:
        write(staging, OLD)
    return out


def leftovers(out: Path) -> list[str]:
    """What the store holds besides the lock and the folder shown."""
    shown = out.resolve()
    return sorted(p.name for p in store_of(out).iterdir() if p.name != ".lock" and p.resolve() != shown)


def test_a_run_replaces_the_folder_whole(previous_run: Path) -> None:
    (previous_run / "notes.txt").write_text("the organizer's own notes")
    with staged_output(previous_run) as staging:
        write(staging, NEW)
        assert snapshot(previous_run)["schedule.xlsx"] == "old schedule"  # nothing changes before the end
    # changes.xlsx and the departed attendee's agenda were not written this time: gone; the notes stay.
    assert snapshot(previous_run) == {**NEW, "notes.txt": "the organizer's own notes"}
    assert leftovers(previous_run) == []
    assert sorted(p.name for p in previous_run.parent.iterdir()) == [".seus-cp-2017.runs", "seus-cp-2017"]


def test_staging_folders_of_older_versions_are_removed(previous_run: Path) -> None:
    stale = previous_run.parent / ".seus-cp-2017.staging-abc123"
    write(stale, {"agendas.pdf": "half-written"})
    with staged_output(previous_run) as staging:
        write(staging, NEW)
    assert not stale.exists()


def test_failure_leaves_the_folder_as_it_was(previous_run: Path) -> None:
    with pytest.raises(RuntimeError, match="solver crashed"), staged_output(previous_run) as staging:
        write(staging, NEW)
        raise RuntimeError("solver crashed")
    assert snapshot(previous_run) == OLD
    assert leftovers(previous_run) == []


def test_a_plain_folder_from_an_older_version_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "seus"
    write(out, OLD)
    (out / "notes.txt").write_text("mine")
    with staged_output(out) as staging:
        write(staging, NEW)
    assert out.is_symlink()
    assert snapshot(out) == {**NEW, "notes.txt": "mine"}
    assert leftovers(out) == []


def test_carry_keeps_a_named_file_of_the_previous_run(previous_run: Path) -> None:
    with staged_output(previous_run, carry=["schedule.xlsx"]) as staging:
        write(staging, {"agendas.pdf": "agendas from the hand-edited schedule"})
    assert snapshot(previous_run) == {"agendas.pdf": "agendas from the hand-edited schedule",
                                      "schedule.xlsx": "old schedule"}


WRITER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from scheduler.io import output

    out, step = Path(sys.argv[1]), sys.argv[2]
    def crash(name):
        if name == step:
            os._exit(3)  # no cleanup, no finally: as a kill would
    output.crash_point = crash
    with output.staged_output(out) as staging:
        for name, text in {new!r}.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(text)
            crash("writing")
    os._exit(0)
""").replace("{new!r}", repr(NEW))

STEPS = ["staging made", "writing", "files written", "carried over", "run folder named", "link made",
         "plain folder moved", "switched"]


@pytest.mark.parametrize("plain", [False, True], ids=["linked", "plain-folder"])
@pytest.mark.parametrize("step", STEPS)
def test_a_writer_killed_at_any_step_leaves_the_old_or_the_new_folder(tmp_path: Path, step: str,
                                                                      plain: bool) -> None:
    out = tmp_path / "outputs" / "seus"
    if plain:
        write(out, OLD)
    else:
        with staged_output(out) as staging:
            write(staging, OLD)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    killed = subprocess.run([sys.executable, "-c", WRITER, str(out), step], env=env, timeout=60)
    reached = step != "plain folder moved" or plain  # that step exists only when taking over a plain folder
    assert killed.returncode == (3 if reached else 0)
    if out.exists():
        assert snapshot(out) in (OLD, NEW)
    else:  # killed between moving the plain folder away and linking: the next run puts it back
        assert step == "plain folder moved"
    recover(out)
    assert snapshot(out) in (OLD, NEW)
    with staged_output(out) as staging:  # the next run cleans up whatever the crash left
        write(staging, {"schedule.xlsx": "third run"})
    assert snapshot(out) == {"schedule.xlsx": "third run"}
    assert leftovers(out) == []


def test_the_switch_is_one_rename(previous_run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Readers never see a half-switched folder: the only change to the name is one os.replace."""
    seen: list[tuple[str, str]] = []
    real = os.replace

    def spy(source: str | Path, dest: str | Path) -> None:
        seen.append((Path(source).name, Path(dest).name))
        real(source, dest)

    monkeypatch.setattr(output.os, "replace", spy)
    with staged_output(previous_run) as staging:
        write(staging, NEW)
    assert [dest for _, dest in seen] == ["seus-cp-2017"]


def test_the_current_folder_or_one_holding_it_is_no_output_folder(tmp_path: Path, monkeypatch) -> None:
    from scheduler.problems import InputError

    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    for out in (".", "..", str(tmp_path / "here")):
        with pytest.raises(InputError, match="is the current folder or holds it"), staged_output(out):
            pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here"] and not any((tmp_path / "here").iterdir())
    with staged_output("out") as staging:  # a folder below is fine
        (staging / "schedule.xlsx").write_text("x")
    assert (tmp_path / "here" / "out" / "schedule.xlsx").exists()
