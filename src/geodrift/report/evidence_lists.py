"""The analysis's evidence for and against its thesis, and the acts disowned within days: one item per real-world
event (report/evidence.py ``grouped``), its clusters listed under it when it has several, each item with its reports
and sources."""

from __future__ import annotations

import pandas as pd

from geodrift.events import count_label
from geodrift.report.document import Paragraph, Section
from geodrift.report.evidence import cited, describe, describe_part, disowns
from geodrift.report.narrative import Narrator, percent, signed

EVIDENCE_ITEMS = 10
WEIGHT_FLOOR = 0.05
"""Items lighter than this (in absolute weight) are counted under the list, not listed: at two decimals they read
"+0.00" and tell the reader nothing but that the event exists."""
LABELS = {"Evidence for the thesis": "evidence for", "Evidence against the thesis": "evidence against",
          "Acts disowned within days": "disowned act"}
"""How the timeline names an evidence section's items ("told under evidence for 1")."""

Item = tuple[pd.Series, pd.Series | None, float]


def clusters_of(item: Item) -> int:
    """The event clusters (what the alignment counts) an evidence item lists: one per cluster it groups, and its
    reversal."""
    row, partner, _ = item
    return len(cited(row)) + (partner is not None)


def happenings(found: list[Item], pole: str) -> int:
    """The real-world events of ``pole`` among the evidence items: an item is one event, an act and its reversal
    two."""
    return sum(1 + (partner is not None) for row, partner, _ in found if row.pole == pole)


def evidence_sections(found: list[Item], direction: float, names: dict[str, str], countries: tuple[str, str, str],
                      narrator: Narrator) -> tuple[list[Section], dict[str, int]]:
    """Evidence for and against, one item per real-world event ranked by weight × corroboration, the same number of
    items each; an act reversed within days is listed with its reversal and weighs the pair (report/evidence.py).
    Returns the sections and each item's reports by the label the timeline names it with."""
    toward = {1.0: names["pole_b"], -1.0: names["pole_a"]}
    total = sum(abs(w) for _, _, w in found) or 1.0
    built = []
    counted: dict[str, int] = {}
    for heading, sign in (("Evidence for the thesis", direction), ("Evidence against the thesis", -direction)):
        chosen = sorted([i for i in found if i[2] * sign > 0], key=lambda i: -abs(i[2]))
        light = [w for _, _, w in chosen if abs(w) < WEIGHT_FLOOR]
        section = Section(heading)
        section.paragraphs.append(Paragraph(narrator.say("evidence", {
            "items": sum(1 + (p is not None) for _, p, _ in chosen), "n": sum(clusters_of(i) for i in chosen),
            "toward": toward[sign], "share": percent(sum(abs(w) for _, _, w in chosen) / total),
            "reports": int(sum(r.reports + (p.reports if p is not None else 0) for r, p, _ in chosen)),
            "events": sum(1 + (p is not None) for _, p, _ in found), "total": sum(clusters_of(i) for i in found),
            "pairs": sum(p is not None for _, p, _ in chosen),
            "parted": sum(isinstance(r.get("parts"), list) for r, _, _ in chosen),
            "neutral": sum(clusters_of(i) for i in found if i[2] == 0)})))
        if light:
            section.paragraphs.append(Paragraph(narrator.say("evidence_floor", {
                "n": len(light), "floor": f"{WEIGHT_FLOOR:.2f}", "total": signed(sum(light))})))
        listed = [i for i in chosen if abs(i[2]) >= WEIGHT_FLOOR]
        for n, (row, partner, weight) in enumerate(listed[:EVIDENCE_ITEMS], 1):
            counted[f"{LABELS[heading]} {n}"] = int(row.reports + (partner.reports if partner is not None else 0))
            sides = (countries[0], countries[1] if row.pole == "A" else countries[2])
            text = f"{describe(row, sides)} (weight {signed(weight)})"
            if partner is not None:
                days = (pd.Timestamp(partner.event_date) - pd.Timestamp(row.event_date)).days
                text = (f"{describe(row, sides)}. Reversed {within(days)}: "
                        f"{describe(partner, sides)}. The pair weighs {signed(weight)}")
            parts = row.get("parts")
            section.items.append(Paragraph(
                text, cited(row) + ([partner.event_id] if partner is not None else []),
                [Paragraph(describe_part(part, sides), [str(part.event_id)]) for part in parts]
                if isinstance(parts, list) else []))
        built.append(section)
    disowned = [(r, p) for r, p, _ in found if p is not None and disowns(r, p)]
    if disowned:
        section = Section("Acts disowned within days")
        section.paragraphs.append(Paragraph(narrator.say("disowned", {"n": len(disowned)})))
        for n, (row, partner) in enumerate(disowned, 1):
            counted[f"{LABELS[section.heading]} {n}"] = int(row.reports)  # the act; its apology is told apart
            sides = (countries[0], countries[1] if row.pole == "A" else countries[2])
            days = (pd.Timestamp(partner.event_date) - pd.Timestamp(row.event_date)).days
            section.items.append(Paragraph(
                f"{describe(row, sides)}. Apologised for {within(days)}: "
                f"{describe(partner, sides)}. The pair weighs nothing", [row.event_id, partner.event_id]))
        built.append(section)
    return built, counted


def within(days: int) -> str:
    """How soon a reversal followed its act: 'the same day', 'within 1 day', 'within 3 days'."""
    return "the same day" if days == 0 else f"within {count_label(days, 'day')}"
