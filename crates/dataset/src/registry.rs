//! Registries: countries (with every publisher's name for them), sources,
//! definitions and publisher notes. Each is a small table committed under `data/`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::DatasetError;

/// What kind of entity a code stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A present-day state or territory with an ISO 3166 alpha-3 code.
    Country,
    /// A state that no longer exists (USSR, Czechoslovakia, ...), with its ISO 3166-3 code.
    Historical,
    /// A sum over countries: the World, a publisher's region, an alliance total.
    Aggregate,
    /// An international organisation spending in its own right (the EU's defence fund).
    Organization,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Country => "country",
            EntityKind::Historical => "historical",
            EntityKind::Aggregate => "aggregate",
            EntityKind::Organization => "organization",
        }
    }

    fn parse(s: &str) -> Option<EntityKind> {
        Some(match s {
            "country" => EntityKind::Country,
            "historical" => EntityKind::Historical,
            "aggregate" => EntityKind::Aggregate,
            "organization" => EntityKind::Organization,
            _ => return None,
        })
    }
}

/// A country or aggregate, with the names each publisher uses for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    /// ISO3 code, ISO 3166-3 code for historical states, or an aggregate code.
    pub code: String,
    /// English name as fairshare prints it.
    pub name: String,
    pub kind: EntityKind,
    /// ISO 4217 code of the local currency, where fairshare knows it.
    pub currency: String,
    /// SIPRI's name ("Korea, South").
    pub sipri: String,
    /// The World Bank's name ("Korea, Rep.").
    pub wb: String,
    /// The IMF WEO's name ("Korea").
    pub imf: String,
    /// NATO's name ("Slovak Republic").
    pub nato: String,
    /// Other names users type ("South Korea", "ROK").
    pub aliases: Vec<String>,
}

impl Country {
    /// Every name this entity is known by, fairshare's own first.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        [
            self.name.as_str(),
            self.sipri.as_str(),
            self.wb.as_str(),
            self.imf.as_str(),
            self.nato.as_str(),
        ]
        .into_iter()
        .chain(self.aliases.iter().map(String::as_str))
        .filter(|n| !n.is_empty())
    }

    /// The currency label for a local-currency amount ("JPY", or "local currency").
    pub fn currency_label(&self) -> &str {
        if self.currency.is_empty() {
            "local currency"
        } else {
            &self.currency
        }
    }
}

/// The publisher whose naming a reader follows, for [`CountryRegistry::by_publisher_name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publisher {
    Sipri,
    WorldBank,
    Imf,
    Nato,
}

/// All countries and aggregates, looked up by code or by any of their names.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CountryRegistry {
    countries: Vec<Country>,
    #[serde(skip)]
    by_key: HashMap<String, usize>,
}

fn fold(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            'ü' | 'Ü' => 'u',
            'ô' | 'ó' | 'ö' => 'o',
            'é' | 'è' => 'e',
            'í' => 'i',
            'ç' => 'c',
            _ => c,
        })
        .collect::<String>()
        .to_lowercase()
}

