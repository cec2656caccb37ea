"""The production settings, with two pages added for the benchmarks' floors (``bench.urls``)."""

from mentoring.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
