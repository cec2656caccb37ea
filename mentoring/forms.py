from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, Sector
from core.forms import BoundedModelMultipleChoiceField
from mentoring.models import MeetingMode


class EnrollmentForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("How many students can you mentor in this campaign?"), min_value=1, max_value=20
    )
    modes = forms.MultipleChoiceField(
        label=_("How can you meet?"),
        choices=MeetingMode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way of meeting.")},
    )
    languages = BoundedModelMultipleChoiceField(
        label=_("Languages you can hold an interview in"),
        queryset=Language.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = BoundedModelMultipleChoiceField(
        label=_("Sectors and functions you can speak to"),
        queryset=Sector.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    availability_note = forms.CharField(
        label=_("Availability"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: weekday evenings, not in August."),
    )

    @classmethod
    def initial_from(cls, enrollment):
        return {
            "capacity": enrollment.capacity,
            "modes": enrollment.meeting_modes,
            "languages": list(enrollment.languages.all()),
            "sectors": list(enrollment.sectors.all()),
            "availability_note": enrollment.availability_note,
        }


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message to the mentor"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why this mentor? What do you hope to get from the programme?"),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the student"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
