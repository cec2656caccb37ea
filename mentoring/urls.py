"""Root URLs. As the composition root, this module may import every app."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from mentoring import views

admin.site.site_header = admin.site.site_title = "Alumni mentoring"
# The admin signs in through allauth (rate limits, one login page for everyone).
admin.site.login = secure_admin_login(admin.site.login)


mentoring_patterns = [
    path("", views.landing, name="landing"),
    path("me/", views.me, name="me"),
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns = [
    path("", include((mentoring_patterns, "mentoring"))),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
