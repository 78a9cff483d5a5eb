//! The public-good Nash equilibrium: fixtures where theory gives the numbers exactly.

use fairshare_models::nash::{
    Change, NashError, Role, calibrate, solve, solve_with_exogenous, what_if,
};

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn fixture_from_the_issue_is_exact() {
    // a = 0.5, k = (1−a)/a = 1. Thresholds r_i = I_i: 100, 80, 20. With {100}: Q = 100/2 = 50
    // < 80, add 80: Q = 180/3 = 60 ≥ 20, stop. q = I − Q: 40, 20; the third contributes 0.
    let eq = solve(&[100.0, 80.0, 20.0], &[0.5; 3], 1.0).unwrap();
    assert_eq!(eq.total, 60.0);
    assert_eq!(eq.contributions, vec![40.0, 20.0, 0.0]);
    assert_eq!(eq.contributors, vec![true, true, false]);
    assert_eq!(eq.exogenous, 0.0);
}

#[test]
fn results_follow_input_order() {
    let eq = solve(&[20.0, 100.0, 80.0], &[0.5; 3], 1.0).unwrap();
    assert_eq!(eq.total, 60.0);
    assert_eq!(eq.contributions, vec![0.0, 40.0, 20.0]);
    assert_eq!(eq.contributors, vec![false, true, true]);

    let eq = solve(&[80.0, 20.0, 100.0], &[0.5; 3], 1.0).unwrap();
    assert_eq!(eq.contributions, vec![20.0, 0.0, 40.0]);
    assert_eq!(eq.contributors, vec![true, false, true]);
}

#[test]
fn serializes_like_the_issue_json() {
    let eq = solve(&[100.0, 80.0, 20.0], &[0.5; 3], 1.0).unwrap();
    let json = serde_json::to_value(&eq).unwrap();
    assert_eq!(json["total"], 60.0);
    assert_eq!(json["contributions"], serde_json::json!([40.0, 20.0, 0.0]));
    assert_eq!(json["contributors"], serde_json::json!([true, true, false]));
}

#[test]
fn everyone_contributes_when_incomes_are_close() {
    // a = 0.5: Q = ΣI/(1+n) = 270/4 = 67.5 is below every income.
    let eq = solve(&[100.0, 90.0, 80.0], &[0.5; 3], 1.0).unwrap();
    assert_eq!(eq.total, 67.5);
    assert_eq!(eq.contributions, vec![32.5, 22.5, 12.5]);
    assert_eq!(eq.contributors, vec![true; 3]);
    // Each contributor's best response holds: p·Q = a·(I_i + p·Q_−i).
    for (i, income) in [100.0, 90.0, 80.0].into_iter().enumerate() {
        let others = eq.total - eq.contributions[i];
        assert!(close(eq.total, 0.5 * (income + others), 1e-12));
    }
}

#[test]
fn a_single_ally_spends_its_share() {
    // Alone, Q = a·I/p.
    let eq = solve(&[200.0], &[0.25], 2.0).unwrap();
    assert_eq!(eq.total, 25.0);
    assert_eq!(eq.contributions, vec![25.0]);
    assert_eq!(eq.contributors, vec![true]);
}

#[test]
fn one_rich_ally_carries_everyone() {
    // The largest ally's threshold r = I·a/(1−a) = 1000; alone it buys Q = 500, above every
    // other threshold (at most 60): a corner solution for the four small allies.
    let eq = solve(&[1000.0, 60.0, 50.0, 10.0, 0.0], &[0.5; 5], 1.0).unwrap();
    assert_eq!(eq.total, 500.0);
    assert_eq!(eq.contributions, vec![500.0, 0.0, 0.0, 0.0, 0.0]);
    assert_eq!(eq.contributors, vec![true, false, false, false, false]);
}

#[test]
fn heterogeneous_weights_and_a_price() {
    // a = (0.6, 0.3, 0.5), p = 2: k = (2/3, 7/3, 1), thresholds r = I/(k·p) = (75, 30, 20).
    // {1}: Q = 100/(2·(1+2/3)) = 30, not below r_2 = 30 -> ally 2 is exactly indifferent and
    // does not contribute. Q* = 30, q_1 = (100 − (2/3)·2·30)/2 = 30.
    let eq = solve(&[100.0, 140.0, 40.0], &[0.6, 0.3, 0.5], 2.0).unwrap();
    assert!(close(eq.total, 30.0, 1e-12));
    assert!(close(eq.contributions[0], 30.0, 1e-12));
    assert_eq!(&eq.contributions[1..], &[0.0, 0.0]);
    assert_eq!(eq.contributors, vec![true, false, false]);

    // With a = 0.4 for ally 2 (k = 1.5, r = 140/3 ≈ 46.7 > 30) it joins:
    // Q = (100 + 140)/(2·(1 + 2/3 + 3/2)) = 240/(19/3) = 720/19.
    let eq = solve(&[100.0, 140.0, 40.0], &[0.6, 0.4, 0.5], 2.0).unwrap();
    assert!(close(eq.total, 720.0 / 19.0, 1e-12));
    assert!(close(
        eq.contributions[0],
        (100.0 - 2.0 / 3.0 * 2.0 * 720.0 / 19.0) / 2.0,
        1e-12
    ));
    assert!(close(
        eq.contributions[1],
        (140.0 - 1.5 * 2.0 * 720.0 / 19.0) / 2.0,
        1e-12
    ));
    assert_eq!(eq.contributors, vec![true, true, false]);
    for (i, (&income, &a)) in [100.0, 140.0, 40.0]
        .iter()
        .zip(&[0.6, 0.4, 0.5])
        .enumerate()
    {
        let others = eq.total - eq.contributions[i];
        let best = (a * (income + 2.0 * others) / 2.0).max(others);
        assert!(
            close(eq.total, best, 1e-12),
            "ally {i} is not best-responding"
        );
    }
}

