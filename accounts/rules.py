"""Sign-up rules that do not depend on a request."""

from django.conf import settings


def email_domain(email):
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


def is_school_email(email):
    """True when the address is in one of the school's domains (or a sub-domain of one, unless
    STUDENT_EMAIL_ALLOW_SUBDOMAINS is off)."""
    domain = email_domain(email)
    if not domain:
        return False
    subdomains = getattr(settings, "STUDENT_EMAIL_ALLOW_SUBDOMAINS", True)
    return any(
        domain == allowed or (subdomains and domain.endswith("." + allowed))
        for allowed in settings.STUDENT_EMAIL_DOMAINS
    )