/// True when `word` appears in `text` as whole words ("korea" in "north korea").
fn contains_word(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

impl CountryRegistry {
    pub fn new(mut countries: Vec<Country>) -> Result<CountryRegistry, DatasetError> {
        countries.sort_by(|a, b| a.code.cmp(&b.code));
        for pair in countries.windows(2) {
            if pair[0].code == pair[1].code {
                return Err(DatasetError::invalid(
                    "countries",
                    format!("country code {} appears twice", pair[0].code),
                ));
            }
        }
        let mut reg = CountryRegistry {
            countries,
            by_key: HashMap::new(),
        };
        reg.reindex();
        Ok(reg)
    }

    /// Rebuild the lookup index (after deserializing).
    pub(crate) fn reindex(&mut self) {
        let mut by_key = HashMap::new();
        // Names first, codes last, so a code always wins over a name that happens to equal it.
        for (i, c) in self.countries.iter().enumerate() {
            for n in c.all_names() {
                by_key.entry(fold(n)).or_insert(i);
            }
        }
        for (i, c) in self.countries.iter().enumerate() {
            by_key.insert(fold(&c.code), i);
        }
        self.by_key = by_key;
    }

    pub fn all(&self) -> &[Country] {
        &self.countries
    }

    pub fn len(&self) -> usize {
        self.countries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.countries.is_empty()
    }

    pub(crate) fn index_of(&self, code: &str) -> Option<usize> {
        self.countries
            .binary_search_by(|c| c.code.as_str().cmp(code))
            .ok()
    }

    pub(crate) fn at(&self, index: usize) -> &Country {
        &self.countries[index]
    }

    /// Exact code lookup (`JPN`).
    pub fn get(&self, code: &str) -> Option<&Country> {
        self.index_of(code).map(|i| &self.countries[i])
    }

    /// What a user typed: a code or any known name, case-insensitive
    /// ("JPN", "Japan", "South Korea", "KOR"). Unknown input gets suggestions.
    ///
    /// A code or fairshare's own name always resolves. Any other name must point at one
    /// country only: "Korea" is the IMF's name for South Korea but also the last word of
    /// "North Korea", so it is [`DatasetError::AmbiguousCountry`] listing both codes.
    pub fn resolve(&self, input: &str) -> Result<&Country, DatasetError> {
        let wanted = fold(input);
        if let Some(c) = self
            .countries
            .iter()
            .find(|c| fold(&c.code) == wanted || fold(&c.name) == wanted)
        {
            return Ok(c);
        }
        if let Some(&i) = self.by_key.get(&wanted) {
            let mut matches: Vec<&Country> = self
                .countries
                .iter()
                .filter(|c| {
                    c.all_names().any(|n| fold(n) == wanted)
                        || (c.kind == EntityKind::Country && contains_word(&fold(&c.name), &wanted))
                })
                .collect();
            if matches.len() <= 1 {
                return Ok(&self.countries[i]);
            }
            matches.sort_by(|a, b| a.code.cmp(&b.code));
            return Err(DatasetError::AmbiguousCountry {
                given: input.trim().to_string(),
                candidates: matches
                    .iter()
                    .map(|c| format!("{} ({})", c.code, c.name))
                    .collect(),
            });
        }
        Err(DatasetError::UnknownCountry {
            given: input.to_string(),
            suggestions: self.suggest(input),
        })
    }

    /// A publisher's own spelling, as it appears in their file.
    pub fn by_publisher_name(&self, publisher: Publisher, name: &str) -> Option<&Country> {
        let wanted = fold(name);
        let field = |c: &Country| -> String {
            match publisher {
                Publisher::Sipri => fold(&c.sipri),
                Publisher::WorldBank => fold(&c.wb),
                Publisher::Imf => fold(&c.imf),
                Publisher::Nato => fold(&c.nato),
            }
        };
        self.countries
            .iter()
            .find(|c| field(c) == wanted)
            .or_else(|| self.by_key.get(&wanted).map(|&i| &self.countries[i]))
    }

    /// Up to three "did you mean" candidates, as `CODE (Name)`.
    pub fn suggest(&self, input: &str) -> Vec<String> {
        let wanted = fold(input);
        let mut scored: Vec<(f64, usize)> = Vec::new();
        for (i, c) in self.countries.iter().enumerate() {
            let best = std::iter::once(c.code.as_str())
                .chain(c.all_names())
                .map(|n| {
                    let n = fold(n);
                    let mut s = strsim::jaro_winkler(&wanted, &n);
                    if n.starts_with(&wanted) && wanted.len() >= 3 {
                        s = s.max(0.9);
                    }
                    s
                })
                .fold(0.0_f64, f64::max);
            scored.push((best, i));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
            .into_iter()
            .take_while(|(s, _)| *s >= 0.8)
            .take(3)
            .map(|(_, i)| {
                let c = &self.countries[i];
                format!("{} ({})", c.code, c.name)
            })
            .collect()
    }

    pub(crate) fn from_csv(text: &str) -> Result<CountryRegistry, DatasetError> {
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let mut out = Vec::new();
        for (i, rec) in rdr.deserialize::<CountryRow>().enumerate() {
            let row = rec.map_err(|e| {
                DatasetError::invalid("countries.csv", format!("row {}: {e}", i + 2))
            })?;
            let kind = EntityKind::parse(&row.kind).ok_or_else(|| {
                DatasetError::invalid(
                    "countries.csv",
                    format!("row {}: unknown kind '{}'", i + 2, row.kind),
                )
            })?;
            out.push(Country {
                code: row.code,
                name: row.name,
                kind,
                currency: row.currency,
                sipri: row.sipri,
                wb: row.wb,
                imf: row.imf,
                nato: row.nato,
                aliases: row
                    .aliases
                    .split(';')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(String::from)
                    .collect(),
            });
        }
        CountryRegistry::new(out)
    }

    pub(crate) fn to_csv(&self) -> Result<String, DatasetError> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        for c in &self.countries {
            w.serialize(CountryRow {
                code: c.code.clone(),
                name: c.name.clone(),
                kind: c.kind.as_str().to_string(),
                currency: c.currency.clone(),
                sipri: c.sipri.clone(),
                wb: c.wb.clone(),
                imf: c.imf.clone(),
                nato: c.nato.clone(),
                aliases: c.aliases.join(";"),
            })
            .map_err(|e| DatasetError::invalid("countries.csv", e.to_string()))?;
        }
        finish_csv(w, "countries.csv")
    }
}

#[derive(Serialize, Deserialize)]
struct CountryRow {
    #[serde(rename = "iso3")]
    code: String,
    name: String,
    kind: String,
    currency: String,
    sipri: String,
    wb: String,
    imf: String,
    nato: String,
    aliases: String,
}

pub(crate) fn finish_csv(w: csv::Writer<Vec<u8>>, file: &str) -> Result<String, DatasetError> {
    let bytes = w
        .into_inner()
        .map_err(|e| DatasetError::invalid(file, e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| DatasetError::invalid(file, e.to_string()))
}

/// A publisher's release that observations cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Stable id, e.g. `sipri-milex-2025`.
    pub id: String,
    pub publisher: String,
    pub title: String,
    /// The publisher's file name the values were read from.
    pub file: String,
    /// The release, e.g. "SIPRI 2025".
    pub vintage: String,
    /// Release date or data-updated date as the publisher states it.
    pub released: String,
    pub url: String,
    pub licence: String,
    /// How to cite it.
    pub citation: String,
    /// Where more than one source holds the same cell, the lowest rank is shown by
    /// default (SIPRI's own workbook before the World Bank's republication of it).
    pub rank: u32,
    /// Anything a user should know about this copy (conversion, republication).
    pub note: String,
}

/// Sources by id.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SourceRegistry {
    sources: Vec<Source>,
}

