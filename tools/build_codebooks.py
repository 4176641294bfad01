"""Write geodrift's packaged codebooks from the reference files in ../shared/data.

Run once by a maintainer when the references change; the outputs (TSV files under
src/geodrift/codebooks/data) are committed, the references are not.

Decisions, each from the references' PROVENANCE.md:
- Event codes and Goldstein values come from GDELT's 2020 lookup copy; the official
  file glues code 106 onto the 1056 line ("...engagement106:[-5.0] Demand withdrawal")
  and has no Goldstein row for 106, so 106 is restored from the 2013 copy (-5.0).
- py-gdelt's cameo_goldstein.json disagrees with GDELT and is never read.
- PLOVER categories, modes and contexts come from CAMEO2PLOVER-2021.txt; a code
  without its own line inherits its base code's, then its root code's (roots 01/02,
  which PLOVER drops, stay empty).
- FIPS 10-4 -> ISO3 comes from py-gdelt's countries.json (GDELT geo fields use FIPS).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

SHARED = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
OUT = Path(__file__).resolve().parents[1] / "src" / "geodrift" / "codebooks" / "data"


def quad_class(root: str) -> int:
    r = int(root)
    return 1 if r <= 4 else 2 if r <= 8 else 3 if r <= 13 else 4


def read_tsv_pairs(path: Path) -> dict[str, str]:
    pairs: dict[str, str] = {}
    with path.open(encoding="utf-8", errors="replace") as fh:
        next(fh)
        for line in fh:
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            code, _, value = line.partition("\t")
            pairs[code.strip()] = value.strip()
    return pairs


def event_codes() -> dict[str, str]:
    codes = read_tsv_pairs(SHARED / "cameo/gdelt-lookups-2020/CAMEO.eventcodes.txt")
    glued = codes["1056"]
    match = re.match(r"(.*?)(\d{3}):\[(-?[\d.]+)\] (.*)", glued)
    if match:
        codes["1056"] = match.group(1).strip()
        codes[match.group(2)] = match.group(4).strip()
    older = read_tsv_pairs(SHARED / "cameo/gdelt-lookups-2013/CAMEO.eventcodes.txt")
    codes.setdefault("106", older["106"])
    # The 2020 copy mis-encodes a few characters (e.g. 044's quotes): prefer the 2013 text when it decodes.
    for code, text in codes.items():
        if "\ufffd" in text and code in older and "\ufffd" not in older[code]:
            codes[code] = older[code]
    return codes


def goldstein() -> dict[str, float]:
    values = {k: float(v) for k, v in read_tsv_pairs(SHARED / "cameo/gdelt-lookups-2020/CAMEO.goldsteinscale.txt").items()}
    older = read_tsv_pairs(SHARED / "cameo/gdelt-lookups-2013/CAMEO.goldsteinscale.txt")
    values.setdefault("106", float(older["106"]))
    return values


def plover() -> dict[str, tuple[str, str, str]]:
    table: dict[str, tuple[str, str, str]] = {}
    for line in (SHARED / "plover/CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or ":" not in line:
            continue
        code, _, rest = line.partition(":")
        parts = [p.strip() for p in rest.split(",")] + ["", ""]
        table[code.strip()] = (parts[0], parts[1], parts[2])
    return table


# Corrections to reference text, each checked against the CAMEO 1.1b3 manual.
DESCRIPTION_FIXES = {"044": "Meet at a 'third' location"}  # both GDELT copies mis-encode the quotes
# CAMEO2PLOVER-2021 labels 106-108 with an older CAMEO numbering (106 "Demand meeting");
# in CAMEO 1.1b3 106 is "Demand withdrawal" and 107 "Demand ceasefire": both are demands to yield.
PLOVER_MODE_FIXES = {"106": "yield", "107": "yield"}


def write_events() -> None:
    codes, gold, plov = event_codes(), goldstein(), plover()
    codes.update(DESCRIPTION_FIXES)
    # ICEWS codes a CAMEO leaf GDELT's lookup omits (1213, "Reject judicial cooperation"): take it,
    # with ICEWS's Goldstein value, so ICEWS rows using it are not rejected.
    with (SHARED / "icews/goldstein_mappings.csv").open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            if rec["code"] not in codes:
                codes[rec["code"]] = rec["name"]
                gold[rec["code"]] = float(rec["goldstein"])
    missing = sorted(set(codes) - set(gold))
    if missing:
        raise SystemExit(f"no Goldstein value for {missing}")
    rows = []
    for code in sorted(codes):
        root = code[:2]
        base = code[:3] if len(code) >= 3 else code
        cat = plov.get(code) or plov.get(base) or plov.get(root) or ("", "", "")
        if root in ("01", "02"):
            cat = ("", "", "")
        elif code in PLOVER_MODE_FIXES:
            cat = (cat[0], PLOVER_MODE_FIXES[code], "military")
        rows.append([code, base, root, str(quad_class(root)), f"{gold[code]:.1f}", cat[0], cat[1], cat[2], codes[code]])
    with (OUT / "cameo_events.tsv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["code", "base_code", "root_code", "quad_class", "goldstein", "plover", "plover_mode",
                    "plover_context", "description"])
        w.writerows(rows)


def write_fips() -> None:
    data = json.loads((SHARED / "cameo/py-gdelt/countries.json").read_text(encoding="utf-8"))
    with (OUT / "fips_countries.tsv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["fips", "iso3", "name"])
        for fips, rec in sorted(data.items()):
            if rec.get("iso3"):
                w.writerow([fips, rec["iso3"], rec["name"]])


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    write_events()
    write_fips()
    print(f"wrote codebooks to {OUT}")
