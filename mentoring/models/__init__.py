from mentoring.models.campaigns import Campaign, Phase
from mentoring.models.notices import SentNotice

__all__ = ["Campaign", "Phase", "SentNotice"]