impl SourceRegistry {
    pub fn new(mut sources: Vec<Source>) -> Result<SourceRegistry, DatasetError> {
        sources.sort_by(|a, b| a.id.cmp(&b.id));
        for pair in sources.windows(2) {
            if pair[0].id == pair[1].id {
                return Err(DatasetError::invalid(
                    "sources",
                    format!("source id {} appears twice", pair[0].id),
                ));
            }
        }
        Ok(SourceRegistry { sources })
    }

    pub fn all(&self) -> &[Source] {
        &self.sources
    }

    pub fn get(&self, id: &str) -> Option<&Source> {
        self.sources
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.sources[i])
    }

    pub(crate) fn from_csv(text: &str) -> Result<SourceRegistry, DatasetError> {
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let mut out = Vec::new();
        for (i, rec) in rdr.deserialize::<Source>().enumerate() {
            out.push(rec.map_err(|e| {
                DatasetError::invalid("sources.csv", format!("row {}: {e}", i + 2))
            })?);
        }
        SourceRegistry::new(out)
    }

    pub(crate) fn to_csv(&self) -> Result<String, DatasetError> {
        write_rows(&self.sources, "sources.csv")
    }
}

/// A definition: what is counted as military (or macro) spending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    /// `sipri`, `nato`, `wb`, `imf_weo`, `national:jp-mod`, ...
    pub id: String,
    pub name: String,
    pub description: String,
}

