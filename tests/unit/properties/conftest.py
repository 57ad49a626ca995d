"""Hypothesis settings of the property tests: derandomised, so a failure in CI fails again on a laptop.

``HYPOTHESIS_PROFILE=explore`` runs them with random seeds and ten times the examples, to look for
new failures; a failure found so is then reproduced by the derandomised run once its example is a test.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", max_examples=1000, deadline=None, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
