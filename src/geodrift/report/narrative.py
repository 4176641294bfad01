"""Sentences from numbers: the narrative-generator interface and its deterministic template implementation.

Every sentence is produced from a named fact (a dict of numbers, names and dates computed by the
analytics) and nothing else, so no sentence exists without data behind it. A different generator
(an LLM endpoint, say) implements ``Narrator`` and receives the same facts, which hold only
cited evidence; the rest of the report pipeline does not change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import jinja2

SENTENCES: dict[str, str] = {
    "overview": (
        "{{ events }} event{{ 's' if events != 1 }} involving {{ countries }} {{ 'was' if events == 1 else 'were' }} "
        "stored for {{ span }}, {{ sources }}, in {{ developments }} "
        "development{{ 's' if developments != 1 }}; the most salient: {{ top }}"
    ),
    "development": (
        "{{ who }}{% if modality != 'actual' %} ({{ modality }}){% endif %}{% if what %}: {{ what | lower }}{% endif %}"
        "{% if places %} ({{ places | join('; ') }}){% endif %}: "
        "{{ events }} event{{ 's' if events != 1 }}{% if reports != events %} ({{ reports }} reports){% endif %} "
        "{{ sources }}{% if note %}, {{ note }}{% endif %}"
        "{% if disowned %}, disowned by its actor's apology {{ disowned }}{% endif %}"
        "{% if first_date != last_date %}, {{ first_date }} to {{ last_date }}{% else %}, {{ first_date }}{% endif %}; "
        "{% if baseline == 0 %}no such events in the previous {{ baseline_days }} days"
        "{% else %}{{ baseline }} similar event{{ 's' if baseline != 1 }} in the previous {{ baseline_days }} days{% endif %}."
    ),
    "no_developments": (
        "No events among {{ countries }} were {{ 'dated within' if apart else 'stored for' }} {{ span }}"
        "{% if apart %}; {{ apart }} event"
        "{{ 's' if apart != 1 }} the window cannot place (dated only to a longer period, or undated) "
        "{{ 'is' if apart == 1 else 'are' }} listed under \"Not placed in this window\"{% endif %}."
    ),
    "unplaced_period": (
        "{{ n }} event{{ 's' if n != 1 }} dated only to {{ period }} {{ 'is' if n == 1 else 'are' }} not placed in "
        "this window: each happened on some day of {{ period }}, and the window does not cover all of it, so "
        "{{ 'it is' if n == 1 else 'they are' }} counted here, not among its developments."
    ),
    "unplaced_undated": (
        "{{ n }} undated event{{ 's' if n != 1 }} {{ 'was' if n == 1 else 'were' }} reported in this window: "
        "{{ 'its report gives' if n == 1 else 'their reports give' }} no date, only that {{ 'it' if n == 1 else "
        "'each' }} happened on or before the report's day (a report of 2021 can tell of the 2020 war), so "
        "{{ 'it is' if n == 1 else 'they are' }} placed on no day of the window and counted in no day's news."
    ),
    "flareup": (
        "Flare-up {{ where }}: {{ events }} material-conflict event{{ 's' if events != 1 }} in the week of {{ week }}, "
        "against {{ expected }} expected from its sources' previous {{ baseline }} weeks with events "
        "(tail probability {{ p }})."
    ),
    "flareups_untested": "Flare-ups {{ pairs | join('; ') }} cannot be tested: no source in the store has "
                         "reported them for 8 weeks with events before these weeks, the least baseline a week is "
                         "compared with.",
    "no_data_after": "{{ what | capitalize }} cannot be assessed: the store holds no events on or after {{ since }}"
                     "{% if last %} (its last event is dated {{ last }}){% endif %}.",
    "cut_list": "{{ shown }} of {{ of }} {{ what }} are listed here, the most salient; {{ rest }}.",
    "no_flareups": "No flare-up (weekly conflict above the 99% level of its 26-week baseline) in {{ countries }}.",
    "shift": (
        "{{ swing }}'s alignment between {{ pole_a }} and {{ pole_b }} shifted {{ toward }} in {{ month }}: "
        "from {{ before }} to {{ after }} ({{ shift_sd }} SD; confidence {{ confidence }})."
    ),
    "no_shifts": "No significant shift in {{ swings }}'s alignment between {{ pole_a }} and {{ pole_b }} "
                 "in the {{ months }} months to {{ day }}.",
    "no_poles": "Alignment shifts are tracked between two poles; none are defined for {{ countries }} "
                "(named regions define them in codebooks/data/briefing_regions.tsv).",
    "forecast": (
        "{{ where }}: probability of at least {{ k }} material-conflict event{{ 's' if k != 1 }} in the "
        "{{ horizon }} days after {{ as_of }}: {{ p }}{% if same_as %} (the {{ same_as }}-day value: its model gave "
        "less, but a longer window cannot be less likely){% endif %}"
        "{% if record %} (model {{ model }}{% if model == 'climatology' %}, the "
        "baseline no other model beat in the backtest{% else %}; backtest Brier skill {{ skill }} against "
        "climatology{% endif %}, "
        "Brier skill {{ skill_persistence }} against persistence, over {{ n }} backtest forecasts"
        "{% if data %} on {{ data }}{% endif %}{% if more %}; the same for every {{ horizon }}-day forecast below "
        "unless named{% endif %}){% elif model != usual %} (model {{ model }}; Brier skill {{ skill }} against "
        "climatology){% endif %}."
        "{% if closed %} The window closed on {{ closed }}: {% if observed >= k %}it happened ({{ observed }} "
        "material-conflict event{{ 's' if observed != 1 }}){% else %}it did not happen (no material-conflict event)"
        "{% endif %}.{% endif %}"
    ),
    "backtest": (
        "Horizon {{ horizon }}: the best model is {{ model }}{% if baseline %} (a baseline){% endif %}, {{ score }} "
        "{{ value }} over {{ forecasts }} forecasts{% if skills %}; skill {{ skills }}{% endif %}."
    ),
    "backtest_skipped": "Not run: {{ reason }}.",
    "forecast_alignment": (
        "{{ swing }} in {{ year + horizon }} ({{ horizon }} year{{ 's' if horizon != 1 }} after its last UN votes, of "
        "{{ year }}): position {{ mean }} (90% interval {{ lo }} to {{ hi }})"
        "{% if record %} on the {{ pole_a }} (-1) to {{ pole_b }} (+1) line of UN-vote positions "
        "(-1 and +1 the poles' average positions, as in the analysis' UN-vote view){% endif %}; probability it is "
        "closer to {{ pole_b }}: {{ p }}{% if record %} (model {{ model }}; backtest CRPS skill {{ skill }} against "
        "climatology{% if more %}; the same for every {{ horizon }}-year outlook below unless named{% endif %})"
        "{% elif model != usual %} (model {{ model }}; backtest CRPS skill {{ skill }} against climatology){% endif %}."
    ),
    "forecast_conflict": (
        "{% set five_only = outcomes | rejectattr(1) | list | length == outcomes | length %}"
        "{{ where }}, conflict risk {% if five_only %}within five years, {{ year }}-{{ until }} (the forecast for "
        "{{ year }} alone has closed){% else %}for {{ year }}{% endif %}: "
        "{% for name, p1, p5 in outcomes %}{{ name }}{% if five_only %} {{ p5 }}{% else %}"
        "{% if p1 %} {{ p1 }} in {{ year }}{% endif %}{% if p1 and p5 %},{% endif %}{% if p5 %} {{ p5 }} by "
        "{{ until }}{% endif %}{% endif %}{{ '; ' if not loop.last }}{% endfor %}."
    ),
    "forecast_conflict_record": (
        "These conflict risks come from the {{ model }} model on {{ vintage }}. Its rolling backtest (Brier skill "
        "against climatology / persistence, forecasts scored): "
        "{% for what, horizon, clim, pers, n in records %}{{ what }} {{ horizon }} "
        "{% if n %}{{ clim }} / {{ pers }} ({{ '{:,}'.format(n) }}){% else %}not yet scorable{% endif %}"
        "{{ '; ' if not loop.last }}{% endfor %}.{% if data %} Backtested on {{ data | join('; ') }}.{% endif %}"
    ),
    "forecast_counts": "{{ n }} monthly conflict-count forecasts, each a mean with its 90% interval (table below).",
    "no_forecasts": "No forecasts are stored for these countries; the command geodrift forecast makes them.",
    "no_open_forecasts": (
        "No stored forecast for these countries is open on {{ day }}: the latest, made on {{ as_of }}, ended on "
        "{{ ended }}; the command geodrift forecast (or the daily geodrift update) makes current ones."
    ),
    "thesis": (
        "From {{ start }} to {{ end }}, {{ swing }}'s stored events place it closer to {{ closer }} than to "
        "{{ farther }}: alignment {{ alignment }} on a scale from -1 ({{ pole_a }}) to +1 ({{ pole_b }}), 90% interval "
        "{{ lo }} to {{ hi }}, from {{ n_a }} event cluster{{ 's' if n_a != 1 }} ({{ r_a }} report{{ 's' if r_a != 1 }}; "
        "{{ e_a }} real-world event{{ 's' if e_a != 1 }}) with {{ pole_a }} and {{ n_b }} ({{ r_b }} "
        "report{{ 's' if r_b != 1 }}; {{ e_b }} real-world event{{ 's' if e_b != 1 }}) with {{ pole_b }}"
        "{% if e_a != n_a or e_b != n_b %} (the alignment weighs each cluster, one coded act: a meeting's visit and the "
        "agreements signed at it are two clusters of one event){% endif %}."
    ),
    "thesis_unclear": (
        "From {{ start }} to {{ end }}, the stored events do not place {{ swing }} clearly closer to either pole: "
        "alignment {{ alignment }} ({{ interval }}), from {{ n_a }} event "
        "cluster{{ 's' if n_a != 1 }} ({{ r_a }} report{{ 's' if r_a != 1 }}; {{ e_a }} real-world "
        "event{{ 's' if e_a != 1 }}) with {{ pole_a }} and {{ n_b }} ({{ r_b }} report{{ 's' if r_b != 1 }}; "
        "{{ e_b }} real-world event{{ 's' if e_b != 1 }}) with {{ pole_b }}"
        "{% if e_a != n_a or e_b != n_b %} (the alignment weighs each cluster, one coded act: a meeting's visit and the "
        "agreements signed at it are two clusters of one event){% endif %}."
    ),
    "drift": (
        "The alignment per {{ freq }} has a change point in {{ when }}: from {{ before }} to {{ after }}, "
        "a shift of {{ shift_sd }} standard deviations {{ toward }} (confidence {{ confidence }}, "
        "permutation test at 2%)."
    ),
    "no_drift": (
        "The alignment per {{ freq }} has no significant change point in the period (PELT with a "
        "permutation-calibrated penalty, 2% false-alarm level){% if periods < 12 %}; with {{ periods }} {{ freq }}s "
        "of data only large shifts could be found{% endif %}."
    ),
    "event_dyad": (
        "{{ swing }}–{{ pole }}: {{ events }} event cluster{{ 's' if events != 1 }} ({{ reports }} "
        "report{{ 's' if reports != 1 }}), mean Goldstein {{ goldstein }} per event weighted by its sources "
        "({{ coop }} cooperative and {{ conflict }} conflictual events{% if disowned %}; {{ kept }} without the "
        "{{ disowned }} act{{ 's' if disowned != 1 }} disowned within days and "
        "{{ 'its' if disowned == 1 else 'their' }} apolog{{ 'y' if disowned == 1 else 'ies' }}, which weigh nothing "
        "in the evidence{% endif %})."
    ),
    "unvotes": (
        "In the UN General Assembly votes of {{ agree_year }}{% if agree_year != year %} (the latest loaded: the "
        "analysis runs to {{ year }}){% endif %}, {{ swing }} agreed with {{ pole_a }} on {{ agree_a }} and with "
        "{{ pole_b }} on {{ agree_b }} of the votes; on the {{ pole_a }} (-1) to {{ pole_b }} (+1) ideal-point line its "
        "position in {{ position_year }}{% if position_year != year %} (the latest published){% endif %} was "
        "{{ position }}, {{ 'nearer ' ~ pole_b if position.startswith('+') else 'nearer ' ~ pole_a }} ({{ source }}; "
        "-1 and +1 are the poles' average positions, values beyond ±1 lie outside them)."
    ),
    "unvotes_split": (
        "The two estimators place {{ swing }} on opposite sides of the poles' midpoint in {{ years }} of {{ of }} "
        "years (in {{ year }}: {{ ours }} from geodrift's ideal points, {{ published }} from the published ones; both "
        "put {{ pole_a }} at -1 and {{ pole_b }} at +1): it lies near the middle of the line, too near for either sign "
        "to say which side it is on. The raw votes need no estimator: in {{ agree_year }} it voted with {{ closer }} "
        "more often ({{ higher }} of the votes against {{ lower }})."
    ),
    "no_unvotes": "No UN General Assembly votes are loaded in the store (the command geodrift unvotes load DIR loads "
                  "them).",
    "evidence": (
        "{{ items }} real-world event{{ 's' if items != 1 }} ({{ n }} event cluster{{ 's' if n != 1 }}, {{ reports }} "
        "report{{ 's' if reports != 1 }}) in the period point{{ 's' if items == 1 }} toward {{ toward }} ({{ share }} "
        "of the corroboration-weighted evidence of all {{ events }} event{{ 's' if events != 1 }}, {{ total }} "
        "cluster{{ 's' if total != 1 }} in the alignment{% if neutral %}, {{ neutral }} of which "
        "lean{{ 's' if neutral == 1 }} neither way{% endif %}){% if parted %}: the clusters of one event (the acts of "
        "one meeting, one visit told on each of its days) are one item, weighed once with all their sources and "
        "listed under it{% endif %}{% if pairs %}{{ ';' if parted else ':' }} an act reversed within days shares an "
        "item with its reversal{% endif %}."
    ),
    "evidence_floor": (
        "{{ n }} of these items weigh{{ 's' if n == 1 }} under {{ floor }} each and "
        "{{ 'is' if n == 1 else 'are' }} not listed ({{ total }} together)."
    ),
    "disowned": (
        "{{ n }} act{{ 's' if n != 1 }} in the period {{ 'was' if n == 1 else 'were' }} followed within days by "
        "{{ 'its' if n == 1 else 'their' }} actor's apology: shown here with the apology, and weighing nothing "
        "either way (an accident owned is not a realignment)."
    ),
    "balance": (
        "The {{ reports }} report{{ 's' if reports != 1 }} behind the alignment events come{{ 's' if reports == 1 }} "
        "from {{ outlets }} outlet{{ 's' if outlets != 1 }} based in {{ countries }} countr{{ 'y' if countries == 1 else "
        "'ies' }} ({{ unknown }} report{{ 's' if unknown != 1 }} from outlets whose country is unknown)."
    ),
    "balance_holds": (
        "For the {{ share }} of reports whose outlet country is known ({{ known }} of {{ reports }}), the direction of "
        "the conclusion holds when any one country's outlets are left out{% if unknown %}; it also holds without the "
        "{{ unknown }} report{{ 's' if unknown != 1 }} of unknown origin taken together, but those could come from "
        "any side, so the balance is tested only as far as the countries are known{% endif %}."
    ),
    "balance_fails": (
        "For the {{ share }} of reports whose outlet country is known ({{ known }} of {{ reports }}), the direction of "
        "the conclusion does not hold without the outlets of {{ countries }}."
    ),
    "balance_untested": (
        "Only {{ share }} of the reports ({{ known }} of {{ reports }}) come from outlets whose country is known, so "
        "the balance of sources cannot be judged: leaving one country's outlets out (the table) tests only that "
        "minority{% if countries %}, and even there the direction does not hold without the outlets of "
        "{{ countries }}{% endif %}."
    ),
}


SAID_AS = {"negated": "denied"}
"""How a development's modality reads: a negated act is a denial, said rather than done (analytics/salience.py)."""


