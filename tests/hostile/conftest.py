"""Hypothesis profiles for the hostile property suite.

``ci`` (the default): few examples, derandomized (the same examples on every run, so CI never turns
red by chance), no example database, and no per-example deadline: a loaded CI machine or a lazy model
load would make timings flaky, so the bound is the fixed example count (the suite takes seconds).
``explore`` (``HYPOTHESIS_PROFILE=explore``): many random examples, for hunting locally.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=30, deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "explore", max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "2000")), deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
