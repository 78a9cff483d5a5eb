"""The benchmark's Japan 3.5%-by-2035 model, vectorised with numpy.

The same model as crates/scenario/examples/bench_japan.rs (see the engine's module
documentation for the equations): per path and year, real growth, inflation and the
exchange rate's log change get independent normal shocks; nominal GDP compounds; the
exchange rate is a random walk in logs around its central path; spending is the linear
share path (1.4% in 2024 to 3.5% in 2035) times GDP; the extra cost is over holding 1.4%.
Then, per year, the same summaries as the engine: type-7 quantiles (5, 25, 50, 75, 95),
mean and target probabilities of eight measures.

numpy draws from its own generator (PCG64), so the numbers agree with the engine's in
distribution, not bit for bit.
"""

import json
import sys
import time

import numpy as np

PATHS = 1_000_000
YEARS = np.arange(2025, 2036)
BASE_YEAR = 2024
GDP0, SHARE0, FX0 = 609.4e12, 1.4, 151.5
GROWTH, INFLATION = 0.6, 2.0
SD_GROWTH, SD_INFLATION, SD_FX = 1.5, 1.0, 8.0
TARGET_SHARE, BY = 3.5, 2035
PROBS = [0.05, 0.25, 0.5, 0.75, 0.95]


def share_path():
    n = BY - BASE_YEAR
    k = YEARS - BASE_YEAR
    s = SHARE0 + (TARGET_SHARE - SHARE0) * (k / n)
    return np.where(YEARS >= BY, TARGET_SHARE, s)


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
        g = GROWTH + SD_GROWTH * rng.standard_normal(n)
        pi = INFLATION + SD_INFLATION * rng.standard_normal(n)
        level = level * (1.0 + g / 100.0) * (1.0 + pi / 100.0)
        fx_log += SD_FX * rng.standard_normal(n) / 100.0
        x = FX0 * np.exp(fx_log)
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
