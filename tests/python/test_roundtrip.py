"""Each export format read back by its ecosystem's standard reader: the same rows and
values as the committed dataset, and the metadata (sources, vintages, licences,
citations, descriptions) present."""

import json
import sqlite3

import duckdb
import frictionless
import openpyxl
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from conftest import DATA, KEY, assert_same_observations, read_text_csv, run_fairshare

BASE_FIELDS = [
    "country", "measure", "year", "year_basis", "value", "unit",
    "definition", "source", "vintage", "flags",
]


# --- Parquet -------------------------------------------------------------------------

def test_parquet_reads_back_in_pandas_with_types_and_values(exports, truth):
    df = pd.read_parquet(exports / "fairshare.parquet")
    for field in BASE_FIELDS + ["preferred"]:
        assert field in df.columns, field
    assert str(df["year"].dtype) == "int64"
    assert str(df["value"].dtype) == "float64"
    assert str(df["preferred"].dtype) == "bool"
    assert_same_observations(df, truth, "parquet (pandas)")


def test_parquet_reads_back_in_polars_and_duckdb(exports, truth):
    path = str(exports / "fairshare.parquet")
    pl_df = pl.read_parquet(path)
    assert pl_df.schema["year"] == pl.Int64
    assert pl_df.schema["value"] == pl.Float64
    assert pl_df.schema["country"] == pl.String
    assert pl_df.height == len(truth)
    assert_same_observations(pl_df.to_pandas(), truth, "parquet (polars)")

    con = duckdb.connect()
    assert con.sql(f"SELECT count(*) FROM '{path}'").fetchall()[0][0] == len(truth)
    jp = con.sql(
        f"SELECT value, vintage FROM '{path}' WHERE country = 'JPN' AND measure = 'milex_gdp' "
        "AND year = 2022 AND preferred"
    ).fetchall()
    assert len(jp) == 1
    assert round(jp[0][0], 2) == 1.01 and jp[0][1] == "SIPRI 2025"
    types = {r[0]: r[1] for r in con.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}
    assert types["year"] == "BIGINT" and types["value"] == "DOUBLE" and types["preferred"] == "BOOLEAN"


def test_parquet_metadata_carries_sources_vintages_and_licences(exports, sources_truth):
    path = exports / "fairshare.parquet"
    meta = {k.decode(): v.decode() for k, v in pq.read_metadata(path).metadata.items()}
    sources = json.loads(meta["fairshare.sources"])
    assert {s["id"] for s in sources} == set(sources_truth["id"])
    for want in sources_truth.to_dict("records"):
        got = next(s for s in sources if s["id"] == want["id"])
        for field in ("publisher", "vintage", "licence", "citation", "url", "file"):
            assert got[field] == want[field], (want["id"], field)
        assert want["vintage"] in meta["fairshare.vintages"]
        assert want["licence"] in meta["fairshare.licences"]
    fields = json.loads(meta["fairshare.fields"])
    assert set(BASE_FIELDS) <= set(fields)
    assert "percent" in meta["fairshare.readme"]
    assert meta["fairshare.selection"] == "the whole dataset"
    for table in ("definitions", "countries", "notes", "measures", "units", "flags"):
        assert json.loads(meta[f"fairshare.{table}"]), table
    # DuckDB sees the same key-value metadata.
    keys = {r[0].decode() if isinstance(r[0], bytes) else r[0] for r in duckdb.sql(
        f"SELECT key FROM parquet_kv_metadata('{path}')").fetchall()}
    assert "fairshare.sources" in keys


# --- CSV + Frictionless Data Package --------------------------------------------------

def test_csv_reads_back_in_pandas(exports, truth):
    df = read_text_csv(exports / "fairshare-csv" / "observations.csv")
    assert list(df.columns[:1]) == ["country"]
    assert_same_observations(df, truth, "csv (pandas)")


def test_datapackage_is_valid_frictionless_and_its_data_match_it(tmp_path):
    """The descriptor and the data against it: types, enums, primary and foreign keys,
    each file's SHA-256 and size. (The whole-dataset package is validated by the
    `frictionless validate` recipe in docs/recipes.md; this one is a selection.)"""
    out = tmp_path / "allies"
    done = run_fairshare("export", "csv", "JPN", "KOR", "USA", "--out", str(out))
    assert done.returncode == 0, done.stderr
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:10]
    assert {t.name for t in report.tasks} >= {
        "observations", "sources", "countries", "definitions", "notes",
        "alliances", "memberships", "targets", "plans"}
    # A corrupted value is caught, by its enum, its foreign key and the file's hash.
    text = (out / "observations.csv").read_text()
    (out / "observations.csv").write_text(text.replace(",pct_gdp,", ",pct_xx,", 1))
    errors = {e[0] for e in frictionless.validate(str(out / "datapackage.json")).flatten(["type"])}
    assert {"constraint-error", "foreign-key", "hash-count"} <= errors, errors


