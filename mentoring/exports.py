"""Tables staff download, as CSV or XLSX, from the dashboard and the admin lists.

Every export of the project builds on ``ExportResource`` (django-import-export): cells are plain
values, moments are given in the school's time zone, and text that a spreadsheet would run as a
formula is neutralised. The export of mentorships names only what this app owns; the later steps
add their columns through ``contributions.mentorship_export_columns``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

import tablib
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.resources import ModelResource
from import_export.widgets import Widget

from mentoring import contributions
from mentoring.contributions import Report
from mentoring.models import Campaign, Mentorship

# What a spreadsheet may take for the start of a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

FILE_FORMATS = {"csv": base_formats.CSV, "xlsx": base_formats.XLSX}
# The formats the admin lists offer too.
ADMIN_FORMATS = [base_formats.CSV, base_formats.XLSX]
# Spreadsheet programs read a CSV file's accents right only when it starts with a byte-order mark.
CSV_ENCODING = "utf-8-sig"


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe where it would start a formula."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def cell(value, native: bool):
    """One cell: typed for a spreadsheet (``native``), else as a CSV file writes it."""
    if value is None:
        return None if native else ""
    if isinstance(value, bool):
        return value if native else (_("yes") if value else _("no"))
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        # Spreadsheets know no time zones: the school's local time, as every page shows it.
        return local.replace(tzinfo=None, microsecond=0) if native else local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value if native else value.isoformat()
    if isinstance(value, int | float | Decimal):
        return value
    return safe_text(str(value))


def typed(dataset: tablib.Dataset, native: bool) -> tablib.Dataset:
    """``dataset`` with every cell passed through ``cell``."""
    result = tablib.Dataset(headers=[safe_text(str(header)) for header in dataset.headers or []])
    for row in dataset:
        result.append([cell(value, native) for value in row])
    return result


class CellWidget(Widget):
    def render(self, value, obj=None, **kwargs):
        return cell(value, bool(kwargs.get("force_native_type")))


def column(attribute: str, header) -> Field:
    """A column of an export: ``attribute`` as django-import-export reads it (``a__b``, methods called)."""
    return Field(attribute=attribute, column_name=header, widget=CellWidget(), readonly=True)


class ExportResource(ModelResource):
    """The base of the project's exports: columns declared with ``column``, the relations they
    read loaded with the rows (``related``: a fixed number of queries, whatever the admin list
    selected), and no text that could run as a formula, whatever the column."""

    related: tuple[str, ...] = ()

    def filter_export(self, queryset, **kwargs):
        queryset = super().filter_export(queryset, **kwargs)
        return queryset.select_related(*self.related) if isinstance(queryset, QuerySet) else queryset

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return safe_text(value) if isinstance(value, str) else value

    def get_export_headers(self, selected_fields=None):
        return [safe_text(header) for header in super().get_export_headers(selected_fields)]


class MentorshipResource(ExportResource):
    """Mentorships with their student, mentor, campaign, status and key dates; the later steps add
    theirs (road-book, interviews, outcome) as columns, each in a fixed number of queries."""

    number = column("pk", pgettext_lazy("export column: an identifier", "Number"))
    campaign = column("campaign__name", gettext_lazy("Campaign"))
    student = column("student__get_full_name", gettext_lazy("Student"))
    student_email = column("student__email", gettext_lazy("Student's email"))
    mentor = column("enrollment__alumnus__get_full_name", gettext_lazy("Mentor"))
    mentor_email = column("enrollment__alumnus__email", gettext_lazy("Mentor's email"))
    status = column("get_status_display", gettext_lazy("Status"))
    requested_at = column("requested_at", pgettext_lazy("export column: a date", "Requested"))
    responded_at = column("responded_at", pgettext_lazy("export column: a date", "Answered"))
    closed_at = column("closed_at", pgettext_lazy("export column: a date", "Closed"))

    related = ("student", "enrollment__alumnus", "campaign")

    class Meta:
        model = Mentorship
        fields = export_order = (
            "number",
            "campaign",
            "student",
            "student_email",
            "mentor",
            "mentor_email",
            "status",
            "requested_at",
            "responded_at",
            "closed_at",
        )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.contributed = [contribution() for contribution in contributions.mentorship_export_columns]
        for columns in self.contributed:
            for name, header in columns.headers.items():
                if name in self.fields:
                    raise ValueError(f"two columns of the mentorships' export are named {name!r}")
                self.fields[name] = column(f"export_extra__{name}", header)
        self._extra = {}

    def export(self, queryset=None, **kwargs):
        queryset = self.get_queryset() if queryset is None else queryset
        extra = defaultdict(dict)
        for columns in self.contributed:
            for pk, values in columns.values(queryset).items():
                extra[pk].update(values)
        self._extra = extra
        return super().export(queryset, **kwargs)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        instance.export_extra = self._extra.get(instance.pk, {})
        return super().export_resource(instance, selected_fields, **kwargs)


def mentorships_dataset(campaign: Campaign, native: bool) -> tablib.Dataset:
    mentorships = Mentorship.objects.filter(campaign=campaign).order_by("requested_at", "pk")
    return MentorshipResource().export(mentorships, force_native_type=native)


def download(report: Report, campaign: Campaign, fmt: str) -> HttpResponse:
    """``report`` of ``campaign`` as a file to save, in ``fmt`` (a key of ``FILE_FORMATS``)."""
    file_format = FILE_FORMATS[fmt]()
    native = file_format.is_binary()
    dataset = report.dataset(campaign, native)
    dataset.title = str(report.title)
    data = file_format.export_data(dataset)
    content_type = file_format.get_content_type()
    if not native:
        data = data.encode(CSV_ENCODING)
        content_type += "; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    name = f"{report.slug}-{slugify(campaign.name)}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
