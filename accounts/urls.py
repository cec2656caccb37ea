from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/profile/", views.profile, name="profile"),
    path("me/erase/", views.erase_account, name="erase"),
    path("me/data/", views.export, name="export"),
    path("me/data/<int:pk>/", views.export_download, name="export_download"),
    path("me/accept/", views.accept, name="accept"),
    path("privacy/", views.privacy, name="privacy"),
    path("charter/", views.charter, name="charter"),
    path("language/", views.set_language, name="set_language"),
]