def test_datapackage_describes_fields_keys_units_and_sources(exports, sources_truth):
    pkg = json.loads((exports / "fairshare-csv" / "datapackage.json").read_text())
    assert pkg["name"] == "fairshare"
    res = {r["name"]: r for r in pkg["resources"]}
    obs = res["observations"]["schema"]
    fields = {f["name"]: f for f in obs["fields"]}
    for name in BASE_FIELDS:
        assert fields[name]["description"], name
    assert fields["year"]["type"] == "integer"
    assert fields["value"]["type"] == "number"
    assert fields["preferred"]["type"] == "boolean"
    assert "pct_gdp" in fields["unit"]["constraints"]["enum"]
    assert obs["primaryKey"] == KEY
    refs = {fk["reference"]["resource"] for fk in obs["foreignKeys"]}
    assert refs == {"countries", "measures", "units", "definitions", "sources"}
    units = read_text_csv(exports / "fairshare-csv" / "units.csv")
    assert "percent of GDP" in set(units["description"])
    by_id = {s["id"]: s for s in pkg["sources"]}
    for want in sources_truth.to_dict("records"):
        got = by_id[want["id"]]
        assert got["licence"] == want["licence"]
        assert got["citation"] == want["citation"]
        assert got["vintage"] == want["vintage"]
        assert got["path"] == want["url"]
    assert len(pkg["licenses"]) == len(sources_truth)
    assert any(l.get("name") == "CC-BY-4.0" for l in pkg["licenses"])
    frictionless_pkg = frictionless.Package(str(exports / "fairshare-csv" / "datapackage.json"))
    assert frictionless_pkg.get_resource("sources").read_rows()[0]["citation"]


# --- SQLite -------------------------------------------------------------------------

def test_sqlite_reads_back_with_pythons_sqlite3(exports, truth):
    con = sqlite3.connect(exports / "fairshare.sqlite")
    df = pd.read_sql_query("SELECT * FROM observations_full", con)
    assert_same_observations(df, truth, "sqlite (observations_full view)")
    # The table itself is normalized: names, currencies and vintages are joins away.
    cols = [r[1] for r in con.execute("PRAGMA table_info(observations)")]
    assert "country_name" not in cols and "vintage" not in cols
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "observations_by_measure_year" in indexes
    plan = " ".join(str(r) for r in con.execute(
        "EXPLAIN QUERY PLAN SELECT value FROM observations WHERE measure = 'milex_gdp' AND year = 2022"))
    assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan


def test_sqlite_has_readme_and_registries(exports, sources_truth):
    con = sqlite3.connect(exports / "fairshare.sqlite")
    readme = dict(con.execute("SELECT topic, text FROM README"))
    for topic in ("about", "selection", "values", "vintages", "licences", "cite",
                  "table observations", "table sources"):
        assert readme.get(topic), topic
    got = pd.read_sql_query("SELECT * FROM sources ORDER BY id", con)
    for want in sources_truth.to_dict("records"):
        row = got[got["id"] == want["id"]].iloc[0]
        for field in ("publisher", "vintage", "licence", "citation"):
            assert row[field] == want[field], (want["id"], field)
    # Column descriptions travel in the schema text.
    schema = con.execute("SELECT sql FROM sqlite_master WHERE name = 'observations'").fetchone()[0]
    assert "-- ISO 3166 alpha-3 code" in schema
    n = con.execute("SELECT count(*) FROM notes").fetchone()[0]
    assert n > 0


# --- xlsx ---------------------------------------------------------------------------

