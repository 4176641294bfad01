"""A re-coded document replaces its earlier coding: its old events, their evidence, aggregates and clusters.

Why: coded text is stored under event ids derived from what the coder found, so coding an article again (an edited
text, a newer coder, ``geodrift demo --out`` into a folder an older build wrote) gives new ids, and appending them
would count the article twice. A document is known by its URL, else the file (and line or entry) it was read from,
or for a feed item its guid (``coded_documents``, migrations 13 and 14); the article id its evidence carries, a hash
of its text and its URL say which coding the store holds. Article ids are not unique per document (one text, no URL,
in two files; one link under two guids; a JSONL record's own ``id`` with a URL), so a document's earlier coding is
removed only by re-coding that document: by the article id recorded for its key, in the rows of its URL (or of no
URL) when another document records that id too, and not at all for a file's text another file holds identically
(its rows are the other's too); the new article id is a fallback for a coding stored before migration 13 that no
other document records. Re-coding removes that coding's evidence, deletes the events left with none (an event other documents
also report keeps their evidence, recounted), and inserts the new coding, all in one transaction; the clusters of the
removed and recounted reports are recomputed in it (clustering.drop_reports), the new ones clustered after it as any
ingest's.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from geodrift import clustering
from geodrift.cluster_units import refresh_rollups
from geodrift.coding.documents import Document
from geodrift.direct import FileAppend, FileResult
from geodrift.errors import StoreError
from geodrift.registered import registered
from geodrift.sources.base import Rejected
from geodrift.store import Store
from geodrift.store_appends import add_evidence, recount_evidence
from geodrift.units_sql import report_units

_DOCUMENTS = pa.schema([("document", pa.string()), ("article_id", pa.string()), ("content_hash", pa.string()),
                        ("url", pa.string())])


def _table(documents: Sequence[Document]) -> pa.Table:
    return pa.table({"document": [d.key for d in documents], "article_id": [d.article_id for d in documents],
                     "content_hash": [d.content_hash for d in documents], "url": [d.url for d in documents]},
                    schema=_DOCUMENTS)


_STALE = r"""SELECT c.document FROM coded_documents AS c
    WHERE c.document LIKE 'file:%' AND c.document NOT IN (SELECT document FROM rc_docs)
      AND regexp_replace(c.document, ' (line|entry) \d+$', '') IN (
          SELECT regexp_replace(document, ' (line|entry) \d+$', '') FROM rc_docs WHERE document LIKE 'file:%')"""
"""The recorded documents of a re-coded file that it no longer holds (a line removed, or now skipped): a file is
coded whole, so its re-coding replaces their coding too (with nothing)."""


def stored_coding(store: Store, documents: Sequence[Document], evidence: pa.Table) -> int | None:
    """The file that stored exactly this coding of every document (the same texts, coded into the same events), if
    the store holds it; else None (there is something to replace or add)."""
    with registered(store.con, "rc_docs", _table(documents)), registered(store.con, "rc_evidence", evidence):
        rows = store.con.execute(f"""
            WITH stored AS (SELECT d.document, any_value(s.file_id) AS file_id,
                                   bool_and(s.content_hash = d.content_hash AND s.article_id = d.article_id) AS same,
                                   coalesce(list_sort(list(DISTINCT e.event_id) FILTER (WHERE e.event_id IS NOT NULL)),
                                            []::VARCHAR[]) AS ids,
                                   -- another document records the same article id: its events are in ids too
                                   bool_or(EXISTS (SELECT 1 FROM coded_documents AS o WHERE o.article_id = s.article_id
                                                   AND o.document <> s.document)) AS shared
                            FROM rc_docs AS d LEFT JOIN coded_documents AS s USING (document)
                            LEFT JOIN evidence AS e ON e.article_id = s.article_id GROUP BY d.document),
                 coded AS (SELECT d.document, coalesce(list_sort(list(DISTINCT n.event_id)
                                                                 FILTER (WHERE n.event_id IS NOT NULL)), []::VARCHAR[]) AS ids
                           FROM rc_docs AS d LEFT JOIN rc_evidence AS n ON n.article_id = d.article_id GROUP BY d.document)
            SELECT max(s.file_id), bool_and(coalesce(s.same, FALSE)
                                            AND (s.ids = c.ids OR (coalesce(s.shared, FALSE) AND list_has_all(s.ids, c.ids))))
                                   AND NOT EXISTS ({_STALE})
            FROM stored AS s JOIN coded AS c USING (document)""").fetchall()
    file_id, same = rows[0] if rows else (None, False)
    return int(file_id) if same and file_id is not None else None


def coded_before(store: Store, documents: Sequence[Document]) -> bool:
    """Whether the store holds any coding of these documents: their record, or (a coding stored before migration 13)
    evidence under an article id no document records."""
    with registered(store.con, "rc_docs", _table(documents)):
        return bool(store._scalar(f"""
            SELECT EXISTS (SELECT 1 FROM coded_documents WHERE document IN (SELECT document FROM rc_docs))
            OR EXISTS ({_STALE})
            OR EXISTS (SELECT 1 FROM evidence WHERE article_id IN (
                SELECT article_id FROM rc_docs WHERE article_id NOT IN (SELECT article_id FROM coded_documents)))"""))


def replace_coded(store: Store, table: pa.Table, rejected: list[Rejected], evidence: pa.Table,
                  documents: Sequence[Document], *, location: str, checksum: str
                  ) -> tuple[FileResult, int, int, list[str]]:
    """Store a coding of ``documents`` (its events ``table`` and their ``evidence``) in place of their earlier one, in
    one transaction; returns the file's result, the new evidence rows, the earlier events deleted and the documents
    whose earlier coding was removed (their keys: URL, else ``file:`` path and line).

    Raises:
        StoreError: the write failed; the store is as it was.
    """
    store._open_group()
    con = store.con
    try:
        with registered(con, "rc_docs", _table(documents)), registered(con, "rc_evidence", evidence):
            removed, replaced = _remove(con, store)
            file_id, _, _ = store.insert(table)
            con.execute("""CREATE OR REPLACE TEMP TABLE rc_gained AS SELECT DISTINCT n.event_id FROM rc_evidence AS n
                WHERE NOT EXISTS (SELECT 1 FROM evidence AS e WHERE e.event_id = n.event_id
                                  AND e.article_id = n.article_id AND e.start_offset IS NOT DISTINCT FROM n.start_offset)""")
            reports = add_evidence(con, evidence)
            # Stored events that gained or lost reports changed their counts: their aggregates and clusters follow (a
            # report already stored, as a moved file's, changes nothing).
            con.execute(f"""CREATE OR REPLACE TEMP TABLE rc_touched AS SELECT DISTINCT e.event_id FROM events AS e
                WHERE e.file_id < {int(file_id)}
                  AND e.event_id IN (SELECT event_id FROM rc_kept UNION SELECT event_id FROM rc_gained)""")
            con.execute("INSERT INTO rc_days SELECT actor1_country, actor2_country, event_date FROM events "
                        "WHERE event_id IN (SELECT event_id FROM rc_touched)")
            _refold(con)
            clustering.drop_reports(con, "rc_removed", "rc_touched")
            con.execute("DELETE FROM coded_documents WHERE document IN (SELECT document FROM rc_docs) "
                        "OR document IN (SELECT document FROM rc_stale)")
            con.execute("INSERT INTO coded_documents (document, article_id, content_hash, file_id, url) "
                        "SELECT document, article_id, content_hash, ?, url FROM rc_docs", [file_id])
        for temp in ("rc_gained", "rc_stale", "rc_targets", "rc_articles", "rc_hit", "rc_removed", "rc_kept", "rc_files",
                     "rc_touched", "rc_days"):
            con.execute(f"DROP TABLE IF EXISTS {temp}")
    except BaseException as exc:
        store.fail_group(exc)
        raise
    result = store.append_files([FileAppend("text", location, checksum, None, [], rejected, file_id)])[0]
    return result, reports, removed, replaced


_OWN_ROWS = ("(t.how = 'all' OR (t.how = 'url' AND e.url = t.url) OR (t.how = 'nourl' AND e.url IS NULL))")
"""Which evidence rows of a target's article id (``e``) are the re-coded document's own (``t``: rc_targets)."""


def _refuse_ambiguous(con: duckdb.DuckDBPyConnection) -> None:
    """Stop a re-coding whose earlier events cannot be told from another file's (two texts under one id, stored
    before migration 14 scoped JSONL ids to their file): keeping them would count the document twice, deleting them
    would lose the other's.

    A document another file coded with it now reads unchanged (the same article id and text: the file moved) covers
    the recorded one, so coding the moved file with it is the way out.

    Raises:
        StoreError: naming the documents to code together.
    """
    rows = con.execute("""SELECT t.document, t.article_id, list(o.document ORDER BY o.document) FROM rc_targets AS t
        JOIN coded_documents AS o ON o.article_id = t.article_id AND o.url IS NULL
                                  AND o.document NOT IN (SELECT document FROM rc_docs)
                                  AND NOT EXISTS (SELECT 1 FROM rc_docs AS d WHERE d.article_id = o.article_id
                                                  AND d.content_hash = o.content_hash)
                                  AND o.document NOT IN (SELECT document FROM rc_stale)
        WHERE t.how = 'ambiguous' GROUP BY ALL ORDER BY ALL LIMIT 1""").fetchall()
    if rows:
        document, article, others = rows[0]
        raise StoreError(f"{document.removeprefix('file:')}: its earlier coding shares the article id {article!r} with "
                         f"{', '.join(o.removeprefix('file:') for o in others)} (coded before schema 14), so its events "
                         "cannot be told apart from theirs; code those files together with it to replace them all "
                         "(a file moved since: its new place, unchanged)")


def _remove(con: duckdb.DuckDBPyConnection, store: Store) -> tuple[int, list[str]]:
    """Delete the earlier coding's evidence of the documents in ``rc_docs`` and the events it leaves with none; the
    events still reported by other documents (``rc_kept``) are recounted and take their first remaining report's
    evidence columns where theirs was removed. Returns the events deleted and the documents whose coding was removed."""
    # What to delete: the article id recorded for each re-coded document (its own earlier coding), never the new
    # article's id as such. An id no other document records goes whole ('all'); one another document records too, in
    # the rows of this document's URL ('url'), or of no URL for a file's text ('nourl') when the others have URLs; a
    # file's text sharing the id with another file's identical text keeps them ('keep': the other still reports them).
    # The new id is a fallback for codings stored before migration 13 (no record) when no other document records it.
    con.execute(f"CREATE OR REPLACE TEMP TABLE rc_stale AS {_STALE}")
    con.execute("""CREATE OR REPLACE TEMP TABLE rc_targets AS
        WITH others AS (SELECT * FROM coded_documents WHERE document NOT IN (SELECT document FROM rc_docs)
                        AND document NOT IN (SELECT document FROM rc_stale)),
             uncovered AS (SELECT * FROM others AS o WHERE NOT EXISTS (
                 SELECT 1 FROM rc_docs AS d WHERE d.article_id = o.article_id AND d.content_hash = o.content_hash))
        SELECT c.document, c.article_id, c.url,
               CASE WHEN NOT EXISTS (SELECT 1 FROM uncovered AS o WHERE o.article_id = c.article_id) THEN 'all'
                    WHEN c.url IS NOT NULL THEN 'url'
                    WHEN NOT EXISTS (SELECT 1 FROM uncovered AS o WHERE o.article_id = c.article_id AND o.url IS NULL)
                        THEN 'nourl'
                    WHEN NOT EXISTS (SELECT 1 FROM uncovered AS o WHERE o.article_id = c.article_id AND o.url IS NULL
                                     AND o.content_hash <> c.content_hash) THEN 'keep'
                    ELSE 'ambiguous' END AS how
        FROM coded_documents AS c
        WHERE c.document IN (SELECT document FROM rc_docs) OR c.document IN (SELECT document FROM rc_stale)
        UNION
        SELECT d.document, d.article_id, NULL AS url, 'all' AS how FROM rc_docs AS d
        WHERE NOT EXISTS (SELECT 1 FROM others AS o WHERE o.article_id = d.article_id)
          AND EXISTS (SELECT 1 FROM evidence AS e WHERE e.article_id = d.article_id)""")
    _refuse_ambiguous(con)
    con.execute("DELETE FROM rc_targets WHERE how = 'keep'")
    con.execute("CREATE OR REPLACE TEMP TABLE rc_articles AS SELECT DISTINCT article_id FROM rc_targets")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE rc_hit AS SELECT DISTINCT e.event_id FROM evidence AS e
                   JOIN rc_targets AS t ON e.article_id = t.article_id AND {_OWN_ROWS}""")
    con.execute("""CREATE OR REPLACE TEMP TABLE rc_days AS SELECT actor1_country, actor2_country, event_date FROM events
                   WHERE event_id IN (SELECT event_id FROM rc_hit)""")
    con.execute(f"""DELETE FROM evidence AS e WHERE EXISTS (SELECT 1 FROM rc_targets AS t
                                                           WHERE e.article_id = t.article_id AND {_OWN_ROWS})""")
    con.execute("""CREATE OR REPLACE TEMP TABLE rc_removed AS SELECT event_id FROM rc_hit
                   WHERE event_id NOT IN (SELECT event_id FROM evidence)""")
    con.execute("CREATE OR REPLACE TEMP TABLE rc_kept AS SELECT event_id FROM rc_hit EXCEPT SELECT event_id FROM rc_removed")
    con.execute("""CREATE OR REPLACE TEMP TABLE rc_files AS SELECT DISTINCT file_id FROM events
                   WHERE event_id IN (SELECT event_id FROM rc_removed)""")
    con.execute("DELETE FROM events WHERE event_id IN (SELECT event_id FROM rc_removed)")
    # A coding run none of whose events is left says so (db info counts its rows apart from the stored ones).
    con.execute("""UPDATE ingested_files SET status = 'replaced',
                          message = 're-coded: a later coding of its articles replaced its events'
                   WHERE status = 'done' AND file_id IN (SELECT file_id FROM rc_files)
                     AND NOT EXISTS (SELECT 1 FROM events AS e WHERE e.file_id = ingested_files.file_id)""")
    recount_evidence(con, "SELECT event_id FROM rc_kept")
    con.execute("""
        UPDATE events SET source_url = f.url, outlet = f.outlet, evidence_article_id = f.article_id,
                          evidence_sentence = f.sentence, evidence_start = f.start_offset, evidence_end = f.end_offset
        FROM (SELECT * FROM evidence WHERE event_id IN (SELECT event_id FROM rc_kept)
              QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY published, article_id, start_offset) = 1) AS f
        WHERE events.event_id = f.event_id AND events.evidence_article_id IN (SELECT article_id FROM rc_articles)""")
    documents = [str(row[0]) for row in con.execute(
        "SELECT DISTINCT document FROM rc_targets ORDER BY document").fetchall()]
    return int(store._scalar("SELECT count(*) FROM rc_removed")), documents


def _refold(con: duckdb.DuckDBPyConnection) -> None:
    """Sum the reports' dyad and country aggregates again for the days in ``rc_days`` from the events folded so far
    (the new file's are folded when it commits)."""
    folded = int(con.execute("SELECT value FROM meta WHERE key = 'aggregated_file_id'").fetchall()[0][0] or 0)
    con.execute("CREATE OR REPLACE TEMP TABLE cu_days AS SELECT DISTINCT * FROM rc_days")
    refresh_rollups(con, "", report_units(f"file_id <= {folded}"))
    con.execute("DROP TABLE cu_days")
