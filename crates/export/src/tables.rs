//! The tables of an export: the observations and the registries that give them
//! meaning. One function per table; [`all`] lists them in the order every format
//! writes them. To export a new registry (alliances, memberships, targets, events),
//! write its function here and add it to [`all`]: CSV + Data Package, Parquet
//! metadata, SQLite and the xlsx metadata sheets pick it up from the [`Table`].

use std::collections::BTreeSet;

use fairshare_dataset::{Flag, Measure, Unit, YearBasis};

use crate::table::Values;

use crate::selection::Selection;
use crate::table::{Column, Field, ForeignKey, Table};

/// Every table of an export, observations first.
pub fn all<'a>(sel: &Selection<'a>) -> Vec<Table<'a>> {
    vec![
        observations(sel),
        sources(sel),
        definitions(sel),
        countries(sel),
        notes(sel),
        alliances(sel),
        memberships(sel),
        targets(sel),
        plans(sel),
        earlier_figures(sel),
        polls(sel),
        events(sel),
        measures(),
        units(),
        flags(),
    ]
}

/// Units whose amounts are in a country's own currency: the export names it.
pub const CURRENCY_UNITS: [Unit; 3] = [Unit::Lcu, Unit::LcuConstant, Unit::LcuPerUsd];

/// Every year basis id (`calendar`, `fy_feb` ... `fy_dec`, `transitional`, `irregular`).
pub fn year_bases() -> Vec<String> {
    let mut out = vec![YearBasis::Calendar.to_string()];
    out.extend(
        (2..=12)
            .filter_map(YearBasis::starting_in)
            .map(|b| b.to_string()),
    );
    out.push(YearBasis::Transitional.to_string());
    out.push(YearBasis::Irregular.to_string());
    out
}

/// The observations, long format: the base fields of the CLI's JSON, plus the
/// country's name, the currency of local-currency amounts, note keys and `preferred`.
pub fn observations<'a>(sel: &Selection<'a>) -> Table<'a> {
    let obs = &sel.observations;
    let currency = |o: &fairshare_dataset::Obs<'a>| -> &'a str {
        if CURRENCY_UNITS.contains(&o.unit()) {
            o.country().currency.as_str()
        } else {
            ""
        }
    };
    Table {
        name: "observations",
        title: "Observations",
        description: "One published number per row, with what it measures, its unit, the \
            definition (what is counted), the source and release (vintage) it comes from, and \
            the publisher's qualifiers (flags). Money is in full units (not millions), shares of \
            GDP in percent; a missing value means the publisher has no figure, and the flags say why."
            .to_string(),
        columns: vec![
            Column::text(
                Field::new("country", "ISO 3166 alpha-3 code, or an aggregate code such as WLD (see countries)").required(),
                obs.iter().map(|o| o.country_code()),
            ),
            Column::text(
                Field::new("country_name", "The country's or aggregate's English name (from countries)").required().derived(),
                obs.iter().map(|o| o.country().name.as_str()),
            ),
            Column::text(
                Field::new("measure", "What is measured, e.g. milex_gdp (see measures)").required(),
                obs.iter().map(|o| o.measure().as_str()),
            ),
            Column::integer(
                Field::new("year", "The year; a fiscal year is named by the calendar year it starts in (Japan's FY2024 runs April 2024 - March 2025)").required(),
                obs.iter().map(|o| i64::from(o.year())),
            ),
            Column::text(
                Field::new("year_basis", "Which twelve months the year means: calendar, fy_<month> for a fiscal year starting in that month (fy_apr: April-March), transitional, irregular")
                    .required()
                    .allowed(year_bases()),
                obs.iter().map(|o| o.year_basis().to_string()),
            ),
            Column::number(
                Field::new("value", "The number, in the row's unit, at full precision; empty where the publisher has no figure (see flags)"),
                obs.iter().map(|o| o.value()),
            ),
            Column::text(
                Field::new("unit", "The unit of value, e.g. pct_gdp (percent of GDP), usd_current, lcu (see units)")
                    .required()
                    .allowed(Unit::ALL.iter().map(|u| u.as_str())),
                obs.iter().map(|o| o.unit().as_str()),
            ),
            Column::text(
                Field::new("currency", "ISO 4217 code of the local currency, for units lcu, lcu_constant and lcu_per_usd (from countries)").derived(),
                obs.iter().map(currency),
            ),
            Column::text(
                Field::new("definition", "What is counted: sipri, nato, wb (World Bank macro), imf_weo, national:<id> (see definitions)").required(),
                obs.iter().map(|o| o.definition()),
            ),
            Column::text(
                Field::new("source", "Id of the publisher's release the value was read from (see sources)").required(),
                obs.iter().map(|o| o.source_id()),
            ),
            Column::text(
                Field::new("vintage", "The release, e.g. 'SIPRI 2025' (the source's vintage, from sources)").required().derived(),
                obs.iter().map(|o| o.vintage()),
            ),
            Column::text(
                Field::new("flags", format!(
                    "Qualifiers, separated by ';': {} (see flags)",
                    Flag::valid_list()
                )),
                obs.iter().map(|o| o.flags().to_string()),
            ),
            Column::text(
                Field::new("notes", "Keys of the publisher's footnotes for this value, separated by ';' (see notes, with the same source)"),
                obs.iter().map(|o| o.note_keys().collect::<Vec<_>>().join(";")),
            ),
            Column::boolean(
                Field::new("preferred", "true for the value `fairshare show` prints: where several sources publish the same country, measure, definition, year basis and year (SIPRI's workbook and the World Bank's republication of it), the best-ranked source").required(),
                sel.preferred.iter().copied(),
            ),
        ],
        primary_key: vec!["country", "measure", "definition", "source", "year_basis", "year"],
        foreign_keys: vec![
            ForeignKey::new("country", "countries", "code"),
            ForeignKey::new("measure", "measures", "id"),
            ForeignKey::new("unit", "units", "id"),
            ForeignKey::new("definition", "definitions", "id"),
            ForeignKey::new("source", "sources", "id"),
        ],
        indexes: vec![vec!["measure", "year"], vec!["source"]],
    }
}

