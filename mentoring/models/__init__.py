from mentoring.models.campaigns import Campaign, Phase
from mentoring.models.enrollments import MeetingMode, MentorEnrollment
from mentoring.models.mentorships import Mentorship, Message
from mentoring.models.participations import Participation

__all__ = ["Campaign", "MeetingMode", "MentorEnrollment", "Mentorship", "Message", "Participation", "Phase"]
