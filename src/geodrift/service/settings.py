"""The service's settings: a ``geodrift.toml`` read with tomllib into typed, frozen objects.

Every key is optional; a missing file means the defaults. A wrong key or value is one ``ConfigError`` line naming
it (``geodrift.toml: [fetch] timeout must be a number of seconds, got 'soon'``). docs/service.md shows a full file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geodrift.config import DEFAULT_DB, Settings
from geodrift.errors import ConfigError
from geodrift.service.state import Feed

DEFAULT_GDELT = "http://data.gdeltproject.org"
USER_AGENT = "geodrift/0.1 (+https://github.com/geodrift; daily service)"


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how patiently the service fetches.

    Attributes:
        timeout: seconds for connecting and for each read.
        deadline: seconds one fetch may take in all (a server trickling bytes is cut off).
        retries: further attempts after a network error or a 408/429/5xx answer.
        backoff: seconds before the first retry, doubled at each further one.
        max_bytes: largest body read; a larger one is refused (Content-Length) or cut off and recorded.
        host_delay: seconds between two requests to one host (robots.txt's Crawl-delay when longer).
        max_redirects: redirects followed; a loop is recognised at its first repeat.
        robots: obey robots.txt.
        user_agent: the User-Agent header and the robots.txt agent.
    """

    timeout: float = 20.0
    deadline: float = 120.0
    retries: int = 2
    backoff: float = 1.0
    max_bytes: int = 10_000_000
    host_delay: float = 1.0
    max_redirects: int = 5
    robots: bool = True
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Subscriber:
    """Someone told of alerts about some countries or pairs, by a webhook signed with ``secret`` (HMAC-SHA256)."""

    name: str
    webhook: str
    secret: str = ""
    countries: tuple[str, ...] = ()
    pairs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceConfig:
    """Everything ``geodrift update``/``watch`` need besides the store (docs/service.md)."""

    path: Path | None = None
    db: str | None = None
    every: float = 900.0
    """Seconds between runs of ``watch``."""
    gdelt2: bool = True
    gdelt1: bool = False
    gdelt_base_url: str = DEFAULT_GDELT
    translingual: bool = False
    gdelt2_lookback: float = 3600.0
    """Seconds of GDELT 2.0 exports a first run fetches (and how far back a run retries failed files)."""
    gdelt1_lookback: float = 3 * 86400.0
    gdelt_max_bytes: int = 500_000_000
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    feeds: tuple[Feed, ...] = ()
    regions: tuple[str, ...] = ("caucasus",)
    briefing_days: int = 7
    briefing_formats: tuple[str, ...] = ("html", "md", "json")
    briefings_dir: Path | None = None
    escalation_units: tuple[str, ...] = ()
    forecast_days: tuple[int, ...] = (7, 30)
    forecast_threshold: float = 0.5
    forecast_backtest_days: int = 7
    """A backtest's model choice is reused for this many days while the data it ran on is unchanged (service/forecasts.py)."""
    alert_countries: tuple[str, ...] = ()
    alert_pairs: tuple[str, ...] = ()
    alert_poles: tuple[str, str] | None = None
    """Poles of the alignment shifts watched; None: each region's poles."""
    recent_days: int = 14
    """Flare-ups and shifts first detected within this many days of the run become alerts."""
    subscribers: tuple[Subscriber, ...] = ()
    webhook_attempts: int = 5
    """Deliveries of one alert to one webhook, over runs, before it is marked failed."""

    def briefings_folder(self, db: str) -> Path:
        """Where daily briefings are written: the configured folder, else ``<db>.briefings`` beside the store."""
        if self.briefings_dir is not None:
            return self.briefings_dir
        return Path((".geodrift" if db == ":memory:" else db) + ".briefings")

    def store_path(self, settings: Settings) -> str:
        """The store: --db or GEODRIFT_DB when given, else [store] db of the file, else the default."""
        if settings.db != DEFAULT_DB or self.db is None:
            return settings.db
        return self.db


