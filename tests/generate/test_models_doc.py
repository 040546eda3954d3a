"""docs/models.md is generated from the models: every field listed, with its Merge and Kombo names."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ats_core.cli import main
from ats_core.generate.models_doc import MODELS_DOC_PATH, models_doc
from ats_core.models import Application, Candidate, Job, Record

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_page_is_what_the_models_produce() -> None:
    assert (ROOT / MODELS_DOC_PATH).read_text(encoding="utf-8") == models_doc(), "run `ats models`"


@pytest.mark.parametrize("model", [Candidate, Job, Application], ids=lambda model: model.__name__)
def test_every_field_of_a_record_is_listed_with_its_nearest_names(model: type[Record]) -> None:
    section = models_doc().split(f"\n## {model.__name__}\n")[1].split("\n## ")[0]
    for name, info in model.model_fields.items():
        if name in Record.model_fields:
            continue
        row = next((line for line in section.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, f"{model.__name__}.{name} is not listed"
        extra = info.json_schema_extra
        assert isinstance(extra, dict)
        for nearest in (extra["merge"], extra["kombo"]):
            assert nearest == "—" or f"`{nearest}`" in row


def test_check_reports_a_stale_page(tmp_path: Path) -> None:
    page = tmp_path / MODELS_DOC_PATH
    page.parent.mkdir(parents=True)
    page.write_text("stale\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["models", "--root", str(tmp_path), "--check"])
    assert result.exit_code == 1 and "ats models" in result.output
    assert CliRunner().invoke(main, ["models", "--root", str(tmp_path)]).exit_code == 0
    assert page.read_text(encoding="utf-8") == models_doc()