/// The sources the exported rows cite: publisher, release, licence, citation.
pub fn sources<'a>(sel: &Selection<'a>) -> Table<'a> {
    let s = sel.cited_sources();
    Table {
        name: "sources",
        title: "Sources",
        description: "Each publisher's release the exported rows were read or compiled from, \
            with its licence and how to cite it."
            .to_string(),
        columns: vec![
            Column::text(
                Field::new("id", "Source id, e.g. sipri-milex-2025").required(),
                s.iter().copied().map(|s| s.id.as_str()),
            ),
            Column::text(
                Field::new("publisher", "Who published it").required(),
                s.iter().copied().map(|s| s.publisher.as_str()),
            ),
            Column::text(
                Field::new("title", "The publication or database").required(),
                s.iter().copied().map(|s| s.title.as_str()),
            ),
            Column::text(
                Field::new("file", "The publisher's file the values were read from").required(),
                s.iter().copied().map(|s| s.file.as_str()),
            ),
            Column::text(
                Field::new("vintage", "The release, as observations cite it").required(),
                s.iter().copied().map(|s| s.vintage.as_str()),
            ),
            Column::text(
                Field::new("released", "Release date as the publisher states it"),
                s.iter().copied().map(|s| s.released.as_str()),
            ),
            Column::text(
                Field::new("url", "Where the publisher offers it"),
                s.iter().copied().map(|s| s.url.as_str()),
            ),
            Column::text(
                Field::new("licence", "Terms of use").required(),
                s.iter().copied().map(|s| s.licence.as_str()),
            ),
            Column::text(
                Field::new("citation", "How to cite it").required(),
                s.iter().copied().map(|s| s.citation.as_str()),
            ),
            Column::integer(
                Field::new(
                    "rank",
                    "Where several sources publish the same cell, the lowest rank is preferred",
                )
                .required(),
                s.iter().copied().map(|s| i64::from(s.rank)),
            ),
            Column::text(
                Field::new(
                    "note",
                    "How fairshare read the file: conversions, flags, what was left out",
                ),
                s.iter().copied().map(|s| s.note.as_str()),
            ),
        ],
        primary_key: vec!["id"],
        foreign_keys: vec![],
        indexes: vec![],
    }
}

