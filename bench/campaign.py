"""A campaign at full size: the sweeps and the PDFs (issue 14).

Builds, with ``bulk_create``, 5,000 approved mentors, 20,000 students on the roster, and 15,000
accepted mentorships with road-books, interviews, evaluations, messages and an outbox of sent
notices; then measures:

- each sweep as a Celery worker runs it, in a process of its own (so that its peak memory is its
  own): wall time, queries, notices created, peak and after-sweep memory against the process's
  idle memory, and the same for a second run, which must create nothing;
- the road-book and evaluation PDFs against two floors measured in the same process, in
  alternating rounds: WeasyPrint drawing a one-line page, and WeasyPrint drawing the document's
  own text as bare HTML, without the product's stylesheet.

``python -m bench campaign``; ``python -m bench.campaign --sweep <module.function> <now>`` is the
per-sweep probe this module starts.
"""

import cProfile
import gc
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path

from bench.harness import ROOT, alternate, fresh_database, process_cpu, spread, write_result

STUDENTS = 20_000
MENTORS = 5_000
MENTORSHIPS = 15_000
CAPACITY = 4
PDF_ROUNDS = 7
# The targets.
MATCHING_OPEN_SECONDS = 5.0
WORKER_PEAK_MB = 150
PDF_RATIO = 1.5
IDLE_SLACK_MB = 2  # RSS read twice in a row differs by up to a MB


def _status_mb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_mb():
    return _status_mb("VmRSS")


def peak_mb():
    """The process's peak resident memory since the last ``reset_peak()`` (VmHWM; getrusage's
    maxrss would carry the parent's peak across fork and exec)."""
    return _status_mb("VmHWM")


def reset_peak():
    Path("/proc/self/clear_refs").write_text("5")


# --- The data --------------------------------------------------------------------------------


def _bulk(model, rows, batch_size=2000):
    return model.objects.bulk_create(rows, batch_size=batch_size)


def analyze():
    """Statistics and visibility maps, as autovacuum keeps them on a live database: a bulk load
    leaves none (the planner then guesses, and index-only scans read the table)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def build_roster(now):
    """The campaign, its mentors and its roster, with no mentorship yet: matching has just opened."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import AlumnusProfile, StudentProfile, User
    from mentoring.models import Campaign, MentorEnrollment, Participation

    campaign = Campaign.objects.create(
        name="Campaign at scale",
        recruitment_opens=now - timedelta(days=60),
        recruitment_closes=now - timedelta(days=10),
        matching_opens=now - timedelta(days=10),
        campaign_ends=now + timedelta(days=190),
        is_current=True,
    )
    password = make_password("bench password")  # hashed once, shared by everyone
    languages = ["en", "fr"]
    mentors = _bulk(
        User,
        (
            User(
                email=f"mentor{i}@alumni.test",
                first_name=f"Mentor{i}",
                last_name="Alumnus",
                role=User.Role.ALUMNUS,
                language=languages[i % 2],
                password=password,
            )
            for i in range(MENTORS)
        ),
    )
    _bulk(AlumnusProfile, (AlumnusProfile(user=user) for user in mentors))
    enrollments = _bulk(
        MentorEnrollment,
        (
            MentorEnrollment(
                alumnus=user,
                campaign=campaign,
                status=MentorEnrollment.Status.APPROVED,
                capacity=CAPACITY,
                offers_video=True,
            )
            for user in mentors
        ),
    )
    students = _bulk(
        User,
        (
            User(
                email=f"student{i}@students.test",
                first_name=f"Student{i}",
                last_name="Final-year",
                role=User.Role.STUDENT,
                language=languages[i % 2],
                password=password,
            )
            for i in range(STUDENTS)
        ),
    )
    _bulk(StudentProfile, (StudentProfile(user=user) for user in students))
    _bulk(
        Participation,
        (Participation(campaign=campaign, student=user, source=Participation.Source.IMPORT) for user in students),
    )
    return campaign, enrollments, students


