"""Run the engine's Japan bench and the numpy implementation; print times and ratios.

Called by bench/japan.sh with the engine binary, the path count and the repeat count.
"""

import json
import os
import subprocess
import sys

import japan_numpy


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main():
    binary, paths, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    load_before = load()
    engine = json.loads(subprocess.run(
        [binary, str(paths), str(repeats)], check=True, capture_output=True, text=True
    ).stdout)
    japan_numpy.PATHS = paths
    japan_numpy.configure(engine["baseline"])
    numpy_times = []
    numpy_cpu = []
    out = None
    for r in range(max(2, repeats // 2)):
        wall0, cpu0 = japan_numpy.time.perf_counter(), japan_numpy.time.process_time()
        out = japan_numpy.model(20240222 + r)
        numpy_times.append(japan_numpy.time.perf_counter() - wall0)
        numpy_cpu.append(japan_numpy.time.process_time() - cpu0)
    load_after = load()

    e_min, e_med = engine["engine_min_s"], engine["engine_median_s"]
    f_min = engine["floor_min_s"]
    n_min = min(numpy_times)
    n_med = sorted(numpy_times)[len(numpy_times) // 2]
    b = engine["baseline"]
    print(f"{engine['scenario']} (built-in, prepared from the embedded dataset: "
          f"{b['source']}; {b['vintage']}): base {b['base_year']} share {b['milex_gdp']:.3f}% of "
          f"GDP, shock sd growth {b['sd_growth']:.2f} pp, inflation {b['sd_inflation']:.2f} pp, "
          f"yen {b['sd_fx']:.2f}% (historical)")
    print(f"  {engine['paths']:,} paths x {engine['years']} years, "
          f"{engine['normals']:,} normals, {engine['threads']} threads "
          f"(load average {load_before} before, {load_after} after)")
    print(f"  engine (Rust, full run incl. quantiles)  min {e_min:.3f} s  median {e_med:.3f} s"
          f"  CPU {engine['engine_cpu_s']} s/run")
    print(f"  numpy (vectorised, same model)           min {n_min:.3f} s  median {n_med:.3f} s"
          f"  CPU {min(numpy_cpu):.3f} s/run")
    print(f"  floor (same normals, same generator)     min {f_min:.3f} s"
          f"  median {engine['floor_median_s']:.3f} s  CPU {engine['floor_cpu_s']} s/run")
    print(f"  numpy / engine   {n_min / e_min:.1f}x   (target >= 5x)")
    print(f"  engine / floor   {e_min / f_min:.1f}x   (target <= 2x)")
    # The two implementations draw different numbers; their quantiles agree in distribution.
    for name in ("gdp_lcu_2035", "milex_usd_current_2035", "milex_extra_cumulative_lcu_2035"):
        measure = name.rsplit("_", 1)[0]
        e = engine["cells"][name]["q50"]
        n = out[measure]["q"][2, -1]
        print(f"  median {name}: engine {e:.4e}, numpy {n:.4e} ({(e / n - 1) * 100:+.2f}%)")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
