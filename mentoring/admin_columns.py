"""Admin list columns that name a record's mentorship: the student, the mentor, the campaign.

Road-books, interviews, evaluations and coaching referrals all hang from a mentorship; their lists
answer "who, which campaign" the same way::

    student, mentor, campaign = mentorship_columns("interview__mentorship")
"""

from operator import attrgetter

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


def mentorship_columns(path: str = "mentorship"):
    """(student, mentor, campaign) display functions for a model whose mentorship is at ``path``
    (a lookup such as "mentorship" or "interview__mentorship"); sortable, and cheap with
    ``list_select_related`` on the same path."""
    mentorship_of = attrgetter(path.replace("__", "."))

    @admin.display(description=_("student"), ordering=f"{path}__student__last_name")
    def student(self, obj):
        return mentorship_of(obj).student

    @admin.display(description=_("mentor"), ordering=f"{path}__enrollment__alumnus__last_name")
    def mentor(self, obj):
        return mentorship_of(obj).mentor

    @admin.display(description=_("campaign"), ordering=f"{path}__campaign__recruitment_opens")
    def campaign(self, obj):
        return mentorship_of(obj).campaign

    return student, mentor, campaign


def mentorship_related(path: str = "mentorship") -> list[str]:
    """What ``list_select_related`` needs for those columns."""
    return [f"{path}__student", f"{path}__enrollment__alumnus", f"{path}__campaign"]
