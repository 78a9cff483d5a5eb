//! The within estimator: hand-worked standard errors, recovery of known coefficients on
//! synthetic panels, and the errors a bad specification gets.

mod support;

use fairshare_models::panel::{Covariance, Panel, PanelError, PanelSpec, fit, lag_name};
use support::{Rng, generate};

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

fn labels(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Three groups × three years, one regressor; worked by hand below.
fn small_panel() -> Panel {
    Panel::new(
        labels(&["A", "A", "A", "B", "B", "B", "C", "C", "C"]),
        vec![1, 2, 3, 1, 2, 3, 1, 2, 3],
    )
    .unwrap()
    .with_variable("x", vec![1.0, 2.0, 3.0, 2.0, 4.0, 6.0, 0.0, 1.0, 5.0])
    .unwrap()
    .with_variable("y", vec![2.0, 3.0, 7.0, 1.0, 5.0, 6.0, 3.0, 2.0, 7.0])
    .unwrap()
}

// The hand computation shared by the tests below.
//
// Group means: x̄ = (2, 4, 2), ȳ = (4, 4, 4). Demeaned:
//   x̃: A (−1, 0, 1)   B (−2, 0, 2)   C (−2, −1, 3)      Σx̃² = 2 + 8 + 14 = 24
//   ỹ: A (−2, −1, 3)  B (−3, 1, 2)   C (−1, −2, 3)      Σỹ² = 14 + 14 + 14 = 42
//   Σx̃ỹ = (2 + 0 + 3) + (6 + 0 + 4) + (2 + 2 + 9) = 28  →  β̂ = 28/24 = 7/6
// Residuals ẽ = ỹ − (7/6)x̃:
//   A (−5/6, −1, 11/6)   B (−2/3, 1, −1/3)   C (4/3, −5/6, −1/2)
//   SSR = 182/36 + 56/36 + 98/36 = 28/3;  R²within = 1 − (28/3)/42 = 7/9
// Cluster scores s_g = Σ x̃ẽ: A 1·(5/6) + 11/6 = 8/3;  B 4/3 − 2/3 = 2/3;
//   C −8/3 + 5/6 − 3/2 = −10/3   (they sum to 0, the normal equation)
//   Σ s_g² = 64/9 + 4/9 + 100/9 = 56/3
// Period sums h_t = Σ_i x̃ẽ: t1 5/6 + 4/3 − 8/3 = −1/2;  t2 5/6;  t3 11/6 − 2/3 − 3/2 = −1/3
// N = 9, G = 3, K = 1, T = 3, N − G − K = 5.

#[test]
fn clustered_standard_error_by_hand() {
    // V = c·Σs_g²/(Σx̃²)², c = G/(G−1)·(N−1)/(N−K) = 3/2·8/8 = 3/2
    //   = (3/2)(56/3)/576 = 28/576 = 7/144, SE = √7/12 ≈ 0.2205; t = (7/6)/(√7/12) = 2√7.
    // scipy: 2*stats.t.sf(2*sqrt(7), 2) = 0.03390821692070409; stats.t.ppf(0.975, 2) =
    // 4.302652729749462.
    let fit = fit(
        &small_panel(),
        &PanelSpec::new("y", &["x"]).covariance(Covariance::ClusteredByGroup),
    )
    .unwrap();
    let b = &fit.coefficients[0];
    assert_eq!(b.name, "x");
    assert!(close(b.estimate, 7.0 / 6.0, 1e-14));
    assert!(close(b.std_error, 7f64.sqrt() / 12.0, 1e-14));
    assert!(close(b.t, 2.0 * 7f64.sqrt(), 1e-13));
    assert!(close(b.p_value, 0.03390821692070409, 1e-10));
    assert!(close(
        b.ci_high - b.estimate,
        4.302652729749462 * b.std_error,
        1e-9
    ));
    assert!(close(fit.covariance.small_sample_factor, 1.5, 1e-15));
    assert_eq!(fit.covariance.df, 2);
    assert!(close(fit.covariance_matrix[0][0], 7.0 / 144.0, 1e-14));
    assert!(close(fit.ssr, 28.0 / 3.0, 1e-14));
    assert!(close(fit.r2_within, 7.0 / 9.0, 1e-14));
    assert_eq!(fit.df_resid, 5);
    assert_eq!(
        (fit.sample.nobs, fit.sample.groups, fit.sample.periods),
        (9, 3, 3)
    );
}

#[test]
fn conventional_standard_error_by_hand() {
    // s² = SSR/(N−G−K) = (28/3)/5 = 28/15; V = s²/Σx̃² = 28/360 = 7/90.
    // scipy: 2*stats.t.sf((7/6)/sqrt(7/90), 5) = 0.008627407845019449.
    let fit = fit(
        &small_panel(),
        &PanelSpec::new("y", &["x"]).covariance(Covariance::Conventional),
    )
    .unwrap();
    let b = &fit.coefficients[0];
    assert!(close(b.std_error, (7.0f64 / 90.0).sqrt(), 1e-14));
    assert!(close(b.p_value, 0.008627407845019449, 1e-10));
    assert_eq!(fit.covariance.df, 5);
    assert!(close(fit.sigma, (28.0f64 / 15.0).sqrt(), 1e-14));
}

#[test]
fn driscoll_kraay_standard_error_by_hand() {
    // Bandwidth 0: S = Σh_t² = 1/4 + 25/36 + 1/9 = 38/36; c = N/(N−G−K) = 9/5;
    //   V = (9/5)(38/36)/576 = 19/5760.
    // Bandwidth 1 (weight 1 − 1/2 = 1/2): Γ₁ = h₂h₁ + h₃h₂ = −5/12 − 5/18 = −25/36;
    //   S = 38/36 + (1/2)·2·(−25/36) = 13/36; V = (9/5)(13/36)/576 = 13/11520.
    let spec = |bandwidth| {
        PanelSpec::new("y", &["x"]).covariance(Covariance::DriscollKraay {
            bandwidth: Some(bandwidth),
        })
    };
    let b0 = fit(&small_panel(), &spec(0)).unwrap();
    assert!(close(b0.covariance_matrix[0][0], 19.0 / 5760.0, 1e-14));
    assert_eq!(b0.covariance.df, 2);
    let b1 = fit(&small_panel(), &spec(1)).unwrap();
    assert!(close(b1.covariance_matrix[0][0], 13.0 / 11520.0, 1e-14));
    assert_eq!(b1.covariance.bandwidth, Some(1));
    assert!(matches!(
        fit(&small_panel(), &spec(3)),
        Err(PanelError::BadBandwidth {
            bandwidth: 3,
            periods: 3
        })
    ));
}

#[test]
fn default_bandwidth_rule() {
    use fairshare_models::panel::default_bandwidth;
    // ⌊4·(T/100)^(2/9)⌋: T = 35 -> ⌊3.17⌋ = 3; T = 100 -> 4; T = 3 -> ⌊1.83⌋ = 1.
    assert_eq!(default_bandwidth(35), 3);
    assert_eq!(default_bandwidth(100), 4);
    assert_eq!(default_bandwidth(3), 1);
}

#[test]
fn noise_free_panel_is_recovered_exactly() {
    let beta = [0.8, -0.5, 1.2];
    let data = generate(30, 20, &beta, None, 0.0, 7);
    let fit = fit(&data.panel(), &PanelSpec::new("y", &["x1", "x2", "x3"])).unwrap();
    for (c, b) in fit.coefficients.iter().zip(beta) {
        assert!(
            (c.estimate - b).abs() < 1e-10,
            "{} = {}",
            c.name,
            c.estimate
        );
    }
    assert!(fit.ssr < 1e-18);
    assert!(close(fit.r2_within, 1.0, 1e-12));
}

#[test]
fn noisy_panel_is_recovered_within_sampling_error() {
    let beta = [0.8, -0.5, 1.2, 0.1];
    for seed in [1, 2, 3] {
        let data = generate(60, 35, &beta, None, 0.5, seed);
        let fit = fit(
            &data.panel(),
            &PanelSpec::new("y", &["x1", "x2", "x3", "x4"]),
        )
        .unwrap();
        for (c, b) in fit.coefficients.iter().zip(beta) {
            let z = (c.estimate - b) / c.std_error;
            assert!(z.abs() < 4.0, "seed {seed}: {} off by {z:.2} SE", c.name);
            assert!(c.ci_low < c.estimate && c.estimate < c.ci_high);
        }
        // σ̂ estimates the noise's standard deviation.
        assert!((fit.sigma - 0.5).abs() < 0.05, "sigma {}", fit.sigma);
        assert_eq!(fit.sample.nobs, 60 * 35);
        assert_eq!(fit.covariance.df, 59);
    }
}

#[test]
fn lagged_dependent_variable_with_long_panels() {
    // T = 150: the Nickell bias −(1+λ)/(T−1) ≈ −0.011 is small next to the sampling error.
    let (beta, lambda) = ([0.5, -0.3], 0.6);
    let data = generate(20, 150, &beta, Some(lambda), 0.2, 11);
    let spec = PanelSpec::new("y", &["x1", "x2"]).lagged_dependent(true);
    let fit = fit(&data.panel(), &spec).unwrap();
    assert_eq!(fit.coefficients[0].name, "L.y");
    assert_eq!(lag_name("y"), "L.y");
    // The first year of each group has no lag.
    assert_eq!(fit.sample.dropped_no_lag, 20);
    assert_eq!(fit.sample.nobs, 20 * 149);
    let nickell = fit.nickell.as_ref().unwrap();
    assert!(close(nickell.periods, 149.0, 1e-15));
    assert!(close(
        nickell.approx_bias,
        -(1.0 + fit.coefficients[0].estimate) / 148.0,
        1e-15
    ));
    let slack = nickell.approx_bias.abs();
    for (c, truth) in fit.coefficients.iter().zip([lambda, beta[0], beta[1]]) {
        assert!(
            (c.estimate - truth).abs() < 4.0 * c.std_error + slack,
            "{} = {} (SE {})",
            c.name,
            c.estimate,
            c.std_error
        );
    }
    // Long-run effects β/(1−λ) with delta-method SEs from the full covariance.
    assert_eq!(fit.long_run.len(), 2);
    let v = &fit.covariance_matrix;
    let l = fit.coefficients[0].estimate;
    for (j, lr) in fit.long_run.iter().enumerate() {
        let b = fit.coefficients[j + 1].estimate;
        assert_eq!(lr.name, fit.coefficients[j + 1].name);
        assert!(close(lr.estimate, b / (1.0 - l), 1e-14));
        let (gl, gb) = (b / (1.0 - l).powi(2), 1.0 / (1.0 - l));
        let var = gl * gl * v[0][0] + 2.0 * gl * gb * v[0][j + 1] + gb * gb * v[j + 1][j + 1];
        assert!(close(lr.std_error, var.sqrt(), 1e-12));
        let truth = beta[j] / (1.0 - lambda);
        assert!((lr.estimate - truth).abs() < 4.0 * lr.std_error + 0.05);
    }
    assert!(fit.notes.iter().any(|n| n.contains("Nickell")));
    assert!(fit.long_run_effect("x1").is_some());
    assert!(fit.coefficient("L.y").is_some());
}

#[test]
fn year_effects_on_an_unbalanced_panel_are_exact() {
    // y = α_i + τ_t + Xβ with rows missing at random: the dummy-variable two-way estimator
    // recovers β exactly, where subtracting group and year means would not.
    let beta = [0.7, -1.1];
    let data = generate(25, 12, &beta, None, 0.0, 5);
    let mut rng = Rng::new(99);
    let tau: Vec<f64> = (0..12).map(|_| rng.normal()).collect();
    let keep: Vec<usize> = (0..data.y.len()).filter(|_| rng.uniform() > 0.3).collect();
    let pick = |v: &Vec<f64>| keep.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let times: Vec<i32> = keep.iter().map(|&i| data.times[i]).collect();
    let y: Vec<f64> = keep
        .iter()
        .map(|&i| data.y[i] + tau[(data.times[i] - 1990) as usize])
        .collect();
    let panel = Panel::new(
        keep.iter().map(|&i| data.groups[i].clone()).collect(),
        times,
    )
    .unwrap()
    .with_variable("y", y)
    .unwrap()
    .with_variable("x1", pick(&data.x[0]))
    .unwrap()
    .with_variable("x2", pick(&data.x[1]))
    .unwrap();
    let spec = PanelSpec::new("y", &["x1", "x2"]).year_effects(true);
    let two_way = fit(&panel, &spec).unwrap();
    for (c, b) in two_way.coefficients.iter().zip(beta) {
        assert!(
            (c.estimate - b).abs() < 1e-10,
            "{} = {}",
            c.name,
            c.estimate
        );
    }
    // Year effects are τ_t − τ_1990 (the base year).
    assert_eq!(two_way.year_effects.len(), 11);
    assert_eq!(two_way.year_effects[0].name, "year=1991");
    for (t, effect) in two_way.year_effects.iter().enumerate() {
        assert!((effect.estimate - (tau[t + 1] - tau[0])).abs() < 1e-9);
    }
    let one_way = fit(&panel, &spec.clone().year_effects(false)).unwrap();
    assert!((one_way.coefficients[0].estimate - beta[0]).abs() > 1e-6);
}

#[test]
fn row_order_does_not_matter() {
    let data = generate(10, 8, &[0.4, 0.9], Some(0.3), 0.3, 3);
    let spec = PanelSpec::new("y", &["x1", "x2"]).lagged_dependent(true);
    let sorted = fit(&data.panel(), &spec).unwrap();
    // Reverse the rows.
    let rev = |v: &Vec<f64>| v.iter().rev().copied().collect::<Vec<f64>>();
    let panel = Panel::new(
        data.groups.iter().rev().cloned().collect(),
        data.times.iter().rev().copied().collect(),
    )
    .unwrap()
    .with_variable("y", rev(&data.y))
    .unwrap()
    .with_variable("x1", rev(&data.x[0]))
    .unwrap()
    .with_variable("x2", rev(&data.x[1]))
    .unwrap();
    let reversed = fit(&panel, &spec).unwrap();
    assert_eq!(sorted, reversed);
}

#[test]
fn missing_values_and_gaps_drop_rows() {
    // Group A: 2000, 2001, 2003 (gap), 2004 with x missing in 2004; group B complete.
    let panel = Panel::new(
        labels(&["A", "A", "A", "A", "B", "B", "B", "B", "B"]),
        vec![2000, 2001, 2003, 2004, 2000, 2001, 2002, 2003, 2004],
    )
    .unwrap()
    .with_variable("y", vec![1.0, 2.0, 2.5, 3.5, 0.5, 1.5, 1.0, 2.5, 3.0])
    .unwrap()
    .with_variable("x", vec![0.1, 0.4, 0.2, f64::NAN, 0.3, 0.2, 0.6, 0.5, 0.7])
    .unwrap();
    let no_lag = fit(&panel, &PanelSpec::new("y", &["x"])).unwrap();
    assert_eq!(no_lag.sample.dropped_missing, 1);
    assert_eq!(no_lag.sample.nobs, 8);
    let lagged = fit(&panel, &PanelSpec::new("y", &["x"]).lagged_dependent(true)).unwrap();
    // Kept: A2001 (lag 2000), B2001 to B2004. Dropped: A2004 for its missing x; A2000,
    // A2003 (no 2002) and B2000 for want of a lag.
    assert_eq!(lagged.sample.dropped_missing, 1);
    assert_eq!(lagged.sample.dropped_no_lag, 3);
    assert_eq!(lagged.sample.nobs, 5);
    assert_eq!(lagged.sample.singleton_groups, 1);
    assert!(lagged.notes.iter().any(|n| n.contains("3 rows dropped")));
}

#[test]
fn lag_only_rows_supply_the_lag_and_nothing_else() {
    // The same panel as above; marking A2000 and B2000 lag-only keeps them out of the
    // sample without counting them as dropped, and A2001 and B2001 keep their lags.
    let rows = || {
        Panel::new(
            labels(&["A", "A", "A", "A", "B", "B", "B", "B", "B"]),
            vec![2000, 2001, 2003, 2004, 2000, 2001, 2002, 2003, 2004],
        )
        .unwrap()
        .with_variable("y", vec![1.0, 2.0, 2.5, 3.5, 0.5, 1.5, 1.0, 2.5, 3.0])
        .unwrap()
        .with_variable(
            "x",
            vec![f64::NAN, 0.4, 0.2, 0.6, f64::NAN, 0.2, 0.6, 0.5, 0.7],
        )
        .unwrap()
    };
    let spec = PanelSpec::new("y", &["x"]).lagged_dependent(true);
    let plain = fit(&rows(), &spec).unwrap();
    let mut marked = rows();
    marked
        .set_lag_only(vec![
            true, false, false, false, true, false, false, false, false,
        ])
        .unwrap();
    assert!(marked.is_lag_only(0) && !marked.is_lag_only(1));
    let lag_only = fit(&marked, &spec).unwrap();
    assert_eq!(lag_only.coefficients, plain.coefficients);
    assert_eq!(
        (
            plain.sample.dropped_missing,
            lag_only.sample.dropped_missing
        ),
        (2, 0)
    );
    // A2003 still has no lag (no 2002 row).
    assert_eq!(
        (plain.sample.dropped_no_lag, lag_only.sample.dropped_no_lag),
        (1, 1)
    );
    assert_eq!(lag_only.sample.nobs, 6);
    assert!(matches!(
        marked.set_lag_only(vec![true]),
        Err(PanelError::LengthMismatch { .. })
    ));
}

#[test]
fn perfect_collinearity_names_the_variables() {
    let data = generate(8, 6, &[1.0, 1.0, 1.0], None, 0.1, 4);
    let x4: Vec<f64> = data.x[0]
        .iter()
        .zip(&data.x[1])
        .map(|(a, b)| a - 2.0 * b)
        .collect();
    let panel = data.panel().with_variable("x4", x4).unwrap();
    let err = fit(
        &panel,
        &PanelSpec::new("y", &["x1", "x2", "x3", "x4"]).group_label("country"),
    )
    .unwrap_err();
    assert_eq!(
        err,
        PanelError::Collinear {
            variables: labels(&["x1", "x2", "x4"]),
            year_effects: false,
            group_label: "country".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "perfect collinearity among x1, x2, x4 (after removing country means): one of them \
         is a linear combination of the others; drop one"
    );
}

#[test]
fn a_variable_common_to_all_groups_is_absorbed_by_year_effects() {
    // A threat series that is the same for every country in a year (a function of the year
    // only) is fine without year effects and collinear with them.
    let data = generate(6, 10, &[1.0], None, 0.1, 12);
    let threat: Vec<f64> = data
        .times
        .iter()
        .map(|&t| ((t - 1985) as f64).ln())
        .collect();
    let panel = data.panel().with_variable("ln_threat", threat).unwrap();
    let spec = PanelSpec::new("y", &["x1", "ln_threat"]).group_label("country");
    assert!(fit(&panel, &spec).is_ok());
    let err = fit(&panel, &spec.year_effects(true)).unwrap_err();
    assert_eq!(
        err,
        PanelError::Collinear {
            variables: labels(&["ln_threat"]),
            year_effects: true,
            group_label: "country".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "perfect collinearity among ln_threat and the year effects (after removing country \
         means): a variable that is the same for every country in a year is absorbed by year \
         effects; drop it or turn year effects off"
    );
}

#[test]
fn a_variable_constant_within_groups_is_absorbed() {
    let data = generate(5, 4, &[1.0], None, 0.1, 8);
    let area: Vec<f64> = data
        .groups
        .iter()
        .map(|g| g.len() as f64 * 3.0 + 1.0)
        .collect();
    let panel = data.panel().with_variable("area", area).unwrap();
    let err = fit(
        &panel,
        &PanelSpec::new("y", &["x1", "area"]).group_label("country"),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "area does not vary within any country: its effect is absorbed by the country fixed \
         effects; drop it from the regressors"
    );
}

#[test]
fn too_few_observations() {
    // N = 4, G = 2, K = 2: N − G − K = 0.
    let panel = Panel::new(labels(&["A", "A", "B", "B"]), vec![1, 2, 1, 2])
        .unwrap()
        .with_variable("y", vec![1.0, 2.0, 3.0, 5.0])
        .unwrap()
        .with_variable("x1", vec![1.0, 3.0, 2.0, 2.5])
        .unwrap()
        .with_variable("x2", vec![0.0, 1.0, 4.0, 2.0])
        .unwrap();
    let err = fit(&panel, &PanelSpec::new("y", &["x1", "x2"])).unwrap_err();
    assert!(matches!(
        err,
        PanelError::TooFewObservations {
            nobs: 4,
            groups: 2,
            params: 2,
            ..
        }
    ));
    assert!(
        err.to_string()
            .starts_with("too few observations: 4 rows on 2 groups")
    );
    // One cluster cannot give cluster-robust errors.
    let one = Panel::new(labels(&["A", "A", "A"]), vec![1, 2, 3])
        .unwrap()
        .with_variable("y", vec![1.0, 2.0, 4.0])
        .unwrap()
        .with_variable("x", vec![1.0, 3.0, 2.0])
        .unwrap();
    assert!(matches!(
        fit(&one, &PanelSpec::new("y", &["x"])),
        Err(PanelError::TooFewClusters { groups: 1, .. })
    ));
    assert!(
        fit(
            &one,
            &PanelSpec::new("y", &["x"]).covariance(Covariance::Conventional)
        )
        .is_ok()
    );
}

#[test]
fn specification_errors() {
    let panel = small_panel();
    let err = fit(&panel, &PanelSpec::new("y", &["x", "ln_threat"])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown variable 'ln_threat': the panel has x, y"
    );
    assert_eq!(
        fit(&panel, &PanelSpec::new("ln_milex", &["x"])).unwrap_err(),
        PanelError::UnknownVariable {
            name: "ln_milex".into(),
            available: labels(&["x", "y"])
        }
    );
    assert_eq!(
        fit(&panel, &PanelSpec::new("y", &["y"])).unwrap_err(),
        PanelError::DependentAsRegressor("y".into())
    );
    assert_eq!(
        fit(&panel, &PanelSpec::new("y", &["x", "x"])).unwrap_err(),
        PanelError::DuplicateVariable("x".into())
    );
    assert_eq!(
        fit(&panel, &PanelSpec::new("y", &[])).unwrap_err(),
        PanelError::NoRegressors
    );
    let dup = Panel::new(labels(&["A", "A"]), vec![1, 1])
        .unwrap()
        .with_variable("y", vec![1.0, 2.0])
        .unwrap();
    assert_eq!(
        fit(&dup, &PanelSpec::new("y", &[]).lagged_dependent(true))
            .unwrap_err()
            .to_string(),
        "A has two rows for 1: a panel has one row per group and year"
    );
    let inf = Panel::new(labels(&["A", "A", "B", "B"]), vec![1, 2, 1, 2])
        .unwrap()
        .with_variable("y", vec![1.0, f64::NEG_INFINITY, 3.0, 5.0])
        .unwrap()
        .with_variable("x", vec![1.0, 3.0, 2.0, 2.5])
        .unwrap();
    assert_eq!(
        fit(&inf, &PanelSpec::new("y", &["x"]))
            .unwrap_err()
            .to_string(),
        "y for A in 2 is -inf: use NaN for a missing value (an infinite value usually comes \
         from the log of zero)"
    );
    assert!(matches!(
        Panel::new(labels(&["A"]), vec![1, 2]),
        Err(PanelError::LengthMismatch { .. })
    ));
    assert_eq!(
        small_panel()
            .with_variable("z", vec![1.0])
            .unwrap_err()
            .to_string(),
        "variable 'z' has 1 values but the panel has 9 rows"
    );
}

#[test]
fn result_serializes_with_its_conventions() {
    let fit = fit(
        &small_panel(),
        &PanelSpec::new("y", &["x"]).group_label("country"),
    )
    .unwrap();
    let json = serde_json::to_value(&fit).unwrap();
    assert_eq!(json["covariance"]["kind"]["kind"], "clustered_by_group");
    assert_eq!(json["coefficients"][0]["name"], "x");
    assert_eq!(json["sample"]["groups"], 3);
    assert!(
        fit.specification
            .starts_with("y on x, with country fixed effects, no year effects (within estimator)"),
        "{}",
        fit.specification
    );
    assert!(fit.covariance.description.contains("not counted"));
}
