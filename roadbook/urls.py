from django.urls import path

from roadbook import views

app_name = "roadbook"

urlpatterns = [
    path("mentorships/<int:pk>/roadbook/", views.edit, name="edit"),
    path("mentorships/<int:pk>/roadbook.pdf", views.pdf, name="pdf"),
    path("mentorships/<int:pk>/roadbook/cv.pdf", views.cv, name="cv"),
]
