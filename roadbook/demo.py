"""Demo road-book: the demo student's draft, half written."""

from roadbook.models import Roadbook


def seed(context):
    mentorship = context["mentorships"]["accepted"]
    _roadbook, created = Roadbook.objects.get_or_create(
        mentorship=mentorship,
        defaults={
            "professional_project": "Become a data scientist in the energy sector, working on demand forecasting "
            "for a utility or a grid operator in France.",
            "path_and_motivations": "General engineering, then a data-science specialization; an internship at a "
            "solar start-up where I built my first forecasting model. I want my work to help the energy transition.",
            "specialization_link": "",
            "targets": "Utilities (EDF, Engie), grid operators (RTE, Enedis), energy start-ups; Paris or Lyon.",
        },
    )
    context.setdefault("created", {})["road-books"] = int(created)