/// The definitions: what each one counts.
pub fn definitions<'a>(sel: &Selection<'a>) -> Table<'a> {
    let d = sel.dataset.definitions();
    Table {
        name: "definitions",
        title: "Definitions",
        description: "What each definition counts. Definitions say what is counted; sources say \
            who published it (SIPRI's series republished by the World Bank is definition sipri)."
            .to_string(),
        columns: vec![
            Column::text(
                Field::new("id", "Definition id, e.g. sipri").required(),
                d.iter().map(|d| d.id.as_str()),
            ),
            Column::text(
                Field::new("name", "Short name").required(),
                d.iter().map(|d| d.name.as_str()),
            ),
            Column::text(
                Field::new(
                    "description",
                    "What is counted, from the publisher's method notes",
                )
                .required(),
                d.iter().map(|d| d.description.as_str()),
            ),
        ],
        primary_key: vec!["id"],
        foreign_keys: vec![],
        indexes: vec![],
    }
}

/// Countries and aggregates: codes, names, currencies, each publisher's spelling.
pub fn countries<'a>(sel: &Selection<'a>) -> Table<'a> {
    let c = sel.dataset.countries().all();
    Table {
        name: "countries",
        title: "Countries and aggregates",
        description: "Every code the observations use: present-day countries (ISO 3166 alpha-3), \
            historical states (ISO 3166-3), publishers' aggregates and regions, with each \
            publisher's name for them."
            .to_string(),
        columns: vec![
            Column::text(
                Field::new("code", "ISO3 code, ISO 3166-3 code, or aggregate code").required(),
                c.iter().map(|c| c.code.as_str()),
            ),
            Column::text(
                Field::new("name", "English name").required(),
                c.iter().map(|c| c.name.as_str()),
            ),
            Column::text(
                Field::new(
                    "kind",
                    "country, historical (a state that no longer exists), aggregate, organization",
                )
                .required()
                .allowed(["country", "historical", "aggregate", "organization"]),
                c.iter().map(|c| c.kind.as_str()),
            ),
            Column::text(
                Field::new("currency", "ISO 4217 code of the local currency"),
                c.iter().map(|c| c.currency.as_str()),
            ),
            Column::text(
                Field::new("sipri", "SIPRI's name"),
                c.iter().map(|c| c.sipri.as_str()),
            ),
            Column::text(
                Field::new("wb", "The World Bank's name"),
                c.iter().map(|c| c.wb.as_str()),
            ),
            Column::text(
                Field::new("imf", "The IMF WEO's name"),
                c.iter().map(|c| c.imf.as_str()),
            ),
            Column::text(
                Field::new("nato", "NATO's name"),
                c.iter().map(|c| c.nato.as_str()),
            ),
            Column::text(
                Field::new("aliases", "Other names, separated by ';'"),
                c.iter().map(|c| c.aliases.join(";")),
            ),
        ],
        primary_key: vec!["code"],
        foreign_keys: vec![],
        indexes: vec![],
    }
}

/// The publishers' footnotes the exported observations refer to.
pub fn notes<'a>(sel: &Selection<'a>) -> Table<'a> {
    let referenced: BTreeSet<(&str, &str)> = sel
        .observations
        .iter()
        .flat_map(|o| o.note_keys().map(move |k| (o.source_id(), k)))
        .collect();
    let n: Vec<_> = sel
        .dataset
        .notes()
        .iter()
        .filter(|n| referenced.contains(&(n.source.as_str(), n.key.as_str())))
        .collect();
    Table {
        name: "notes",
        title: "Publisher notes",
        description: "The publishers' footnotes and sheet notes, by source and key; an \
            observation's notes field lists the keys that apply to it."
            .to_string(),
        columns: vec![
            Column::text(
                Field::new("source", "The source the note belongs to").required(),
                n.iter().copied().map(|n| n.source.as_str()),
            ),
            Column::text(
                Field::new("key", "The key observations refer to").required(),
                n.iter().copied().map(|n| n.key.as_str()),
            ),
            Column::text(
                Field::new("text", "The note, as the publisher wrote it").required(),
                n.iter().copied().map(|n| n.text.as_str()),
            ),
        ],
        primary_key: vec!["source", "key"],
        foreign_keys: vec![ForeignKey::new("source", "sources", "id")],
        indexes: vec![],
    }
}

