"""Event sources: each reads a kind of input into batches of the canonical event schema."""
