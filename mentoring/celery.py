import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")

app = Celery("mentoring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The embedded filesystem transport needs its folders before a worker or beat declares queues.
if app.conf.broker_url == "filesystem://":
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = app.conf.broker_transport_options.get(key)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
