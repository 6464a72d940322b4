"""The contract's derived rules, written once in build and used by the reader and the generator."""

from __future__ import annotations

from datetime import date

from scheduler import build
from scheduler.model import Attendee, Excluded

DAY = date(2017, 6, 5)


def test_a_block_is_cut_into_meeting_plus_buffer_steps_and_the_rest_is_unused() -> None:
    # 20 + 5 minutes: 9:00, 9:25, 9:50 fit in 9:00-10:20; 10:15 would end at 10:35.
    starts = build.slot_starts(build.at(DAY, "9:00"), build.at(DAY, "10:20"), 20, 5)
    assert starts == [build.at(DAY, t) for t in ("9:00", "9:25", "9:50")]
    assert build.slot_starts(build.at(DAY, "9:00"), build.at(DAY, "9:15"), 20, 5) == []


def test_slots_stop_at_a_break_and_start_a_new_run_after_it() -> None:
    blocks = [build.block(DAY, "9:00", "10:40"), build.block(DAY, "9:50", "10:10", "Break")]
    slots = build.cut_slots(blocks, 20, 5)
    assert [(f"{s.start:%H:%M}", s.run) for s in slots] == [("09:00", 1), ("09:25", 1), ("10:15", 2)]


def test_a_team_is_one_party_in_its_first_members_place() -> None:
    people = [
        Attendee("X", "Xena", organization="Ox"),
        Attendee("A", "Ann", organization="Org", team="t", languages=("French",)),
        Attendee("B", "Bo", organization="Org", team="t", host=True),
    ]
    parties = build.form_parties(people, lambda team, members: build.team_party(team, "Team T", members, "org"))
    assert [(p.key, p.members, p.label) for p in parties] == [("x", ("x",), "Xena"), ("team:t", ("a", "b"), "Team T")]
    assert parties[1].host and "french" in parties[1].languages


def test_requests_merge_per_pair() -> None:
    org_of = {"a": "oa", "b": "ob", "c": "oa"}
    both = build.PairAsks()
    both.add("a", True, 3, "batteries")
    both.add("b", False, 1, "")
    both.add("a", True, 3, "batteries")  # asked twice: one note, one asker
    request = build.merged_request("a", "b", both, org_of)
    assert (request.priority, request.mutual, request.note, request.asked_by) == (1, True, "batteries", ("a", "b"))
    never = build.PairAsks()
    never.add("a", True, 1, "")
    never.add("b", False, 0, "")
    declined = build.merged_request("a", "b", never, org_of)
    assert (declined.priority, declined.mutual, declined.excluded) == (0, False, Excluded.DECLINED)
    colleagues = build.PairAsks()
    colleagues.add("a", True, 0, "")
    assert build.merged_request("a", "c", colleagues, org_of).excluded is Excluded.SAME_ORGANIZATION