#[test]
fn exogenous_provision_crowds_out() {
    // Q₀ = 30 with the fixture's allies: {100}: Q = (100 + 30)/2 = 65 < 80;
    // {100, 80}: Q = (180 + 30)/3 = 70. Contributions 30 and 10: the allies' own provision
    // falls from 60 to 40 while the total rises from 60 to 70 (partial crowding out).
    let eq = solve_with_exogenous(&[100.0, 80.0, 20.0], &[0.5; 3], 1.0, 30.0).unwrap();
    assert_eq!(eq.total, 70.0);
    assert_eq!(eq.contributions, vec![30.0, 10.0, 0.0]);
    // Enough from outside and nobody contributes.
    let eq = solve_with_exogenous(&[100.0, 80.0, 20.0], &[0.5; 3], 1.0, 150.0).unwrap();
    assert_eq!(eq.total, 150.0);
    assert_eq!(eq.contributors, vec![false; 3]);
}

#[test]
fn redistribution_among_contributors_is_neutral() {
    // Warr (1983) / BBV: moving income between contributors leaves Q unchanged.
    let a = [0.35, 0.5, 0.45, 0.2];
    let before = solve(&[500.0, 300.0, 200.0, 10.0], &a, 1.0).unwrap();
    let after = solve(&[470.0, 330.0, 200.0, 10.0], &a, 1.0).unwrap();
    assert_eq!(before.contributors, vec![true, true, false, false]);
    assert_eq!(before.contributors, after.contributors);
    assert!(close(before.total, after.total, 1e-12));
}

#[test]
fn calibration_round_trip() {
    // Calibrate on an equilibrium and get the weights back.
    let incomes = [100.0, 140.0, 40.0, 300.0];
    let weights = [0.6, 0.45, 0.5, 0.3];
    let eq = solve(&incomes, &weights, 1.0).unwrap();
    assert_eq!(eq.contributors, vec![true, true, false, true]);
    let cal = calibrate(&incomes, &eq.contributions).unwrap();
    for i in [0, 1, 3] {
        assert!(close(cal.weights[i], weights[i], 1e-12), "ally {i}");
    }
    assert_eq!(cal.zero_spenders, vec![false, false, true, false]);
    // The zero spender gets the largest weight at which it still spends nothing: M/(I+M).
    let m = eq.total;
    assert!(close(cal.weights[2], m / (40.0 + m), 1e-12));
    assert!(cal.weights[2] >= weights[2]);
    // And the calibrated game reproduces the observed spending, zero included.
    let again = solve(&incomes, &cal.weights, 1.0).unwrap();
    assert_eq!(again.contributors, eq.contributors);
    for i in 0..4 {
        assert!(close(again.contributions[i], eq.contributions[i], 1e-9));
    }
}

#[test]
fn calibration_on_the_fixture() {
    // a_i = M/(I_i + M − m_i): 60/(100 + 60 − 40) = 0.5, 60/(80 + 60 − 20) = 0.5.
    let cal = calibrate(&[100.0, 80.0, 20.0], &[40.0, 20.0, 0.0]).unwrap();
    assert_eq!(cal.weights[..2], [0.5, 0.5]);
    assert_eq!(cal.weights[2], 0.75);
    assert_eq!(cal.total_spending, 60.0);
}

#[test]
fn removing_a_contributor_lowers_the_total_and_raises_the_others() {
    let incomes = [100.0, 80.0, 20.0];
    let w = what_if(&incomes, &[0.5; 3], 1.0, Change::Remove { member: 0 }).unwrap();
    // Without ally 1: {80}: Q = 40 ≥ 20 -> Q = 40, q = (40, 0).
    assert_eq!(w.baseline.total, 60.0);
    assert_eq!(w.scenario.total, 40.0);
    assert_eq!(w.scenario.contributions, vec![0.0, 40.0, 0.0]);
    assert_eq!(w.scenario.contributors, vec![false, true, false]);
    assert_eq!(
        w.roles,
        vec![Role::Removed, Role::Strategic, Role::Strategic]
    );
}

