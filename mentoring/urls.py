"""Root URLs. As the composition root, this module may import every app."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy

from core import i18n
from mentoring.views import core, mentors, mentorships

# The programme's name, in the reader's language (PROGRAMME_NAME, PROGRAMME_NAME_FR).
admin.site.site_header = admin.site.site_title = lazy(i18n.programme_name, str)()
# The admin signs in through allauth (rate limits, one login page for everyone).
admin.site.login = secure_admin_login(admin.site.login)

mentoring_patterns = [
    path("", core.landing, name="landing"),
    path("me/", core.me, name="me"),
    path("staff/", core.staff_dashboard, name="staff"),
    path("staff/export/", core.staff_export, name="staff_export"),
    path("healthz", core.healthz, name="healthz"),
    path("mentor/apply/", mentors.apply, name="mentor_apply"),
    path("mentor/withdraw/", mentors.withdraw_enrollment, name="mentor_withdraw"),
    path("mentors/", mentors.directory, name="directory"),
    path("mentors/<int:pk>/", mentors.mentor_detail, name="mentor_detail"),
    path("mentors/<int:pk>/choose/", mentors.choose_mentor, name="choose_mentor"),
    path("mentors/<int:pk>/hide/", mentors.hide_suggestion, name="hide_suggestion"),
    path("mentors/suggestions/restore/", mentors.restore_suggestions, name="restore_suggestions"),
    path("mentorships/<int:pk>/", mentorships.mentorship_detail, name="mentorship"),
    path("mentorships/<int:pk>/accept/", mentorships.accept, name="mentorship_accept"),
    path("mentorships/<int:pk>/decline/", mentorships.decline, name="mentorship_decline"),
    path("mentorships/<int:pk>/withdraw/", mentorships.withdraw, name="mentorship_withdraw"),
    path("mentorships/<int:pk>/messages/", mentorships.post_message, name="mentorship_message"),
]

urlpatterns = [
    path("", include((mentoring_patterns, "mentoring"))),
    path("", include("accounts.urls")),
    path("", include("roadbook.urls")),
    path("", include("evaluations.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
