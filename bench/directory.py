"""The mentor directory at campaign scale (issue 13, point 4).

5,000 approved mentors and 15,000 mentorships, served by gunicorn from the Procfile (production
settings, 2 workers). A student without a mentor (so the suggestions are computed too) opens the
directory's first page, a search with two filters, and the last page; in the same alternating
rounds, two floors under the same middleware and the same signed-in session: a bare view
returning a body of the directory's size, and the base template with trivial content. The same
three directory pages on a copy of the campaign cut to 500 mentors show whether the cost grows
with the campaign. The directory's listing is cached per search and drawn again after any change
to a mentor (``mentoring.directory``), so a last measure makes a new search each time.

Target: the directory's CPU per request (workers + database backends) at most 2× the
base-template floor.
"""

import itertools
import math
import random
import statistics
import sys
import time
from collections.abc import Iterator

import psycopg

from bench.harness import (
    PG_SERVER,
    Server,
    alternate,
    database_url,
    fresh_database,
    request,
    session_cookie,
    spread,
    write_result,
)

MENTORS = 5000
SMALL = 500
MENTORSHIPS_PER_MENTOR = 3
ROUNDS = 5
REQUESTS = 50  # the CPU clock ticks every 10 ms: 0.2 ms a request
# Students who open the directory once each, in the "first visit" measure (warm-up included).
FIRST_VISITS = (ROUNDS + 1) * REQUESTS
TARGET = 2.0
SETTINGS = "bench.settings"
NEW_SEARCH = "search + 2 filters, a new search each time: listing drawn (5,000 mentors)"
AFTER_CHANGE = "page 1 after a change to a mentor each time: results drawn (5,000 mentors)"
WORDS = [
    "énergie",
    "éolienne",
    "réseau",
    "électrique",
    "données",
    "stockage",
    "hydrogène",
    "finance",
    "marchés",
    "conseil",
    "industrie",
    "logistique",
    "santé",
    "numérique",
    "produit",
    "qualité",
    "recherche",
    "innovation",
    "stratégie",
    "climat",
    "transport",
]


