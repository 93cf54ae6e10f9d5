"""Benchmarks (`make bench`). Figures are ratios to a baseline measured in the same run."""
