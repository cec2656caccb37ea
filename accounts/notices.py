"""The notices the accounts app sends, declared once (templates in ``templates/emails/<name>/``)."""

from django.utils.translation import gettext_lazy as _

from core.notices import NoticeKind, register

# An imported person chooses a password (accounts/imports.py).
register(NoticeKind("invitation", own_reason=True, label=_("Account created: choose a password")))
# "My data": the archive of a large account is ready (accounts/my_data.py).
register(NoticeKind("data_export_ready", own_reason=True, label=_("My data: the archive is ready")))