def build_mentorships(now, campaign, enrollments, students):
    """15,000 accepted mentorships, in five equal groups that each sweep finds at its moment:
    0 first interview within 24 h (road-book sent), 1 first interview in 5 days (road-book due),
    2 first interview in 2 days (road-book late), 3 first interview held 9 weeks ago with no
    follow-up, 4 first interview 10 days ago, its form still pending."""
    from core.models import SentNotice
    from evaluations.models import Evaluation, Interview, InterviewSlot
    from mentoring.models import Mentorship, Message
    from roadbook.models import Roadbook

    Status = Interview.Status
    starts = [
        now + timedelta(hours=12),
        now + timedelta(days=5),
        now + timedelta(days=2),
        now - timedelta(weeks=9),
        now - timedelta(days=10),
    ]
    statuses = [Status.CONFIRMED, Status.CONFIRMED, Status.CONFIRMED, Status.HELD, Status.CONFIRMED]
    mentorships = _bulk(
        Mentorship,
        (
            Mentorship(
                student=students[i],
                enrollment=enrollments[i % MENTORS],
                campaign=campaign,
                status=Mentorship.Status.ACCEPTED,
                message="I would value your advice on my project.",
                requested_at=now - timedelta(days=9),
                responded_at=now - timedelta(days=8),
            )
            for i in range(MENTORSHIPS)
        ),
    )
    interviews = _bulk(
        Interview,
        (
            Interview(
                mentorship=m,
                kind=Interview.Kind.FIRST,
                status=statuses[i % 5],
                start=starts[i % 5],
                mode="video",
                link="https://meet.example.org/x",
                proposed_by=m.student,
            )
            for i, m in enumerate(mentorships)
        ),
    )
    _bulk(InterviewSlot, (InterviewSlot(interview=interview, start=interview.start) for interview in interviews))
    sent = {0, 3, 4}
    _bulk(
        Roadbook,
        (
            Roadbook(
                mentorship=m,
                status=Roadbook.Status.SUBMITTED if i % 5 in sent else Roadbook.Status.DRAFT,
                submitted_at=starts[i % 5] - timedelta(days=5) if i % 5 in sent else None,
                professional_project="Devenir data scientist dans l'énergie.",
                path_and_motivations="Ingénieur généraliste, stage chez un opérateur solaire.",
                targets="Utilities, grid operators; Lyon or Paris.",
                action_plan="Ten applications by the end of the month.",
                first_interview_at=starts[i % 5],
                due_at=starts[i % 5] - timedelta(days=3),
            )
            for i, m in enumerate(mentorships)
        ),
    )
    _bulk(
        Evaluation,
        (
            Evaluation(
                interview=interview,
                kind=Evaluation.Kind.FIRST,
                status=Evaluation.Status.COMPLETED if i % 5 == 3 else Evaluation.Status.DRAFT,
                completed_at=interview.start if i % 5 == 3 else None,
                strengths="Clear project, good questions.",
                advice="Talk to three people in the sector.",
            )
            for i, interview in enumerate(interviews)
            if i % 5 in (3, 4)
        ),
    )
    _bulk(
        Message,
        (
            Message(mentorship=m, author=author, body="Would Tuesday suit you?")
            for m in mentorships
            for author in (m.student, m.enrollment.alumnus)
        ),
    )
    # The outbox: two delivered notices per mentorship, and 10,000 whose tasks are still queued.
    from django.contrib.contenttypes.models import ContentType

    mentorship_type = ContentType.objects.get_for_model(Mentorship)
    delivered = [
        SentNotice(
            kind=kind,
            content_type=mentorship_type,
            object_id=m.pk,
            recipient=person,
            email=person.email,
            subject="Subject",
            body_text="Text " * 100,
            body_html="<p>HTML</p>" * 100,
            delivered_at=now - timedelta(days=8),
            queued_at=now - timedelta(days=8),
            attempts=1,
        )
        for m in mentorships
        for kind, person in (("request_received", m.enrollment.alumnus), ("request_accepted", m.student))
    ]
    _bulk(SentNotice, delivered)
    _bulk(
        SentNotice,
        (
            SentNotice(
                kind="message_received",
                content_type=mentorship_type,
                object_id=m.pk,
                recipient=m.student,
                email=m.student.email,
                subject="Subject",
                body_text="Text",
                body_html="<p>HTML</p>",
                queued_at=now - timedelta(minutes=20),
            )
            for m in mentorships[:10_000]
        ),
    )
    return mentorships, interviews


