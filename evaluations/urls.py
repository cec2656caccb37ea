from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("mentorships/<int:pk>/interviews/new/", views.propose, name="propose"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview"),
    path("interviews/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("interviews/<int:pk>/reschedule/", views.propose_other, name="propose_other"),
    path("interviews/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("interviews/<int:pk>/keep/", views.keep_date, name="keep_date"),
    path("interviews/<int:pk>/no-show/", views.no_show, name="no_show"),
    path("interviews/<int:pk>/invite.ics", views.invite_ics, name="invite_ics"),
    path("interviews/<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path("interviews/<int:pk>/evaluation.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("interviews/<int:pk>/blank-form.pdf", views.blank_form_pdf, name="blank_form_pdf"),
    path("mentorships/<int:pk>/coaching/", views.recommend_coaching, name="recommend_coaching"),
    path("coaching/<int:pk>/request/", views.request_coaching, name="request_coaching"),
]