/// The measures vocabulary.
pub fn measures() -> Table<'static> {
    let m = Measure::ALL;
    Table {
        name: "measures",
        title: "Measures",
        description: "What can be measured, and the units each measure's values may carry."
            .to_string(),
        columns: vec![
            Column::text(
                Field::new("id", "Measure id").required(),
                m.iter().map(|m| m.as_str()),
            ),
            Column::text(
                Field::new("description", "What it measures").required(),
                m.iter().map(|m| m.description()),
            ),
            Column::text(
                Field::new("units", "The units its values may carry, separated by ';'").required(),
                m.iter().map(|m| {
                    m.allowed_units()
                        .iter()
                        .map(|u| u.as_str())
                        .collect::<Vec<_>>()
                        .join(";")
                }),
            ),
        ],
        primary_key: vec!["id"],
        foreign_keys: vec![],
        indexes: vec![],
    }
}

/// The units vocabulary.
pub fn units() -> Table<'static> {
    let u = Unit::ALL;
    Table {
        name: "units",
        title: "Units",
        description: "The units values are expressed in. Money is always in full units (not \
            millions); shares are in percent."
            .to_string(),
        columns: vec![
            Column::text(
                Field::new("id", "Unit id").required(),
                u.iter().map(|u| u.as_str()),
            ),
            Column::text(
                Field::new("description", "What it means").required(),
                u.iter().map(|u| u.description()),
            ),
        ],
        primary_key: vec!["id"],
        foreign_keys: vec![],
        indexes: vec![],
    }
}

/// The flags vocabulary.
pub fn flags() -> Table<'static> {
    let f = Flag::ALL;
    Table {
        name: "flags",
        title: "Flags",
        description: "Qualifiers the publisher (or fairshare) attaches to a value.".to_string(),
        columns: vec![
            Column::text(
                Field::new("id", "Flag id").required(),
                f.iter().map(|f| f.as_str()),
            ),
            Column::text(
                Field::new("description", "What it means").required(),
                f.iter().map(|f| f.description()),
            ),
        ],
        primary_key: vec!["id"],
        foreign_keys: vec![],
        indexes: vec![],
    }
}

/// The citation columns every hand-compiled registry row carries.
fn cited<'a, T: 'a>(
    rows: &[&'a T],
    source: impl Fn(&'a T) -> &'a str,
    url: impl Fn(&'a T) -> &'a str,
) -> [Column<'a>; 2] {
    [
        Column::text(
            Field::new(
                "source",
                "The source the row was compiled from (see sources)",
            )
            .required(),
            rows.iter().map(|r| source(r)),
        ),
        Column::text(
            Field::new("source_url", "The page the row was compiled from"),
            rows.iter().map(|r| url(r)),
        ),
    ]
}

fn optional_integers(
    field: Field,
    values: impl IntoIterator<Item = Option<i32>>,
) -> Column<'static> {
    Column {
        field,
        values: Values::Integer(values.into_iter().map(|v| v.map(i64::from)).collect()),
    }
}

/// Alliances: NATO, the US treaty allies.
pub fn alliances<'a>(sel: &Selection<'a>) -> Table<'a> {
    let a: Vec<_> = sel.dataset.commitments().alliances.iter().collect();
    let mut columns = vec![
        Column::text(
            Field::new("id", "Alliance id: NATO, US-treaty-allies").required(),
            a.iter().map(|a| a.id.as_str()),
        ),
        Column::text(
            Field::new("name", "Name").required(),
            a.iter().map(|a| a.name.as_str()),
        ),
        Column::text(
            Field::new(
                "partner",
                "The state every member is allied to and which is not itself listed (USA for the US treaty allies); empty for a multilateral alliance",
            ),
            a.iter().map(|a| a.partner.as_str()),
        ),
        Column::text(
            Field::new("description", "Who is in it, and on what basis").required(),
            a.iter().map(|a| a.description.as_str()),
        ),
    ];
    columns.extend(cited(&a, |a| a.source.as_str(), |a| a.source_url.as_str()));
    Table {
        name: "alliances",
        title: "Alliances",
        description:
            "The alliances fairshare counts members of; memberships lists who belonged when."
                .to_string(),
        columns,
        primary_key: vec!["id"],
        foreign_keys: vec![
            ForeignKey::new("partner", "countries", "code"),
            ForeignKey::new("source", "sources", "id"),
        ],
        indexes: vec![],
    }
}

