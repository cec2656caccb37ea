"""Writes of the evaluations app, one module per domain: ``interviews`` (proposals, confirmations,
moves, cancellations), ``evaluations`` (the mentor's forms) and ``coaching`` (referrals).

Each service takes plain values, checks its rule inside (whatever a view already checked) and
raises ``RuleError`` with a message for the user.
"""
