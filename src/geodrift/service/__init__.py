"""The daily service: ``geodrift update`` (one run) and ``geodrift watch`` (a loop) keep a store current.

One run fetches what is new (GDELT 2.0 15-minute exports, GDELT 1.0 daily files, the RSS/Atom feeds and pages
of the ``feeds`` table), codes new articles, ingests, refreshes the forecasts whose inputs changed, writes
today's briefing and turns new flare-ups, alignment shifts and forecast threshold crossings into alerts
(Atom, API, signed webhooks). The stages are listed in ``update.STAGES``; each is idempotent, so a run killed
at any point and started again ends with the store an uninterrupted run would have written.

Modules: ``settings`` (geodrift.toml), ``state`` (the service's tables), ``fetch`` (the polite HTTP client),
``feeds`` and ``gdelt`` (the fetching stages), ``forecasts``, ``briefs``, ``alerts``, ``webhooks``, ``lock``,
``status`` and ``update`` (the run itself).
"""
