from evaluations.models.interviews import Interview, InterviewSlot

__all__ = ["Interview", "InterviewSlot"]
