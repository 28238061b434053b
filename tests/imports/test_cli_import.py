"""`chainatlas import …` through Typer: the report table, counts and exit codes."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from chainatlas import cli
from chainatlas.cli_import import import_app
from tests.imports.test_load import ENTERPRISES, write_csv

runner = CliRunner()


def _app() -> typer.Typer:
    # The lead mounts import_app on the main app; here a minimal host with --db.
    host = typer.Typer()

    @host.callback()
    def main(db: str = typer.Option(...)) -> None:
        cli.state.db_url = db

    host.add_typer(import_app, name="import")
    return host


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


def test_report_table_and_exit_code(db, tmp_path):
    path = write_csv(tmp_path / "e.csv", ENTERPRISES)
    result = runner.invoke(_app(), ["--db", db, "import", "enterprises", str(path), "--no-resolve"])
    assert result.exit_code == 1, result.output
    assert "校验问题" in result.output and "无法识别的地区：火星" in result.output
    assert "新增 2" in result.output and "跳过 3" in result.output
    clean = write_csv(tmp_path / "ok.csv", ENTERPRISES[:3])
    result = runner.invoke(_app(), ["--db", db, "import", "enterprises", str(clean)])
    assert result.exit_code == 0, result.output
    assert "更新 2" in result.output and "消歧完成" in result.output


def test_map_option_and_dry_run(db, tmp_path):
    path = write_csv(
        tmp_path / "x.csv", [["单位", "城市"], ["深圳甲乙科技有限公司", "深圳"]], "utf-8"
    )
    app = _app()
    result = runner.invoke(app, ["--db", db, "import", "enterprises", str(path)])
    assert result.exit_code == 2 and "缺少必需的列" in result.output
    args = ["--db", db, "import", "enterprises", str(path), "--map", "单位=name", "-m",
            "城市=region", "--dry-run"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "将新增 1" in result.output, result.output
    result = runner.invoke(app, ["--db", db, "import", "enterprises", str(path), "--map", "bad"])
    assert result.exit_code == 2
