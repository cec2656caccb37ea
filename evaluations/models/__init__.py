from evaluations.models.evaluations import (
    FORM_FIELDS,
    REQUIRED_FIELDS,
    CoachingReferral,
    Evaluation,
    RecommendedContact,
)
from evaluations.models.interviews import Interview, InterviewSlot

__all__ = [
    "FORM_FIELDS",
    "REQUIRED_FIELDS",
    "CoachingReferral",
    "Evaluation",
    "Interview",
    "InterviewSlot",
    "RecommendedContact",
]
