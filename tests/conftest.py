import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "project", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "project"))
