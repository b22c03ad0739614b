"""Benchmarks and evaluations run by `make bench` and `make eval`."""
