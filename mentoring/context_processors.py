from django.conf import settings


def programme(request):
    return {"programme_name": settings.PROGRAMME_NAME, "school_name": settings.SCHOOL_NAME}
