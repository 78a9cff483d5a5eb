"""The Python half of bench/panel_vs_statsmodels.sh: fit the panel that the Rust example
wrote with statsmodels (and linearmodels if installed), compare with rust.json, time both.

Peers and options (the same small-sample corrections as fairshare's, see
crates/models/src/panel.rs):
  clustered      statsmodels OLS(y~, X~).fit(cov_type='cluster',
                     cov_kwds={'groups': g}, use_t=True)       on group-demeaned data:
                     G/(G-1)(N-1)/(N-K), K without the absorbed effects; t with G-1 df
                 linearmodels PanelOLS(y, X, entity_effects=True).fit(cov_type='clustered',
                     cluster_entity=True, debiased=True, group_debias=True)
  conventional   linearmodels PanelOLS(...).fit(cov_type='unadjusted', debiased=True):
                     s2 = SSR/(N-G-K)
                 statsmodels OLS(y~, X~).fit() uses SSR/(N-K): shown rescaled by
                     sqrt((N-K)/(N-G-K))
  Driscoll-Kraay linearmodels PanelOLS(...).fit(cov_type='kernel', kernel='bartlett',
                     bandwidth=L, debiased=True): N/(N-G-K)

The panel is either the synthetic one (panel.csv: group,year,y,x1..x4) or the real
demand panel (panel.csv: country,year,in_sample,ln_milex,ln_gdp,ln_spill,ln_threat; rows
with in_sample = 0 only supply the previous year's dependent variable). The variable
names come from rust.json.

Usage: python panel_vs_statsmodels.py DIR   (DIR holds panel.csv and rust.json)
"""

import json
import statistics
import sys
import time

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

COEF_TOL = 1e-8
SE_TOL = 1e-6
REPEATS = 50

out = sys.argv[1]
with open(f"{out}/rust.json") as f:
    rust = json.load(f)
# pandas 3's default parser reads the shortest-repr floats Rust wrote exactly (checked
# against Python's float()); older pandas needed float_precision="round_trip".
raw = pd.read_csv(f"{out}/panel.csv").rename(columns={"country": "group"})
dep = rust.get("dependent", "y")
lag_name = f"L.{dep}"
names = [c["name"] for c in rust["clustered"]["coefficients"]]  # L.dep, regressors
regressors = names[1:]
print(f"panel: {rust.get('spec', 'synthetic')}, {len(raw)} rows in panel.csv")


def prepare(df):
    """Sort, add the previous calendar year's dependent variable within each group (from
    any row, lag-only rows included), keep the sample rows, drop rows with a missing value."""
    df = df.sort_values(["group", "year"])
    by_group = df.groupby("group")
    lag = by_group[dep].shift(1).where(by_group["year"].diff() == 1)
    df = df.assign(**{lag_name: lag})
    if "in_sample" in df.columns:
        df = df[df["in_sample"] == 1]
    return df.dropna(subset=[dep] + names)


def statsmodels_fit(df, clustered=True):
    d = prepare(df)
    cols = [dep] + names
    within = d[cols] - d.groupby("group")[cols].transform("mean")
    model = sm.OLS(within[dep], within[names])
    if clustered:
        groups = d["group"].astype("category").cat.codes.to_numpy()
        res = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    else:
        res = model.fit()
    res.bse  # force the covariance
    return res, d


def vector(fit, field):
    return np.array([c[field] for c in fit["coefficients"]])


def max_rel(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)) / np.abs(np.asarray(b))))


failures = []


def check(label, a, b, tol):
    diff = max_rel(a, b)
    ok = diff <= tol
    if not ok:
        failures.append(label)
    print(f"  {label:<58} max rel diff {diff:9.2e}  (tol {tol:.0e}) {'ok' if ok else 'FAIL'}")
    return diff


def table(title, columns):
    print(f"\n{title}")
    width = max(len(n) for n in names) + 1
    print("  " + f"{'':<{width}}" + "".join(f"{h:>24}" for h, _ in columns))
    for i, name in enumerate(names):
        print("  " + f"{name:<{width}}" + "".join(f"{v[i]:>24.16g}" for _, v in columns))


def median_seconds(fn):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


sm_res, sample = statsmodels_fit(raw, clustered=True)
nobs = int(sm_res.nobs)
groups = sample["group"].nunique()
k = len(names)
rc, rv, rd = rust["clustered"], rust["conventional"], rust["driscoll_kraay"]
print(f"panel: {nobs} rows, {groups} groups, {sample['year'].nunique()} years, K = {k}")
print(f"statsmodels {statsmodels.__version__}, pandas {pd.__version__}, numpy {np.__version__}")
assert rc["sample"]["nobs"] == nobs and rc["sample"]["groups"] == groups