/// Memberships: who belonged to which alliance, from when, on what basis.
pub fn memberships<'a>(sel: &Selection<'a>) -> Table<'a> {
    let m: Vec<_> = sel.dataset.commitments().memberships.iter().collect();
    let mut columns = vec![
        Column::text(
            Field::new("alliance", "Alliance id (see alliances)").required(),
            m.iter().map(|m| m.alliance.as_str()),
        ),
        Column::text(
            Field::new("country", "ISO3 code of the member (see countries)").required(),
            m.iter().map(|m| m.country.as_str()),
        ),
        Column::integer(
            Field::new(
                "from_year",
                "First year of membership on this basis (accession or signature)",
            )
            .required(),
            m.iter().map(|m| i64::from(m.from_year)),
        ),
        optional_integers(
            Field::new(
                "to_year",
                "Last year on this basis; empty while it continues",
            ),
            m.iter().map(|m| m.to_year),
        ),
        optional_integers(
            Field::new(
                "suspended_from",
                "Year the partner's obligations to the member were suspended (New Zealand, 1986): still a party, no longer counted",
            ),
            m.iter().map(|m| m.suspended_from),
        ),
        Column::text(
            Field::new("basis", "The treaty or accession the membership rests on").required(),
            m.iter().map(|m| m.basis.as_str()),
        ),
        Column::text(
            Field::new("note", "Anything else to know"),
            m.iter().map(|m| m.note.as_str()),
        ),
    ];
    columns.extend(cited(&m, |m| m.source.as_str(), |m| m.source_url.as_str()));
    Table {
        name: "memberships",
        title: "Alliance memberships",
        description: "One row per country and alliance over a span of years on one basis; a \
            change of basis (Japan's 1951 treaty replaced in 1960) starts a new row."
            .to_string(),
        columns,
        primary_key: vec!["alliance", "country", "from_year"],
        foreign_keys: vec![
            ForeignKey::new("alliance", "alliances", "id"),
            ForeignKey::new("country", "countries", "code"),
            ForeignKey::new("source", "sources", "id"),
        ],
        indexes: vec![vec!["country"]],
    }
}

