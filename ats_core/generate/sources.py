"""What the generators read: a provider's manifest plus where the provider lives.

`ProviderSource` is plain data, so every generator is a pure function of a list of them; only
`source_of_loaded` looks at the file system (to find the provider's module and project directory).
"""

from __future__ import annotations

import inspect
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ats_core.manifest import ProviderManifest
from ats_core.registry import LoadedProvider

__all__ = [
    "PROJECT_MARKERS",
    "ProviderMetadata",
    "ProviderSource",
    "find_project_by_distribution",
    "find_project_dir",
    "locate_provider",
    "source_of_loaded",
]

PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


@dataclass(frozen=True)
class ProviderMetadata:
    """Where a provider comes from; paths are POSIX paths relative to the repository root, or None outside it."""

    entry_point: str = ""
    distribution: str | None = None
    project_dir: PurePosixPath | None = None
    module_path: PurePosixPath | None = None


@dataclass(frozen=True)
class ProviderSource:
    """One provider as the generators see it."""

    manifest: ProviderManifest
    metadata: ProviderMetadata = ProviderMetadata()

    @property
    def name(self) -> str:
        """The provider enum."""
        return self.manifest.name


def _relative_to(path: Path, root: Path) -> PurePosixPath | None:
    try:
        return PurePosixPath(path.relative_to(root).as_posix())
    except ValueError:
        return None


def find_project_dir(module_file: Path, root: Path) -> PurePosixPath | None:
    """The nearest directory above `module_file` holding a project file, if it lies inside `root` (root excluded)."""
    root = root.resolve()
    directory = module_file.resolve().parent
    while directory != root and directory != directory.parent:
        relative = _relative_to(directory, root)
        if relative is None:
            return None
        if any((directory / marker).is_file() for marker in PROJECT_MARKERS):
            return relative
        directory = directory.parent
    return None


def _normalized(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def find_project_by_distribution(distribution: str, root: Path) -> PurePosixPath | None:
    """The directory one or two levels below `root` whose `pyproject.toml` names `distribution`."""
    wanted = _normalized(distribution)
    for pyproject in sorted((*root.glob("*/pyproject.toml"), *root.glob("*/*/pyproject.toml"))):
        if any(part.startswith(".") for part in pyproject.relative_to(root).parts):
            continue
        try:
            name = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("name")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(name, str) and _normalized(name) == wanted:
            return PurePosixPath(pyproject.parent.relative_to(root).as_posix())
    return None


def _module_file(provider_class: type) -> Path | None:
    try:
        return Path(inspect.getfile(provider_class)).resolve()
    except (TypeError, OSError):
        return None


def locate_provider(provider_class: type, entry_point: str, distribution: str | None, root: Path) -> ProviderMetadata:
    """Where a provider lives relative to `root`.

    The project is found from the module's location (editable installs, PYTHONPATH), or else from the
    distribution's name in a `pyproject.toml` inside the root (regular installs), so both give the same files.
    """
    root = root.resolve()
    module_file = _module_file(provider_class)
    module_path = None if module_file is None else _relative_to(module_file, root)
    project_dir = None if module_file is None else find_project_dir(module_file, root)
    if project_dir is None and distribution:
        project_dir = find_project_by_distribution(distribution, root)
        module = entry_point.partition(":")[0].replace(".", "/")
        if project_dir is not None and module:
            candidates = (project_dir / f"{module}.py", project_dir / module / "__init__.py")
            module_path = next((c for c in candidates if (root / c).is_file()), module_path)
    return ProviderMetadata(entry_point, distribution, project_dir, module_path)


def source_of_loaded(provider: LoadedProvider, root: Path) -> ProviderSource:
    """A `ProviderSource` for a discovered provider, located relative to `root` (see `locate_provider`)."""
    location = locate_provider(provider.provider_class, provider.entry_point, provider.distribution, root)
    return ProviderSource(provider.manifest, location)