table(
    "coefficients and cluster-robust SEs",
    [
        ("rust beta", vector(rc, "estimate")),
        ("statsmodels beta", sm_res.params.to_numpy()),
        ("rust SE", vector(rc, "std_error")),
        ("statsmodels SE", sm_res.bse.to_numpy()),
    ],
)
print("\nagreement with statsmodels OLS on demeaned data, cov_type='cluster', use_t=True")
check("coefficients", vector(rc, "estimate"), sm_res.params, COEF_TOL)
check("cluster-robust SEs", vector(rc, "std_error"), sm_res.bse, SE_TOL)
check(f"p-values (t, G-1 = {int(sm_res.df_resid_inference)} df)", vector(rc, "p_value"), sm_res.pvalues, SE_TOL)
sm_plain, _ = statsmodels_fit(raw, clustered=False)
rescale = np.sqrt((nobs - k) / (nobs - groups - k))
check("conventional SEs (statsmodels x sqrt((N-K)/(N-G-K)))", vector(rv, "std_error"), sm_plain.bse * rescale, SE_TOL)
check("within R2 (statsmodels rsquared, uncentered on demeaned data)", [rc["r2_within"]], [sm_plain.rsquared], SE_TOL)

try:
    import linearmodels
    from linearmodels.panel import PanelOLS
except ImportError:
    linearmodels = None
    print("\nlinearmodels is not installed: skipped its cross-check")

lm_seconds = None
if linearmodels is not None:
    indexed = prepare(raw).set_index(["group", "year"])

    def lm_fit(**options):
        return PanelOLS(indexed[dep], indexed[names], entity_effects=True).fit(**options)

    lm_cluster = lm_fit(cov_type="clustered", cluster_entity=True, debiased=True, group_debias=True)
    lm_plain = lm_fit(cov_type="unadjusted", debiased=True)
    bandwidth = rd["covariance"]["bandwidth"]
    lm_dk = lm_fit(cov_type="kernel", kernel="bartlett", bandwidth=bandwidth, debiased=True)
    table(
        f"linearmodels {linearmodels.__version__} PanelOLS(entity_effects=True)",
        [
            ("rust conventional SE", vector(rv, "std_error")),
            ("lm unadjusted SE", lm_plain.std_errors.to_numpy()),
            (f"rust DK SE (bw {bandwidth})", vector(rd, "std_error")),
            ("lm kernel SE", lm_dk.std_errors.to_numpy()),
        ],
    )
    print("\nagreement with linearmodels PanelOLS(entity_effects=True)")
    check("coefficients", vector(rc, "estimate"), lm_cluster.params, COEF_TOL)
    check("clustered SEs (cluster_entity, debiased, group_debias)", vector(rc, "std_error"), lm_cluster.std_errors, SE_TOL)
    check("conventional SEs (unadjusted, debiased)", vector(rv, "std_error"), lm_plain.std_errors, SE_TOL)
    check(f"Driscoll-Kraay SEs (kernel, bartlett, bandwidth={bandwidth}, debiased)", vector(rd, "std_error"), lm_dk.std_errors, SE_TOL)
    check("within R2 (rsquared_within)", [rc["r2_within"]], [lm_cluster.rsquared_within], SE_TOL)

    def lm_pipeline():
        d = prepare(raw).set_index(["group", "year"])
        r = PanelOLS(d[dep], d[names], entity_effects=True).fit(
            cov_type="clustered", cluster_entity=True, debiased=True, group_debias=True
        )
        return r.std_errors

    lm_seconds = median_seconds(lm_pipeline)

sm_seconds = median_seconds(lambda: statsmodels_fit(raw, clustered=True))
rust_seconds = rust["timing"]["median_seconds"]
print("\ntiming: one clustered fit from the long panel (lag, demean, solve, covariance), median")
print(f"  fairshare (Rust, release)  {rust_seconds * 1e3:9.3f} ms  ({rust['timing']['repeats']} runs)")
print(f"  statsmodels                {sm_seconds * 1e3:9.3f} ms  ({REPEATS} runs)  ratio {sm_seconds / rust_seconds:7.1f}x")
if lm_seconds is not None:
    print(f"  linearmodels PanelOLS      {lm_seconds * 1e3:9.3f} ms  ({REPEATS} runs)  ratio {lm_seconds / rust_seconds:7.1f}x")
if sm_seconds / rust_seconds < 20:
    print("  note: below the 20x target")

if failures:
    print(f"\nFAILED: {', '.join(failures)}")
    sys.exit(1)
print("\nall cross-checks within tolerance")
