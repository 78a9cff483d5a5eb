"""Every recipe in docs/recipes.md, run as written against fresh exports.

The page's fenced blocks are the test cases: `sh` blocks run in bash (with `fairshare`
and the venv's tools on PATH), `python` blocks in this interpreter, `sql` blocks in
DuckDB, `r` blocks with Rscript where R and the package they use are installed. The
blocks that make the exports (`fairshare export ...`) run first, in a fresh folder.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, fairshare_bin

RECIPES = REPO / "docs" / "recipes.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def blocks():
    text = RECIPES.read_text()
    out = []
    for n, m in enumerate(FENCE.finditer(text)):
        line = text[: m.start()].count("\n") + 1
        out.append(pytest.param(m.group(1), m.group(2), id=f"{m.group(1)}-line{line}"))
    return out


def is_export(lang: str, code: str) -> bool:
    return lang == "sh" and "fairshare export" in code


def run_sh(code: str, cwd: Path) -> None:
    tools = cwd / ".bin"
    tools.mkdir(exist_ok=True)
    link = tools / "fairshare"
    if not link.exists():
        link.symlink_to(fairshare_bin())
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "PATH": f"{tools}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{code}\nstdout: {done.stdout}\nstderr: {done.stderr}"


@pytest.fixture(scope="module")
def recipe_dir(tmp_path_factory) -> Path:
    cwd = tmp_path_factory.mktemp("recipes")
    for param in blocks():
        lang, code = param.values
        if is_export(lang, code):
            run_sh(code, cwd)
    return cwd


def test_the_page_covers_every_tool():
    langs = [p.values[0] for p in blocks()]
    text = RECIPES.read_text()
    for lang in ("sh", "python", "sql", "r"):
        assert lang in langs, f"no {lang} recipe"
    for tool in ("## pandas", "## polars", "## DuckDB", "## R", "## Excel", "## SQLite",
                 "pd.read_parquet", "pl.read_parquet", "arrow::read_parquet", "readr::read_csv"):
        assert tool in text, tool


@pytest.mark.parametrize("lang,code", blocks())
def test_recipe_runs(lang, code, recipe_dir, monkeypatch):
    monkeypatch.chdir(recipe_dir)
    if lang == "sh":
        if is_export(lang, code):
            return  # ran in the fixture; its outputs are what the other recipes load
        if "sqlite3 " in code and shutil.which("sqlite3") is None:
            pytest.skip("the sqlite3 command-line shell is not installed")
        run_sh(code, recipe_dir)
    elif lang == "python":
        exec(compile(code, f"{RECIPES}:{lang}", "exec"), {"__name__": "recipe"})
    elif lang == "sql":
        rows = duckdb.connect().sql(code).fetchall()
        assert rows, f"no rows from\n{code}"
    elif lang == "r":
        if shutil.which("Rscript") is None:
            pytest.skip("R is not installed")
        package = re.match(r"\w+ <- (\w+)::", code).group(1)
        have = subprocess.run(["Rscript", "-e", f"quit(status = !requireNamespace('{package}', quietly = TRUE))"],
                              capture_output=True, check=False)
        if have.returncode != 0:
            pytest.skip(f"R package {package} is not installed")
        done = subprocess.run(["Rscript", "-e", code + "\nstopifnot(nrow(df) > 0)"], cwd=recipe_dir,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    else:
        pytest.fail(f"unknown recipe language {lang}: mark prose as text, not code")
