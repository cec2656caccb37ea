"""`python -m bench [name …]`: runs the benchmarks (all, or those named), each in its own process
against its own fresh database, then writes bench/REPORT.md from their results."""

import subprocess
import sys
import time

from bench.harness import RESULTS, ROOT, machine

# Each is a module of this package with a main() that measures and calls write_result().
BENCHES = ["pdf_concurrency", "directory", "campaign"]


def main(names):
    unknown = set(names) - set(BENCHES)
    if unknown:
        sys.exit(f"Unknown benchmark(s): {', '.join(sorted(unknown))}; known: {', '.join(BENCHES)}")
    failed = []
    for name in names or BENCHES:
        print(f"== {name}", flush=True)
        started = time.monotonic()
        if subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=ROOT).returncode:
            failed.append(name)
        print(f"== {name}: {time.monotonic() - started:.0f} s", flush=True)
    sections = [(RESULTS / f"{name}.md").read_text() for name in BENCHES if (RESULTS / f"{name}.md").exists()]
    (ROOT / "bench" / "REPORT.md").write_text(
        "# Benchmark report\n\n"
        f"Written by `make bench` on {time.strftime('%Y-%m-%d %H:%M %Z')}.\n\n"
        f"Machine: {machine()}.\n\n"
        "Reproduce: `make bench` (all) or `make bench BENCH=<name>`, with PostgreSQL on 127.0.0.1:5432 "
        "and Redis on 127.0.0.1:6379. Figures are medians with (min–max) over alternating rounds; "
        "each comparison is against a floor measured in the same run.\n\n" + "\n".join(sections)
    )
    if failed:
        sys.exit(f"Failed: {', '.join(failed)}")


if __name__ == "__main__":
    main(sys.argv[1:])
