"""GDELT event files: 1.0 daily exports, 2.0 15-minute exports, and BigQuery CSV extracts.

Field lists follow the GDELT 1.0 and 2.0 event codebooks (../shared/data/gdelt-schema).
Quirks handled here:
- GDELT 1.0 files before April 2013 have 57 fields, later ones 58 (SOURCEURL added).
- GDELT 2.0 adds ADM2 codes to each geo block (61 fields) and stamps DATEADDED to the second.
- BigQuery/R CSV extracts have a header, quote strings and write missing values as NA; some
  carry an unnamed leading row-number field in every data row (59 fields under 58 names).
- Actor countries are CAMEO codes (mostly ISO3, plus regions such as EUR or WST, which map to
  null), place countries are FIPS 10-4 (AJ = Azerbaijan): both are mapped to ISO3, raw kept.
"""

from __future__ import annotations

import csv
import gzip
import re
import shutil
import tempfile
import zipfile
from abc import abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar, cast

from isal import isal_zlib

from geodrift.errors import CorruptFileError
from geodrift.sources.base import FileFormat, ParsedFile, is_gzip
from geodrift.sources.delimited import (
    NO_TEXT_EVIDENCE_SQL,
    UNCODED_SQL,
    Dialect,
    missing_columns,
    parse_delimited,
    without_columns,
)

_ACTOR_FIELDS = [
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
]


def _geo_fields(prefix: str, adm2: bool) -> list[str]:
    names = ["Type", "FullName", "CountryCode", "ADM1Code"] + (["ADM2Code"] if adm2 else []) + ["Lat", "Long", "FeatureID"]
    return [f"{prefix}Geo_{n}" for n in names]


def field_names(version: int, with_url: bool = True) -> list[str]:
    """GDELT event field names in file order: version 1 (57 or 58 fields) or 2 (61)."""
    adm2 = version == 2
    names = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    names += [f"Actor1{f}" for f in _ACTOR_FIELDS] + [f"Actor2{f}" for f in _ACTOR_FIELDS]
    names += [
        "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
        "NumMentions", "NumSources", "NumArticles", "AvgTone",
    ]
    names += _geo_fields("Actor1", adm2) + _geo_fields("Actor2", adm2) + _geo_fields("Action", adm2)
    names += ["DATEADDED"] + (["SOURCEURL"] if with_url or version == 2 else [])
    return names


_TYPES = {
    "GLOBALEVENTID": "BIGINT",
    "SQLDATE": "DATE",
    "IsRootEvent": "TINYINT",
    "EventCode": "cameo_code",
    "QuadClass": "TINYINT",
    "GoldsteinScale": "DOUBLE",
    "NumMentions": "INTEGER",
    "NumSources": "INTEGER",
    "NumArticles": "INTEGER",
    "AvgTone": "DOUBLE",
    "ActionGeo_Type": "TINYINT",
    "ActionGeo_Lat": "DOUBLE",
    "ActionGeo_Long": "DOUBLE",
}
REQUIRED = ("GLOBALEVENTID", "SQLDATE", "EventCode")
_LOOK = 20
"""Opening lines of a headerless export looked at for its layout (the first may be the damaged one)."""
DATES = ("SQLDATE", "DATEADDED")


def typed_columns(names: list[str], dateadded_type: str) -> list[tuple[str, str]]:
    """(name, DuckDB type) per field: the fields geodrift uses are typed (and so validated)."""
    return [(n, dateadded_type if n == "DATEADDED" else _TYPES.get(n, "VARCHAR")) for n in names]


def _actor_sql(n: int) -> str:
    a = f"raw.Actor{n}"
    return (
        f"{a}Code AS actor{n}_code, {a}Name AS actor{n}_name, country_iso3(lower({a}CountryCode)) AS actor{n}_country, "
        f"{a}CountryCode AS actor{n}_country_raw, {a}Type1Code AS actor{n}_role"
    )


