"""The provider conformance suite: tests generated from a provider's manifest, shipped as a pytest plugin."""
