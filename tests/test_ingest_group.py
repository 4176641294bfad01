"""Files go straight from DuckDB's reader into events inside the group's transaction (geodrift.direct): a read that
fails mid-group keeps the group's other files, in file order; blank lines and unusable rows are accounted for;
the line check counts lines."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from geodrift import ingest
from geodrift.errors import CorruptFileError
from geodrift.ingest import ingest_files
from geodrift.lake_store import LakeStore
from geodrift.sources.base import get_format
from geodrift.sources.lines import check_lines
from geodrift.store import FileAppend, Store
from tests.gdelt_files import gdelt1_line, georgia_rows


def _export(shared: Path, folder: Path, day: str, rows: slice, extra: list[str] | None = None) -> Path:
    lines = [gdelt1_line(r) for r in georgia_rows(shared, limit=400)[rows]]
    path = folder / f"{day}.export.CSV"
    path.write_text("\n".join([*lines, *(extra or [])]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("lake", [False, True])
def test_a_read_failing_mid_group_keeps_the_other_files_in_order(shared: Path, tmp_path: Path, lake: bool,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # The group's one read fails; it is redone file by file (a lake unstages what that read had staged).
    files = [_export(shared, tmp_path, f"2011080{i}", slice(100 * i, 100 * (i + 1))) for i in range(1, 4)]
    real_parse = ingest._parse

    def vanishing(path: Path, *args: Any) -> Any:
        prepared = real_parse(path, *args)
        if path == files[1]:  # checked, then gone before DuckDB reads it: DuckDB's error aborts the transaction
            prepared.scan.readable = tmp_path / "gone.CSV"
        return prepared

    monkeypatch.setattr(ingest, "_parse", vanishing)
    with LakeStore(tmp_path / "lake") if lake else Store(":memory:") as store:
        results = ingest_files(store, files, group_rows=10**9)  # one group
        assert [r.status for r in results] == ["done", "failed", "done"]
        assert "cannot be read" in (results[1].message or "")
        ids = [r.file_id for r in results]
        assert ids == sorted(ids) and len(set(ids)) == 3  # file order, the failed file between the others
        assert [r.accepted for r in (results[0], results[2])] == [100, 100]
        assert store.con.execute("SELECT file_id, count(*) FROM events GROUP BY ALL ORDER BY 1").fetchall() == [
            (ids[0], 100), (ids[2], 100)]
        assert store.con.execute("SELECT sum(rows_accepted) FROM ingested_files").fetchall() == [(200,)]


def test_a_failed_commit_keeps_nothing_of_the_group(shared: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    files = [_export(shared, tmp_path, f"2011080{i}", slice(100 * i, 100 * (i + 1))) for i in range(1, 3)]

    def crash(*args: Any) -> Any:
        raise KeyboardInterrupt

    with Store(":memory:") as store:
        monkeypatch.setattr("geodrift.direct.record_files", crash)
        with pytest.raises(KeyboardInterrupt):
            ingest_files(store, files, group_rows=10**9)
        assert store.count_events() == 0 and store.pending() == frozenset()
        assert store.con.execute("SELECT count(*) FROM ingested_files").fetchall() == [(0,)]
        monkeypatch.undo()
        assert [r.accepted for r in ingest_files(store, files)] == [100, 100]  # the resumed run redoes it


def test_blank_and_unusable_lines_are_counted_not_lost(shared: Path, tmp_path: Path) -> None:
    # A blank line gives no row (DuckDB skips it): the line count no longer matches, so the unusable rows are
    # looked for, and found. A row whose required SQLDATE is empty is unusable.
    row = georgia_rows(shared, limit=1)[0]
    undated = gdelt1_line({**row, "GLOBALEVENTID": "999999999", "SQLDATE": ""})
    path = _export(shared, tmp_path, "20110810", slice(0, 50), ["", undated])
    with Store(":memory:") as store:
        result, = ingest_files(store, [path])
        assert (result.accepted, result.duplicate, result.rejected) == (50, 0, 1)
        assert store.con.execute("SELECT line, reason FROM quarantine").fetchall() == [
            (None, "MISSING VALUE in field SQLDATE: a required field is empty")]


def test_repeated_ids_within_a_file_keep_the_first_line(shared: Path, tmp_path: Path) -> None:
    rows = georgia_rows(shared, limit=20)
    later = gdelt1_line({**rows[3], "NumMentions": "777"})  # same id as line 4, a different row
    path = _export(shared, tmp_path, "20110811", slice(0, 20), [later])
    with Store(":memory:") as store:
        result, = ingest_files(store, [path])
        assert (result.accepted, result.duplicate) == (20, 1)
        assert store.con.execute("SELECT num_mentions FROM events WHERE source_event_id = ?",
                                 [rows[3]["GLOBALEVENTID"]]).fetchall() == [(int(rows[3]["NumMentions"]),)]


def test_a_file_stored_out_of_order_is_read_again_so_its_first_line_is_kept(shared: Path, tmp_path: Path) -> None:
    # The insert may store a file's rows out of order (direct.unordered): here the later copy of a repeated id is made
    # the earlier row, as a parallel insert can; the duplicate check reads the file again and keeps line 4's copy.
    rows = georgia_rows(shared, limit=20)
    path = _export(shared, tmp_path, "20110811", slice(0, 20), [gdelt1_line({**rows[3], "NumMentions": "777"})])
    with Store(":memory:") as store, get_format("gdelt1").open(path) as parsed:
        assert parsed.scan is not None
        (file_id, usable, _), = store.insert_scans([parsed.scan])
        ident = f"gdelt1:{rows[3]['GLOBALEVENTID']}"
        store.con.execute("CREATE TEMP TABLE moved AS SELECT * FROM events WHERE event_id = ? AND num_mentions <> 777 "
                          "OR event_id <> ?", [ident, ident])
        store.con.execute("DELETE FROM events WHERE event_id = ? AND num_mentions <> 777 OR event_id <> ?", [ident, ident])
        store.con.execute("INSERT INTO events SELECT * FROM moved")  # line 4's copy now after line 21's
        result, = store.append_files([FileAppend("gdelt1", str(path), "x", None, [], [], file_id)])
        assert (usable, result.accepted, result.duplicate) == (21, 20, 1)
        assert store.con.execute("SELECT num_mentions FROM events WHERE event_id = ?", [ident]).fetchall() == [
            (int(rows[3]["NumMentions"]),)]


def test_a_failed_read_leaves_the_connection_keeping_row_order(shared: Path, tmp_path: Path) -> None:
    # The insert stores rows unordered (direct.unordered); its failure aborts the transaction before that setting can be
    # reset, so the rollback resets it: the store's later queries and appends keep their order.
    path = _export(shared, tmp_path, "20110812", slice(0, 20))
    with Store(":memory:") as store, get_format("gdelt1").open(path) as parsed:
        assert parsed.scan is not None
        parsed.scan.readable = tmp_path / "gone.CSV"
        with pytest.raises(CorruptFileError, match="cannot be read"):
            store.insert_scans([parsed.scan])
        assert store.pending() == frozenset()
        assert store.con.execute("SELECT current_setting('preserve_insertion_order')").fetchall() == [(True,)]


@pytest.mark.parametrize(("data", "lines"), [
    (b"", 0), (b"a", 1), (b"a\n", 1), (b"a\nb", 2), (b"a\n\nb\n", 3), (b"a\r\nb\r\n", 2), (b"x" * 3000 + b"\ny\n", 2)])
def test_the_line_check_counts_lines(data: bytes, lines: int) -> None:
    assert check_lines(io.BytesIO(data), 1000)[1] == lines


def test_a_group_read_at_once_stores_what_file_by_file_stores(shared: Path, tmp_path: Path) -> None:
    # One read_csv over the group's files: each row under its own file, each reject under its file with its line.
    row = georgia_rows(shared, limit=1)[0]
    short = "\t".join(gdelt1_line(row).split("\t")[:20])  # too few fields: DuckDB's reader rejects it
    undated = gdelt1_line({**row, "GLOBALEVENTID": "999999998", "SQLDATE": ""})
    files = [_export(shared, tmp_path, "20110812", slice(0, 60)),
             _export(shared, tmp_path, "20110813", slice(60, 120), [short, undated]),
             _export(shared, tmp_path, "20110814", slice(100, 160))]  # 20 ids of the file before it again
    with Store(":memory:") as together, Store(":memory:") as apart:
        grouped = ingest_files(together, files, group_rows=10**9)
        single = ingest_files(apart, files, group_rows=1)
        counts = [(r.accepted, r.duplicate, r.rejected) for r in grouped]
        assert counts == [(r.accepted, r.duplicate, r.rejected) for r in single] == [(60, 0, 0), (60, 0, 2), (40, 20, 0)]
        for table in ("events", "quarantine"):
            rows = [s.con.execute(f"SELECT * EXCLUDE (file_id), dense_rank() OVER (ORDER BY file_id) FROM {table} "
                                  "ORDER BY ALL").fetchall() for s in (together, apart)]
            assert rows[0] == rows[1] and rows[0]
        assert together.con.execute("SELECT line, left(reason, 15) FROM quarantine ORDER BY 1").fetchall() == [
            (61, "MISSING COLUMNS"), (None, "MISSING VALUE i")]  # the short line by its number, the undated row by its text


def test_a_group_of_several_layouts_reads_each_run_of_one_layout_together(shared: Path, tmp_path: Path) -> None:
    # GDELT 1.0 exports (tab-separated) around a file of the Georgia CSV layout: three reads, ids still in file order.
    georgia = shared / "gdelt-v1-georgia-2011-2013" / "nov2011.csv.gz"
    files = [_export(shared, tmp_path, "20110815", slice(0, 50)), _export(shared, tmp_path, "20110816", slice(50, 100)),
             georgia, _export(shared, tmp_path, "20110817", slice(100, 150))]
    with Store(":memory:") as together, Store(":memory:") as apart:
        grouped = ingest_files(together, files, group_rows=10**9)
        single = ingest_files(apart, files, group_rows=1)
        assert [r.status for r in grouped] == ["done"] * 4
        assert [(r.accepted, r.duplicate) for r in grouped] == [(r.accepted, r.duplicate) for r in single]
        assert [r.file_id for r in grouped] == sorted(r.file_id for r in grouped)
        assert grouped[0].accepted == 50 and grouped[2].accepted > 1000
        rows = [s.con.execute("SELECT * EXCLUDE (file_id), dense_rank() OVER (ORDER BY file_id) FROM events "
                              "ORDER BY ALL").fetchall() for s in (together, apart)]
        assert rows[0] == rows[1]
