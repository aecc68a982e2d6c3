"""Telling people what a crawl found: a change digest per night, topic watches, ops alerts.

`config` reads and validates the notification file, `watch` matches the search box's
queries against added lines, `digest` composes messages (pure functions), `gather` reads a
run's changes and health from the database, `send` is the thin Apprise sender, and
`deliver` ties them together and records every (run, channel, kind) in `notifications`.
Nothing here imports Apprise until a message is actually sent or a URL checked.
"""
