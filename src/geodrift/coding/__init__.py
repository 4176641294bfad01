"""Coding news text into events: reading articles, resolving dates and places, actors and actions."""
