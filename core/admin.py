import unicodedata

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import connections
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.audit import record_access, trail
from core.errors import RuleError
from core.models import AccessRecord, SentNotice
from core.notices import UnknownNoticeKind, notice_kind, notice_kinds


class _TitledFilter(admin.FieldListFilter):
    title_text = ""

    def __new__(cls, field, request, params, model, model_admin, field_path):
        # The filter Django would choose for the field, under a title that reads after "By".
        spec = admin.FieldListFilter.create(field, request, params, model, model_admin, field_path)
        spec.title = cls.title_text
        return spec


def act_on_each(model_admin, request, objects, act, done_message, name=None):
    """An admin action's loop: ``act(obj)`` for each object; a rule that refuses one is told as a
    warning (after ``name(obj)`` when given) and the others go on; then ``done_message(count)``
    says how many were done."""
    done = 0
    for obj in objects:
        try:
            act(obj)
        except RuleError as error:
            model_admin.message_user(request, f"{name(obj)}: {error}" if name else str(error), messages.WARNING)
        else:
            done += 1
    model_admin.message_user(request, done_message(done), messages.SUCCESS)


def titled(field_path, title):
    """A ``list_filter`` entry for ``field_path`` whose sidebar title is ``title``, for fields whose
    name reads oddly after the admin's "By" ("By in person" becomes "By meets in person")."""
    return (field_path, type("TitledFilter", (_TitledFilter,), {"title_text": title}))


def kind_label(name):
    """A notice kind as staff read it: its declared label, in the active language.

    A kind no app declares any more (rows sent before it was removed) shows its name.
    """
    try:
        return notice_kind(name).label
    except UnknownNoticeKind:
        return name


def _reading_order(label):
    """Labels in alphabetical order in the active language, accents aside: "Évaluation" with the E's."""
    return unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode().casefold()


class KindFilter(admin.SimpleListFilter):
    """The declared kinds: listing them never scans the outbox."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = sorted(notice_kinds(), key=lambda kind: _reading_order(kind.label))
        return [(kind.name, kind.label) for kind in kinds]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class OutboxPaginator(Paginator):
    """The unfiltered outbox is counted from PostgreSQL's statistics once it is large, instead of
    by reading every row on every page of the list; a filtered or searched list counts exactly."""

    ESTIMATE_ABOVE = 50_000

    @cached_property
    def count(self):
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] > max(self.ESTIMATE_ABOVE, 0):  # -1: never analysed
                return row[0]
        return super().count


@admin.register(SentNotice)
class SentNoticeAdmin(admin.ModelAdmin):
    paginator = OutboxPaginator
    list_display = ["kind_display", "to", "subject", "period", "created_at", "delivered_at", "held", "attempts"]
    # No date drill-down and no distinct scan of the outbox: filters come from the declared kinds
    # and fixed date ranges.
    list_filter = [KindFilter, ("delivered_at", admin.EmptyFieldListFilter), "held", "created_at"]
    search_fields = ["email", "recipient__last_name", "subject"]
    list_select_related = ["recipient"]
    show_full_result_count = False

    @admin.display(description=_("kind"), ordering="kind")
    def kind_display(self, notice):
        return kind_label(notice.kind)

    @admin.display(description=_("recipient"), ordering="email")
    def to(self, notice):
        # A notice to the department's address has no account behind it.
        return notice.recipient or notice.email

    # The log is evidence of what was sent: nobody edits it by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditTrailMixin:
    """A record's admin page shows its audit trail (who opened it, who changed its status), and
    opening it there is recorded like opening it anywhere else. Add ``"audit_trail"`` to the
    admin's ``readonly_fields`` (and its fields, if it lists them)."""

    audit_reads = True

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.audit_reads and request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                record_access(request.user, obj, AccessRecord.What.PAGE)
        return response

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        return render_to_string("admin/audit_trail.html", {"rows": trail(obj)})
