"""Whole-call triage: every participant of a session assessed, and whose connection broke it.

* :mod:`bot.triage.evidence` reads per-sender received loss and uplink loss from a report
  (used when the health engine's ``Assessment.received_from`` is empty).
* :mod:`bot.triage.blame` is pure: per-peer evidence in, blame sentences out.
* :mod:`bot.triage.fanout` fetches every participant's report with bounded concurrency, one
  shared pause on 429 and a request budget.
* :mod:`bot.triage.session` ties them together: ``triage_session(api, app, session)``.
"""
