//! The response rule: the path and long-run response worked by hand, the rule built
//! from a fit, and coefficient draws that are seeded and have the fit's mean and
//! covariance.

mod support;

use fairshare_models::panel::{Panel, PanelSpec, fit};
use fairshare_models::response::{
    Elasticities, ResponseError, ResponseRule, Shock, spill_in_shock,
};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

#[test]
fn the_path_follows_the_dynamic_equation() {
    let e = Elasticities {
        lambda: 0.5,
        income: 0.4,
        spill_in: -0.2,
        threat: 0.1,
    };
    let ln2 = 2f64.ln();
    // Half the spill-in goes, for good, from year 0: d = 0.2 ln2, 0.3 ln2, 0.35 ln2, ...
    let shock = Shock {
        ln_spill: spill_in_shock(200.0, 100.0).unwrap(),
        ..Shock::default()
    };
    let path = e.respond(&[shock; 3]);
    for (got, d) in path.iter().zip([0.2, 0.3, 0.35]) {
        assert!((got - (d * ln2).exp()).abs() < 1e-12, "{got}");
    }
    assert!((e.long_run(&shock).unwrap() - (0.4 * ln2).exp()).abs() < 1e-12);
    // A one-year income shock decays at rate λ.
    let once = [
        Shock {
            ln_gdp: 0.1,
            ..Shock::default()
        },
        Shock::default(),
        Shock::default(),
    ];
    let path = e.respond(&once);
    for (got, d) in path.iter().zip([0.04, 0.02, 0.01]) {
        assert!((got - f64::exp(d)).abs() < 1e-12);
    }
    let explosive = Elasticities { lambda: 1.0, ..e };
    assert_eq!(explosive.long_run(&shock), None);
    assert_eq!(
        spill_in_shock(100.0, 100.0),
        Err(ResponseError::BadSpill {
            spill: 100.0,
            withdrawn: 100.0
        })
    );
    assert!(spill_in_shock(0.0, 0.0).is_err());
    assert!(spill_in_shock(100.0, -1.0).is_err());
}

fn rule() -> ResponseRule {
    let v = [
        [0.0004, 0.0001, -0.0002, 0.0],
        [0.0001, 0.0010, 0.0003, 0.0],
        [-0.0002, 0.0003, 0.0028, 0.0],
        [0.0, 0.0, 0.0, 0.0],
    ];
    ResponseRule::new(
        [0.9, 0.12, -0.1, 0.0],
        v,
        [true, true, true, false],
        "test".into(),
    )
    .unwrap()
}

#[test]
fn draws_are_seeded_and_have_the_fits_mean_and_covariance() {
    let r = rule();
    let draws = |seed| {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..20_000).map(|_| r.draw(&mut rng)).collect::<Vec<_>>()
    };
    let a = draws(7);
    assert_eq!(a, draws(7));
    assert_ne!(a[0], draws(8)[0]);
    let theta: Vec<[f64; 4]> = a
        .iter()
        .map(|e| [e.lambda, e.income, e.spill_in, e.threat])
        .collect();
    let n = theta.len() as f64;
    let mean: Vec<f64> = (0..4)
        .map(|k| theta.iter().map(|t| t[k]).sum::<f64>() / n)
        .collect();
    for (k, m) in mean.iter().enumerate().take(3) {
        let se = (r.covariance[k][k] / n).sqrt();
        assert!((m - r.estimate[k]).abs() < 4.0 * se, "mean {k}: {m}");
    }
    // A term the fit did not estimate stays at zero in every draw.
    assert!(theta.iter().all(|t| t[3] == 0.0));
    for a in 0..3 {
        for b in 0..3 {
            let cov = theta
                .iter()
                .map(|t| (t[a] - mean[a]) * (t[b] - mean[b]))
                .sum::<f64>()
                / (n - 1.0);
            let scale = (r.covariance[a][a] * r.covariance[b][b]).sqrt();
            assert!(
                (cov - r.covariance[a][b]).abs() < 0.05 * scale,
                "cov {a}{b}: {cov}"
            );
        }
    }
    assert_eq!(r.central().lambda, 0.9);
}

#[test]
fn a_bad_covariance_is_refused() {
    let mut v = [[0.0; 4]; 4];
    v[0][1] = 1.0;
    assert_eq!(
        ResponseRule::new([0.0; 4], v, [true; 4], String::new()),
        Err(ResponseError::BadCovariance)
    );
}

#[test]
fn a_rule_from_a_fitted_demand_model() {
    // A noise-free-ish synthetic panel with the demand model's variable names.
    let data = support::generate(30, 40, &[0.3, -0.2, 0.1], Some(0.6), 0.05, 11);
    let mut panel = Panel::new(data.groups.clone(), data.times.clone()).unwrap();
    panel.add_variable("ln_milex", data.y.clone()).unwrap();
    for (name, column) in ["ln_gdp", "ln_spill", "ln_threat"].iter().zip(&data.x) {
        panel.add_variable(*name, column.clone()).unwrap();
    }
    let spec =
        PanelSpec::new("ln_milex", &["ln_gdp", "ln_spill", "ln_threat"]).lagged_dependent(true);
    let fitted = fit(&panel, &spec).unwrap();
    let r = ResponseRule::from_fit(&fitted).unwrap();
    let c = r.central();
    assert_eq!(c.lambda, fitted.coefficient("L.ln_milex").unwrap().estimate);
    assert_eq!(c.spill_in, fitted.coefficient("ln_spill").unwrap().estimate);
    assert!((c.lambda - 0.6).abs() < 0.02 && (c.spill_in + 0.2).abs() < 0.02);
    assert_eq!(r.covariance[2][2], fitted.covariance_matrix[2][2]);
    assert_eq!(r.estimated, [true; 4]);

    // Without the threat term, it is zero and not drawn.
    let spec = PanelSpec::new("ln_milex", &["ln_gdp", "ln_spill"]).lagged_dependent(true);
    let r = ResponseRule::from_fit(&fit(&panel, &spec).unwrap()).unwrap();
    assert_eq!(r.estimated, [true, true, true, false]);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    assert_eq!(r.draw(&mut rng).threat, 0.0);

    let spec = PanelSpec::new("ln_milex", &[]).lagged_dependent(true);
    assert_eq!(
        ResponseRule::from_fit(&fit(&panel, &spec).unwrap()),
        Err(ResponseError::NoTerms)
    );
}
