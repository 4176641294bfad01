"""Webhook deliveries: each pending (alert, subscriber) pair is POSTed as JSON, signed, and retried.

The body is ``{"alert": {...}}`` (the API's alert object). Headers: ``X-Geodrift-Delivery`` (the alert id: a
receiver drops repeats, since a run killed after a POST and before recording it sends again: delivery is at least
once) and, when the subscriber has a secret, ``X-Geodrift-Signature: sha256=<hex HMAC-SHA256 of the body>``.
A run tries each delivery up to three times with backoff; a 2xx delivers it, another 4xx (but 408 and 429) fails it
for good, anything else leaves it pending for the next run until ``webhook_attempts`` attempts were made.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any

from geodrift.service import state
from geodrift.service.alerts import list_alerts
from geodrift.service.context import RunContext
from geodrift.service.fetch import RETRYABLE

TRIES_PER_RUN = 3


def signature(secret: str, body: bytes) -> str:
    """The X-Geodrift-Signature value: ``sha256=`` and the hex HMAC-SHA256 of the body under the secret."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _post(ctx: RunContext, url: str, body: bytes, headers: dict[str, str]) -> tuple[bool, bool, str | None]:
    """One POST: (delivered, worth retrying, error)."""
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json",
                                              "User-Agent": ctx.fetcher.policy.user_agent, **headers})
    try:
        with urllib.request.urlopen(request, timeout=ctx.fetcher.policy.timeout) as resp:
            resp.read()
            return True, False, None
    except urllib.error.HTTPError as exc:
        return False, exc.code in RETRYABLE, f"HTTP {exc.code} {exc.reason}"
    except (urllib.error.URLError, OSError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        return False, True, str(reason) or type(reason).__name__


def deliver_pending(ctx: RunContext) -> tuple[int, int, int]:
    """Try every pending delivery; (delivered, failed for good, still pending)."""
    rows = ctx.store.con.execute("SELECT alert_id, target, attempts FROM alert_deliveries WHERE status = 'pending' "
                                 "ORDER BY alert_id, target").fetchall()
    if not rows:
        return 0, 0, 0
    alerts = {a["id"]: a for a in list_alerts(ctx.store, limit=100_000)}
    secrets = {s.webhook: s.secret for s in ctx.config.subscribers}
    counts = {"delivered": 0, "failed": 0, "pending": 0}
    for alert_id, target, attempts in rows:
        status, error = "pending", None
        if target not in secrets:
            status, error = "failed", "no subscriber has this webhook any more"
        else:
            body = json.dumps({"alert": alerts[int(alert_id)]}, sort_keys=True).encode("utf-8")
            headers: dict[str, Any] = {"X-Geodrift-Delivery": str(alert_id)}
            if secrets[target]:
                headers["X-Geodrift-Signature"] = signature(secrets[target], body)
            for attempt in range(TRIES_PER_RUN):
                attempts += 1
                delivered, retry, error = _post(ctx, target, body, headers)
                if delivered:
                    status = "delivered"
                    break
                if not retry or attempts >= ctx.config.webhook_attempts:
                    status = "failed"
                    break
                if attempt < TRIES_PER_RUN - 1:
                    time.sleep(ctx.fetcher.policy.backoff * 2**attempt)
        counts[status] += 1
        with state.transaction(ctx.store) as con:
            con.execute("UPDATE alert_deliveries SET status = ?, attempts = ?, last_error = ?, updated_at = ? "
                        "WHERE alert_id = ? AND target = ?", [status, attempts, error, state.now_utc(), alert_id, target])
    return counts["delivered"], counts["failed"], counts["pending"]
