"""Names that the school sets per language (the programme's, the school's, the mail subject
prefix): ``settings.<NAME>_BY_LANGUAGE`` maps a language code to its text, and ``settings.<NAME>``
is the text for any other language."""

from django.conf import settings
from django.utils.translation import get_language

# The French of the names the product ships with, used while the school keeps them.
SHIPPED = {
    ("PROGRAMME_NAME", "Alumni mentoring programme", "fr"): "Programme de mentorat alumni",
    ("SCHOOL_NAME", "The School", "fr"): "L'École",
    ("ACCOUNT_EMAIL_SUBJECT_PREFIX", "[Alumni mentoring] ", "fr"): "[Mentorat alumni] ",
}


def localized_setting(name, language=None):
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    default = getattr(settings, name)
    return (
        getattr(settings, f"{name}_BY_LANGUAGE", {}).get(language) or SHIPPED.get((name, default, language)) or default
    )


def programme_name(language=None):
    return localized_setting("PROGRAMME_NAME", language)


def school_name(language=None):
    return localized_setting("SCHOOL_NAME", language)