def build():
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from accounts.models import AlumnusProfile, Language, Sector, StudentProfile, User
    from mentoring import search
    from mentoring.factories import CampaignFactory
    from mentoring.models import MentorEnrollment, Mentorship

    rng = random.Random(13)
    campaign = CampaignFactory.in_matching()
    sectors, languages = list(Sector.objects.order_by("pk")), list(Language.objects.order_by("pk"))
    password = make_password(None)
    alumni = User.objects.bulk_create(
        User(
            email=f"alumnus{i}@bench.test",
            first_name=f"Prénom{i % 97}",
            last_name=f"Nom{i:05d}",
            role=User.Role.ALUMNUS,
            password=password,
        )
        for i in range(MENTORS)
    )
    AlumnusProfile.objects.bulk_create(
        AlumnusProfile(
            user=user,
            graduation_year=1990 + i % 30,
            programme=["General engineering", "Energy and environment", "Management"][i % 3],
            position=["Ingénieur", "Consultant", "Data scientist", "Chef de projet"][i % 4],
            employer=f"Entreprise {i % 300}",
            sector=sectors[i % len(sectors)],
            city=["Paris", "Lyon", "Toulouse", "Lille"][i % 4],
            country="France",
            bio=" ".join(rng.choices(WORDS, k=40)),
        )
        for i, user in enumerate(alumni)
    )
    enrollments = MentorEnrollment.objects.bulk_create(
        MentorEnrollment(
            alumnus=user,
            campaign=campaign,
            status=MentorEnrollment.Status.APPROVED,
            capacity=3,
            offers_video=True,
            offers_in_person=i % 2 == 0,
        )
        for i, user in enumerate(alumni)
    )
    MentorEnrollment.sectors.through.objects.bulk_create(
        MentorEnrollment.sectors.through(mentorenrollment_id=e.pk, sector_id=sectors[(i * 7 + k) % len(sectors)].pk)
        for i, e in enumerate(enrollments)
        for k in range(2)
    )
    MentorEnrollment.languages.through.objects.bulk_create(
        MentorEnrollment.languages.through(mentorenrollment_id=e.pk, language_id=languages[(i + k) % 3].pk)
        for i, e in enumerate(enrollments)
        for k in range(2)
    )
    students = User.objects.bulk_create(
        User(
            email=f"student{i}@bench.test",
            first_name="Étudiant",
            last_name=f"S{i:05d}",
            role=User.Role.STUDENT,
            password=password,
        )
        for i in range(MENTORS * MENTORSHIPS_PER_MENTOR)
    )
    # A fifth of the mentors are full (three accepted); the others have one accepted mentee, one
    # declined request and one pending.
    statuses = []
    for i in range(MENTORS):
        statuses += ["accepted"] * 3 if i % 5 == 0 else ["accepted", "declined", "requested"]
    Mentorship.objects.bulk_create(
        Mentorship(
            student=students[n], enrollment=enrollments[n // 3], campaign=campaign, status=status, message="Bonjour"
        )
        for n, status in enumerate(statuses)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE mentoring_mentorenrollment e SET places_taken = (SELECT count(*) FROM mentoring_mentorship m "
            "WHERE m.enrollment_id = e.id AND m.status IN ('accepted', 'closed')), "
            "sort_name = (SELECT last_name FROM accounts_user u WHERE u.id = e.alumnus_id)"
        )
        cursor.execute('UPDATE mentoring_mentorenrollment SET "full" = places_taken >= capacity')
    search.refresh()
    # Students without a mentor who say what they look for: one reads the directory again and
    # again (suggestions cached), the others each open it once (suggestions computed).
    readers = User.objects.bulk_create(
        User(
            email=f"reader{i}@bench.test",
            first_name="Alice",
            last_name=f"Reader{i}",
            role=User.Role.STUDENT,
            password=password,
        )
        for i in range(1 + FIRST_VISITS)
    )
    profiles = StudentProfile.objects.bulk_create(
        StudentProfile(
            user=reader,
            programme="Energy and environment",
            specialization="Hydrogène",
            city=["Paris", "Lyon", "Toulouse", "Lille"][i % 4],
            prefers_video=True,
        )
        for i, reader in enumerate(readers)
    )
    StudentProfile.target_sectors.through.objects.bulk_create(
        StudentProfile.target_sectors.through(studentprofile_id=p.pk, sector_id=sectors[(i + k) % len(sectors)].pk)
        for i, p in enumerate(profiles)
        for k in range(3)
    )
    StudentProfile.languages.through.objects.bulk_create(
        StudentProfile.languages.through(studentprofile_id=p.pk, language_id=languages[0].pk) for p in profiles
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves a table: the visibility map set
    return readers, sectors[0], languages[0]


def cut_copy(source, target, keep):
    """``bench_<target>``: a copy of ``bench_<source>`` whose campaign keeps ``keep`` mentors."""
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "bench_{target}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "bench_{target}" TEMPLATE "bench_{source}"')
    with psycopg.connect(database_url(target), autocommit=True) as connection:
        cut = "SELECT id FROM mentoring_mentorenrollment ORDER BY id OFFSET %s"
        for table, column in (
            ("mentoring_mentorship", "enrollment_id"),
            ("mentoring_hiddensuggestion", "enrollment_id"),
            ("mentoring_mentorenrollment_sectors", "mentorenrollment_id"),
            ("mentoring_mentorenrollment_languages", "mentorenrollment_id"),
            ("mentoring_mentorenrollment", "id"),
        ):
            connection.execute(f"DELETE FROM {table} WHERE {column} IN ({cut})", [keep])
        connection.execute("VACUUM ANALYZE")
    return database_url(target)


def main():
    from django.db import connection

    big_url = fresh_database("directory")
    from mentoring import directory

    readers, sector, language = build()
    cookie = session_cookie(readers[0])
    first_visits = [session_cookie(reader) for reader in readers[1:]]
    connection.close()
    small_url = cut_copy("directory", "directory_small", SMALL)

    def last(count):
        return math.ceil(count / 12)

    pages = {
        "page 1": "/mentors/",
        "search + 2 filters": f"/mentors/?q=energie&sector={sector.pk}&language={language.pk}",
        "last page": "/mentors/?page={last}",
    }
    # Connections kept for the whole run: a backend that ends takes its CPU time with it.
    servers = {
        "5,000": Server(big_url, DJANGO_SETTINGS_MODULE=SETTINGS, CONN_MAX_AGE=3600),
        "500": Server(small_url, DJANGO_SETTINGS_MODULE=SETTINGS, CONN_MAX_AGE=3600),
    }
    sizes = {}
    try:
        paths = {}
        for label, server in servers.items():
            count = MENTORS if label == "5,000" else SMALL
            for name, path in pages.items():
                paths[(label, name)] = path.format(last=last(count))
                status, _seconds, size = request(server.port, paths[(label, name)], cookie)
                assert status == 200, f"{paths[(label, name)]} answers {status}"
                sizes[(label, name)] = size
        body = sizes[("5,000", "page 1")]
        big = servers["5,000"]
        floors = {"bare view, same body size": f"/bench/bare/?bytes={body}", "base template": "/bench/base/"}
        for path in floors.values():
            assert request(big.port, path, cookie)[0] == 200

        def measure(server, path, cookies=None, before=None):
            def run():
                snapshot, started = server.cpu_snapshot(), time.perf_counter()
                for _ in range(REQUESTS):
                    if before:  # in this process: not counted
                        before()
                    where = next(path) if isinstance(path, Iterator) else path
                    status, _seconds, _size = request(server.port, where, next(cookies) if cookies else cookie)
                    assert status == 200
                wall = time.perf_counter() - started
                used = server.cpu_used(snapshot)
                return (used["workers"] + used["database"]) / REQUESTS, REQUESTS / wall, used["database"] / REQUESTS

            return run

        measures = {f"{name} ({label} mentors)": measure(servers[label], paths[(label, name)]) for label, name in paths}
        measures["page 1, first visit: suggestions computed (5,000 mentors)"] = measure(
            big, "/mentors/", iter(first_visits)
        )
        # The listing is cached per search (mentoring.directory): a search no one made before
        # draws it again. Each request here is a new one (a graduation year that every mentor
        # passes, different each time), so none is read from the cache.
        fresh = paths[("5,000", "search + 2 filters")] + "&graduated_until={year}"
        measures[NEW_SEARCH] = measure(big, (fresh.format(year=3000 + n) for n in itertools.count()))
        # A mentor's change (a request accepted, a profile edited) draws every page's results again
        # (not the filters): page 1 right after a change, each time.
        measures[AFTER_CHANGE] = measure(big, "/mentors/", before=directory.changed)
        measures |= {name: measure(big, path) for name, path in floors.items()}
        for run in measures.values():  # warm up
            run()
        results = alternate(measures, ROUNDS)
    finally:
        for server in servers.values():
            server.stop()

    cpu = {name: [c for c, _rate, _db in values] for name, values in results.items()}
    rate = {name: [r for _c, r, _db in values] for name, values in results.items()}
    database = {name: [db for _c, _r, db in values] for name, values in results.items()}
    floor = statistics.median(cpu["base template"])
    lines = [
        "## The mentor directory at 5,000 mentors",
        "",
        f"{MENTORS:,} approved mentors, {MENTORS * MENTORSHIPS_PER_MENTOR:,} mentorships; a student without a "
        "mentor (suggestions computed) on gunicorn from the Procfile (production settings, 2 workers). "
        f"{REQUESTS} sequential requests per measure and round, {ROUNDS} alternating rounds; the 500-mentor "
        "rows are a copy of the same campaign cut to 500 mentors, served side by side. CPU is gunicorn "
        "workers plus the PostgreSQL backends serving them.",
        "",
        "| page | CPU per request, ms | of which database, ms | ratio to base template | req/s | body, KB |",
        "|---|---|---|---|---|---|",
    ]
    for name in measures:
        size = next((sizes[key] for key in sizes if name == f"{key[1]} ({key[0]} mentors)"), None)
        if name in ("bare view, same body size", NEW_SEARCH, AFTER_CHANGE) or "first visit" in name:
            size = sizes[("5,000", "page 1")]
        lines.append(
            f"| {name} | {spread(cpu[name], 1000, 1)} | {statistics.median(database[name]) * 1000:.1f} "
            f"| {statistics.median(cpu[name]) / floor:.2f}× "
            f"| {spread(rate[name], 1, 0)} | {size / 1024 if size else 0:.0f} |"
        )
    directory = [f"{name} (5,000 mentors)" for name in pages]
    worst = max(directory, key=lambda name: statistics.median(cpu[name]))
    ratio = statistics.median(cpu[worst]) / floor
    met = ratio <= TARGET
    growth = max(
        statistics.median(cpu[f"{name} (5,000 mentors)"]) / statistics.median(cpu[f"{name} (500 mentors)"])
        for name in pages
    )
    page_total = statistics.median(cpu["page 1 (5,000 mentors)"])
    page_database = statistics.median(database["page 1 (5,000 mentors)"])
    spread_pages = max(statistics.median(cpu[n]) for n in directory) / min(statistics.median(cpu[n]) for n in directory)
    lines += [
        "",
        f"Target: the directory's CPU per request ≤ {TARGET:.0f}× the base-template floor — "
        f"{'**met**' if met else '**NOT met**'}: worst is {worst}, {ratio:.2f}×. "
        f"From 500 to 5,000 mentors the same page costs at most {growth:.2f}× as much; at 5,000 mentors "
        f"the dearest of the three pages costs {spread_pages:.2f}× the cheapest. A student's first visit, "
        "when the suggestions are ranked over every mentor (then cached for ten minutes, or until the "
        "student changes their profile), costs "
        f"{statistics.median(cpu['page 1, first visit: suggestions computed (5,000 mentors)']) / floor:.2f}× "
        "the floor; a search no one made before, when the listing is drawn rather than read from "
        "the cache, costs "
        f"{statistics.median(cpu[NEW_SEARCH]) / floor:.2f}× "
        "the floor, and page 1 drawn again after a change to a mentor "
        f"{statistics.median(cpu[AFTER_CHANGE]) / floor:.2f}×. "
        f"Where page 1's time goes at 5,000 mentors: {page_database * 1000:.1f} ms in the database, "
        f"{(page_total - page_database) * 1000:.1f} ms in the web worker, where the base template's whole "
        f"request costs {floor * 1000:.1f} ms.",
    ]
    write_result("directory", "\n".join(lines))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