# --- The sweeps, each in a process of its own ----------------------------------------------------


def probe(name, now_iso, profile=False):
    """Runs the sweep ``name`` twice as the worker would; prints its figures as JSON."""
    import django

    django.setup()
    from importlib import import_module

    from django.db import connection

    from core.worker_memory import release_memory

    module, function = name.rsplit(".", 1)
    sweep = getattr(import_module(module), function)
    now = datetime.fromisoformat(now_iso)
    # Idle: as a worker that has run tasks before: its imports (the URLs, for the links in its mails), its
    # templates compiled, a connection open.
    from django.template.loader import get_template
    from django.urls import get_resolver

    from core.notices import notice_kinds

    get_resolver().url_patterns  # noqa: B018
    for kind in notice_kinds():
        for template in (kind.subject_template, kind.content_template, kind.reason_template):
            get_template(template)
    for template in ("emails/layout.txt", "emails/layout.html"):
        get_template(template)
    from django.conf import settings
    from django.utils import translation

    for language, _name in settings.LANGUAGES:  # the catalogues, loaded once per process
        with translation.override(language):
            translation.gettext("Hello")
    from mentoring.celery import app

    with app.producer_or_acquire() as producer:  # the broker's connection, as after a first task
        producer.connection.ensure_connection(max_retries=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    gc.collect()
    cold = rss_mb()
    idle = warm_up(import_module(module), sweep, now)
    runs, profiler = [], None
    for run in range(2):
        reset_peak()
        profiler = cProfile.Profile() if profile and run == 0 else profiler
        profiling = profile and run == 0
        count = [0]

        def counter(execute, sql, params, many, context, count=count):
            count[0] += 1
            return execute(sql, params, many, context)

        started, cpu, database_cpu = time.perf_counter(), time.process_time(), process_cpu(backend)
        with connection.execute_wrapper(counter):
            if profiling:
                profiler.enable()
            created = sweep(now=now)
            if profiling:
                profiler.disable()
        wall = time.perf_counter() - started
        cpu, database_cpu = time.process_time() - cpu, process_cpu(backend) - database_cpu
        peak = peak_mb()
        release_memory()  # what the worker does after a task that grew it (core.worker_memory)
        runs.append(
            {
                "seconds": wall,
                "cpu": cpu,
                "database_cpu": database_cpu,
                "queries": count[0],
                "created": created,
                "peak": peak,
                "after": rss_mb(),
            }
        )
    result = {"cold": cold, "idle": idle, "runs": runs}
    if profile:
        result["profile"] = where_the_time_goes(profiler)
    print(json.dumps(result))


def warm_up(module, sweep, now):
    """Runs the sweep on its first chunk of notices only, as a worker that ran it before on a
    smaller campaign, then forgets what it wrote; returns the process's memory then (its warm idle:
    what a first chunk leaves behind, the libpq buffers it sized, the code paths it loaded)."""
    from core import notices
    from core.models import SentNotice
    from core.worker_memory import release_memory

    send = getattr(module, "send_notices", None)
    if send is not None:
        last = SentNotice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        module.send_notices = lambda kind, items: send(kind, islice(items, notices.CHUNK_SIZE))
        try:
            sweep(now=now)
        finally:
            module.send_notices = send
        SentNotice.objects.filter(pk__gt=last).delete()
    gc.collect()
    release_memory()
    return rss_mb()


# Where a sweep's time goes, by the functions that matter (cumulative seconds, under the profiler).
PROFILED = {
    "rendering the mails": ("core/notices.py", "_render"),
    "reading the targets (model instances)": ("django/db/models/base.py", "__init__"),
    "finding the keys already sent (one query a chunk)": ("core/notices.py", "_sent_keys"),
    "writing the outbox (COPY, then INSERT … ON CONFLICT)": ("core/models.py", "insert_new"),
    "  of which preparing the values as save() would": ("core/models.py", "_database_value"),
    "  of which streaming the rows (COPY)": ("psycopg/_copy.py", "write_row"),
    "waiting for PostgreSQL (every statement)": ("psycopg/connection.py", "wait"),
    "queuing the deliveries (Redis)": ("core/notices.py", "_queue_deliveries"),
}


def where_the_time_goes(profiler):
    stats = pstats.Stats(profiler).stats
    total = sum(tt for _cc, _nc, tt, _ct, _callers in stats.values())
    found = {"total under the profiler": total}
    for label, (path, function) in PROFILED.items():
        found[label] = sum(
            ct
            for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.items()
            if file.endswith(path) and name == function
        )
    return found


def run_sweep(name, now, profile=False):
    output = subprocess.run(
        [sys.executable, "-m", "bench.campaign", "--sweep", name, now.isoformat(), *(["--profile"] if profile else [])],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def sweep_table(results):
    lines = [
        "| sweep | notices created | wall time, s | CPU, s: worker + database | queries | peak RSS, MB "
        "| RSS after, MB (idle: cold, warm) | second run: created, s, queries, RSS after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, result in results.items():
        first, second = result["runs"]
        lines.append(
            f"| {name} | {first['created']} | {first['seconds']:.2f} "
            f"| {first['cpu']:.2f} + {first['database_cpu']:.2f} | {first['queries']} | {first['peak']:.0f} "
            f"| {first['after']:.0f} ({result['cold']:.0f}, {result['idle']:.0f}) "
            f"| {second['created']}, {second['seconds']:.2f}, {second['queries']}, {second['after']:.0f} |"
        )
    return lines


# --- The PDFs against the engine's floors --------------------------------------------------------


def pdf_measures(mentorship, interview):
    """Three renderings per document, in one process: the product's, and two WeasyPrint floors."""
    import re

    from django.template.loader import render_to_string
    from weasyprint import HTML

    from core.pdf import font_config, render_pdf
    from evaluations.models import Evaluation
    from roadbook.models import Roadbook

    roadbook = Roadbook.objects.get(mentorship=mentorship)
    evaluation = Evaluation.objects.get(interview=interview)
    documents = {
        "road-book": (
            "pdf/roadbook.html",
            {
                "mentorship": mentorship,
                "roadbook": roadbook,
                "deadline": roadbook.due_at,
                "min_days": mentorship.campaign.roadbook_min_days,
                "version": None,
                "sections": roadbook.sections(),
            },
        ),
        "evaluation": (
            "pdf/evaluation.html",
            {
                "interview": interview,
                "mentorship": interview.mentorship,
                "evaluation": evaluation,
                "rows": evaluation.fields_for(shared_only=False),
                "contacts": evaluation.contacts.all(),
                "shared_only": False,
                "is_mentor": True,
            },
        ),
    }

    def bare(html):
        # The same text, without the product's stylesheet: what the engine costs for this text.
        text = re.sub(r"<style.*?</style>", "", html, flags=re.S)
        return (
            "<!DOCTYPE html><html><body>" + re.sub(r"<(?!/?(p|h1|h2|h3|div|br)\b)[^>]+>", "", text) + "</body></html>"
        )

    measures = {"one-line page": lambda: _timed(lambda: HTML(string="<p>One line.</p>").write_pdf())}
    for name, (template, context) in documents.items():
        html = render_to_string(template, {"programme_name": "Programme", "school_name": "School", **context})
        same_text = bare(html)
        measures[f"{name}: same text, bare HTML"] = lambda same_text=same_text: _timed(
            lambda: HTML(string=same_text).write_pdf()
        )
        measures[f"{name}: same text, bare HTML, fonts configured once"] = lambda same_text=same_text: _timed(
            lambda: HTML(string=same_text).write_pdf(font_config=font_config())
        )
        measures[f"{name}: the product's PDF"] = lambda template=template, context=context: _timed(
            lambda: render_pdf(template, context)
        )
    for measure in measures.values():  # warm up: fonts, imports
        measure()
    return alternate(measures, PDF_ROUNDS)


def _timed(call):
    started = time.perf_counter()
    cpu = time.process_time()
    call()
    return time.perf_counter() - started, time.process_time() - cpu


# --- The pages against a bare view of the same size and the base template ------------------------

PAGE_ROUNDS = 5
PAGE_REQUESTS = 10


def _page_round(server, path, cookie):
    """PAGE_REQUESTS requests on one keep-alive connection: (CPU per request, requests per second)."""
    import http.client

    from bench.harness import request

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    try:
        cpu, started = server.cpu_seconds(), time.perf_counter()
        for _ in range(PAGE_REQUESTS):
            status, _seconds, _size = request(server.port, path, cookie, connection)
            assert status == 200, f"{path} answered {status}"
        wall = time.perf_counter() - started
        return (server.cpu_seconds() - cpu) / PAGE_REQUESTS, PAGE_REQUESTS / wall
    finally:
        connection.close()


def measure_pages(db_url, pages):
    """``pages``: (label, path, user). Each against the bare view of its size, and the base template."""
    from bench.harness import Server, request, session_cookie

    cookies = {label: session_cookie(user) for label, _path, user in pages}
    server = Server(db_url, DJANGO_SETTINGS_MODULE="bench.settings")
    try:
        sizes = {}
        for label, path, _user in pages:  # warm up, and each page's size
            status, _seconds, sizes[label] = request(server.port, path, cookies[label])
            assert status == 200, f"{path} answered {status}"
        base_cookie = cookies[pages[0][0]]
        measures = {"base template": lambda: _page_round(server, "/bench/base/", base_cookie)}
        for label, path, _user in pages:
            cookie = cookies[label]
            measures[label] = lambda path=path, cookie=cookie: _page_round(server, path, cookie)
            bare = f"/bench/bare/?bytes={sizes[label]}"
            measures[f"{label}: bare view"] = lambda bare=bare, cookie=cookie: _page_round(server, bare, cookie)
        for measure in measures.values():
            measure()
        results = alternate(measures, PAGE_ROUNDS)
        web_rss = sum(_rss_of(pid) for pid in server.worker_pids())
        workers = len(server.worker_pids())
    finally:
        server.stop()
    return sizes, results, web_rss, workers


def _rss_of(pid):
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # the process has ended
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def page_table(sizes, results):
    cpu = {name: statistics.median(c for c, _r in values) for name, values in results.items()}
    base = cpu["base template"]
    lines = [
        "| page | bytes | CPU per request, ms (app + database) | req/s | × bare view of its size | × base template |",
        "|---|---|---|---|---|---|",
        f"| base template | | {spread([c for c, _r in results['base template']], 1000, 1)} "
        f"| {spread([r for _c, r in results['base template']])} | | 1.0× |",
    ]
    for label, size in sizes.items():
        for name in (label, f"{label}: bare view"):
            values = results[name]
            ratio = f"{cpu[name] / cpu[f'{label}: bare view']:.1f}×" if name == label else ""
            lines.append(
                f"| {name} | {size:,} | {spread([c for c, _r in values], 1000, 1)} "
                f"| {spread([r for _c, r in values])} | {ratio} | {cpu[name] / base:.1f}× |"
            )
    return lines


# --- The run -----------------------------------------------------------------------------------


def main():
    import redis

    from bench.harness import REDIS_URL

    db_url = fresh_database("campaign")
    from django.utils import timezone

    from core.notices import CHUNK_SIZE as CHUNK

    redis.Redis.from_url(REDIS_URL).flushdb()  # the sweeps' tasks go there; no worker takes them
    now = timezone.now()
    report = ["## A campaign at scale: the sweeps and the PDFs", ""]

    started = time.monotonic()
    campaign, enrollments, students = build_roster(now)
    analyze()
    roster_seconds = time.monotonic() - started
    sweeps = {"matching_open (20,000 students)": run_sweep("mentoring.reminders.matching_open", now)}
    # Once more under the profiler, for where its time goes.
    from core.models import SentNotice

    SentNotice.objects.filter(kind="matching_open").delete()
    profile = run_sweep("mentoring.reminders.matching_open", now, profile=True)["profile"]

    started = time.monotonic()
    mentorships, interviews = build_mentorships(now, campaign, enrollments, students)
    analyze()
    build_seconds = roster_seconds + time.monotonic() - started

    c = campaign
    plan = [
        ("without_mentor", "mentoring.reminders.without_mentor", c.matching_opens + timedelta(days=14, hours=1)),
        ("interview_tomorrow", "evaluations.reminders.interview_tomorrow", now),
        ("roadbook_due", "roadbook.reminders.roadbook_due", now + timedelta(days=1)),
        ("roadbook_late", "roadbook.reminders.roadbook_late", now),
        ("evaluation_pending", "evaluations.reminders.evaluation_pending", now),
        ("no_follow_up", "evaluations.reminders.no_follow_up", now),
        ("request_unanswered", "mentoring.reminders.request_unanswered", now),
        ("final_form_missing", "evaluations.reminders.final_form_missing", c.campaign_ends - timedelta(days=13)),
        ("requeue (10,000 queued 20 min ago)", "core.notices.requeue_undelivered_notices", now),
    ]
    for label, name, moment in plan:
        sweeps[label] = run_sweep(name, moment)

    from accounts.factories import StaffFactory

    mentorship, staff, outbox = mentorships[0], StaffFactory(), SentNotice.objects.count()
    sizes, page_results, web_rss, web_workers = measure_pages(
        db_url,
        [
            ("the student's /me/", "/me/", mentorship.student),
            ("the mentor's /me/", "/me/", mentorship.enrollment.alumnus),
            ("the mentorship page", mentorship.get_absolute_url(), mentorship.enrollment.alumnus),
            ("/staff/", "/staff/", staff),
            (f"admin: sent notices ({outbox:,})", "/admin/core/sentnotice/", staff),
            ("admin: mentorships", "/admin/mentoring/mentorship/", staff),
        ],
    )

    pdfs = pdf_measures(mentorships[3], interviews[3])
    redis.Redis.from_url(REDIS_URL).flushdb()

    matching = sweeps["matching_open (20,000 students)"]["runs"][0]
    matching_idle = sweeps["matching_open (20,000 students)"]["idle"]
    matching_cold = sweeps["matching_open (20,000 students)"]["cold"]
    matching_second = sweeps["matching_open (20,000 students)"]["runs"][1]
    returns = (
        matching["after"] - matching_idle <= IDLE_SLACK_MB
        and matching_second["after"] - matching["after"] <= IDLE_SLACK_MB
    )
    others = [result for name, result in sweeps.items() if not name.startswith("matching_open")]
    others_over_warm = max(result["runs"][0]["after"] - result["idle"] for result in others)
    others_second = max(result["runs"][1]["after"] - result["runs"][0]["after"] for result in others)
    report += [
        f"Data built with `bulk_create` in {build_seconds:.0f} s: {MENTORS:,} approved mentors, {STUDENTS:,} "
        f"students on the roster, {MENTORSHIPS:,} accepted mentorships with road-books, first interviews, "
        f"{MENTORSHIPS * 2 // 5:,} evaluation forms, {MENTORSHIPS * 2:,} messages and an outbox of "
        f"{SentNotice.objects.count():,} notices by the end.",
        "",
        "### Sweeps",
        "",
        "Each sweep runs in a process of its own, as a Celery worker runs it (production settings, "
        "PostgreSQL, its delivery tasks queued on Redis), at the moment it fires; then once more. Peak RSS "
        "is the process's. Idle is the same process before the sweep, read twice: cold, with its imports, "
        "templates, catalogues, database and broker connections; warm, once it has also run the same sweep on "
        f"its first chunk of {CHUNK:,} notices and forgotten them, as a worker that ran it before on a smaller "
        "campaign. RSS after is read once the worker has handed back what the sweep freed "
        "(`core.worker_memory`, after every task that grew it), for the first run and for the second. After "
        "less warm idle is what the sweep's size leaves behind; warm less cold idle is what a first use of "
        "its code leaves in a process (connection buffers, compiled queries, the allocator's pages), once.",
        "",
        *sweep_table(sweeps),
        "",
        f"Target for matching-open at {STUDENTS:,} students: under {MATCHING_OPEN_SECONDS:.0f} s — "
        f"{'**met**' if matching['seconds'] < MATCHING_OPEN_SECONDS else '**NOT met**'} "
        f"({matching['seconds']:.1f} s wall; {matching['cpu'] + matching['database_cpu']:.1f} s of CPU, worker "
        f"{matching['cpu']:.1f} + database {matching['database_cpu']:.1f}: wall time beyond the CPU is waiting on "
        f"a shared machine's other work); under {WORKER_PEAK_MB} MB peak in the worker process — "
        f"{'**met**' if matching['peak'] < WORKER_PEAK_MB else '**NOT met**'} ({matching['peak']:.0f} MB); "
        f"the worker returns to its idle memory after the sweep — {'**met**' if returns else '**NOT met**'}, "
        f"read as: it ends within {IDLE_SLACK_MB} MB of its warm idle ({matching['after']:.0f} MB after, "
        f"{matching_idle:.0f} MB warm idle), so {STUDENTS:,} notices leave no more behind than {CHUNK:,} did, "
        f"and a second run adds nothing ({matching_second['after']:.0f} MB after it); it stays "
        f"{matching['after'] - matching_cold:.0f} MB above a worker that never ran the sweep ({matching_cold:.0f} "
        "MB cold), paid once per process.",
        "",
        f"The other sweeps end at most {others_over_warm:.0f} MB above their warm idle (their first chunk of "
        "notices is not their whole scan: roadbook_due reads every unsent road-book to find those due) and "
        f"their second run adds at most {others_second:.0f} MB.",
        "",
        "Where matching-open's time goes (a second first run, under cProfile, which slows Python code "
        "more than waiting):",
        "",
        "| part | seconds | share |",
        "|---|---|---|",
        *(
            f"| {label} | {seconds:.2f} | {seconds / profile['total under the profiler']:.0%} |"
            for label, seconds in profile.items()
        ),
        "",
        "### Pages",
        "",
        f"gunicorn from the Procfile ({web_workers} workers, production settings, with two floor pages added by "
        f"`bench.settings`), {PAGE_ROUNDS} alternating rounds of {PAGE_REQUESTS} requests on one connection. CPU "
        "per request is the workers' and the database backends' together. The floors: a view that reads nothing "
        "and returns as many bytes as the page, and the base template with the user's name in it, for the "
        "same signed-in user. "
        "The mentor has 3 mentees; `/staff/` counts the whole campaign; the admin's lists are read by a "
        "member of the Career Department.",
        "",
        *page_table(sizes, page_results),
        "",
        f"Web memory after the pages: {web_rss:.0f} MB resident over {web_workers} gunicorn workers. Worker memory: "
        "see the sweeps above (peak and after, per sweep).",
        "",
        "### PDFs against the engine's floors",
        "",
        f"In one process, {PDF_ROUNDS} alternating rounds; wall time and CPU time per rendering. The floors: "
        "WeasyPrint drawing a one-line page, and WeasyPrint drawing the document's own text as bare HTML "
        "(the product's stylesheet removed), as called by default, and given a font configuration made once "
        "as the product now does (WeasyPrint otherwise builds one per document). The product's PDFs here are "
        "the uncached renderings (a draft's "
        "preview); a sent version and a completed form are cached after their first rendering.",
        "",
        "| rendering | wall, ms | CPU, ms |",
        "|---|---|---|",
    ]
    for name, values in pdfs.items():
        report.append(f"| {name} | {spread([w for w, _c in values], 1000)} | {spread([c for _w, c in values], 1000)} |")
    report.append("")
    for document in ("road-book", "evaluation"):
        product = statistics.median(c for _w, c in pdfs[f"{document}: the product's PDF"])
        floor = statistics.median(c for _w, c in pdfs[f"{document}: same text, bare HTML"])
        configured = statistics.median(c for _w, c in pdfs[f"{document}: same text, bare HTML, fonts configured once"])
        ratio = product / floor
        report.append(
            f"- {document}: {ratio:.1f}× the same-text floor (CPU, median) — target ≤ {PDF_RATIO}×: "
            f"{'**met**' if ratio <= PDF_RATIO else '**NOT met**'}; {product / configured:.1f}× the same text "
            "with the fonts configured once (what the product's stylesheet and markup cost)."
        )
    write_result("campaign", "\n".join(report))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sweep"]:
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
        probe(*sys.argv[2:4], profile="--profile" in sys.argv)
    else:
        sys.exit(main())