/// Spending targets: NATO's Wales and Hague targets, Japan's 2% by FY2027.
pub fn targets<'a>(sel: &Selection<'a>) -> Table<'a> {
    let t: Vec<_> = sel.dataset.commitments().targets.iter().collect();
    let mut columns = vec![
        Column::text(
            Field::new("id", "Target id, e.g. nato-2pct, japan-2pct-fy2027").required(),
            t.iter().map(|t| t.id.as_str()),
        ),
        Column::text(
            Field::new("aliases", "Other names for it, separated by ';'"),
            t.iter().map(|t| t.aliases.as_str()),
        ),
        Column::text(
            Field::new("name", "What was promised").required(),
            t.iter().map(|t| t.name.as_str()),
        ),
        Column::text(
            Field::new(
                "alliance",
                "The alliance that set it (see alliances); empty for a national target",
            ),
            t.iter().map(|t| t.alliance.as_str()),
        ),
        Column::text(
            Field::new(
                "country",
                "The country a national target belongs to (see countries)",
            ),
            t.iter().map(|t| t.country.as_str()),
        ),
        Column::text(
            Field::new(
                "measure",
                "The measure the threshold applies to (see measures); empty where no series measures it",
            ),
            t.iter().map(|t| t.measure.map_or("", |m| m.as_str())),
        ),
        Column::number(
            Field::new("threshold", "The threshold, in the unit (2.0 = 2% of GDP)").required(),
            t.iter().map(|t| Some(t.threshold)),
        ),
        Column::text(
            Field::new("unit", "The threshold's unit (see units)").required(),
            t.iter().map(|t| t.unit.as_str()),
        ),
        Column::integer(
            Field::new("by_year", "The year by which it is to be reached").required(),
            t.iter().map(|t| i64::from(t.by_year)),
        ),
        Column::text(
            Field::new("year_basis", "The kind of year by_year is")
                .required()
                .allowed(year_bases()),
            t.iter().map(|t| t.year_basis.to_string()),
        ),
        Column::text(
            Field::new(
                "definition",
                "The definition the target is stated in (see definitions)",
            )
            .required(),
            t.iter().map(|t| t.definition.as_str()),
        ),
        Column::number(
            Field::new(
                "fixed_gdp_lcu",
                "For a target on a fixed GDP, that GDP in local currency (Japan: FY2022 GDP)",
            ),
            t.iter().map(|t| t.fixed_gdp_lcu),
        ),
        optional_integers(
            Field::new("fixed_gdp_year", "The year of the fixed GDP"),
            t.iter().map(|t| t.fixed_gdp_year),
        ),
        Column::number(
            Field::new(
                "stated_amount_lcu",
                "The amount the government states for the target, as it rounds it",
            ),
            t.iter().map(|t| t.stated_amount_lcu),
        ),
        Column::text(
            Field::new("agreed", "Date agreed (ISO 8601)"),
            t.iter().map(|t| t.agreed.as_str()),
        ),
        Column::text(
            Field::new("agreed_at", "Where or how it was agreed"),
            t.iter().map(|t| t.agreed_at.as_str()),
        ),
        Column::text(
            Field::new(
                "description",
                "What counts toward it, and how it is evaluated",
            ),
            t.iter().map(|t| t.description.as_str()),
        ),
        Column::text(
            Field::new("flags", "Qualifiers, separated by ';' (see flags)"),
            t.iter().map(|t| t.flags.to_string()),
        ),
    ];
    columns.extend(cited(&t, |t| t.source.as_str(), |t| t.source_url.as_str()));
    Table {
        name: "targets",
        title: "Spending targets",
        description:
            "Spending targets as alliances and governments stated them; `fairshare targets` \
            and `fairshare gap` measure the observations against them."
                .to_string(),
        columns,
        primary_key: vec!["id"],
        foreign_keys: vec![
            ForeignKey::new("alliance", "alliances", "id"),
            ForeignKey::new("country", "countries", "code"),
            ForeignKey::new("measure", "measures", "id"),
            ForeignKey::new("unit", "units", "id"),
            ForeignKey::new("definition", "definitions", "id"),
            ForeignKey::new("source", "sources", "id"),
        ],
        indexes: vec![],
    }
}

/// Budgeted multi-year programmes (Japan's Defense Buildup Program).
pub fn plans<'a>(sel: &Selection<'a>) -> Table<'a> {
    let p: Vec<_> = sel.dataset.commitments().plans.iter().collect();
    let mut columns = vec![
        Column::text(
            Field::new("id", "Plan id, e.g. jp-dbp-fy2023-27").required(),
            p.iter().map(|p| p.id.as_str()),
        ),
        Column::text(
            Field::new("country", "ISO3 code (see countries)").required(),
            p.iter().map(|p| p.country.as_str()),
        ),
        Column::text(
            Field::new("name", "The programme").required(),
            p.iter().map(|p| p.name.as_str()),
        ),
        Column::integer(
            Field::new("from_year", "First year covered").required(),
            p.iter().map(|p| i64::from(p.from_year)),
        ),
        Column::integer(
            Field::new("to_year", "Last year covered").required(),
            p.iter().map(|p| i64::from(p.to_year)),
        ),
        Column::text(
            Field::new("year_basis", "The kind of years")
                .required()
                .allowed(year_bases()),
            p.iter().map(|p| p.year_basis.to_string()),
        ),
        Column::text(
            Field::new("measure", "What the amount is (see measures)").required(),
            p.iter().map(|p| p.measure.as_str()),
        ),
        Column::text(
            Field::new("definition", "What the amount counts (see definitions)").required(),
            p.iter().map(|p| p.definition.as_str()),
        ),
        Column::number(
            Field::new("amount", "The total over all its years, in full units").required(),
            p.iter().map(|p| Some(p.amount)),
        ),
        Column::text(
            Field::new("unit", "The amount's unit (see units)").required(),
            p.iter().map(|p| p.unit.as_str()),
        ),
        Column::text(
            Field::new("flags", "Qualifiers, separated by ';' (see flags)"),
            p.iter().map(|p| p.flags.to_string()),
        ),
        Column::text(
            Field::new("note", "Anything else to know"),
            p.iter().map(|p| p.note.as_str()),
        ),
    ];
    columns.extend(cited(&p, |p| p.source.as_str(), |p| p.source_url.as_str()));
    Table {
        name: "plans",
        title: "Spending plans",
        description:
            "Budgeted multi-year programmes: a total over several years, not yearly spending."
                .to_string(),
        columns,
        primary_key: vec!["id"],
        foreign_keys: vec![
            ForeignKey::new("country", "countries", "code"),
            ForeignKey::new("measure", "measures", "id"),
            ForeignKey::new("unit", "units", "id"),
            ForeignKey::new("definition", "definitions", "id"),
            ForeignKey::new("source", "sources", "id"),
        ],
        indexes: vec![],
    }
}

