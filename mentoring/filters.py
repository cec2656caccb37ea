import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, Value
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from accounts.models import Language, Sector
from mentoring import search
from mentoring.models import MeetingMode, MentorEnrollment
from mentoring.models.enrollments import DIRECTORY_FIRST, MODE_FIELDS


class DirectoryOrderingFilter(django_filters.OrderingFilter):
    """The chosen sort, after "free places first" and before the primary key (a stable page order).

    Without a chosen sort the queryset keeps ``EnrollmentQuerySet.directory()``'s ordering.
    """

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.order_by(*DIRECTORY_FIRST, *(self.get_ordering_value(param) for param in value), "pk")


def reference_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The sectors and the languages a student can filter on, in one query."""
    sectors = (
        Sector.objects.order_by()
        .annotate(kind=Value("sector"), label=Sector.localized_name_expression())
        .values_list("kind", "pk", "label")
    )
    languages = (
        Language.objects.order_by().annotate(kind=Value("language"), label=F("name")).values_list("kind", "pk", "label")
    )
    choices = {"sector": [], "language": []}
    for kind, pk, name in sectors.union(languages, all=True).order_by("label", "pk"):
        choices[kind].append((pk, name))
    return choices["sector"], choices["language"]


class MentorFilter(django_filters.FilterSet):
    """The directory's search, filters and sort; all of it lives in the URL, so it can be bookmarked.

    The sector and language choices are loaded together, once (not one query each to draw the
    form and another to check the value), unless given (``choices``, as ``reference_choices``
    returns them: the directory keeps them in the cache).
    """

    q = django_filters.CharFilter(label=_("Search"), method="search")
    sector = django_filters.ChoiceFilter(label=_("Sector"), method="by_sector", empty_label=_("Any sector"))
    language = django_filters.ChoiceFilter(label=_("Language"), method="by_language", empty_label=_("Any language"))
    mode = django_filters.ChoiceFilter(
        label=_("Meeting"), choices=MeetingMode.choices, method="by_mode", empty_label=_("Any way of meeting")
    )
    city = django_filters.CharFilter(label=_("City"), field_name="alumnus__alumnus_profile__city", lookup_expr="iexact")
    country = django_filters.CharFilter(
        label=_("Country"), field_name="alumnus__alumnus_profile__country", lookup_expr="iexact"
    )
    programme = django_filters.CharFilter(
        label=_("Programme"), field_name="alumnus__alumnus_profile__programme", lookup_expr="icontains"
    )
    graduated_from = django_filters.NumberFilter(
        label=_("Graduated from"), field_name="alumnus__alumnus_profile__graduation_year", lookup_expr="gte"
    )
    graduated_until = django_filters.NumberFilter(
        label=_("Graduated until"), field_name="alumnus__alumnus_profile__graduation_year", lookup_expr="lte"
    )
    free = django_filters.BooleanFilter(
        label=_("Only mentors with free places"), method="with_free_places", widget=forms.CheckboxInput
    )
    sort = DirectoryOrderingFilter(
        label=_("Sort by"),
        empty_label=_("Free places first, then name"),
        fields=[("sort_name", "name"), ("alumnus__alumnus_profile__graduation_year", "graduation")],
        # Each direction has its own label: django-filter's "%s (descending)" is formatted once,
        # at import, in English.
        field_labels={
            "sort_name": _("Name (A to Z)"),
            "-name": _("Name (Z to A)"),
            "alumnus__alumnus_profile__graduation_year": _("Graduation year (earliest first)"),
            "-graduation": _("Graduation year (most recent first)"),
        },
    )

    class Meta:
        model = MentorEnrollment
        fields = []

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = choices or reference_choices()
        self.filters["sector"].extra["choices"], self.filters["language"].extra["choices"] = choices

    @property
    def form(self):
        # Bootstrap's classes on the widgets, so that the page draws the form with a plain
        # partial (mentoring/partials/filter_field.html): crispy's per-field templates cost more
        # than the rest of the directory's template together.
        form = super().form
        if not getattr(form, "styled", False):
            for field in form.fields.values():
                widget = field.widget
                if isinstance(widget, forms.CheckboxInput):
                    css = "form-check-input"
                elif isinstance(widget, forms.Select):
                    css = "form-select"
                else:
                    css = "form-control"
                widget.attrs.setdefault("class", css)
            form.styled = True
        return form

    def search(self, queryset, name, value):
        # Every word must match: name, position, employer, sectors, degree or bio. On PostgreSQL
        # the best matches come first (after the mentors with free places, unless a sort is chosen).
        queryset = search.search(queryset, value)
        if search.is_available() and search.words(value):
            queryset = queryset.order_by(*DIRECTORY_FIRST, "-search_rank", "sort_name", "pk")
        return queryset

    def by_sector(self, queryset, name, sector):
        through = MentorEnrollment.sectors.through.objects.filter(mentorenrollment_id=OuterRef("pk"), sector=sector)
        return queryset.filter(Q(Exists(through)) | Q(alumnus__alumnus_profile__sector=sector))

    def by_language(self, queryset, name, language):
        through = MentorEnrollment.languages.through.objects.filter(
            mentorenrollment_id=OuterRef("pk"), language=language
        )
        return queryset.filter(Exists(through))

    def by_mode(self, queryset, name, mode):
        return queryset.filter(**{MODE_FIELDS[mode]: True})

    def with_free_places(self, queryset, name, value):
        return queryset.filter(full=False) if value else queryset
