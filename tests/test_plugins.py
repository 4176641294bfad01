"""The plug-in points: built-ins load through the same mechanism as a third-party package's entry points."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from geodrift import plugins
from geodrift.analytics.detectors.base import ChangePoint, Detector, detectors, get_detector
from geodrift.errors import ConfigError


class LargestJump(Detector):
    """A third-party detector: the largest one-period jump, if it exceeds ``size``."""

    def __init__(self, *, size: float = 1.0) -> None:
        self.size = size

    def fit(self, signal: pd.Series) -> LargestJump:
        self.series_ = signal.dropna()
        return self

    def predict(self) -> list[ChangePoint]:
        jumps = self.series_.diff().abs().fillna(0.0)
        at = int(jumps.to_numpy().argmax()) if len(jumps) > 1 else 0
        if not at or jumps.iloc[at] <= self.size:
            return []
        before, after = float(self.series_.iloc[at - 1]), float(self.series_.iloc[at])
        return [ChangePoint(self.series_.index[at], at, before, after, after - before, after - before)]


@pytest.fixture()
def installed(tmp_path: Path) -> Iterator[Path]:
    """A folder on sys.path where a test 'installs' a package's metadata; registries are reloaded around it."""
    sys.path.insert(0, str(tmp_path))
    plugins.load.cache_clear()
    yield tmp_path
    sys.path.remove(str(tmp_path))
    plugins.load.cache_clear()


def install(folder: Path, group: str, lines: list[str]) -> None:
    info = folder / "thirdparty-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: thirdparty\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{group}]\n" + "\n".join(lines) + "\n")


def test_builtins_are_importable_and_in_order() -> None:
    for group, table in plugins.BUILTINS.items():
        loaded = plugins.load(group)
        assert list(loaded)[: len(table)] == list(table), group
    assert list(detectors())[:3] == ["pelt", "cusum", "bocpd"]


def test_an_entry_point_adds_a_detector(installed: Path) -> None:
    install(installed, plugins.DETECTORS, [f"jump = {__name__}:LargestJump"])
    assert list(detectors()) == ["pelt", "cusum", "bocpd", "jump"]
    signal = pd.Series([0.0] * 10 + [3.0] * 10, index=pd.date_range("2020-01-06", periods=20, freq="W-MON"))
    assert [p.index for p in get_detector("jump", alpha=0.5).fit(signal).predict()] == [10]


def test_an_entry_point_cannot_take_a_builtin_name(installed: Path) -> None:
    install(installed, plugins.DETECTORS, [f"pelt = {__name__}:LargestJump"])
    with pytest.raises(ConfigError, match="'pelt'"):
        detectors()


def test_a_broken_plugin_is_named(installed: Path) -> None:
    install(installed, plugins.READERS, ["pdf = thirdparty_missing.readers:PdfReader"])
    with pytest.raises(ConfigError, match=r"'pdf'.*cannot be loaded"):
        plugins.load(plugins.READERS)
