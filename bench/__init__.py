"""Benchmarks: `make bench` runs them all and writes bench/REPORT.md (see bench/README.md)."""