def test_xlsx_wide_sheets_hold_every_preferred_value(exports, truth):
    wb = openpyxl.load_workbook(exports / "fairshare.xlsx", read_only=True)
    assert wb.sheetnames[0] == "README"
    assert "sources" in wb.sheetnames
    got = {}
    estimate_fonts = {}
    for ws in wb.worksheets:
        rows = ws.iter_rows()
        header = [c.value for c in next(rows)]
        if header[:4] != ["country", "country_name", "measure", "definition"]:
            continue
        first_year = header.index("source") + 1
        years = header[first_year:]
        for row in rows:
            country, _, measure, definition, basis = (c.value for c in row[:5])
            for year, cell in zip(years, row[first_year:]):
                if cell.value is None:
                    continue
                key = (country, measure, definition, basis, int(year))
                assert key not in got, f"{key} twice"
                # openpyxl gives an integer for a number written without a point
                # (1185193836613000000); Excel reads the same text as the double.
                got[key] = float(cell.value)
                if cell.font is not None and cell.font.color is not None:
                    estimate_fonts[key] = cell.font.color.rgb
    want = truth[truth["preferred"] & truth["value"].notna()]
    assert len(got) == len(want), f"{len(got)} values in the workbook, expected {len(want)}"
    for rec in want.itertuples():
        key = (rec.country, rec.measure, rec.definition, rec.year_basis, rec.year)
        assert got.get(key) == rec.value, (key, got.get(key), rec.value)
    # SIPRI's colours: an estimate is blue, a highly uncertain figure red.
    est = want[want["flags"].fillna("").str.contains("estimate") &
               ~want["flags"].fillna("").str.contains("uncertain")].iloc[0]
    key = (est.country, est.measure, est.definition, est.year_basis, est.year)
    assert str(estimate_fonts.get(key, "")).upper().endswith("0000FF"), key


def test_xlsx_readme_and_sources_sheets(exports, sources_truth):
    wb = openpyxl.load_workbook(exports / "fairshare.xlsx", read_only=True)
    readme = {r[0]: r[1] for r in wb["README"].iter_rows(min_row=2, values_only=True)}
    assert "blue" in readme["colours"]
    assert "preferred" in readme["layout"]
    assert any(t.startswith("sheet milex_gdp") for t in readme)
    rows = list(wb["sources"].iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    got = {r[header.index("id")]: dict(zip(header, r)) for r in data}
    for want in sources_truth.to_dict("records"):
        assert got[want["id"]]["licence"] == want["licence"]
        assert got[want["id"]]["citation"] == want["citation"]


# --- a filtered export --------------------------------------------------------------

def test_a_filtered_export_holds_exactly_the_selection(tmp_path, truth):
    out = tmp_path / "allies.parquet"
    done = run_fairshare("export", "parquet", "JPN", "South Korea", "--measure", "milex_gdp",
                         "--from", "2014", "--to", "2024", "--out", str(out))
    assert done.returncode == 0, done.stderr
    want = truth[truth["country"].isin(["JPN", "KOR"]) & (truth["measure"] == "milex_gdp")
                 & truth["year"].between(2014, 2024)].reset_index(drop=True)
    assert len(want) > 0
    assert_same_observations(pd.read_parquet(out), want, "filtered parquet")
    meta = pq.read_metadata(out).metadata
    assert meta[b"fairshare.selection"] == b"countries JPN, KOR; measures milex_gdp; years 2014-2024"


@pytest.mark.parametrize("fmt,target", [("csv", "d"), ("sqlite", "x.sqlite"), ("xlsx", "x.xlsx")])
def test_filtered_exports_in_other_formats_load(tmp_path, fmt, target):
    out = tmp_path / target
    done = run_fairshare("export", fmt, "POL", "--definition", "nato", "--out", str(out))
    assert done.returncode == 0, done.stderr
    if fmt == "csv":
        assert frictionless.validate(str(out / "datapackage.json")).valid
    elif fmt == "sqlite":
        con = sqlite3.connect(out)
        assert {r[0] for r in con.execute("SELECT DISTINCT definition FROM observations")} == {"nato"}
    else:
        wb = openpyxl.load_workbook(out, read_only=True)
        assert "milex_gdp nato" in wb.sheetnames


# --- the registries beside the observations -------------------------------------------

REGISTRIES = ["sources", "definitions", "countries", "alliances", "memberships", "targets", "plans"]


@pytest.mark.parametrize("table", REGISTRIES)
def test_registries_are_in_every_format(exports, table):
    """Each registry of data/ is in the CSV package, the SQLite database, the Parquet
    metadata and the workbook, row for row."""
    want = read_text_csv(DATA / f"{table}.csv")
    key = want.columns[0]
    key_out = "code" if key == "iso3" else key
    want_keys = sorted(want[key])
    csv_rows = read_text_csv(exports / "fairshare-csv" / f"{table}.csv")
    assert sorted(csv_rows[key_out]) == want_keys
    con = sqlite3.connect(exports / "fairshare.sqlite")
    assert sorted(r[0] for r in con.execute(f'SELECT "{key_out}" FROM "{table}"')) == want_keys
    meta = pq.read_metadata(exports / "fairshare.parquet").metadata
    assert sorted(r[key_out] for r in json.loads(meta[f"fairshare.{table}".encode()])) == want_keys
    wb = openpyxl.load_workbook(exports / "fairshare.xlsx", read_only=True)
    rows = list(wb[table].iter_rows(values_only=True))
    assert sorted(r[rows[0].index(key_out)] for r in rows[1:]) == want_keys
