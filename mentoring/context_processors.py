from core import i18n
from mentoring import permissions


def programme(request):
    user = getattr(request, "user", None)
    return {
        "programme_name": i18n.programme_name(),
        "school_name": i18n.school_name(),
        # The navigation asks the permission vocabulary, not the user's flags.
        "is_staff_member": user is not None and permissions.is_staff_member(user),
    }
