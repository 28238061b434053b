"""Docs stay honest: every command the CLI offers is shown in the README, and every
figure document the README points to exists."""

from __future__ import annotations

from pathlib import Path

import typer

from chainatlas.cli import app

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> set[str]:
    group = typer.main.get_command(app)
    return set(group.commands)


def test_every_top_level_command_appears_in_the_readme():
    missing = {c for c in _commands() if f"chainatlas {c}" not in README}
    assert missing == set(), f"document these in README.md: {sorted(missing)}"


def test_figure_documents_exist_and_name_their_commands():
    for name, command in (
        ("BENCHMARKS.md", "chainatlas bench"),
        ("EVALUATION.md", "chainatlas eval"),
    ):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert command in text, name


def test_every_shipped_data_folder_has_a_provenance_row():
    table = (ROOT / "chainatlas" / "data" / "README.md").read_text(encoding="utf-8")
    for folder in sorted(p.name for p in (ROOT / "chainatlas" / "data").iterdir() if p.is_dir()):
        if folder == "__pycache__":
            continue
        assert f"`{folder}/" in table or f"`{folder}`" in table, (
            f"chainatlas/data/{folder} lacks a row"
        )
