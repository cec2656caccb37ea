from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.models import MeetingMode

DATETIME_INPUT = {"type": "datetime-local", "step": 300}


def _slot_field(label, required):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format="%Y-%m-%dT%H:%M"),
    )


class SlotsForm(forms.Form):
    """One to three dates; the 3-day rule is checked by the service, which says why and gives the earliest start."""

    slot_1 = _slot_field(_("Date and time"), True)
    slot_2 = _slot_field(_("Another possible date (optional)"), False)
    slot_3 = _slot_field(_("A third possible date (optional)"), False)

    def __init__(self, *args, earliest=None, **kwargs):
        super().__init__(*args, **kwargs)
        if earliest is not None:
            local = timezone.localtime(earliest)
            for name in ("slot_1", "slot_2", "slot_3"):
                self.fields[name].widget.attrs["min"] = local.strftime("%Y-%m-%dT%H:%M")

    @property
    def starts(self):
        return [self.cleaned_data[name] for name in ("slot_1", "slot_2", "slot_3") if self.cleaned_data.get(name)]


class ProposalForm(SlotsForm):
    duration_minutes = forms.TypedChoiceField(
        label=_("Duration"),
        coerce=int,
        choices=[
            (30, _("30 minutes")),
            (45, _("45 minutes")),
            (60, _("1 hour")),
            (90, _("1 hour 30")),
            (120, _("2 hours")),
        ],
        initial=60,
    )
    mode = forms.ChoiceField(label=_("How"), choices=MeetingMode.choices, widget=forms.RadioSelect)
    place = forms.CharField(label=_("Place (in person)"), required=False, max_length=255)
    link = forms.URLField(
        label=_("Video link (Teams, Zoom, Skype…)"), required=False, max_length=500, assume_scheme="https"
    )
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=40)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the other side"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
