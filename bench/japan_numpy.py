"""The benchmark's model, `japan-us-demand-3.5pct-2035`, vectorised with numpy.

The same model as the engine runs for the built-in scenario (see the engine's module
documentation for the equations), on the baseline the engine prepared from the embedded
dataset and printed (`configure`): per path and year, real growth, inflation and the
exchange rate's log change get independent normal shocks sized by Japan's historical
volatility; nominal GDP compounds from the IMF WEO base year; the exchange rate is a random
walk in logs around the WEO-implied central path; Japan's policy is a linear share path
from SIPRI's 2024 share to 2% in 2027 (then held), the US demand a linear path from the same
share to 3.5% in 2035, which Japan meets in full (elasticity 1), so spending is the larger
of the two times GDP; the extra cost is over holding the 2024 share. Then, per year, the
same summaries as the engine: type-7 quantiles (5, 25, 50, 75, 95), mean and target
probabilities of eight measures.

numpy draws from its own generator (PCG64), so the numbers agree with the engine's in
distribution, not bit for bit.
"""

import json
import sys
import time

import numpy as np

PATHS = 1_000_000
PROBS = [0.05, 0.25, 0.5, 0.75, 0.95]
# Filled by configure() from the engine's prepared baseline.
YEARS = BASE_YEAR = GDP0 = SHARE0 = None
GROWTH = INFLATION = RATE = None
SD_GROWTH = SD_INFLATION = SD_FX = None
# From scenarios/japan-us-demand-3.5pct-2035.toml.
POLICY_SHARE, POLICY_BY = 2.0, 2027
DEMAND_SHARE, DEMAND_BY = 3.5, 2035


def configure(baseline):
    global YEARS, BASE_YEAR, GDP0, SHARE0, GROWTH, INFLATION, RATE
    global SD_GROWTH, SD_INFLATION, SD_FX
    YEARS = np.array(baseline["years"], dtype=int)
    BASE_YEAR = baseline["base_year"]
    GDP0, SHARE0 = baseline["gdp_lcu"], baseline["milex_gdp"]
    GROWTH = np.array(baseline["growth"])
    INFLATION = np.array(baseline["inflation"])
    RATE = np.array(baseline["rate"])
    SD_GROWTH = baseline["sd_growth"]
    SD_INFLATION = baseline["sd_inflation"]
    SD_FX = baseline["sd_fx"]


def linear_path(share, by):
    n = by - BASE_YEAR
    k = YEARS - BASE_YEAR
    s = SHARE0 + (share - SHARE0) * (k / n)
    return np.where(YEARS >= by, share, s)


def share_path():
    return np.maximum(linear_path(POLICY_SHARE, POLICY_BY), linear_path(DEMAND_SHARE, DEMAND_BY))


def model(seed):
    rng = np.random.default_rng(seed)
    n, y = PATHS, len(YEARS)
    shares = share_path()
    gdp = np.empty((y, n))
    fx = np.empty((y, n))
    spending = np.empty((y, n))
    cumulative = np.empty((y, n))
    level = np.full(n, GDP0)
    fx_log = np.zeros(n)
    total = np.zeros(n)
    for t in range(y):
        g = GROWTH[t] + SD_GROWTH * rng.standard_normal(n)
        pi = INFLATION[t] + SD_INFLATION * rng.standard_normal(n)
        level = level * (1.0 + g / 100.0) * (1.0 + pi / 100.0)
        fx_log += SD_FX * rng.standard_normal(n) / 100.0
        x = RATE[t] * np.exp(fx_log)
        s = shares[t] * level / 100.0
        total += s - SHARE0 * level / 100.0
        gdp[t], fx[t], spending[t], cumulative[t] = level, x, s, total
    extra = spending - SHARE0 * gdp / 100.0
    measures = {
        "gdp_lcu": gdp,
        "exchange_rate": fx,
        "milex_lcu": spending,
        "milex_usd_current": spending / fx,
        "milex_gdp": spending / gdp * 100.0,
        "milex_extra_lcu": extra,
        "milex_extra_usd": extra / fx,
        "milex_extra_cumulative_lcu": cumulative,
    }
    out = {}
    for name, values in measures.items():
        q = np.quantile(values, PROBS, axis=1)
        out[name] = {"q": q, "mean": values.mean(axis=1)}
    share = measures["milex_gdp"]
    out["p_2pct"] = (share >= 2.0 * (1 - 1e-9)).mean(axis=1)
    out["p_3.5pct"] = (share >= 3.5 * (1 - 1e-9)).mean(axis=1)
    return out


def main():
    global PATHS
    PATHS = int(sys.argv[1]) if len(sys.argv) > 1 else PATHS
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    # The engine's JSON (bench_japan's output) on stdin gives the baseline.
    configure(json.load(sys.stdin)["baseline"])
    times = []
    for r in range(repeats):
        start = time.perf_counter()
        out = model(20240222 + r)
        times.append(time.perf_counter() - start)
    last = len(YEARS) - 1

    def cell(name, t):
        q = out[name]["q"][:, t]
        return {"q05": q[0], "q50": q[2], "q95": q[4], "mean": out[name]["mean"][t]}

    print(json.dumps({
        "paths": PATHS,
        "numpy": np.__version__,
        "min_s": min(times),
        "median_s": sorted(times)[len(times) // 2],
        "cells": {
            "gdp_lcu_2035": cell("gdp_lcu", last),
            "milex_usd_current_2035": cell("milex_usd_current", last),
            "milex_extra_cumulative_lcu_2035": cell("milex_extra_cumulative_lcu", last),
        },
    }))


if __name__ == "__main__":
    main()
