"""The event model's sentences from the PLOVER manual (tools/plover_manual.py): real rows of the manual's mode tables,
in the right CAMEO root, and nothing of the gold records (which are the CAMEO manual's examples)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from tools.build_event_model import manual_sentences
from tools.plover_manual import mode_rows, phrases, quoted_cases


def gold_texts(shared: Path) -> list[str]:
    return [r["text"] for r in json.loads((shared / "plover/PLOVER_GSR_CAMEO.json").read_text()) if "text" in r]


def test_mode_rows_take_their_root_from_the_manuals_conversion_table(shared: Path) -> None:
    folder = shared / "plover"
    rows = {(category, mode): root for category, root, mode, _ in
            mode_rows((folder / "PLOVER_MANUAL.tex").read_text(encoding="utf-8"), folder / "CAMEO2PLOVER-2021.txt")}
    assert rows[("COERCE", "seize")] == "17" and rows[("COERCE", "curfew")] == "17"
    assert rows[("ASSAULT", "abduct")] == "18" and rows[("ASSAULT", "torture")] == "18"
    assert rows[("ASSAULT", "heavy-weapons")] == "19" and rows[("ASSAULT", "drone")] == "19"  # PLOVER 0.5's FIGHT
    assert rows[("RETREAT", "release")] == "08" and rows[("MOBILIZE", "troops")] == "15"
    assert ("COERCE", "name") not in rows  # a table's header is not a mode


def test_phrases_split_a_modes_content_into_acts() -> None:
    assert phrases("Execute search, confiscate property, raid") == ["execute search", "confiscate property", "raid"]
    assert phrases("Manned aerial vehicles, e.g. aircraft, helicopters") == ["manned aerial vehicles", "aircraft",
                                                                            "helicopters"]


def test_generated_sentences_read_as_acts_of_their_mode(shared: Path) -> None:
    rows = manual_sentences(shared, random.Random(18))
    by_text = {text: root for text, root, _ in rows}
    assert len(rows) > 150 and {root for _, root, _ in rows} >= {"08", "10", "11", "12", "13", "15", "16", "17", "18",
                                                                 "19"}
    assert any(re.search(r"\bconfiscated property\b", t) and r == "17" for t, r in by_text.items())
    assert any(re.search(r"\bkidnapped\b", t) and r == "18" for t, r in by_text.items())
    assert any(re.search(r"\bwith tanks\b", t) and r == "19" for t, r in by_text.items())
    # A REQUEST mode names what is asked for: the sentence asks, it does not release.
    assert all(r == "10" for t, r in by_text.items() if re.search(r"\b(?:demanded|called for|asked for) ceasefires\b", t))


def test_no_gold_record_is_a_training_sentence(shared: Path) -> None:
    def runs(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[k:k + 6]) for k in range(len(words) - 5)}

    gold = set().union(*(runs(g) for g in gold_texts(shared)))
    rows = manual_sentences(shared, random.Random(18))
    assert rows and not [text for text, _, _ in rows if runs(text) & gold]


def test_a_manual_case_quoting_a_gold_record_is_left_out(tmp_path: Path, shared: Path) -> None:
    gold = gold_texts(shared)[5]
    manual = tmp_path / "manual.tex"
    manual.write_text("\\begin{itemize}\n\\item A case: ``" + gold + "'' should be coded as \\plcat{AID}.\n"
                      "\\item Another: ``Police in Barcelona freed ten trafficking victims in a raid'' should be coded as "
                      "\\plcat{AID}.\n\\end{itemize}\n")
    assert quoted_cases(manual, [gold]) == [("Police in Barcelona freed ten trafficking victims in a raid", "07", 1.0)]
