"""The notices the accounts app sends, declared once (templates in ``templates/emails/<name>/``)."""

from core.notices import NoticeKind, register

# An imported person chooses a password (accounts/imports.py).
register(NoticeKind("invitation", own_reason=True))