def select_sql(source: str, has_url: bool) -> str:
    """Projection of raw GDELT fields to the canonical schema. GDELT 2.0's DATEADDED is to the second (precision
    ``second``: known then), 1.0's a day (``day``: known by its end, units_sql.PUBLISHED)."""
    url = "nullif(raw.SOURCEURL, '')" if has_url else "CAST(NULL AS VARCHAR)"
    added = "second" if source == "gdelt2" else "day"
    return f"""
SELECT
  '{source}:' || raw.GLOBALEVENTID AS event_id,
  '{source}' AS source,
  CAST(raw.GLOBALEVENTID AS VARCHAR) AS source_event_id,
  raw.SQLDATE AS event_date,
  CAST(raw.DATEADDED AS TIMESTAMP) AS date_added,
  'day' AS event_date_precision, '{added}' AS date_added_precision,
  {_actor_sql(1)},
  {_actor_sql(2)},
  CAST(raw.EventCode AS VARCHAR) AS event_code,
  left(CAST(raw.EventCode AS VARCHAR), 3) AS event_base_code,
  left(CAST(raw.EventCode AS VARCHAR), 2) AS event_root_code,
  CAST(coalesce(CASE WHEN raw.QuadClass BETWEEN 1 AND 4 THEN raw.QuadClass END,
                cameo_quad(raw.EventCode)) AS TINYINT) AS quad_class,
  coalesce(raw.GoldsteinScale, cameo_goldstein(raw.EventCode)) AS goldstein,
  cameo_plover(raw.EventCode) AS plover,
  raw.NumMentions AS num_mentions,
  raw.NumSources AS num_sources,
  raw.NumArticles AS num_articles,
  raw.AvgTone AS avg_tone,
  raw.IsRootEvent = 1 AS is_root_event,
  raw.ActionGeo_Type AS action_geo_type,
  raw.ActionGeo_FullName AS action_geo_name,
  fips_iso3(raw.ActionGeo_CountryCode) AS action_geo_country,
  raw.ActionGeo_CountryCode AS action_geo_country_raw,
  raw.ActionGeo_ADM1Code AS action_geo_adm1,
  raw.ActionGeo_Lat AS action_geo_lat,
  raw.ActionGeo_Long AS action_geo_lon,
  {url} AS source_url,
  nullif(regexp_extract({url}, '^[a-zA-Z]+://(www\\.)?([^/:?#]+)', 2), '') AS outlet,
  {UNCODED_SQL},
  CAST(NULL AS VARCHAR) AS evidence_article_id,
  {NO_TEXT_EVIDENCE_SQL}
FROM raw
"""


@contextmanager
def unzipped(path: Path) -> Iterator[Path]:
    """The single member of a GDELT zip, extracted to a temporary file (CRC checked).

    Raises:
        CorruptFileError: not a zip, truncated, empty or failing its CRC check.
    """
    with tempfile.TemporaryDirectory(prefix="geodrift-") as tmp:
        try:
            with zipfile.ZipFile(path) as zf:
                members = [m for m in zf.infolist() if not m.is_dir()]
                if not members:
                    raise CorruptFileError(f"{path}: zip archive is empty")
                target = Path(tmp) / Path(members[0].filename).name
                if members[0].compress_type == zipfile.ZIP_DEFLATED:
                    _inflate(path, members[0], target)
                else:
                    with zf.open(members[0]) as src, target.open("wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
        except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, _INFLATE_ERROR) as exc:
            raise CorruptFileError(f"{path}: corrupt or truncated zip archive ({exc})") from None
        yield target


_INFLATE_ERROR = cast("type[Exception]", isal_zlib.IsalError)
"""A damaged deflate stream (isal's type stub declares it an instance, not a class)."""


