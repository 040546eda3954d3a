"""The example's connection settings (a real provider has base_url, credentials, ...)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ExampleSettings(BaseModel):
    """`seed` makes the data reproducible; `size` is how many candidates it holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: int = 7
    size: int = Field(default=25, ge=1, le=10_000)
    page_size: int | None = Field(default=None, ge=1, description="records per page (default: the declared one)")
