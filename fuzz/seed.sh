#!/usr/bin/env bash
# Seed corpora for the fuzz targets, under fuzz/corpus/ (not committed): the scenario and
# claims files of the repository, and the head of each publisher file from $FAIRSHARE_RAW
# (publisher files are never committed). The first byte of an ingest input picks the reader.
set -euo pipefail
cd "$(dirname "$0")"
root=..
raw="${FAIRSHARE_RAW:-$root/../shared/data/raw}"
mkdir -p corpus/scenario_parse corpus/claims_parse corpus/ingest_xlsx corpus/ingest_csv corpus/http_query
# http_query: the first byte picks the route (see fuzz_targets/http_query.rs), the rest is
# the query string.
seed_q() { printf "\\$1%s" "$2" > "corpus/http_query/$1-$(printf '%s' "$2" | cksum | cut -d' ' -f1)"; }
seed_q 000 'country=JPN,KOR&measure=milex_gdp&definition=sipri&from=2000&to=2024'
seed_q 001 'country=Japan&from=2020&to=2024'
seed_q 002 'country=JPN&measure=milex_gdp&year=2023'
seed_q 005 'alliance=NATO&year=2024'
seed_q 006 'country=JPN&target=japan-2pct-fy2027&by=2027'
seed_q 007 'country=KOR&demand=10e9USD'
seed_q 011 'file=diplomat-2024'
seed_q 013 'country=South+Korea&measure=milex_gdp&from=1990'
seed_q 014 'alliance=NATO&target=nato-2pct&year=2024&definition=nato'
seed_q 015 'paths=500&seed=7&share=3.5&by=2035&vol=1&prob=0.5'
cp "$root"/scenarios/*.toml corpus/scenario_parse/
cp "$root"/claims/*.toml corpus/claims_parse/
# fairshare's own registry tables (committed), for the readers that parse them.
{ printf '\014'; cat "$root"/crates/dataset/registry/earlier_figures.csv; } > corpus/ingest_csv/earlier_figures.csv.014
{ printf '\015'; cat "$root"/crates/dataset/registry/us_treaty_allies.csv; } > corpus/ingest_csv/us_treaty_allies.csv.015
if [ ! -d "$raw/sipri_milex" ]; then
  echo "raw files absent: ingest targets start from an empty corpus"
  exit 0
fi
seed_csv() { # selector byte (octal), file
  { printf "\\$1"; head -c 6000 "$2"; } > "corpus/ingest_csv/$(basename "$2").$1"
}
seed_csv 000 "$raw"/worldbank_wdi/API_MS.MIL.XPND.GD.ZS_DS2_en_csv_v2_211.csv
seed_csv 001 "$raw"/worldbank_wdi/API_PA.NUS.FCRF_DS2_en_csv_v2_13510.csv
seed_csv 002 "$raw"/datahub_worldbank/gdp.csv
seed_csv 003 "$raw"/japan_defense_budget/japan_defense_budget.csv
seed_csv 004 "$raw"/host_nation_support/japan_hns_by_fiscal_year.csv
seed_csv 005 "$raw"/host_nation_support/japan_sma_agreements.csv
seed_csv 006 "$raw"/host_nation_support/korea_sma_by_year.csv
seed_csv 007 "$raw"/nato/nato_members_accession.csv
seed_csv 010 "$raw"/troopdata/troopdata-rebuild-reports.csv
seed_csv 011 "$raw"/polls_538/national_h2h_2024_derived.csv
seed_csv 012 "$raw"/atop/atop-member-level.csv
seed_csv 013 "$raw"/nato/nato_spending_targets.csv
# Workbooks whole (a zip cut short is just an error); the smallest real ones.
{ printf '\000'; cat "$raw"/sipri_milex/*.xlsx; } > corpus/ingest_xlsx/sipri.xlsx
{ printf '\002'; cat "$raw"/nato_defexp/*.xlsx; } > corpus/ingest_xlsx/nato.xlsx
