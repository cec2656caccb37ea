import factory
from django.core.files.base import ContentFile

from mentoring.factories import MentorshipFactory
from roadbook.models import Roadbook

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class RoadbookFactory(factory.django.DjangoModelFactory):
    """A complete draft with a CV, for an accepted mentorship; ``submitted`` sends it."""

    class Meta:
        model = Roadbook

    mentorship = factory.SubFactory(MentorshipFactory, status="accepted")
    professional_project = "Devenir data scientist dans l'énergie."
    path_and_motivations = "Ingénieur généraliste, stage chez un opérateur solaire."
    specialization_link = "La spécialisation data science prépare aux prévisions de consommation."
    targets = "Utilities, grid operators; Lyon or Paris."
    job_search_strategy = "Network, alumni, targeted applications."
    action_plan = "Ten applications by the end of the month."
    questions = "How do I present my internship?"
    cv = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="cv.pdf"))
    cv_filename = "Mon CV.pdf"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Confirming a first interview already made the row (it stores the deadline): fill it in.
        existing = model_class.objects.filter(mentorship=kwargs["mentorship"]).first()
        if existing is None:
            return super()._create(model_class, *args, **kwargs)
        for name, value in kwargs.items():
            setattr(existing, name, value)
        existing.save()
        return existing
