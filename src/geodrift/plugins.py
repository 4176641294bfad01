"""geodrift's plug-in points, declared in one place, and the built-ins registered through them.

    group                 interface                                        chosen by
    geodrift.formats      geodrift.sources.base.FileFormat                 ingest --format, or sniffed
    geodrift.readers      geodrift.coding.articles.ArticleReader           file suffix, or sniffed
    geodrift.detectors    geodrift.analytics.detectors.base.Detector       name ("pelt", "cusum", ...)
    geodrift.forecasters  geodrift.forecast.base.Forecaster                task and name ("escalation.negbin")

A third-party package adds an implementation by naming it in its own ``pyproject.toml``::

    [project.entry-points."geodrift.detectors"]
    binseg = "mypackage.detectors:BinSeg"

The built-ins below go through the same loader (as Datasette registers its DEFAULT_PLUGINS), so
they are known whether or not the installed package metadata is current. References are
"module:attribute" strings, imported only when a group is first used: declaring a plug-in here
imports nothing, and no layer has to import the layers to its right.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

from geodrift.errors import ConfigError

FORMATS = "geodrift.formats"
READERS = "geodrift.readers"
DETECTORS = "geodrift.detectors"
FORECASTERS = "geodrift.forecasters"

BUILTINS: dict[str, dict[str, str]] = {
    # Order matters where a registry is searched in order: formats and readers are sniffed in this order.
    FORMATS: {
        "gdelt1": "geodrift.sources.gdelt:Gdelt1Export",
        "gdelt2": "geodrift.sources.gdelt:Gdelt2Export",
        "gdelt-csv": "geodrift.sources.gdelt:GdeltBigQueryCsv",
        "icews-tab": "geodrift.sources.icews:IcewsTab",
        "icews-csv": "geodrift.sources.icews:IcewsCsv",
        "curated-jsonl": "geodrift.sources.curated:CuratedJsonl",
        "ucdp-ged": "geodrift.sources.ucdp:UcdpGed",
        "ucdp-acd": "geodrift.sources.ucdp:UcdpAcd",
        "ucdp-brd": "geodrift.sources.ucdp:UcdpBrd",
        "cow-mida": "geodrift.sources.cowmid:MidDisputes",
        "cow-midb": "geodrift.sources.cowmid:MidParticipants",
        "cow-midi": "geodrift.sources.cowmid:MidIncidents",
        "cow-midip": "geodrift.sources.cowmid:MidIncidentParticipants",
        "cow-mid-dyad-years": "geodrift.sources.cowmid:MidDyadYears",
    },
    READERS: {
        "text": "geodrift.coding.readers:TextReader",
        "html": "geodrift.coding.readers:HtmlReader",
        "feed": "geodrift.coding.readers:FeedReader",
        "jsonl": "geodrift.coding.readers:JsonlReader",
    },
    DETECTORS: {
        "pelt": "geodrift.analytics.detectors.pelt:Pelt",
        "cusum": "geodrift.analytics.detectors.cusum:Cusum",
        "bocpd": "geodrift.analytics.detectors.bocpd:Bocpd",
    },
    # "<task>.<name>": the name is the model's row in the task's backtest tables; within a task, baselines first.
    FORECASTERS: {
        "escalation.climatology": "geodrift.forecast.models:Climatology",
        "escalation.persistence": "geodrift.forecast.models:Persistence",
        "escalation.negbin": "geodrift.forecast.models:NegBinEscalation",
        "escalation.boosted": "geodrift.forecast.models:GradientBoosting",
        "escalation.boosted+isotonic": "geodrift.forecast.models:Calibrated",
        "counts.zero": "geodrift.forecast.models:ZeroCounts",
        "counts.last-value": "geodrift.forecast.models:LastValueCounts",
        "counts.climatology": "geodrift.forecast.models:ClimatologyCounts",
        "counts.negbin": "geodrift.forecast.models:NegBinCounts",
        "alignment.climatology": "geodrift.forecast.models:ClimatologyAlignment",
        "alignment.persistence": "geodrift.forecast.models:RandomWalkAlignment",
        "alignment.damped": "geodrift.forecast.models:DampedAlignment",
        "conflict.climatology": "geodrift.forecast.models:Climatology",
        "conflict.persistence": "geodrift.forecast.models:Persistence",
        "conflict.logistic": "geodrift.forecast.conflict_models:ConflictLogistic",
        "conflict.boosted": "geodrift.forecast.conflict_models:ConflictBoosted",
        "conflict.transition": "geodrift.forecast.conflict_models:ConflictTransition",
        "conflict.blend": "geodrift.forecast.conflict_blend:ConflictBlend",
        "conflict.logistic+platt": "geodrift.forecast.conflict_recalibrate:RecalibratedLogistic",
        "conflict.blend+platt": "geodrift.forecast.conflict_recalibrate:RecalibratedBlend",
        "conflict.logistic+horizon": "geodrift.forecast.conflict_recalibrate:ByHorizonLogistic",
        "conflict.blend+horizon": "geodrift.forecast.conflict_recalibrate:ByHorizonBlend",
    },
}
"""Built-in implementations of each group, by name."""


def _resolve(reference: str) -> Any:
    module, _, attribute = reference.partition(":")
    target: Any = import_module(module)
    for part in attribute.split("."):
        target = getattr(target, part)
    return target


@cache
def load(group: str) -> dict[str, Any]:
    """Every implementation registered in ``group`` by name: the built-ins in their declared order, then
    the installed entry points sorted by name.

    Raises:
        ConfigError: an installed plug-in cannot be imported, or reuses a built-in name for something else.
    """
    builtins = BUILTINS.get(group, {})
    found = {name: _resolve(reference) for name, reference in builtins.items()}
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        if builtins.get(ep.name) == ep.value:
            continue  # geodrift's own metadata, from an install that still declared its built-ins there
        if ep.name in found:
            raise ConfigError(f"plug-in {ep.value!r} takes the name {ep.name!r} of a {group} already registered")
        try:
            found[ep.name] = ep.load()
        except Exception as exc:  # a broken third-party package: name it rather than fail obscurely
            raise ConfigError(f"plug-in {ep.name!r} of {group} ({ep.value}) cannot be loaded: {exc}") from exc
    return found
