"""Probabilistic forecasts: escalation, monthly conflict counts and long-term alignment, with rolling backtests."""