def parse_duration(text: str | float | int, what: str = "duration") -> float:
    """Seconds from ``90``, ``"90s"``, ``"15m"``, ``"2h"`` or ``"1d"``.

    Raises:
        ConfigError: anything else, or a value below one second.
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        seconds = float(text)
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", str(text))
        if not match:
            raise ConfigError(f"{what} must be a duration such as 90s, 15m, 2h or 1d, got {str(text)[:40]!r}")
        seconds = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    if seconds < 0.001:
        raise ConfigError(f"{what} must be positive, got {text!r}")
    return seconds


class _Table:
    """One [section] of the file: typed getters that name the key in their error, and a check for unknown keys."""

    def __init__(self, source: str, name: str, values: Any) -> None:
        if not isinstance(values, dict):
            raise ConfigError(f"{source}: {name} must be a table")
        self.source, self.name, self.values = source, name, values
        self.used: set[str] = set()

    def _fail(self, key: str, expected: str) -> ConfigError:
        return ConfigError(f"{self.source}: {self.name}.{key} must be {expected}, got {self.values[key]!r:.60}")

    def get(self, key: str, kind: type | tuple[type, ...], expected: str, default: Any) -> Any:
        self.used.add(key)
        if key not in self.values:
            return default
        value = self.values[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise self._fail(key, expected)
        return value

    def number(self, key: str, default: float, least: float = 0.0) -> float:
        value = float(self.get(key, (int, float), "a number", default))
        if value < least:
            raise self._fail(key, f"at least {least:g}")
        return value

    def strings(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.get(key, list, "a list of strings", list(default))
        if not all(isinstance(v, str) for v in value):
            raise self._fail(key, "a list of strings")
        return tuple(value)

    def duration(self, key: str, default: float) -> float:
        self.used.add(key)
        if key not in self.values:
            return default
        return parse_duration(self.values[key], f"{self.source}: {self.name}.{key}")

    def done(self) -> None:
        unknown = sorted(set(self.values) - self.used)
        if unknown:
            raise ConfigError(f"{self.source}: {self.name} has no setting {unknown[0]!r}")


def _feeds(source: str, entries: Any) -> tuple[Feed, ...]:
    if not isinstance(entries, list):
        raise ConfigError(f"{source}: feeds must be an array of tables")
    found = []
    for number, entry in enumerate(entries, 1):
        table = _Table(source, f"feeds[{number}]", entry)
        url = table.get("url", str, "a URL", None)
        if not url or not url.startswith(("http://", "https://")):
            raise ConfigError(f"{source}: feeds[{number}] needs url = \"http(s)://...\"")
        kind = table.get("kind", str, "feed or page", "feed")
        if kind not in ("feed", "page"):
            raise ConfigError(f"{source}: feed {number}: kind must be feed or page, got {kind!r}")
        found.append(Feed(url, kind, table.get("outlet", str, "a string", None),
                               table.get("country", str, "a string", None), table.get("language", str, "a string", None)))
        table.done()
    return tuple(found)


def _subscribers(source: str, entries: Any) -> tuple[Subscriber, ...]:
    if not isinstance(entries, list):
        raise ConfigError(f"{source}: alerts.subscribers must be an array of tables")
    found = []
    for number, entry in enumerate(entries, 1):
        table = _Table(source, f"alerts.subscribers[{number}]", entry)
        webhook = table.get("webhook", str, "a URL", "")
        if not webhook.startswith(("http://", "https://")):
            raise ConfigError(f"{source}: subscriber {number} needs webhook = \"http(s)://...\"")
        found.append(Subscriber(table.get("name", str, "a string", f"subscriber {number}"), webhook,
                                table.get("secret", str, "a string", ""), table.strings("countries"),
                                table.strings("pairs")))
        table.done()
    return tuple(found)


def load_config(path: Path | None) -> ServiceConfig:
    """The service settings in ``path`` (None or a missing ./geodrift.toml: the defaults).

    Raises:
        ConfigError: the file is not TOML, or a setting is unknown or of the wrong type.
    """
    if path is None:
        path = Path("geodrift.toml")
        if not path.is_file():
            return ServiceConfig()
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: not valid TOML ({exc})") from None
    known = {"store", "schedule", "gdelt", "fetch", "feeds", "briefing", "forecasts", "alerts"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown section {unknown[0]!r} (known: {', '.join(sorted(known))})")
    store = _Table(source, "store", data.get("store", {}))
    schedule = _Table(source, "schedule", data.get("schedule", {}))
    gdelt = _Table(source, "gdelt", data.get("gdelt", {}))
    fetch = _Table(source, "fetch", data.get("fetch", {}))
    briefing = _Table(source, "briefing", data.get("briefing", {}))
    forecasts = _Table(source, "forecasts", data.get("forecasts", {}))
    alerts = _Table(source, "alerts", {k: v for k, v in data.get("alerts", {}).items() if k != "subscribers"})
    base = ServiceConfig()
    policy = FetchPolicy(
        timeout=fetch.number("timeout", base.fetch.timeout, 0.001), deadline=fetch.number("deadline", base.fetch.deadline, 0.001),
        retries=int(fetch.number("retries", base.fetch.retries)), backoff=fetch.number("backoff", base.fetch.backoff),
        max_bytes=int(fetch.number("max_bytes", base.fetch.max_bytes, 1)),
        host_delay=fetch.number("host_delay", base.fetch.host_delay),
        max_redirects=int(fetch.number("max_redirects", base.fetch.max_redirects)),
        robots=fetch.get("robots", bool, "true or false", True), user_agent=fetch.get("user_agent", str, "a string", USER_AGENT))
    poles = alerts.strings("poles")
    if poles and len(poles) != 2:
        raise ConfigError(f"{source}: alerts.poles must name two countries, got {list(poles)}")
    briefings_dir = briefing.get("dir", str, "a folder", None)
    config = ServiceConfig(
        path=path, db=store.get("db", str, "a file name", None), every=schedule.duration("every", base.every),
        gdelt2=gdelt.get("v2", bool, "true or false", True), gdelt1=gdelt.get("v1", bool, "true or false", False),
        gdelt_base_url=gdelt.get("base_url", str, "a URL", DEFAULT_GDELT),
        translingual=gdelt.get("translingual", bool, "true or false", False),
        gdelt2_lookback=gdelt.duration("v2_lookback", base.gdelt2_lookback),
        gdelt1_lookback=gdelt.duration("v1_lookback", base.gdelt1_lookback),
        gdelt_max_bytes=int(gdelt.number("max_bytes", base.gdelt_max_bytes, 1)),
        fetch=policy, feeds=_feeds(source, data.get("feeds", [])),
        regions=briefing.strings("regions", base.regions), briefing_days=int(briefing.number("days", 7, 1)),
        briefing_formats=briefing.strings("formats", base.briefing_formats),
        briefings_dir=Path(briefings_dir) if briefings_dir else None,
        escalation_units=forecasts.strings("escalation"),
        forecast_days=tuple(int(d) for d in forecasts.get("days", list, "a list of days", [7, 30])),
        forecast_threshold=forecasts.number("threshold", 0.5),
        forecast_backtest_days=int(forecasts.number("backtest_days", 7)),
        alert_countries=alerts.strings("countries"), alert_pairs=alerts.strings("pairs"),
        alert_poles=(poles[0], poles[1]) if poles else None, recent_days=int(alerts.number("recent_days", 14, 1)),
        subscribers=_subscribers(source, data.get("alerts", {}).get("subscribers", [])),
        webhook_attempts=int(alerts.number("webhook_attempts", 5, 1)))
    for table in (store, schedule, gdelt, fetch, briefing, forecasts, alerts):
        table.done()
    return config
