from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import mark_needed
from evaluations.models import FORM_FIELDS, REQUIRED_FIELDS, Evaluation, RecommendedContact
from evaluations.services.evaluations import next_meeting_error
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


class OtherDatesForm(SlotsForm):
    """Other dates for a proposed interview, or new ones for a confirmed interview (then with a reason)."""

    reason = forms.CharField(
        label=_("Why? (shown to the other side; needed to move a confirmed interview)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


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


class CoachingForm(forms.Form):
    reason = forms.CharField(
        label=_("Why would a coaching session with the Alumni Career Department help?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, optional=False, **kwargs):
        super().__init__(*args, **kwargs)
        # On an evaluation form, recommending coaching is a choice: an empty reason means no.
        self.fields["reason"].required = not optional


def evaluation_form_class(kind):
    """The ModelForm of one kind of evaluation: its private fields first, then the shared part."""
    names = FORM_FIELDS[kind]["private"] + FORM_FIELDS[kind]["shared"]
    widgets = {}
    for name in names:
        field = Evaluation._meta.get_field(name)
        if field.get_internal_type() == "TextField":
            widgets[name] = forms.Textarea(attrs={"rows": 3})
        elif field.choices:
            widgets[name] = forms.RadioSelect
    widgets["next_meeting_at"] = forms.DateTimeInput(attrs=DATETIME_INPUT, format="%Y-%m-%dT%H:%M")
    for name in ("job_start_date", "outcome_date"):
        widgets[name] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    class Meta:
        model = Evaluation
        fields = names

    Meta.widgets = widgets
    return type(f"{kind.title()}EvaluationForm", (EvaluationFormBase,), {"Meta": Meta})


class EvaluationFormBase(forms.ModelForm):
    """``campaign`` bounds the next meeting: it becomes a follow-up interview, so it must fall
    between now and the campaign's end."""

    def __init__(self, *args, campaign, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.now = now
        for field in self.fields.values():
            # Radio buttons need no "---------" choice: none ticked means not answered yet.
            if isinstance(field.widget, forms.RadioSelect):
                field.choices = [(value, label) for value, label in field.choices if value != ""]
        # What completing the form needs is marked from the start; a draft saves with any of it.
        mark_needed(self, REQUIRED_FIELDS[self.instance.kind], _("needed to complete"))

    def clean_next_meeting_at(self):
        value = self.cleaned_data.get("next_meeting_at")
        try:
            error = next_meeting_error(value, self.campaign, self.now)
        except OverflowError:  # a year such as 1 or 9999 that no time zone arithmetic can hold
            error = _("Give a date in the future, before the campaign ends.")
        if error:
            raise forms.ValidationError(error)
        return value

    @property
    def private_fields(self):
        return [self[name] for name in FORM_FIELDS[self.instance.kind]["private"] if name in self.fields]

    @property
    def shared_fields(self):
        return [self[name] for name in FORM_FIELDS[self.instance.kind]["shared"] if name in self.fields]


class ContactForm(forms.ModelForm):
    """A recommended contact. An empty row is optional: the name is needed only once something is
    typed in the row, so the empty rows carry no required mark."""

    class Meta:
        model = RecommendedContact
        fields = ["name", "organisation", "why"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False

    def clean(self):
        cleaned_data = super().clean()
        filled = any(cleaned_data.get(name) for name in ("organisation", "why"))
        if (filled or self.instance.pk) and not cleaned_data.get("name") and not cleaned_data.get("DELETE"):
            self.add_error("name", _("Give the contact's name, or empty the row."))
        return cleaned_data


def contacts_formset_class():
    return forms.inlineformset_factory(Evaluation, RecommendedContact, form=ContactForm, extra=2, can_delete=True)
