"""The evaluation harness (typed suites, metrics, run records, comparison), added with its issue."""

__all__: list[str] = []
