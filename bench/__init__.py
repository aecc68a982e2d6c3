"""The offline performance benchmark (`python -m bench`, see BENCHMARKS.md)."""
