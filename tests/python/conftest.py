"""Shared fixtures for the export round-trip tests.

The truth every export is compared with is the committed dataset itself, read by pandas
straight from data/ (observations/*.csv, sources.csv, countries.csv): nothing of the
export code is involved in it. The exports are made once per session by the `fairshare`
binary ($FAIRSHARE_BIN, set by run.sh).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
KEY = ["country", "measure", "definition", "source", "year_basis", "year"]
CELL = ["country", "measure", "definition", "year_basis", "year"]
CURRENCY_UNITS = {"lcu", "lcu_constant", "lcu_per_usd"}


def fairshare_bin() -> str:
    path = os.environ.get("FAIRSHARE_BIN")
    if not path:
        pytest.fail("FAIRSHARE_BIN is not set: run tests/python/run.sh, which builds and sets it")
    return path


def run_fairshare(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [fairshare_bin(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )


def read_text_csv(path: Path) -> pd.DataFrame:
    """A CSV with every column as text, empty cells as missing (no 'NA' guessing)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def normalized(df: pd.DataFrame) -> pd.DataFrame:
    """Observations in one comparable shape: text columns as Python str or None,
    value as float (NaN where missing), year as int, sorted by key."""
    out = df.copy()
    out["year"] = out["year"].astype("int64")
    out["value"] = pd.to_numeric(out["value"]).astype("float64")
    for c in out.columns:
        if c not in ("year", "value", "preferred"):
            out[c] = out[c].astype(object).where(out[c].notna(), None)
            out[c] = out[c].map(lambda v: None if v is None or v == "" else str(v))
    if "preferred" in out.columns:
        out["preferred"] = out["preferred"].map(
            lambda v: v if isinstance(v, bool) else str(v).lower() in ("true", "1")
        )
    return out.sort_values(KEY).reset_index(drop=True)


@pytest.fixture(scope="session")
def truth() -> pd.DataFrame:
    """The committed observations with what the exports add, computed here from the
    registries: country_name, currency (local-currency units only), preferred (the
    best-ranked source of each cell, ties broken by source id)."""
    frames = [read_text_csv(p) for p in sorted((DATA / "observations").glob("*.csv"))]
    obs = pd.concat(frames, ignore_index=True)
    countries = read_text_csv(DATA / "countries.csv").set_index("iso3")
    sources = read_text_csv(DATA / "sources.csv").set_index("id")
    obs["country_name"] = obs["country"].map(countries["name"])
    currency = obs["country"].map(countries["currency"])
    obs["currency"] = currency.where(obs["unit"].isin(CURRENCY_UNITS), None)
    obs["_rank"] = obs["source"].map(sources["rank"]).astype(int)
    best = obs.sort_values(["_rank", "source"]).drop_duplicates(CELL, keep="first")
    obs["preferred"] = False
    obs.loc[best.index, "preferred"] = True
    obs = obs.drop(columns=["_rank"])
    return normalized(obs)


@pytest.fixture(scope="session")
def sources_truth() -> pd.DataFrame:
    return read_text_csv(DATA / "sources.csv")


RECIPES = REPO / "docs" / "recipes.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def recipe_blocks() -> list[tuple[str, str, int]]:
    """The fenced blocks of docs/recipes.md: (language, code, line)."""
    text = RECIPES.read_text()
    return [(m.group(1), m.group(2), text[: m.start()].count("\n") + 1)
            for m in FENCE.finditer(text)]


def is_export(lang: str, code: str) -> bool:
    return lang == "sh" and "fairshare export" in code


def run_sh(code: str, cwd: Path) -> None:
    """A shell recipe as a reader would run it: `fairshare` and the venv's tools on PATH."""
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


@pytest.fixture(scope="session")
def exports(tmp_path_factory) -> Path:
    """The whole dataset exported in every format by the commands docs/recipes.md gives
    (fairshare.parquet, fairshare-csv/, fairshare.sqlite, fairshare.xlsx): the recipes
    and the round-trip tests read the same files."""
    out = tmp_path_factory.mktemp("exports")
    for lang, code, _ in recipe_blocks():
        if is_export(lang, code):
            run_sh(code, out)
    for made in ("fairshare.parquet", "fairshare-csv/datapackage.json", "fairshare.sqlite",
                 "fairshare.xlsx"):
        assert (out / made).is_file(), f"docs/recipes.md no longer makes {made}"
    return out


def assert_same_observations(got: pd.DataFrame, want: pd.DataFrame, what: str) -> None:
    """Same rows (by key), and in each row the same values, exactly."""
    got = normalized(got)
    want = want[list(got.columns)]
    assert len(got) == len(want), f"{what}: {len(got)} rows, expected {len(want)}"
    dupes = got.duplicated(KEY).sum()
    assert dupes == 0, f"{what}: {dupes} duplicate keys"
    for c in got.columns:
        a, b = got[c], want[c]
        if c == "value":
            same = (a == b) | (a.isna() & b.isna())
        else:
            same = a.eq(b) | (a.isna() & b.isna())
        if not same.all():
            i = int((~same).values.argmax())
            pytest.fail(
                f"{what}: column {c} differs in {int((~same).sum())} rows; first: "
                f"{dict(got.iloc[i][KEY])}: got {a.iloc[i]!r}, expected {b.iloc[i]!r}"
            )
