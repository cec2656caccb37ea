from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.forms import mark_needed
from roadbook.models import REQUIRED_SECTIONS, SECTION_NAMES, Roadbook

PDF_MAGIC = b"%PDF-"


def too_large_message(size):
    return _("The CV is too large (%(size)s); the limit is %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(settings.ROADBOOK_CV_MAX_BYTES),
    }


def validate_pdf(upload):
    """A CV is a PDF by its content, not only by its name, and no larger than the cap."""
    if upload.size > settings.ROADBOOK_CV_MAX_BYTES:
        raise forms.ValidationError(too_large_message(upload.size))
    if not upload.name.lower().endswith(".pdf"):
        raise forms.ValidationError(_("The CV must be a PDF file (.pdf)."))
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise forms.ValidationError(_("This file is not a PDF, whatever its name says. Export your CV as PDF."))


class RoadbookForm(forms.ModelForm):
    """Every field is optional here: a draft saves whatever is there; sending checks completeness.
    What sending needs is marked from the start, the CV's limit said."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cv"].help_text = _("Needed to send. A PDF of at most %(limit)s.") % {
            "limit": filesizeformat(settings.ROADBOOK_CV_MAX_BYTES)
        }
        mark_needed(self, [*REQUIRED_SECTIONS, "cv"], _("needed to send"))

    cv = forms.FileField(
        label=_("CV (PDF)"),
        required=False,
        validators=[validate_pdf],
        # A plain input: the page names the current CV with a working download link.
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = Roadbook
        fields = [*SECTION_NAMES, "cv"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in SECTION_NAMES}
        help_texts = {
            "professional_project": _(
                "The job you aim for, where and why. Is it realistic? What makes it relevant for you?"
            ),
            "path_and_motivations": _("Your studies, internships and experiences, and what drives you."),
            "specialization_link": _(
                "Show that your specialization and experiences are strongly connected with your objective."
            ),
            "targets": _("Sectors, roles, companies and places you target."),
            "job_search_strategy": _("How you look for your first job: networks, applications, events…"),
            "action_plan": _("What you will do in the coming weeks, with dates."),
            "questions": _("What you would like to ask your mentor (optional)."),
        }
