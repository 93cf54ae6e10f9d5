"""Benchmarks (`make bench`): Rongrian against a bare Flask + SQLAlchemy baseline on PostgreSQL,
as ratios measured in the same run (bench/run.py). Not part of the product."""