pub fn polls<'a>(sel: &Selection<'a>) -> Table<'a> {
    let p: Vec<_> = sel.dataset.polls().iter().collect();
    let columns = vec![
        Column::integer(
            Field::new("poll_id", "FiveThirtyEight's poll id").required(),
            p.iter().map(|p| p.poll_id as i64),
        ),
        Column::integer(
            Field::new(
                "question_id",
                "FiveThirtyEight's question id (one per population asked)",
            )
            .required(),
            p.iter().map(|p| p.question_id as i64),
        ),
        Column::text(
            Field::new("pollster", "Who ran the poll").required(),
            p.iter().map(|p| p.pollster.as_str()),
        ),
        Column::number(
            Field::new(
                "numeric_grade",
                "538's pollster rating (0-3), where it has one",
            ),
            p.iter().map(|p| p.numeric_grade),
        ),
        Column::text(
            Field::new("start_date", "First field date (YYYY-MM-DD)").required(),
            p.iter().map(|p| p.start_date.as_str()),
        ),
        Column::text(
            Field::new("end_date", "Last field date (YYYY-MM-DD)").required(),
            p.iter().map(|p| p.end_date.as_str()),
        ),
        Column::text(
            Field::new(
                "population",
                "lv likely voters, rv registered voters, v voters, a adults",
            )
            .required(),
            p.iter().map(|p| p.population.as_str()),
        ),
        Column::number(
            Field::new("sample_size", "Respondents, where published"),
            p.iter().map(|p| p.sample_size.map(f64::from)),
        ),
        Column::text(
            Field::new("dem_candidate", "The Democratic candidate asked about").required(),
            p.iter().map(|p| p.dem_candidate.as_str()),
        ),
        Column::number(
            Field::new("dem_pct", "Support for the Democratic candidate, percent").required(),
            p.iter().map(|p| Some(p.dem_pct)),
        ),
        Column::text(
            Field::new("rep_candidate", "The Republican candidate asked about").required(),
            p.iter().map(|p| p.rep_candidate.as_str()),
        ),
        Column::number(
            Field::new("rep_pct", "Support for the Republican candidate, percent").required(),
            p.iter().map(|p| Some(p.rep_pct)),
        ),
        Column::text(
            Field::new("source", "The source the row comes from (see sources)").required(),
            p.iter().map(|p| p.source.as_str()),
        ),
        Column::text(
            Field::new("source_file", "The publisher file the row was read from").required(),
            p.iter().map(|p| p.source_file.as_str()),
        ),
    ];
    Table {
        name: "polls",
        title: "National polls of the 2024 US presidential election",
        description: "FiveThirtyEight's national two-way questions (Biden or Harris v Trump), \
            one row per question as published; scenario branches take their probability \
            from them. A national margin, not the electoral college."
            .to_string(),
        columns,
        primary_key: vec!["poll_id", "question_id"],
        foreign_keys: vec![ForeignKey::new("source", "sources", "id")],
        indexes: vec![],
    }
}

