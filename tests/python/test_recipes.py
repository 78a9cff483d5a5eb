"""Every recipe in docs/recipes.md, run as written against fresh exports.

The page's fenced blocks are the test cases: `sh` blocks run in bash (with `fairshare`
and the venv's tools on PATH), `python` blocks in this interpreter, `sql` blocks in
DuckDB, `r` blocks with Rscript where R and the package they use are installed. The
blocks that make the exports (`fairshare export ...`) run first, in a fresh folder.
"""

import re
import shutil
import subprocess

import duckdb
import pytest

from conftest import RECIPES, is_export, recipe_blocks, run_sh


def blocks():
    return [pytest.param(lang, code, id=f"{lang}-line{line}") for lang, code, line in recipe_blocks()]


def test_the_page_covers_every_tool():
    langs = [lang for lang, _, _ in recipe_blocks()]
    text = RECIPES.read_text()
    for lang in ("sh", "python", "sql", "r"):
        assert lang in langs, f"no {lang} recipe"
    for tool in ("## pandas", "## polars", "## DuckDB", "## R", "## Excel", "## SQLite",
                 "pd.read_parquet", "pl.read_parquet", "arrow::read_parquet", "readr::read_csv"):
        assert tool in text, tool


@pytest.mark.parametrize("lang,code", blocks())
def test_recipe_runs(lang, code, exports, monkeypatch):
    monkeypatch.chdir(exports)
    if lang == "sh":
        if is_export(lang, code):
            return  # ran in the exports fixture; its outputs are what the other recipes load
        if "sqlite3 " in code and shutil.which("sqlite3") is None:
            pytest.skip("the sqlite3 command-line shell is not installed")
        run_sh(code, exports)
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
        done = subprocess.run(["Rscript", "-e", code + "\nstopifnot(nrow(df) > 0)"], cwd=exports,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    else:
        pytest.fail(f"unknown recipe language {lang}: mark prose as text, not code")
