"""Production settings plus the benchmarks' floor pages (bench/urls.py); never used in production."""

from mentoring.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
