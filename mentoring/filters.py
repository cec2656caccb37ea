import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from accounts.models import Language, Sector
from mentoring.models import MeetingMode, MentorEnrollment
from mentoring.models.enrollments import DIRECTORY_FIRST

MODE_FIELDS = {
    MeetingMode.IN_PERSON: "offers_in_person",
    MeetingMode.VIDEO: "offers_video",
    MeetingMode.PHONE: "offers_phone",
}


class DirectoryOrderingFilter(django_filters.OrderingFilter):
    """The chosen sort, after "free places first" and before the primary key (a stable page order).

    Without a chosen sort the queryset keeps ``EnrollmentQuerySet.directory()``'s ordering.
    """

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.order_by(*DIRECTORY_FIRST, *(self.get_ordering_value(param) for param in value), "pk")


class MentorFilter(django_filters.FilterSet):
    """The directory's search, filters and sort; all of it lives in the URL, so it can be bookmarked."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), method="by_sector", empty_label=_("Any sector")
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"), queryset=Language.objects.all(), method="by_language", empty_label=_("Any language")
    )
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
        fields=[("alumnus__last_name", "name"), ("alumnus__alumnus_profile__graduation_year", "graduation")],
        # Each direction has its own label: django-filter's "%s (descending)" is formatted once,
        # at import, in English.
        field_labels={
            "alumnus__last_name": _("Name (A to Z)"),
            "-name": _("Name (Z to A)"),
            "alumnus__alumnus_profile__graduation_year": _("Graduation year (earliest first)"),
            "-graduation": _("Graduation year (most recent first)"),
        },
    )

    class Meta:
        model = MentorEnrollment
        fields = []

    def search(self, queryset, name, value):
        # Every word must match somewhere: name, position, employer, sectors or bio.
        for word in value.split()[:8]:
            sector_match = Exists(
                MentorEnrollment.sectors.through.objects.filter(
                    mentorenrollment_id=OuterRef("pk"), sector__name__icontains=word
                )
            )
            queryset = queryset.filter(
                Q(alumnus__first_name__icontains=word)
                | Q(alumnus__last_name__icontains=word)
                | Q(alumnus__alumnus_profile__position__icontains=word)
                | Q(alumnus__alumnus_profile__employer__icontains=word)
                | Q(alumnus__alumnus_profile__sector__name__icontains=word)
                | Q(alumnus__alumnus_profile__bio__icontains=word)
                | sector_match
            )
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
        return queryset.filter(free_places__gt=0) if value else queryset