#[test]
fn shrinking_the_largest_member_is_monotone() {
    let incomes = [1000.0, 300.0, 250.0, 120.0, 40.0];
    let weights = [0.3, 0.25, 0.2, 0.2, 0.15];
    let mut last_total = f64::INFINITY;
    let mut last_others = [0.0; 4];
    for factor in [1.0, 0.8, 0.6, 0.4, 0.2, 0.0] {
        let w = what_if(
            &incomes,
            &weights,
            1.0,
            Change::ScaleContribution { member: 0, factor },
        )
        .unwrap();
        assert!(w.scenario.total <= last_total + 1e-9);
        for (i, &q) in w.scenario.contributions[1..].iter().enumerate() {
            assert!(
                q >= last_others[i] - 1e-9,
                "factor {factor}, ally {}",
                i + 2
            );
            last_others[i] = q;
        }
        last_total = w.scenario.total;
        assert_eq!(w.roles[0], Role::Fixed);
        assert!(close(
            w.scenario.contributions[0],
            factor * w.baseline.contributions[0],
            1e-12
        ));
    }
    // Same direction for a smaller income.
    let base = solve(&incomes, &weights, 1.0).unwrap();
    let w = what_if(
        &incomes,
        &weights,
        1.0,
        Change::ScaleIncome {
            member: 0,
            factor: 0.5,
        },
    )
    .unwrap();
    assert!(w.scenario.total < base.total);
    assert!(w.scenario.contributions[1] >= base.contributions[1]);
    assert_eq!(w.scenario_incomes[0], 500.0);
}

#[test]
fn fixing_at_the_equilibrium_changes_nothing() {
    let incomes = [100.0, 80.0, 20.0];
    let w = what_if(
        &incomes,
        &[0.5; 3],
        1.0,
        Change::FixContribution {
            member: 0,
            amount: 40.0,
        },
    )
    .unwrap();
    assert_eq!(w.scenario.total, 60.0);
    assert_eq!(w.scenario.contributions, vec![40.0, 20.0, 0.0]);
    assert_eq!(w.scenario.exogenous, 40.0);
}

#[test]
fn removing_the_only_member_leaves_nothing() {
    let w = what_if(&[100.0], &[0.5], 1.0, Change::Remove { member: 0 }).unwrap();
    assert_eq!(w.scenario.total, 0.0);
    assert_eq!(w.scenario.contributions, vec![0.0]);
}

#[test]
fn bad_input_gives_typed_errors_with_clear_messages() {
    assert_eq!(solve(&[], &[], 1.0), Err(NashError::Empty));
    let err = solve(&[100.0, -1.0], &[0.5, 0.5], 1.0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "income of ally 2 is -1: incomes must be finite and not negative"
    );
    assert!(matches!(
        solve(&[f64::NAN], &[0.5], 1.0),
        Err(NashError::BadIncome { index: 0, .. })
    ));
    for a in [0.0, 1.0, -0.2, 1.5, f64::NAN] {
        assert!(matches!(
            solve(&[100.0], &[a], 1.0),
            Err(NashError::BadWeight { index: 0, .. })
        ));
    }
    let err = solve(&[100.0], &[1.0], 1.0).unwrap_err();
    assert!(
        err.to_string().contains("strictly between 0 and 1"),
        "{err}"
    );
    assert_eq!(solve(&[100.0], &[0.5], 0.0), Err(NashError::BadPrice(0.0)));
    assert_eq!(
        solve(&[100.0, 50.0], &[0.5], 1.0).unwrap_err().to_string(),
        "weights has 1 values but there are 2 incomes: give one per ally"
    );
    assert_eq!(
        calibrate(&[100.0, 50.0], &[0.0, 0.0]),
        Err(NashError::NoSpending)
    );
    assert!(matches!(
        calibrate(&[100.0, 50.0], &[10.0, 50.0]),
        Err(NashError::SpendingNotBelowIncome { index: 1, .. })
    ));
    assert!(matches!(
        calibrate(&[100.0, 0.0], &[10.0, 0.0]),
        Err(NashError::IncomeNotPositive { index: 1, .. })
    ));
    assert!(matches!(
        calibrate(&[100.0], &[-1.0]),
        Err(NashError::BadSpending { index: 0, .. })
    ));
    assert_eq!(
        what_if(&[100.0], &[0.5], 1.0, Change::Remove { member: 3 })
            .unwrap_err()
            .to_string(),
        "there is no ally 4: the alliance has 1"
    );
    assert_eq!(
        what_if(
            &[100.0],
            &[0.5],
            1.0,
            Change::ScaleIncome {
                member: 0,
                factor: -1.0
            }
        ),
        Err(NashError::BadFactor(-1.0))
    );
}
