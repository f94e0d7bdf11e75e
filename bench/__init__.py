"""Benchmarks: our pipeline against a LangChain-tutorial baseline on a generated corpus (`python -m bench`)."""
