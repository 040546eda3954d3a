"""ats-example: an in-memory ats-core provider, the template for new providers."""

from ats_example.field_mappings import EXAMPLE_FIELD_MAPPINGS
from ats_example.manifest import EXAMPLE_MANIFEST
from ats_example.plugin import ExampleProvider
from ats_example.settings import ExampleSettings

__all__ = ["EXAMPLE_FIELD_MAPPINGS", "EXAMPLE_MANIFEST", "ExampleProvider", "ExampleSettings"]
