"""CLI verb for coding news text into events."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer

from geodrift.cli_common import DbOption, emit, err, open_store, settings, shown, user_errors
from geodrift.codebooks import party_name
from geodrift.coding.articles import as_published
from geodrift.coding.coder import CODERS, DEFAULT_CODER, coder_named
from geodrift.errors import InputError
from geodrift.events import count_label, shown_date
from geodrift.ingest_text import code_files
from geodrift.sources.files import check_file


def code(
    inputs: Annotated[list[Path], typer.Argument(help="text, HTML, RSS/Atom or JSONL files, or folders")],
    published: Annotated[str | None, typer.Option(help="publication date of undated texts: YYYY-MM-DD, or YYYY-MM / YYYY "
                                                           "when only the month or year is known")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl (one event a line) or table")] = "jsonl",
    into: Annotated[bool, typer.Option("--into", help="also append the events to the store (--db)")] = False,
    coder: Annotated[str, typer.Option(help="hybrid (the default: a learned model decides where the dictionary "
                                            "is unsure or silent), dictionary (explainable, fastest), context (verb "
                                            "sense from a dependency parse; needs geodrift\\[parse]) or "
                                            "hybrid-context (the hybrid over the context coder's reading)")
                 ] = DEFAULT_CODER,
    db: DbOption = None,
) -> None:
    """Code news text into events (who did what to whom, when, where), each with its evidence."""
    with user_errors():
        if fmt not in ("jsonl", "table"):
            raise InputError(f"unknown --format {fmt!r}; use jsonl or table")
        if coder not in CODERS:
            raise InputError(f"unknown --coder {coder!r}; use {' or '.join(CODERS)}")
        for path in inputs:
            if not path.is_dir():
                check_file(path)
        as_published(published, "--published")  # a bad date stops here, before the store is opened
        with ExitStack() as stack:
            store = stack.enter_context(open_store(settings(db))) if into else None
            coded = code_files(inputs, published=published, store=store, coder=coder_named(coder))
        for item in coded.skipped:
            err.print(f"[yellow]{'skipped in part' if item.partial else 'skipped'}[/] {shown(item.origin)}: "
                      f"{shown(item.reason)}", highlight=False)
        for origin, day in coded.dateline_dated:
            err.print(f"[yellow]note[/] {shown(origin)}: published date taken from the dateline ({day}; pass "
                      "--published to set another)", highlight=False)
        for origin in coded.undated:
            err.print(f"[yellow]note[/] {shown(origin)}: no publication date; dates resolved against today "
                      "(pass --published)", highlight=False)
        rows, articles = coded.events, coded.articles
        if fmt == "jsonl":
            reports: dict[str, list[dict[str, object]]] = {}
            for report in coded.reports:
                reports.setdefault(report["event_id"], []).append(report)
            for row in rows:
                line = {**row, "evidence": reports.get(row["event_id"], [])}
                sys.stdout.write(json.dumps(line, default=str, ensure_ascii=False) + "\n")
        elif rows:
            import pandas as pd

            # Actor and role in one cell and short headers, so the table fits an 80-column terminal (jsonl keeps
            # the canonical fields).
            frame = pd.DataFrame(rows)

            def actor(side: str) -> pd.Series:
                # an organisation by its name ("European Union"), not its CAMEO code and role ("IGOEUREEC IGO")
                body = frame[f"{side}_country"].isna() & frame[f"{side}_code"].fillna("").str.startswith("IGO")
                named = frame[f"{side}_code"].map(lambda c: party_name(None, "IGO", c).removeprefix("the ")
                                                  if isinstance(c, str) else c)
                code = frame[f"{side}_country"].fillna(named.where(body, frame[f"{side}_code"])).fillna("")
                return (code + " " + frame[f"{side}_role"].where(~body).fillna("")).str.strip()

            table = pd.DataFrame({
                "date": [shown_date(d, p) for d, p in zip(frame["event_date"], frame["event_date_precision"],
                                                           strict=True)], "actor": actor("actor1"), "CAMEO": frame["event_code"],
                "target": actor("actor2"),
                "modality": frame["modality"], "place": frame["action_geo_name"].fillna(""),
                "conf.": frame["confidence"]})
            if coder in ("hybrid", "hybrid-context"):  # which part decided each event's type ("dict" fits 80 columns)
                table["by"] = frame["source_event_id"].str.rsplit("|", n=1).str[1].replace("dictionary", "dict")
            emit(table, "table", f"{count_label(len(rows), 'event')} from {count_label(articles, 'article')}")
        if coded.stored is not None:
            if coded.stored.status == "skipped":
                err.print(coded.stored.message or "already stored")
            else:
                replaced = (f", replacing {coded.replaced} events of the earlier coding of "
                            f"{replaced_names(coded.replaced_documents)}" if coded.replaced else "")
                err.print(f"stored {coded.stored.accepted} events ({coded.stored.duplicate} already stored) "
                          f"and {coded.reports_stored} reports of them{replaced}")
    noun = "article" if articles == 1 else "articles"
    parts = sum(item.partial for item in coded.skipped)
    err.print(f"{articles} {noun} coded, {count_label(len(rows), 'event')} from "
              f"{count_label(len(coded.reports), 'report')}, {count_label(len(coded.skipped) - parts, 'input')} skipped"
              + (f", {parts} in part" if parts else ""))
    if articles == 0:
        raise typer.Exit(1)


def replaced_names(documents: list[str], shown: int = 3) -> str:
    """The documents a coding replaced, as the user named them (a path, line or URL), the first ``shown`` of them."""
    names = [d.removeprefix("file:") for d in documents]
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return (", ".join(names[:shown]) or "these documents") + more


def register(app: typer.Typer) -> None:
    """Add the coding verb to the main app."""
    app.command()(code)
