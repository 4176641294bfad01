"""/api/v1 writes, behind an API key: code posted text, ingest files from the server's ingest folder, poll jobs."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException

from geodrift.analytics.listings import EVENT_COLUMNS
from geodrift.errors import InputError
from geodrift.store import Store
from geodrift.web.deps import Server, read_key, write_key
from geodrift.web.models import CodeRequest, CodeResponse, Event, IngestRequest, Job, NotCoded, clean

router = APIRouter(prefix="/api/v1", tags=["write"], dependencies=[Depends(read_key), Depends(write_key)])


@router.post("/code", response_model=CodeResponse)
def code(body: CodeRequest) -> CodeResponse:
    """Code posted text into events (not stored): who did what to whom, when, where, with evidence; and what was
    not coded and why (sentences in another script, or a text in a language the coder does not read).

    Reports of one event in the text are merged into one row, as ``geodrift code`` does.
    """
    from geodrift.coding.articles import Skipped
    from geodrift.coding.coder import text_items
    from geodrift.ingest_text import code_articles

    coded = code_articles(text_items(body.text, published=body.published, url=body.url, language=body.language))
    skipped = next((item for item in coded.skipped if isinstance(item, Skipped)), None)
    return CodeResponse(events=[Event(**{k: clean(r.get(k)) for k in EVENT_COLUMNS}) for r in coded.events],
                        not_coded=NotCoded(reason=skipped.reason, partial=skipped.partial, language=skipped.language,
                                           sentences=skipped.sentences, of=skipped.of) if skipped else None)


@router.post("/ingest", response_model=Job, status_code=202)
def ingest(server: Server, body: IngestRequest) -> Job:
    """Start ingesting files from the server's ingest folder; poll /jobs/{job_id}."""
    settings = server.settings
    if settings.read_only or settings.data_dir is None:
        raise HTTPException(403, "ingest over HTTP is off (start the server with --ingest-dir and writable)")
    root = settings.data_dir.resolve()
    paths = [(root / p).resolve() for p in body.paths]
    outside = [p for p, q in zip(body.paths, paths, strict=True) if not q.is_relative_to(root) or not q.is_file()]
    if outside:
        raise InputError(f"paths: {outside[0]!r} is not a file in the ingest folder")
    job = Job(job_id=uuid.uuid4().hex, status="running", files=len(paths))
    with server.jobs_lock:
        server.jobs[job.job_id] = job
    threading.Thread(target=_run_ingest, args=(server.store, paths, job), daemon=True).start()
    return job


@router.get("/jobs/{job_id}", response_model=Job)
def job_status(server: Server, job_id: str) -> Job:
    """Where an ingest job stands: running, done (with accepted rows) or failed (with the reason)."""
    with server.jobs_lock:
        job = server.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id}")
    return job


def _run_ingest(store: Store, paths: list[Path], job: Job) -> None:
    from geodrift.conflict_store import accepted_by_unit
    from geodrift.ingest import ingest_files

    if store.writes.busy():  # one writer at a time (store_connection.Writes): this job waits its turn
        job.message = "waiting for the write before it to finish"
    writer = store.session(read_only=False)
    job.message = None
    try:
        results = ingest_files(writer, paths)
        done = [r for r in results if r.status == "done"]
        job.accepted, job.accepted_by_kind = sum(r.accepted for r in done), accepted_by_unit(done)
        failed = [r for r in results if r.status == "failed"]
        job.status = "failed" if failed and len(failed) == len(results) else "done"
        job.message = "; ".join(f"{r.location}: {r.message}" for r in failed) or None
    except Exception as exc:  # the job reports any failure instead of dying silently in its thread
        job.status, job.message = "failed", str(exc).splitlines()[0]
    finally:
        writer.close()
