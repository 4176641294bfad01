"""Analytics: functions of store queries (dyads, alignment, drift, flare-ups)."""