def shown_modality(modality: object, root: object) -> str:
    """How an act's modality reads beside its act: 'denied' for a negated act, and a threat's act is the threat
    ("threaten", not "(threatened): threaten")."""
    said = "actual" if modality == "threatened" and str(root) == "13" else str(modality)
    return SAID_AS.get(said, said)


class Narrator(Protocol):
    """Turns a named fact into a sentence. Implementations must not add facts of their own."""

    def say(self, key: str, facts: Mapping[str, Any]) -> str: ...


class TemplateNarrator:
    """Deterministic sentences from the Jinja2 templates in ``SENTENCES`` (plain text; renderers escape)."""

    def __init__(self, templates: Mapping[str, str] | None = None) -> None:
        env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
        self._templates = {key: env.from_string(text) for key, text in (templates or SENTENCES).items()}

    def say(self, key: str, facts: Mapping[str, Any]) -> str:
        return self._templates[key].render(**facts).strip()


def signed(value: float) -> str:
    """+0.31 / -0.12: alignment and Goldstein values are shown signed, two decimals; a value that rounds to zero
    is "0.00", never "-0.00" or "+0.00" (a sign there would claim a direction the number does not show)."""
    shown = f"{value:+.2f}"
    return "0.00" if shown in ("+0.00", "-0.00") else shown


def interval(lo: float, hi: float) -> str:
    """'+0.05 to +0.29', or 'n too small' where the bootstrap had nothing to resample (its bounds are NaN)."""
    return f"{signed(lo)} to {signed(hi)}" if lo == lo and hi == hi else "n too small"


def percent(value: float) -> str:
    """Whole percent; a forecast of 0.3% is '<1%', not '0%' (it is not impossible)."""
    whole = f"{100 * value:.0f}"
    if value > 0 and whole == "0":  # 0.005 rounds half to even, to "0", so test the text, not value < 0.005
        return "<1%"
    if value < 1 and whole == "100":
        return ">99%"
    return f"{whole}%"