/// A publisher's note attached to observations (SIPRI's footnotes and special notes, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub source: String,
    /// The key observations refer to (SIPRI: `4`, `§`).
    pub key: String,
    pub text: String,
}

pub(crate) fn write_rows<T: Serialize>(rows: &[T], file: &str) -> Result<String, DatasetError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for r in rows {
        w.serialize(r)
            .map_err(|e| DatasetError::invalid(file, e.to_string()))?;
    }
    finish_csv(w, file)
}

pub(crate) fn read_rows<T: for<'de> Deserialize<'de>>(
    text: &str,
    file: &str,
) -> Result<Vec<T>, DatasetError> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in rdr.deserialize::<T>().enumerate() {
        out.push(rec.map_err(|e| DatasetError::invalid(file, format!("row {}: {e}", i + 2)))?);
    }
    Ok(out)
}

/// The country table fairshare ships with: ISO3 codes, names, currencies and every
/// publisher's spelling. Hand-curated (see `registry/countries.csv`); `data build`
/// copies it into `data/countries.csv`.
pub fn builtin_countries() -> CountryRegistry {
    CountryRegistry::from_csv(include_str!("../registry/countries.csv"))
        .expect("the built-in country registry is valid (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_codes_names_and_aliases() {
        let reg = builtin_countries();
        for input in ["JPN", "jpn", "Japan", " japan "] {
            assert_eq!(reg.resolve(input).unwrap().code, "JPN");
        }
        for input in ["KOR", "South Korea", "Korea, South", "Korea, Rep.", "ROK"] {
            assert_eq!(reg.resolve(input).unwrap().code, "KOR", "{input}");
        }
        assert_eq!(reg.resolve("Turkey").unwrap().code, "TUR");
        assert_eq!(reg.resolve("Türkiye").unwrap().code, "TUR");
        assert_eq!(reg.resolve("USSR").unwrap().kind, EntityKind::Historical);
        assert_eq!(reg.resolve("WLD").unwrap().kind, EntityKind::Aggregate);
    }

    #[test]
    fn korea_alone_is_ambiguous() {
        let reg = builtin_countries();
        for input in ["Korea", "korea", " KOREA "] {
            let err = reg.resolve(input).unwrap_err().to_string();
            assert_eq!(
                err,
                format!(
                    "ambiguous country '{}': it could be KOR (South Korea) or PRK (North Korea); \
                     give the code or the full name",
                    input.trim()
                )
            );
        }
        // Names that are also the last word of another country's stay unique when they
        // are fairshare's own name.
        assert_eq!(reg.resolve("Guinea").unwrap().code, "GIN");
        assert_eq!(reg.resolve("North Korea").unwrap().code, "PRK");
        assert_eq!(reg.resolve("DPRK").unwrap().code, "PRK");
    }

    #[test]
    fn unknown_country_suggests_the_nearest() {
        let reg = builtin_countries();
        let err = reg.resolve("Japn").unwrap_err().to_string();
        assert_eq!(err, "unknown country 'Japn': did you mean JPN (Japan)?");
    }

    #[test]
    fn publisher_names_map_to_codes() {
        let reg = builtin_countries();
        let sipri = |n| {
            reg.by_publisher_name(Publisher::Sipri, n)
                .map(|c| c.code.clone())
        };
        assert_eq!(sipri("Korea, South").as_deref(), Some("KOR"));
        assert_eq!(sipri("United States of America").as_deref(), Some("USA"));
        assert_eq!(sipri("Türkiye").as_deref(), Some("TUR"));
        assert_eq!(sipri("USSR").as_deref(), Some("SUN"));
        let nato = |n| {
            reg.by_publisher_name(Publisher::Nato, n)
                .map(|c| c.code.clone())
        };
        assert_eq!(nato("Slovak Republic").as_deref(), Some("SVK"));
        assert_eq!(nato("United States").as_deref(), Some("USA"));
    }

    #[test]
    fn registry_round_trips_through_csv() {
        let reg = builtin_countries();
        let text = reg.to_csv().unwrap();
        let back = CountryRegistry::from_csv(&text).unwrap();
        assert_eq!(back.all(), reg.all());
    }
}