pub fn earlier_figures<'a>(sel: &Selection<'a>) -> Table<'a> {
    let e: Vec<_> = sel.dataset.commitments().earlier_figures.iter().collect();
    let mut columns = vec![
        Column::text(
            Field::new("country", "ISO3 code (see countries)").required(),
            e.iter().map(|e| e.country.as_str()),
        ),
        Column::text(
            Field::new("measure", "What was measured (see measures)").required(),
            e.iter().map(|e| e.measure.as_str()),
        ),
        Column::integer(
            Field::new("year", "The year the figure is for").required(),
            e.iter().map(|e| i64::from(e.year)),
        ),
        Column::text(
            Field::new("year_basis", "The kind of year")
                .required()
                .allowed(year_bases()),
            e.iter().map(|e| e.year_basis.to_string()),
        ),
        Column::text(
            Field::new("definition", "What was counted (see definitions)").required(),
            e.iter().map(|e| e.definition.as_str()),
        ),
        Column::number(
            Field::new("value", "As printed then, in full units or percent").required(),
            e.iter().map(|e| Some(e.value)),
        ),
        Column::text(
            Field::new("unit", "The value's unit (see units)").required(),
            e.iter().map(|e| e.unit.as_str()),
        ),
        Column::number(
            Field::new("precision", "The step it was printed to, in the same unit").required(),
            e.iter().map(|e| Some(e.precision)),
        ),
        Column::text(
            Field::new("release", "When that release came out").required(),
            e.iter().map(|e| e.release.as_str()),
        ),
        Column::text(
            Field::new("vintage", "That release, as fairshare names vintages").required(),
            e.iter().map(|e| e.vintage.as_str()),
        ),
        Column::text(
            Field::new("publication", "The publication that printed it").required(),
            e.iter().map(|e| e.publication.as_str()),
        ),
        Column::text(
            Field::new("note", "Anything else to know"),
            e.iter().map(|e| e.note.as_str()),
        ),
    ];
    columns.extend(cited(&e, |e| e.source.as_str(), |e| e.source_url.as_str()));
    Table {
        name: "earlier_figures",
        title: "Figures earlier releases printed",
        description: "What earlier releases of a publisher printed (e.g. SIPRI's April 2023 \
            figures), each with the page recording it: not data, kept so published claims \
            can be checked against the release they cite."
            .to_string(),
        columns,
        primary_key: vec![],
        foreign_keys: vec![
            ForeignKey::new("country", "countries", "code"),
            ForeignKey::new("measure", "measures", "id"),
            ForeignKey::new("unit", "units", "id"),
            ForeignKey::new("definition", "definitions", "id"),
            ForeignKey::new("source", "sources", "id"),
        ],
        indexes: vec![],
    }
}

pub fn events<'a>(sel: &Selection<'a>) -> Table<'a> {
    let e: Vec<_> = sel.dataset.events().iter().collect();
    Table {
        name: "events",
        title: "Events",
        description: "Dated events charts mark and reports score (summits, elections, \
            budgets), each with its date precision and the page cited."
            .to_string(),
        columns: vec![
            Column::text(
                Field::new("id", "Event id").required(),
                e.iter().map(|e| e.id.as_str()),
            ),
            Column::text(
                Field::new(
                    "date",
                    "YYYY-MM-DD, YYYY-MM or YYYY, as precise as the source",
                )
                .required(),
                e.iter().map(|e| e.date.as_str()),
            ),
            Column::text(
                Field::new("precision", "day, month or year").required(),
                e.iter().map(|e| e.precision.to_string()),
            ),
            Column::text(
                Field::new("title", "Short label").required(),
                e.iter().map(|e| e.title.as_str()),
            ),
            Column::text(
                Field::new("description", "What happened").required(),
                e.iter().map(|e| e.description.as_str()),
            ),
            Column::text(
                Field::new("countries", "Country codes concerned, separated by ';'"),
                e.iter().map(|e| e.countries.join(";")),
            ),
            Column::text(
                Field::new("source", "Who reported it").required(),
                e.iter().map(|e| e.source.as_str()),
            ),
            Column::text(
                Field::new("source_url", "The page cited").required(),
                e.iter().map(|e| e.source_url.as_str()),
            ),
            Column::text(
                Field::new("note", "What the source does and does not show"),
                e.iter().map(|e| e.note.as_str()),
            ),
        ],
        primary_key: vec!["id"],
        foreign_keys: vec![],
        indexes: vec![],
    }
}