def _inflate(path: Path, member: zipfile.ZipInfo, target: Path) -> None:
    """Write a deflated zip member to ``target`` through ISA-L's inflate, checking its size and CRC.

    Why: unzipping was a fifth of ingest's CPU with the standard library's zlib; ISA-L inflates the same stream
    about three times faster (issue 19).
    """
    with path.open("rb") as src, target.open("wb") as dst:
        src.seek(member.header_offset)
        header = src.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local file header")
        src.seek(int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little"), 1)
        inflate, crc, size, left = isal_zlib.decompressobj(-15), 0, 0, member.compress_size
        while left > 0:
            chunk = src.read(min(left, 1 << 20))
            if not chunk:
                raise EOFError("the archive ends inside its member")
            left -= len(chunk)
            out = inflate.decompress(chunk)
            crc, size = isal_zlib.crc32(out, crc), size + len(out)
            dst.write(out)
        if not inflate.eof or size != member.file_size or crc != member.CRC:
            raise zipfile.BadZipFile(f"bad CRC-32 or size for {member.filename}")


def count_fields(line: str, delim: str) -> int:
    """Fields in a line of an unquoted (tab) or quoted (CSV) file; quotes only matter for CSV."""
    if delim == "\t":
        return line.count("\t") + 1
    return len(next(csv.reader([line])))


class _GdeltExport(FileFormat):
    """Shared reading of headerless, tab-separated GDELT exports (plain or zipped)."""

    version: ClassVar[int]
    name_pattern: ClassVar[str]
    """Regex for the file names GDELT publishes, matched case-insensitively."""
    field_counts: ClassVar[tuple[int, ...]]
    """Fields per line this version may have."""

    @classmethod
    def sniff(cls, path: Path, head: str) -> bool:
        if re.fullmatch(cls.name_pattern, path.name, flags=re.IGNORECASE):
            return True
        return not head.startswith("GLOBALEVENTID") and head.count("\t") + 1 in cls.field_counts

    def _first_whole(self, path: Path, heads: list[str]) -> str:
        """The first of the file's opening lines with a field count this version has (its layout is the file's; other
        lines are quarantined with their count).

        Raises:
            CorruptFileError: none has: the file lacks a column (or has one too many) throughout, which the message
                says with the counts, instead of quarantining every row as a malformed line.
        """
        for line in heads:
            if count_fields(line, "\t") in self.field_counts:
                return line
        counts = sorted({count_fields(line, "\t") for line in heads})
        expected = " or ".join(map(str, self.field_counts))
        raise CorruptFileError(
            f"{path}: its first {len(heads)} lines have {', '.join(map(str, counts))} tab-separated fields; a GDELT "
            f"{self.version}.0 export has {expected} (fields are known by their place, so a file lacking a column "
            "cannot be read; no row was read)")

    @abstractmethod
    def _layout(self, first: str) -> tuple[list[str], str]:
        """Field names and the DATEADDED type for a file whose first line is ``first``."""

    @contextmanager
    def open(self, path: Path) -> Iterator[ParsedFile]:
        with _maybe_unzipped(path) as plain:
            with plain.open("rb") as fh:
                heads = [fh.readline().decode("utf-8", errors="replace").rstrip("\r\n") for _ in range(_LOOK)]
            if not heads[0]:
                raise CorruptFileError(f"{path}: file is empty")
            first = self._first_whole(path, [h for h in heads if h])
            names, dateadded = self._layout(first)
            with parse_delimited(
                plain,
                columns=typed_columns(names, dateadded),
                dialect=Dialect(delim="\t", header=False),
                select_sql=select_sql(self.source, "SOURCEURL" in names),
                required=REQUIRED,
                dates=DATES,
            ) as parsed:
                try:
                    yield parsed
                finally:
                    parsed.close()


@contextmanager
def _maybe_unzipped(path: Path) -> Iterator[Path]:
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        with unzipped(path) as plain:
            yield plain
    else:
        yield path


class Gdelt1Export(_GdeltExport):
    """GDELT 1.0 daily export: YYYYMMDD.export.CSV.zip, 57 or 58 tab-separated fields."""

    name = "gdelt1"
    source = "gdelt1"
    version = 1
    name_pattern = r"\d{8}\.export\.csv(\.zip)?"
    field_counts = (57, 58)

    def _layout(self, first: str) -> tuple[list[str], str]:
        # The count of the first line chooses the layout; rows that differ are rejected by DuckDB.
        with_url = count_fields(first, "\t") != 57
        return field_names(1, with_url), "DATE"


class Gdelt2Export(_GdeltExport):
    """GDELT 2.0 15-minute export (English or translingual): 61 tab-separated fields."""

    name = "gdelt2"
    source = "gdelt2"
    version = 2
    name_pattern = r"\d{14}\.(translation\.)?export\.csv(\.zip)?"
    field_counts = (61,)

    def _layout(self, first: str) -> tuple[list[str], str]:
        return field_names(2), "TIMESTAMP"


class GdeltBigQueryCsv(FileFormat):
    """Comma-separated GDELT 1.0 extracts with a header row (BigQuery, R write.csv, pandas).

    Missing values may be written NA; a leading unnamed row-number field is tolerated.
    """

    name = "gdelt-csv"
    source = "gdelt1"

    @classmethod
    def sniff(cls, path: Path, head: str) -> bool:
        return head.lstrip('"').startswith("GLOBALEVENTID") and "," in head

    @contextmanager
    def open(self, path: Path) -> Iterator[ParsedFile]:
        opener = gzip.open if is_gzip(path) else open
        try:
            with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as fh:
                rows = csv.reader(fh)
                header = next(rows, None)
                second = next(rows, None)
        except (OSError, EOFError) as exc:
            raise CorruptFileError(f"{path}: cannot be read ({exc})") from None
        if not header:
            raise CorruptFileError(f"{path}: file is empty")
        names = [h.strip() for h in header]
        source_version = 2 if any(n.endswith("_ADM2Code") for n in names) else 1
        expected = field_names(source_version, "SOURCEURL" in names)
        unknown = [n for n in names if n not in expected and n != "month"]
        if unknown:
            raise CorruptFileError(f"{path}: header has fields GDELT does not define: {', '.join(unknown[:5])}")
        if missing := [n for n in REQUIRED if n not in names]:
            raise missing_columns(path, f"a GDELT {source_version}.0 event extract", missing)
        # Read by name: a column the extract left out is null (a query selecting some columns), never shifted.
        absent = [(n, t) for n, t in typed_columns(expected, "VARCHAR") if n not in names]
        if second is not None and len(second) == len(names) + 1:
            names = ["_row_number", *names]
        dateadded = "TIMESTAMP" if source_version == 2 else "DATE"
        with parse_delimited(
            path,
            columns=typed_columns(names, dateadded),
            dialect=Dialect(delim=",", header=False, skip=1, quote='"', nullstr=("NA", "")),
            select_sql=without_columns(select_sql(f"gdelt{source_version}", "SOURCEURL" in names), absent),
            required=REQUIRED,
            dates=[d for d in DATES if d in names],
        ) as parsed:
            try:
                yield parsed
            finally:
                parsed.close()


