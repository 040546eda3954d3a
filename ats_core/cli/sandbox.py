"""`ats sandbox serve PROVIDER`: run a provider's local sandbox in the foreground until Ctrl-C."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import click

from ats_core.cli._options import fault_option
from ats_core.errors import PluginError
from ats_core.sandbox import SandboxOptions, available_sandboxes, start_sandbox

__all__ = ["sandbox_command"]


def _env_lines(provider: str, values: Mapping[str, Any]) -> list[str]:
    prefix = f"ATS_{provider.upper().replace('-', '_')}_"
    return [f"export {prefix}{key.upper()}={value}" for key, value in values.items()]


@click.group("sandbox")
def sandbox_command() -> None:
    """Local provider sandboxes: seeded fake ATS servers with fault injection."""


@sandbox_command.command("list")
def list_command() -> None:
    """Name the installed providers that ship a sandbox."""
    names = available_sandboxes()
    click.echo("\n".join(names) if names else "no sandboxes installed (entry-point group 'ats_core.sandboxes')")


@sandbox_command.command("serve")
@click.argument("provider")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8765, show_default=True, help="Port to listen on (0 = any free port).")
@click.option("--employees", "--size", "size", default=1000, show_default=True, help="Number of seeded records.")
@click.option("--seed", default=7, show_default=True, help="Seed of the synthetic data and of the faults.")
@click.option("--latency-ms", default=0.0, show_default=True, help="Delay added to every request.")
@fault_option("Inject a fault, e.g. --fault error_rate=0.1 --fault rate_limit=25/5 (names: see the provider's README).")
def serve_command(
    provider: str, host: str, port: int, size: int, seed: int, latency_ms: float, faults: dict[str, str]
) -> None:
    """Serve PROVIDER's sandbox and print its URL and ready-to-use credentials."""
    options = SandboxOptions(host=host, port=port, size=size, seed=seed, latency_ms=latency_ms, faults=faults)
    try:
        sandbox = start_sandbox(provider, options)
    except PluginError as error:
        raise click.ClickException(str(error)) from None
    except (ValueError, OSError) as error:
        raise click.ClickException(f"could not start the {provider} sandbox: {error}") from None
    click.echo(f"{provider} sandbox serving {size:,} records (seed {seed}) at {sandbox.base_url}")
    click.echo("Settings (export them to use `ats` or the library against this sandbox):")
    for line in _env_lines(provider, sandbox.settings):
        click.echo(f"  {line}")
    extra = getattr(sandbox, "extra_credentials", None)
    if isinstance(extra, Mapping) and extra:
        click.echo("Other credentials:")
        for key, value in extra.items():
            click.echo(f"  {key}: {value}")
    stopped = threading.Event()
    try:
        click.echo("Press Ctrl-C to stop.")
        while not stopped.wait(3600):
            pass
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        sandbox.stop()
