from mentoring.models.campaigns import Campaign, Phase
from mentoring.models.enrollments import MeetingMode, MentorEnrollment
from mentoring.models.mentorships import Mentorship, Message
from mentoring.models.participations import Participation
from mentoring.models.suggestions import HiddenSuggestion

__all__ = [
    "Campaign",
    "HiddenSuggestion",
    "MeetingMode",
    "MentorEnrollment",
    "Mentorship",
    "Message",
    "Participation",
    "Phase",
]
