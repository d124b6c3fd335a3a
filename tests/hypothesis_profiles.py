"""Hypothesis profiles: "default" is fast and deterministic; "long" (make test-long) digs deeper.

Selected by $HYPOTHESIS_PROFILE; imported by tests/conftest.py so every test file sees them.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large]

# derandomize: the same examples on every run, so a failure is reproducible and CI is stable.
settings.register_profile("default", derandomize=True, max_examples=60, deadline=None, suppress_health_check=SUPPRESSED)
settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=SUPPRESSED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
