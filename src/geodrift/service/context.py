"""What every stage of a run is given: the store, the settings, the run's clock and client, and a progress line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from geodrift.service.fetch import Fetcher
from geodrift.service.settings import ServiceConfig
from geodrift.store import Store

if TYPE_CHECKING:
    from geodrift.coding.coder import Coder
    from geodrift.service.feed_fetch import Fetched


@dataclass
class RunContext:
    """One run of ``geodrift update``.

    Attributes:
        now: the run's UTC time (``--now`` sets it: backfills and tests); "today" is its date.
        cache_dir: downloads and cached file lists.
        changed: what the stages before changed (``new_events``, ``new_articles``, ``forecasts``), for later ones.
        fetched: the feeds fetched before the run took the store (feed_fetch); None: the feeds stage fetches them.
    """

    store: Store
    config: ServiceConfig
    fetcher: Fetcher
    now: dt.datetime
    run_id: str
    cache_dir: Path
    say: Callable[[str], None] = lambda line: None
    changed: dict[str, int] = field(default_factory=dict)
    fetched: list[Fetched] | None = None
    _coder: Coder | None = None

    @property
    def today(self) -> dt.date:
        return self.now.date()

    @property
    def coder(self) -> Coder:
        """The default coder (the hybrid), loaded on first use (a run with no new articles never pays for it)."""
        if self._coder is None:
            from geodrift.coding.coder import default_coder

            self._coder = default_coder()
        return self._coder

    def count(self, key: str, amount: int) -> None:
        self.changed[key] = self.changed.get(key, 0) + amount
