"""Remote GDELT ingest against a local server serving export files built from real rows."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from geodrift.errors import ChecksumError, DownloadError, InputError
from geodrift.ingest import ingest_gdelt
from geodrift.sources.gdelt_remote import list_files
from geodrift.sources.http import download
from geodrift.store import Store
from tests.gdelt_files import gdelt1_line, gdelt2_line, georgia_rows, write_zip
from tests.httpserver import FileServer, serve

STAMPS = ["20200712000000", "20200712001500", "20200712003000", "20200712004500", "20200712010000"]


@pytest.fixture()
def gdelt_server(shared: Path, tmp_path: Path) -> Iterator[FileServer]:
    """GDELT 2.0 and 1.0 layouts: 5 fifteen-minute exports, 3 daily exports, with their file lists."""
    root = tmp_path / "www"
    (root / "gdeltv2").mkdir(parents=True)
    (root / "events").mkdir()
    rows = georgia_rows(shared, limit=1000)
    master = []
    for i, stamp in enumerate(STAMPS):
        path = write_zip(root / "gdeltv2" / f"{stamp}.export.CSV.zip", [gdelt2_line(r) for r in rows[i * 200:(i + 1) * 200]])
        data = path.read_bytes()
        master.append(f"{len(data)} {hashlib.md5(data).hexdigest()} http://data.gdeltproject.org/gdeltv2/{path.name}")
        master.append(f"123 {'0' * 32} http://data.gdeltproject.org/gdeltv2/{stamp}.mentions.CSV.zip")
    (root / "gdeltv2" / "masterfilelist.txt").write_text("\n".join(master) + "\n")
    sums, sizes = [], []
    for i, day in enumerate(["20200711", "20200712", "20200713"]):
        path = write_zip(root / "events" / f"{day}.export.CSV.zip", [gdelt1_line(r) for r in rows[i * 300:(i + 1) * 300]])
        data = path.read_bytes()
        sums.append(f"{hashlib.md5(data).hexdigest()}  {path.name}")
        sizes.append(f"{len(data)} {path.name}")
    (root / "events" / "md5sums").write_text("\n".join(sums) + "\n")
    (root / "events" / "filesizes").write_text("\n".join(sizes) + "\n")
    with serve(root) as server:
        yield server


def when(s: str) -> dt.datetime:
    return dt.datetime.strptime(s, "%Y%m%d%H%M%S")


def test_master_list_selects_exports_in_the_utc_range(gdelt_server: FileServer) -> None:
    files = list_files(2, when("20200712001500"), when("20200712004500"), base_url=gdelt_server.url)
    assert [f.name for f in files] == [f"{s}.export.CSV.zip" for s in STAMPS[1:3]]
    assert all(f.url.startswith(gdelt_server.url) and f.md5 and f.size for f in files)
    daily = list_files(1, when("20200712000000"), when("20200713000000"), base_url=gdelt_server.url)
    assert [f.name for f in daily] == ["20200712.export.CSV.zip"]
    with pytest.raises(InputError, match="empty time range"):
        list_files(2, when("20200713000000"), when("20200712000000"), base_url=gdelt_server.url)


def test_remote_ingest_streams_every_file_into_the_store(gdelt_server: FileServer, tmp_path: Path) -> None:
    with Store() as store:
        results = ingest_gdelt(store, 2, when("20200712000000"), when("20200712011500"),
                               base_url=gdelt_server.url, cache_dir=tmp_path / "cache")
        assert [r.status for r in results] == ["done"] * 5
        assert store.count_events() == 1000
        assert not list((tmp_path / "cache").rglob("*.zip")), "downloads are deleted once ingested"
        again = ingest_gdelt(store, 2, when("20200712000000"), when("20200712011500"),
                             base_url=gdelt_server.url, cache_dir=tmp_path / "cache")
        assert [r.status for r in again] == ["skipped"] * 5 and store.count_events() == 1000
    daily = Store()
    results = ingest_gdelt(daily, 1, when("20200711000000"), when("20200714000000"),
                           base_url=gdelt_server.url, cache_dir=tmp_path / "cache1")
    assert [r.accepted for r in results] == [300, 300, 300]


def test_md5_mismatch_and_http_errors_fail_one_file_not_the_run(gdelt_server: FileServer, tmp_path: Path) -> None:
    bad = gdelt_server.root / "gdeltv2" / f"{STAMPS[1]}.export.CSV.zip"
    bad.write_bytes(bad.read_bytes()[:-10] + b"0123456789")  # same size, different bytes
    (gdelt_server.root / "gdeltv2" / f"{STAMPS[3]}.export.CSV.zip").unlink()  # 404
    gdelt_server.faults[f"/gdeltv2/{STAMPS[2]}.export.CSV.zip"] = ["503", "500"]  # transient, then fine
    with Store() as store:
        results = ingest_gdelt(store, 2, when("20200712000000"), when("20200712011500"),
                               base_url=gdelt_server.url, cache_dir=tmp_path / "cache")
        assert [r.status for r in results] == ["done", "failed", "done", "failed", "done"]
        assert "MD5" in (results[1].message or "") and "HTTP 404" in (results[3].message or "")
        assert store.count_events() == 600
        failed = store.df("SELECT location, message FROM ingested_files WHERE status = 'failed'")
        assert len(failed) == 2


def test_dropped_connection_resumes_with_a_range_request(gdelt_server: FileServer, tmp_path: Path) -> None:
    name = f"/gdeltv2/{STAMPS[0]}.export.CSV.zip"
    data = (gdelt_server.root / name.lstrip("/")).read_bytes()
    gdelt_server.faults[name] = ["drop"]
    dest = download(gdelt_server.url + name, tmp_path / "f.zip", size=len(data),
                    md5=hashlib.md5(data).hexdigest(), backoff=0.01)
    assert dest.read_bytes() == data
    ranges = [r for p, r in gdelt_server.requests if p == name]
    assert ranges[0] is None and ranges[1] == f"bytes={len(data) // 2}-"


def test_a_partial_download_left_by_a_killed_run_is_resumed(gdelt_server: FileServer, tmp_path: Path) -> None:
    name = f"/gdeltv2/{STAMPS[0]}.export.CSV.zip"
    data = (gdelt_server.root / name.lstrip("/")).read_bytes()
    (tmp_path / "f.zip.part").write_bytes(data[:1000])
    download(gdelt_server.url + name, tmp_path / "f.zip", size=len(data), md5=hashlib.md5(data).hexdigest())
    assert (tmp_path / "f.zip").read_bytes() == data
    assert gdelt_server.requests[-1] == (name, "bytes=1000-")


def test_download_errors_are_typed(gdelt_server: FileServer, tmp_path: Path) -> None:
    name = f"/gdeltv2/{STAMPS[0]}.export.CSV.zip"
    with pytest.raises(ChecksumError, match="MD5"):
        download(gdelt_server.url + name, tmp_path / "a.zip", md5="0" * 32)
    with pytest.raises(DownloadError, match="HTTP 404"):
        download(gdelt_server.url + "/nope.zip", tmp_path / "b.zip")
    gdelt_server.faults[name] = ["503"] * 10
    with pytest.raises(DownloadError, match="HTTP 503"):
        download(gdelt_server.url + name, tmp_path / "c.zip", retries=2, backoff=0.01)
    with pytest.raises(DownloadError):
        download("http://127.0.0.1:9/nothing.zip", tmp_path / "d.zip", retries=1, backoff=0.01)


def test_a_master_list_line_whose_size_is_no_number_is_still_downloaded(gdelt_server: FileServer,
                                                                        tmp_path: Path) -> None:
    """Attacker review 6 (F13): "abc <md5> <url>" in the master list stopped `ingest gdelt2` with a ValueError
    traceback; the size is only a hint (GDELT 1.0 files without one are fetched too), the MD5 still checks the file."""
    listing = gdelt_server.root / "gdeltv2" / "masterfilelist.txt"
    lines = listing.read_text().splitlines()
    lines[2] = "abc " + lines[2].split(" ", 1)[1]  # the second export's size
    listing.write_text("\n".join(lines) + "\n")
    files = list_files(2, when("20200712001500"), when("20200712004500"), base_url=gdelt_server.url)
    assert [(f.name, f.size is None) for f in files] == [(f"{STAMPS[1]}.export.CSV.zip", True),
                                                         (f"{STAMPS[2]}.export.CSV.zip", False)]
    with Store() as store:
        results = ingest_gdelt(store, 2, when("20200712001500"), when("20200712004500"),
                               cache_dir=tmp_path / "cache", base_url=gdelt_server.url)
        assert [r.status for r in results] == ["done", "done"] and store.count_events() == 400


@pytest.mark.parametrize(("version", "listing", "bad"), [
    (2, "gdeltv2/masterfilelist.txt", "123 " + "0" * 32 + " http://data.gdeltproject.org/gdeltv2/20200732000000.export.CSV.zip"),
    (1, "events/md5sums", "0" * 32 + "  20200799.export.CSV.zip"),
    (1, "events/md5sums", "0" * 32 + "  202013.zip"),
])
def test_a_listed_name_that_is_no_real_time_is_skipped_and_counted(gdelt_server: FileServer, tmp_path: Path,
                                                                   version: int, listing: str, bad: str) -> None:
    """Attack review 8 F3: one line naming 31 July's next day (20200732...) stopped the whole ingest with a
    ValueError traceback, so no valid file was fetched, in this run or any later service run."""
    path = gdelt_server.root / listing
    path.write_text(bad + "\n" + path.read_text())
    start, end = when("20200712000000"), when("20200712003000")
    with Store() as store:
        results = ingest_gdelt(store, version, start, end, cache_dir=tmp_path / "cache", base_url=gdelt_server.url)
        skipped = [r for r in results if r.status == "skipped"]
        assert len(skipped) == 1 and "no real time" in (skipped[0].message or "")
        assert skipped[0].location.endswith(bad.split()[-1].rsplit("/", 1)[-1])
        assert [r.status for r in results if r not in skipped] == ["done"] * (1 if version == 1 else 2)
        assert store.count_events() == (300 if version == 1 else 400)
