from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/profile/", views.profile, name="profile"),
    path("privacy/", views.privacy, name="privacy"),
    path("charter/", views.charter, name="charter"),
]
