"""ICEWS coded event files: the Dataverse tab-separated form and the snake_case CSV form.

ICEWS names countries in full ("Russia", "Azerbaijan") and describes actors by sector lists
("Executive,Foreign Ministry,Government"); both are mapped here (to ISO3 and to a role), the
raw values kept. ICEWS publishes no per-event timestamp, so date_added is the event date: a
lower bound that backtests must treat as such (docs/schema.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from geodrift.codebooks import icews_sector_roles
from geodrift.errors import CorruptFileError
from geodrift.sources.base import FileFormat, ParsedFile, first_line
from geodrift.sources.delimited import NO_TEXT_EVIDENCE_SQL, UNCODED_SQL, Dialect, parse_delimited

FIELDS = [
    ("event_id", "BIGINT"), ("event_date", "DATE"), ("source_name", "VARCHAR"),
    ("source_sectors", "VARCHAR"), ("source_country", "VARCHAR"), ("event_text", "VARCHAR"),
    ("cameo_code", "cameo_code"), ("intensity", "DOUBLE"), ("target_name", "VARCHAR"),
    ("target_sectors", "VARCHAR"), ("target_country", "VARCHAR"), ("story_id", "VARCHAR"),
    ("sentence_number", "VARCHAR"), ("publisher", "VARCHAR"), ("city", "VARCHAR"),
    ("district", "VARCHAR"), ("province", "VARCHAR"), ("country", "VARCHAR"),
    ("latitude", "DOUBLE"), ("longitude", "DOUBLE"),
]
CSV_EXTRA = [("year", "VARCHAR"), ("yearmonth", "VARCHAR")]
REQUIRED = ("event_id", "event_date", "cameo_code")
TAB_HEADER = "Event ID\tEvent Date\tSource Name"
CSV_HEADER = "event_id,event_date,source_name"


def _role_sql(column: str) -> str:
    cases = " ".join(
        f"WHEN contains(lower(raw.{column}), '{pattern}') THEN '{role}'" for pattern, role in icews_sector_roles()
    )
    return f"CASE {cases} END"


def _place_sql() -> str:
    """Most specific named place: city, else district, province, country."""
    return "coalesce(raw.city, raw.district, raw.province, raw.country)"


SELECT_SQL = f"""
SELECT
  'icews:' || raw.event_id AS event_id,
  'icews' AS source,
  CAST(raw.event_id AS VARCHAR) AS source_event_id,
  raw.event_date AS event_date,
  CAST(raw.event_date AS TIMESTAMP) AS date_added,
  'day' AS event_date_precision, 'day' AS date_added_precision,
  CAST(NULL AS VARCHAR) AS actor1_code, raw.source_name AS actor1_name, country_iso3(lower(raw.source_country)) AS actor1_country,
  raw.source_country AS actor1_country_raw, {_role_sql('source_sectors')} AS actor1_role,
  CAST(NULL AS VARCHAR) AS actor2_code, raw.target_name AS actor2_name, country_iso3(lower(raw.target_country)) AS actor2_country,
  raw.target_country AS actor2_country_raw, {_role_sql('target_sectors')} AS actor2_role,
  CAST(raw.cameo_code AS VARCHAR) AS event_code,
  left(CAST(raw.cameo_code AS VARCHAR), 3) AS event_base_code,
  left(CAST(raw.cameo_code AS VARCHAR), 2) AS event_root_code,
  CAST(cameo_quad(raw.cameo_code) AS TINYINT) AS quad_class,
  coalesce(raw.intensity, cameo_goldstein(raw.cameo_code)) AS goldstein,
  cameo_plover(raw.cameo_code) AS plover,
  1 AS num_mentions, 1 AS num_sources, 1 AS num_articles,
  CAST(NULL AS DOUBLE) AS avg_tone,
  CAST(NULL AS BOOLEAN) AS is_root_event,
  CAST(CASE WHEN raw.city IS NOT NULL THEN 4 WHEN raw.province IS NOT NULL THEN 2
       WHEN raw.country IS NOT NULL THEN 1 END AS TINYINT) AS action_geo_type,
  {_place_sql()} AS action_geo_name,
  country_iso3(lower(raw.country)) AS action_geo_country,
  raw.country AS action_geo_country_raw,
  raw.province AS action_geo_adm1,
  raw.latitude AS action_geo_lat,
  raw.longitude AS action_geo_lon,
  CAST(NULL AS VARCHAR) AS source_url,
  raw.publisher AS outlet,
  {UNCODED_SQL},
  'icews-story:' || raw.story_id AS evidence_article_id,
  {NO_TEXT_EVIDENCE_SQL}
FROM raw
"""


class _Icews(FileFormat):
    """Shared reading of both ICEWS layouts; subclasses give the header and dialect."""

    source = "icews"
    header: ClassVar[str]
    dialect: ClassVar[Dialect]

    @classmethod
    def sniff(cls, path: Path, head: str) -> bool:
        return head.startswith(cls.header)

    @contextmanager
    def open(self, path: Path) -> Iterator[ParsedFile]:
        head = first_line(path)
        if not head.startswith(self.header):
            raise CorruptFileError(f"{path}: expected an ICEWS header starting {self.header!r}")
        extra = CSV_EXTRA if head.rstrip().endswith("yearmonth") else []
        with parse_delimited(path, columns=FIELDS + extra, dialect=self.dialect, select_sql=SELECT_SQL,
                             required=REQUIRED, dates=("event_date",)) as parsed:
            try:
                yield parsed
            finally:
                parsed.close()


class IcewsTab(_Icews):
    """ICEWS Dataverse event file: tab-separated, header "Event ID<TAB>Event Date<TAB>..."."""

    name = "icews-tab"
    header = TAB_HEADER
    dialect = Dialect(delim="\t", header=True, dateformat="%Y-%m-%d", nullstr=("", "NA"))


class IcewsCsv(_Icews):
    """ICEWS events as snake_case CSV (e.g. the R icews package's data): quoted, with year columns."""

    name = "icews-csv"
    header = CSV_HEADER
    dialect = Dialect(delim=",", header=True, quote='"', dateformat="%Y-%m-%d", nullstr=("", "NA"))
