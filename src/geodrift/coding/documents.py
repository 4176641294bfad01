"""What a coded article is as a document: the key a later coding of it is known by, the article id its evidence rows
carry, a hash of its text and its URL.

Why apart from store_recode.py (which replaces a document's earlier coding in the store): every coding run names its
documents, and ``geodrift code`` without a store should not import DuckDB to do so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One coded article: where it came from, the article id its evidence rows carry, a hash of its text, and the URL
    its evidence rows carry (None for a file's text)."""

    key: str
    article_id: str
    content_hash: str
    url: str | None = None

    @classmethod
    def of(cls, key: str, article_id: str, text: str, url: str | None = None) -> Document:
        """The document ``key`` holding ``text``, coded under ``article_id``."""
        return cls(key, article_id, hashlib.sha256(text.encode("utf-8")).hexdigest(), url)
