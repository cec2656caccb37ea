"""Two worst-case PDFs in flight must not make /me/ wait more than a second for anyone else
(issue 11, point 4).

One student previews the PDF of a draft road-book filled to every field's maximum length (a
preview is never cached: the worst case), from two connections at once, again and again; meanwhile
another student opens their area. Measured in alternating rounds, on two servers started from the
Procfile side by side: as it is (threaded workers, one PDF slot per process) and with the sync
workers it had before, against the same /me/ with nothing else going on.
"""

import statistics
import sys
import threading
import time
from datetime import timedelta

from bench.harness import Server, alternate, fresh_database, request, session_cookie, spread, write_result

ROUNDS = 5
ME_REQUESTS = 8
TARGET_SECONDS = 1.0
WORDS = [
    "projet",
    "énergie",
    "réseau",
    "stage",
    "ingénieur",
    "données",
    "prévision",
    "consommation",
    "mentor",
    "entretien",
]


def full_text(length):
    lines = [WORDS[index % len(WORDS)] for index in range(length // 4)]
    return "\n".join(lines)[:length]


def build():
    from django.utils import timezone

    from evaluations.factories import InterviewFactory
    from mentoring.factories import CampaignFactory, MentorshipFactory
    from roadbook.factories import RoadbookFactory
    from roadbook.models import SECTION_NAMES, Roadbook

    CampaignFactory.in_matching()
    worst = MentorshipFactory.accepted()
    texts = {name: full_text(Roadbook._meta.get_field(name).max_length) for name in SECTION_NAMES}
    RoadbookFactory(mentorship=worst, **texts)
    other = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=10)).mentorship
    RoadbookFactory(mentorship=other)
    return worst, other.student


def main():
    db_url = fresh_database("pdf", RATE_LIMIT_PDF_PREVIEWS="100000/m")
    worst, reader = build()
    pdf_path = f"/mentorships/{worst.pk}/roadbook.pdf"
    pdf_cookie, me_cookie = session_cookie(worst.student), session_cookie(reader)

    servers = {
        # gunicorn turns sync workers with more than one thread into gthread ones: one thread here.
        "threaded (Procfile)": Server(db_url, RATE_LIMIT_PDF_PREVIEWS="100000/m"),
        "sync (before)": Server(db_url, RATE_LIMIT_PDF_PREVIEWS="100000/m", WEB_WORKER_CLASS="sync", WEB_THREADS=1),
    }
    pdf_times = {name: [] for name in servers}
    try:
        for server in servers.values():  # warm up: imports, fonts, connections
            assert request(server.port, pdf_path, pdf_cookie)[0] == 200, "the PDF preview does not answer 200"
            assert request(server.port, "/me/", me_cookie)[0] == 200, "/me/ does not answer 200"

        def me_alone(name):
            server = servers[name]
            cpu = server.cpu_seconds()
            times = [request(server.port, "/me/", me_cookie)[1] for _ in range(ME_REQUESTS)]
            return times, (server.cpu_seconds() - cpu) / ME_REQUESTS

        def me_during_pdfs(name):
            server, stop, started = servers[name], threading.Event(), threading.Barrier(3)

            def render():
                started.wait()
                while not stop.is_set():
                    status, seconds, _size = request(server.port, pdf_path, pdf_cookie)
                    if status == 200:
                        pdf_times[name].append(seconds)

            threads = [threading.Thread(target=render) for _ in range(2)]
            for thread in threads:
                thread.start()
            started.wait()
            time.sleep(0.3)  # both PDF requests are being served
            times = []
            for _ in range(ME_REQUESTS):
                times.append(request(server.port, "/me/", me_cookie)[1])
                time.sleep(0.1)
            stop.set()
            for thread in threads:
                thread.join()
            return times, None

        measures = {}
        for name in servers:
            measures[f"{name}: alone"] = lambda name=name: me_alone(name)
            measures[f"{name}: during 2 PDFs"] = lambda name=name: me_during_pdfs(name)
        results = alternate(measures, ROUNDS)
    finally:
        for server in servers.values():
            server.stop()

    lines = [
        "## Two worst-case PDFs in flight, and /me/ for someone else",
        "",
        "A student's draft road-book filled to every field's maximum length, previewed as a PDF (never "
        f"cached) from two connections in a loop, while another student opens `/me/` ({ME_REQUESTS} "
        f"requests a round, {ROUNDS} alternating rounds). gunicorn from the Procfile, 2 workers; the "
        "floor is the same `/me/` with nothing else going on, in the same rounds.",
        "",
        "| server | /me/ alone, ms | /me/ during 2 PDFs, ms | slowest during PDFs, ms | ratio to floor (median) "
        "| CPU per /me/ alone, ms | PDF request, ms |",
        "|---|---|---|---|---|---|---|",
    ]
    verdict = []
    for name in servers:
        alone = [t for times, _cpu in results[f"{name}: alone"] for t in times]
        during = [t for times, _cpu in results[f"{name}: during 2 PDFs"] for t in times]
        cpu = [cpu for _times, cpu in results[f"{name}: alone"]]
        ratio = statistics.median(during) / statistics.median(alone)
        lines.append(
            f"| {name} | {spread(alone, 1000)} | {spread(during, 1000)} | {max(during) * 1000:.0f} | {ratio:.1f}× "
            f"| {spread(cpu, 1000, 1)} | {spread(pdf_times[name], 1000)} |"
        )
        verdict.append((name, max(during)))
    (name, slowest), (_before, slowest_before) = verdict
    met = slowest < TARGET_SECONDS
    lines += [
        "",
        f"Target: `/me/` answers in under {TARGET_SECONDS:.0f} s while two worst-case PDFs render — "
        f"{'**met**' if met else '**NOT met**'} by the Procfile's server (slowest {slowest * 1000:.0f} ms). "
        f"The sync workers the Procfile had before, measured in the same rounds: slowest "
        f"{slowest_before * 1000:.0f} ms. Each threaded process draws one PDF at a time and keeps its other "
        "threads for the other pages.",
    ]
    write_result("pdf_concurrency", "\n".join(lines))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
