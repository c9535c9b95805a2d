"""The runner's fixtures (a simulator with the test catalogue, the controller harness)."""

from tests.runner.conftest import make_harness, sim  # noqa: F401 - fixtures
