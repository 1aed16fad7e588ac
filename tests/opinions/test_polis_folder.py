"""Reading and writing Polis open-data folders: polis_folder, polis_folder_write (no database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from roundtable.opinions.polis_folder import (
    COMMENTS,
    PARTICIPANTS_VOTES,
    SUMMARY,
    VOTES,
    PolisFolderError,
    meta,
    moderated_out,
    parse_polis_files,
    read_polis_folder,
    vote_table,
)
from roundtable.opinions.polis_folder_write import polis_folder_files, write_polis_folder

LONDON = Path(__file__).resolve().parents[1] / "fixtures" / "polis" / "london.youth.policing"

COMMENTS_NEW = (
    "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,"
    "group-informed-consensus,comment-body\n"
    '1726860676783,2,0,57,0,1,false,true,0.68,"Keep the park lit,\nall night"\n'
    "1726860685220,3,4,1,2,-1,false,false,0.1,Close it at dusk\n"
    "1726860690000,5,,0,0,0,true,false,,I don't know enough to say\n"
)
VOTES_SMALL = (
    "timestamp,datetime,comment-id,voter-id,vote\n"
    "300,x,2,7,-1\n"
    "100,x,2,7,1\n"
    "200,x,3,8,0\n"
    "250,x,5,7,1\n"
)


def london_files() -> dict[str, bytes]:
    return {name: (LONDON / name).read_bytes() for name in (COMMENTS, VOTES,
            PARTICIPANTS_VOTES, SUMMARY)}  # fmt: skip


def latest(folder) -> set[tuple[int, int, int]]:
    keep = folder.latest_votes()
    return set(
        zip(
            folder.participants[keep].tolist(),
            folder.statements[keep].tolist(),
            folder.values[keep].tolist(),
            strict=True,
        )
    )


def test_it_reads_the_london_export() -> None:
    folder = read_polis_folder(LONDON)
    assert len(folder.comments) == 39
    assert [c.number for c in folder.comments] == sorted(c.number for c in folder.comments)
    assert moderated_out(folder) == [0, 2, 3]
    assert meta(folder) == []
    first = next(c for c in folder.comments if c.number == 35)
    assert first.author == 23 and first.moderated == 1
    assert (
        first.text
        == "Eliminate bias - wider background check to see the type of people they are hiring"
    )
    assert first.created == dt.datetime(2022, 7, 27, 15, 9, 49, 213000, tzinfo=dt.UTC)
    assert (first.agrees, first.disagrees) == (2, 1)
    assert folder.vote_rows == 640
    assert folder.latest_votes().size == 638  # two voters voted twice on one comment
    assert len(set(folder.participants.tolist())) == 26
    assert np.all(np.diff(folder.timestamps) >= 0)
    assert folder.exported_groups[10] == 0 and folder.exported_groups[14] == 2
    assert folder.exported_groups[13] is None and folder.exported_groups[24] is None
    assert folder.xids == {}
    assert folder.summary["topic"].startswith("What is the best way to engage")
    assert folder.summary["groups"] == "3"


def test_votes_come_in_time_order_and_the_latest_per_pair_wins() -> None:
    folder = parse_polis_files({COMMENTS: COMMENTS_NEW, VOTES: VOTES_SMALL})
    assert folder.timestamps.tolist() == [100, 200, 250, 300]
    assert folder.values.tolist() == [1, 0, 1, -1]
    assert latest(folder) == {(7, 2, -1), (8, 3, 0), (7, 5, 1)}
    assert folder.latest_votes().tolist() == [1, 2, 3]


def test_the_newer_comments_layout_keeps_meta_seed_and_consensus() -> None:
    folder = parse_polis_files({COMMENTS: COMMENTS_NEW, VOTES: VOTES_SMALL})
    park, dusk, unsure = folder.comments
    assert park.text == "Keep the park lit,\nall night" and park.is_seed and not park.is_meta
    assert park.group_informed_consensus == pytest.approx(0.68)
    assert dusk.author == 4 and dusk.moderated == -1
    assert unsure.author is None and unsure.is_meta and unsure.group_informed_consensus is None
    assert moderated_out(folder) == [3] and meta(folder) == [5]
    assert folder.summary == {} and folder.exported_groups == {}


def test_without_votes_csv_the_matrix_gives_the_same_votes() -> None:
    files = london_files()
    from_votes = parse_polis_files(files)
    del files[VOTES]
    from_matrix = parse_polis_files(files)
    assert latest(from_matrix) == latest(from_votes)
    assert from_matrix.vote_rows == 638
    assert not from_matrix.timestamps.any()


def test_byte_order_marks_and_cr_line_endings_read_the_same() -> None:
    plain = parse_polis_files(london_files())
    for ending in ("\r", "\r\n"):
        odd = {
            name: b"\xef\xbb\xbf" + data.replace(b"\n", ending.encode())
            for name, data in london_files().items()
        }
        folder = parse_polis_files(odd)
        assert folder.comments == plain.comments
        assert latest(folder) == latest(plain)
        assert folder.exported_groups == plain.exported_groups
        assert folder.summary == plain.summary


def test_a_folder_on_disk_with_a_bom(tmp_path: Path) -> None:
    for name, data in london_files().items():
        (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + data)
    assert read_polis_folder(tmp_path).comments == read_polis_folder(LONDON).comments


@pytest.mark.parametrize(
    ("files", "where", "reason"),
    [
        ({VOTES: VOTES_SMALL}, "comments.csv", "missing"),
        ({COMMENTS: COMMENTS_NEW}, "votes.csv", "no votes to read"),
        ({COMMENTS: "comment-id,text\n1,x\n", VOTES: VOTES_SMALL}, "comments.csv, line 1",
         "no comment-body column"),
        ({COMMENTS: COMMENTS_NEW, VOTES: VOTES_SMALL + "400,x,2,9,2\n"}, "votes.csv, line 6",
         "vote must be 1, -1 or 0, not '2'"),
        ({COMMENTS: COMMENTS_NEW, VOTES: VOTES_SMALL + "400,x,99,9,1\n"}, "votes.csv, line 6",
         "a vote on comment 99"),
        ({COMMENTS: COMMENTS_NEW, VOTES: VOTES_SMALL + "400,x,two,9,1\n"}, "votes.csv, line 6",
         "comment-id must be a whole number, not 'two'"),
        ({COMMENTS: COMMENTS_NEW, VOTES: VOTES_SMALL + "400,x,2,9\n"}, "votes.csv, line 6",
         "4 fields where the header has 5"),
        ({COMMENTS: COMMENTS_NEW + "1,2,0,0,0,1,false,false,,again\n", VOTES: VOTES_SMALL},
         "comments.csv, line 6", "comment 2 appears twice (also line 2)"),
        ({COMMENTS: COMMENTS_NEW.replace("false,true", "maybe,true"), VOTES: VOTES_SMALL},
         "comments.csv, line 2", "is-meta must be true or false"),
        ({COMMENTS: COMMENTS_NEW, PARTICIPANTS_VOTES:
          "participant,xid,group-id,2,3\n1,a,0,1,\n2,a,1,,-1\n"},
         "participants-votes.csv, line 3", "xid 'a' appears twice"),
        ({COMMENTS: COMMENTS_NEW, PARTICIPANTS_VOTES: "participant,group-id,2,colour\n"},
         "participants-votes.csv, line 1", "unexpected column 'colour'"),
        ({COMMENTS: "", VOTES: VOTES_SMALL}, "comments.csv, line 1", "empty"),
    ],
)  # fmt: skip
def test_bad_folders_say_which_file_line_and_why(files, where, reason) -> None:
    with pytest.raises(PolisFolderError) as caught:
        parse_polis_files(files)
    assert str(caught.value).startswith(where + ":")
    assert reason in str(caught.value)


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PolisFolderError, match="no such folder"):
        read_polis_folder(tmp_path / "nowhere")
    with pytest.raises(PolisFolderError, match=r"comments\.csv: missing"):
        read_polis_folder(tmp_path)


def test_an_export_reads_back_to_the_same_votes_groups_and_comments() -> None:
    original = read_polis_folder(LONDON)
    again = parse_polis_files(polis_folder_files(original))
    assert latest(again) == latest(original)
    assert again.vote_rows == 638  # the re-votes were settled on the way out
    assert [(c.number, c.author, c.text, c.moderated, c.created) for c in again.comments] == [
        (c.number, c.author, c.text, c.moderated, c.created) for c in original.comments
    ]
    # The voters keep their groups; author 0, who never voted, appears without one.
    assert {p: g for p, g in again.exported_groups.items() if p} == original.exported_groups
    assert again.exported_groups[0] is None
    assert again.summary == original.summary
    # Counts are recounted from the votes kept: comment 1 has 9 agrees, 13 disagrees.
    one = next(c for c in again.comments if c.number == 1)
    kept = original.latest_votes()
    on_one = original.values[kept][original.statements[kept] == 1]
    assert (one.agrees, one.disagrees) == (int((on_one == 1).sum()), int((on_one == -1).sum()))


def test_xids_meta_seed_and_consensus_survive_a_round_trip(tmp_path: Path) -> None:
    files = {
        COMMENTS: COMMENTS_NEW,
        VOTES: VOTES_SMALL,
        PARTICIPANTS_VOTES: "participant,xid,group-id,2,3,5\n7,crm-7,1,-1,,1\n8,,,,0,\n",
    }
    folder = parse_polis_files(files)
    assert folder.xids == {7: "crm-7"} and folder.exported_groups == {7: 1, 8: None}
    written = write_polis_folder(tmp_path / "out", folder)
    assert sorted(p.name for p in written) == sorted([COMMENTS, VOTES, PARTICIPANTS_VOTES,
                                                      SUMMARY])  # fmt: skip
    again = read_polis_folder(tmp_path / "out")
    assert again.xids == {7: "crm-7"}
    assert again.exported_groups == {0: None, 4: None, 7: 1, 8: None}
    assert [(c.is_meta, c.is_seed, c.group_informed_consensus) for c in again.comments] == [
        (False, True, 0.68), (False, False, 0.1), (True, False, None)]  # fmt: skip
    assert latest(again) == latest(folder)
    matrix = (tmp_path / "out" / PARTICIPANTS_VOTES).read_text().splitlines()
    assert matrix[0] == "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,2,3,5"
    assert "7,crm-7,1,0,2,1,1,-1,,1" in matrix


def test_the_vote_table_holds_the_latest_votes() -> None:
    folder = parse_polis_files({COMMENTS: COMMENTS_NEW, VOTES: VOTES_SMALL})
    table = vote_table(folder)
    assert table.participants.tolist() == [7, 8]  # by first vote
    assert table.statements.tolist() == [2, 3, 5]
    got = {
        (int(table.participants[r]), int(table.statements[c]), int(v))
        for r, c, v in zip(table.rows, table.cols, table.values, strict=True)
    }
    assert got == latest(folder)


def test_each_kept_vote_knows_when_its_pair_was_first_voted() -> None:
    folder = parse_polis_files({COMMENTS: COMMENTS_NEW, VOTES: VOTES_SMALL})
    assert folder.timestamps[folder.latest_votes()].tolist() == [200, 250, 300]
    assert folder.first_voted().tolist() == [200, 250, 100]
    london = read_polis_folder(LONDON)
    first = london.first_voted()
    kept = london.latest_votes()
    assert (first <= london.timestamps[kept]).all()
    assert int((first < london.timestamps[kept]).sum()) == 2  # the two re-votes
