"""Audit the installed dependencies for known vulnerabilities (pip-audit), under the policy in docs/operations.md.

Exit 0: no known vulnerability (or only ones listed in audit-ignore.txt with a reason); exit 1: a vulnerability to
fix; exit 0 with a warning when the vulnerability service cannot be reached (a network-restricted sandbox), unless
--strict is given, then exit 2.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

IGNORE = Path(__file__).resolve().parents[1] / "audit-ignore.txt"


def ignored() -> dict[str, str]:
    """Vulnerability ids deliberately accepted, each with its reason (one 'ID  reason' a line, # comments)."""
    if not IGNORE.is_file():
        return {}
    entries = {}
    for line in IGNORE.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            vuln, _, reason = line.partition(" ")
            entries[vuln] = reason.strip()
    return entries


def main(strict: bool) -> int:
    run = subprocess.run([sys.executable, "-m", "pip_audit", "--format", "json", "--skip-editable",
                          "--progress-spinner", "off"], capture_output=True, text=True, check=False)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        tail = (run.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"audit: the vulnerability service could not be reached ({tail[:200]})", file=sys.stderr)
        return 2 if strict else 0
    dependencies = report.get("dependencies", [])
    unaudited = [d["name"] for d in dependencies if d.get("skip_reason")]
    if dependencies and len(unaudited) == len(dependencies):
        print(f"audit: none of {len(dependencies)} packages could be looked up (is the index a mirror without "
              "PyPI's JSON API?)", file=sys.stderr)
        return 2 if strict else 0
    accepted = ignored()
    found = [(d["name"], d["version"], v["id"], v.get("fix_versions", [])) for d in dependencies
             for v in d.get("vulns", []) if v["id"] not in accepted]
    for name, version, vuln, fixes in found:
        print(f"audit: {name} {version}: {vuln} (fixed in {', '.join(fixes) or 'no release yet'})")
    print(f"audit: {len(dependencies) - len(unaudited)} packages checked, {len(unaudited)} not found, "
          f"{len(found)} vulnerabilities, {len(accepted)} accepted in {IGNORE.name}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main("--strict" in sys.argv[1:]))
