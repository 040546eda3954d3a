"""What the generators read: a provider's manifest plus where the provider lives.

`ProviderSource` is plain data, so every generator is a pure function of a list of them; only
`source_of_loaded` looks at the file system (to find the provider's module and project directory).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ats_core.manifest import ProviderManifest
from ats_core.registry import LoadedProvider

__all__ = ["PROJECT_MARKERS", "ProviderMetadata", "ProviderSource", "find_project_dir", "source_of_loaded"]

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


def source_of_loaded(provider: LoadedProvider, root: Path) -> ProviderSource:
    """A `ProviderSource` for a discovered provider, locating its module and project relative to `root`."""
    module_file: Path | None
    try:
        module_file = Path(inspect.getfile(provider.provider_class))
    except (TypeError, OSError):
        module_file = None
    module_path = None if module_file is None else _relative_to(module_file.resolve(), root.resolve())
    project_dir = None if module_file is None else find_project_dir(module_file, root)
    metadata = ProviderMetadata(provider.entry_point, provider.distribution, project_dir, module_path)
    return ProviderSource(provider.manifest, metadata)
