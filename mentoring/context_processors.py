from django.conf import settings

from mentoring import permissions


def programme(request):
    user = getattr(request, "user", None)
    return {
        "programme_name": settings.PROGRAMME_NAME,
        "school_name": settings.SCHOOL_NAME,
        # The navigation asks the permission vocabulary, not the user's flags.
        "is_staff_member": user is not None and permissions.is_staff_member(user),
    }
