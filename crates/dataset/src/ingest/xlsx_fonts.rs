//! Font colours of worksheet cells, which calamine does not expose.
//!
//! Some publishers mark a figure's status only by the colour of its font (SIPRI:
//! "Figures in blue are SIPRI estimates. Figures in red indicate highly uncertain
//! data."). This module reads that colour straight from the workbook's XML parts:
//!
//! - `xl/workbook.xml` + `xl/_rels/workbook.xml.rels`: which part holds a sheet;
//! - `xl/styles.xml`: cell format (`cellXfs/xf`) -> `fontId` -> `fonts/font/color`,
//!   given as `rgb` (ARGB hex), `indexed` (Excel's 64-colour palette, or the
//!   workbook's own `colors/indexedColors`), or `theme` (resolved through
//!   `xl/theme/theme1.xml`; tints are ignored);
//! - the sheet part itself, streamed: each `<c r="B5" s="12">` names its format.
//!
//! A colour counts as blue when its blue channel is high and red and green low, and
//! as red the other way round; every other colour (black, automatic) is plain.
//! Only cells in a blue or red font are kept, so a sheet costs a small map.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::IngestError;

/// The font colours that carry meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FontColour {
    Blue,
    Red,
}

type Rgb = [u8; 3];

/// Decide whether an RGB colour is "blue" or "red" as a reader of the sheet would.
pub fn classify(rgb: Rgb) -> Option<FontColour> {
    const HIGH: u8 = 0x80;
    const LOW: u8 = 0x66;
    let [r, g, b] = rgb;
    if b >= HIGH && r <= LOW && g <= LOW {
        Some(FontColour::Blue)
    } else if r >= HIGH && g <= LOW && b <= LOW {
        Some(FontColour::Red)
    } else {
        None
    }
}

/// The blue and red cells of one sheet, by 0-based (row, column) as calamine counts.
#[derive(Debug, Clone, Default)]
pub struct CellColours {
    cells: HashMap<(u32, u32), FontColour>,
}

impl CellColours {
    pub fn get(&self, row: u32, col: u32) -> Option<FontColour> {
        self.cells.get(&(row, col)).copied()
    }

    /// How many cells (with or without a value) are in this colour.
    pub fn count(&self, colour: FontColour) -> usize {
        self.cells.values().filter(|c| **c == colour).count()
    }
}

/// An xlsx workbook opened for its cell font colours.
pub struct FontColourReader {
    path: PathBuf,
    archive: ZipArchive<BufReader<File>>,
    /// The colour of each cell format (`cellXfs` index), if blue or red.
    xf_colours: Vec<Option<FontColour>>,
    /// Sheet name -> part name inside the archive (`xl/worksheets/sheet7.xml`).
    sheets: Vec<(String, String)>,
}

impl FontColourReader {
    /// Open the workbook and read its styles; a missing or broken file is a clear error.
    pub fn open(path: &Path) -> Result<FontColourReader, IngestError> {
        let not_workbook = |message: String| IngestError::NotWorkbook {
            path: path.to_path_buf(),
            message,
        };
        let file = File::open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => IngestError::Missing {
                path: path.to_path_buf(),
                hint: String::new(),
            },
            _ => not_workbook(e.to_string()),
        })?;
        let mut archive =
            ZipArchive::new(BufReader::new(file)).map_err(|e| not_workbook(e.to_string()))?;

        let workbook = read_part(&mut archive, "xl/workbook.xml")
            .map_err(not_workbook)?
            .ok_or_else(|| not_workbook("no xl/workbook.xml part".to_string()))?;
        let rels = read_part(&mut archive, "xl/_rels/workbook.xml.rels")
            .map_err(not_workbook)?
            .ok_or_else(|| not_workbook("no xl/_rels/workbook.xml.rels part".to_string()))?;
        let targets = parse_relationships(rels.as_slice()).map_err(not_workbook)?;
        let sheets = parse_sheet_parts(workbook.as_slice(), &targets).map_err(not_workbook)?;

        let theme = match targets.iter().find(|t| t.kind.ends_with("/theme")) {
            Some(t) => match read_part(&mut archive, &t.part).map_err(not_workbook)? {
                Some(xml) => parse_theme(xml.as_slice()).map_err(not_workbook)?,
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        let style_part = targets
            .iter()
            .find(|t| t.kind.ends_with("/styles"))
            .map(|t| t.part.clone())
            .unwrap_or_else(|| "xl/styles.xml".to_string());
        // A workbook without styles has only the default (black) font.
        let xf_colours = match read_part(&mut archive, &style_part).map_err(not_workbook)? {
            Some(xml) => parse_styles(xml.as_slice(), &theme).map_err(not_workbook)?,
            None => Vec::new(),
        };
        Ok(FontColourReader {
            path: path.to_path_buf(),
            archive,
            xf_colours,
            sheets,
        })
    }

    /// The blue and red cells of the sheet called `name`, streamed from its XML.
    pub fn sheet(&mut self, name: &str) -> Result<CellColours, IngestError> {
        let part = self
            .sheets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
            .ok_or_else(|| {
                IngestError::layout(&self.path, name, "sheet not found in xl/workbook.xml")
            })?;
        let entry = self.archive.by_name(&part).map_err(|e| {
            IngestError::layout(&self.path, name, format!("cannot open part {part}: {e}"))
        })?;
        parse_sheet_colours(BufReader::new(entry), &self.xf_colours)
            .map_err(|e| IngestError::layout(&self.path, name, format!("{part}: {e}")))
    }
}

/// A part's bytes, or `None` if the archive has no such part.
fn read_part(
    archive: &mut ZipArchive<BufReader<File>>,
    name: &str,
) -> Result<Option<Vec<u8>>, String> {
    match archive.by_name(name) {
        Ok(mut entry) => {
            let mut bytes = Vec::new();
            entry
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read {name}: {e}"))?;
            Ok(Some(bytes))
        }
        Err(zip::result::ZipError::FileNotFound) => Ok(None),
        Err(e) => Err(format!("cannot read {name}: {e}")),
    }
}

/// The value of attribute `local` (ignoring any namespace prefix), unescaped.
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        if a.key.local_name().as_ref() == local {
            let raw: &str = &a.value;
            Some(
                quick_xml::escape::unescape(raw)
                    .map(|s| s.into_owned())
                    .unwrap_or_else(|_| raw.to_string()),
            )
        } else {
            None
        }
    })
}

struct Relationship {
    id: String,
    kind: String,
    /// Full part name inside the archive.
    part: String,
}

fn parse_relationships(xml: impl BufRead) -> Result<Vec<Relationship>, String> {
    let mut out = Vec::new();
    for_each_element(xml, "xl/_rels/workbook.xml.rels", |e, _| {
        if e.local_name().as_ref() == "Relationship" {
            let target = attr(e, "Target").unwrap_or_default();
            // Targets are relative to xl/, or absolute from the package root.
            let part = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            out.push(Relationship {
                id: attr(e, "Id").unwrap_or_default(),
                kind: attr(e, "Type").unwrap_or_default(),
                part,
            });
        }
    })?;
    Ok(out)
}

fn parse_sheet_parts(
    xml: impl BufRead,
    rels: &[Relationship],
) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for_each_element(xml, "xl/workbook.xml", |e, _| {
        if e.local_name().as_ref() == "sheet"
            && let (Some(name), Some(id)) = (attr(e, "name"), attr(e, "id"))
            && let Some(rel) = rels.iter().find(|r| r.id == id)
        {
            out.push((name, rel.part.clone()));
        }
    })?;
    Ok(out)
}

/// Call `f` on every start or empty element, with the names of its open ancestors.
fn for_each_element(
    xml: impl BufRead,
    part: &str,
    mut f: impl FnMut(&BytesStart<'_>, &[String]),
) -> Result<(), String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut open: Vec<String> = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                f(&e, &open);
                open.push(e.local_name().as_ref().to_string());
            }
            Ok(Event::Empty(e)) => f(&e, &open),
            Ok(Event::End(_)) => {
                open.pop();
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "{part}: malformed XML at byte {}: {e}",
                    reader.buffer_position()
                ));
            }
        }
        buf.clear();
    }
}

/// The theme's colour slots, in the order `theme="N"` counts them
/// (Excel swaps the first two pairs: 0 = lt1, 1 = dk1, 2 = lt2, 3 = dk2, 4.. accents).
fn parse_theme(xml: impl BufRead) -> Result<Vec<Rgb>, String> {
    let mut scheme: Vec<Rgb> = Vec::new();
    for_each_element(xml, "theme", |e, open| {
        if !open.iter().any(|n| n == "clrScheme") {
            return;
        }
        let value = match e.local_name().as_ref() {
            "srgbClr" => attr(e, "val"),
            "sysClr" => attr(e, "lastClr"),
            _ => None,
        };
        if let Some(rgb) = value.as_deref().and_then(parse_hex) {
            scheme.push(rgb);
        }
    })?;
    if scheme.len() >= 4 {
        scheme.swap(0, 1);
        scheme.swap(2, 3);
    }
    Ok(scheme)
}

/// How a font names its colour, before the palettes are known.
#[derive(Debug, Clone, Copy)]
enum ColourSpec {
    Plain,
    Rgb(Rgb),
    Indexed(usize),
    Theme(usize),
}

/// The colour of each cell format (`cellXfs` order), blue or red or neither.
fn parse_styles(xml: impl BufRead, theme: &[Rgb]) -> Result<Vec<Option<FontColour>>, String> {
    let mut fonts: Vec<ColourSpec> = Vec::new();
    let mut xf_fonts: Vec<usize> = Vec::new();
    let mut custom_palette: Vec<Rgb> = Vec::new();
    for_each_element(xml, "xl/styles.xml", |e, open| {
        let parent = open.last().map(String::as_str);
        match (parent, e.local_name().as_ref()) {
            (Some("fonts"), "font") => fonts.push(ColourSpec::Plain),
            (Some("font"), "color") if open.iter().any(|n| n == "fonts") => {
                let spec = if let Some(rgb) = attr(e, "rgb").as_deref().and_then(parse_hex) {
                    ColourSpec::Rgb(rgb)
                } else if let Some(i) = attr(e, "indexed").and_then(|v| v.parse().ok()) {
                    ColourSpec::Indexed(i)
                } else if let Some(i) = attr(e, "theme").and_then(|v| v.parse().ok()) {
                    ColourSpec::Theme(i)
                } else {
                    ColourSpec::Plain
                };
                if let Some(last) = fonts.last_mut() {
                    *last = spec;
                }
            }
            (Some("cellXfs"), "xf") => {
                xf_fonts.push(attr(e, "fontId").and_then(|v| v.parse().ok()).unwrap_or(0));
            }
            (Some("indexedColors"), "rgbColor") => {
                custom_palette.push(
                    attr(e, "rgb")
                        .as_deref()
                        .and_then(parse_hex)
                        .unwrap_or([0; 3]),
                );
            }
            _ => {}
        }
    })?;
    let palette: &[Rgb] = if custom_palette.is_empty() {
        &DEFAULT_PALETTE
    } else {
        &custom_palette
    };
    let resolve = |spec: ColourSpec| -> Option<FontColour> {
        let rgb = match spec {
            ColourSpec::Plain => return None,
            ColourSpec::Rgb(rgb) => rgb,
            // 64 and 65 are the system foreground and background.
            ColourSpec::Indexed(i) => *palette.get(i)?,
            ColourSpec::Theme(i) => *theme.get(i)?,
        };
        classify(rgb)
    };
    Ok(xf_fonts
        .into_iter()
        .map(|f| fonts.get(f).copied().and_then(resolve))
        .collect())
}

/// `RRGGBB` or `AARRGGBB`.
fn parse_hex(s: &str) -> Option<Rgb> {
    let hex = match s.len() {
        6 => s,
        8 => &s[2..],
        _ => return None,
    };
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Stream a sheet part and keep the cells whose format has a blue or red font.
fn parse_sheet_colours(
    xml: impl BufRead,
    xf_colours: &[Option<FontColour>],
) -> Result<CellColours, String> {
    let mut out = CellColours::default();
    if xf_colours.iter().all(Option::is_none) {
        return Ok(out);
    }
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    // Rows and cells may omit `r`; then they follow the previous one.
    let mut row: u32 = 0;
    let mut next_col: u32 = 0;
    let mut seen_row = false;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "row" => {
                    row = match attr(&e, "r").and_then(|r| r.parse::<u32>().ok()) {
                        Some(r) if r > 0 => r - 1,
                        _ if seen_row => row + 1,
                        _ => 0,
                    };
                    seen_row = true;
                    next_col = 0;
                }
                "c" => {
                    let (r, c) = match attr(&e, "r").as_deref().and_then(parse_cell_ref) {
                        Some(rc) => rc,
                        None => (row, next_col),
                    };
                    next_col = c + 1;
                    let style: usize = attr(&e, "s").and_then(|s| s.parse().ok()).unwrap_or(0);
                    if let Some(Some(colour)) = xf_colours.get(style) {
                        out.cells.insert((r, c), *colour);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => return Ok(out),
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "malformed XML at byte {}: {e}",
                    reader.buffer_position()
                ));
            }
        }
        buf.clear();
    }
}

/// `BX110` -> (109, 75), 0-based.
pub fn parse_cell_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let col = letters.bytes().try_fold(0u32, |acc, b| {
        acc.checked_mul(26)?.checked_add(u32::from(b - b'A') + 1)
    })?;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// `(109, 75)` -> `BX110`, for messages.
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// Excel's default indexed colours 0-63, then 64 = system foreground (black) and
/// 65 = system background (white).
const DEFAULT_PALETTE: [Rgb; 66] = [
    [0x00, 0x00, 0x00],
    [0xFF, 0xFF, 0xFF],
    [0xFF, 0x00, 0x00],
    [0x00, 0xFF, 0x00],
    [0x00, 0x00, 0xFF],
    [0xFF, 0xFF, 0x00],
    [0xFF, 0x00, 0xFF],
    [0x00, 0xFF, 0xFF],
    [0x00, 0x00, 0x00],
    [0xFF, 0xFF, 0xFF],
    [0xFF, 0x00, 0x00],
    [0x00, 0xFF, 0x00],
    [0x00, 0x00, 0xFF],
    [0xFF, 0xFF, 0x00],
    [0xFF, 0x00, 0xFF],
    [0x00, 0xFF, 0xFF],
    [0x80, 0x00, 0x00],
    [0x00, 0x80, 0x00],
    [0x00, 0x00, 0x80],
    [0x80, 0x80, 0x00],
    [0x80, 0x00, 0x80],
    [0x00, 0x80, 0x80],
    [0xC0, 0xC0, 0xC0],
    [0x80, 0x80, 0x80],
    [0x99, 0x99, 0xFF],
    [0x99, 0x33, 0x66],
    [0xFF, 0xFF, 0xCC],
    [0xCC, 0xFF, 0xFF],
    [0x66, 0x00, 0x66],
    [0xFF, 0x80, 0x80],
    [0x00, 0x66, 0xCC],
    [0xCC, 0xCC, 0xFF],
    [0x00, 0x00, 0x80],
    [0xFF, 0x00, 0xFF],
    [0xFF, 0xFF, 0x00],
    [0x00, 0xFF, 0xFF],
    [0x80, 0x00, 0x80],
    [0x80, 0x00, 0x00],
    [0x00, 0x80, 0x80],
    [0x00, 0x00, 0xFF],
    [0x00, 0xCC, 0xFF],
    [0xCC, 0xFF, 0xFF],
    [0xCC, 0xFF, 0xCC],
    [0xFF, 0xFF, 0x99],
    [0x99, 0xCC, 0xFF],
    [0xFF, 0x99, 0xCC],
    [0xCC, 0x99, 0xFF],
    [0xFF, 0xCC, 0x99],
    [0x33, 0x66, 0xFF],
    [0x33, 0xCC, 0xCC],
    [0x99, 0xCC, 0x00],
    [0xFF, 0xCC, 0x00],
    [0xFF, 0x99, 0x00],
    [0xFF, 0x66, 0x00],
    [0x66, 0x66, 0x99],
    [0x96, 0x96, 0x96],
    [0x00, 0x33, 0x66],
    [0x33, 0x99, 0x66],
    [0x00, 0x33, 0x00],
    [0x33, 0x33, 0x00],
    [0x99, 0x33, 0x00],
    [0x99, 0x33, 0x66],
    [0x33, 0x33, 0x99],
    [0x33, 0x33, 0x33],
    [0x00, 0x00, 0x00],
    [0xFF, 0xFF, 0xFF],
];

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<?xml version="1.0"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
 <fonts count="6">
  <font><sz val="11"/><color indexed="8"/></font>
  <font><color indexed="10"/></font>
  <font><color indexed="12"/></font>
  <font><color rgb="FF0000FF"/></font>
  <font><color theme="4"/></font>
  <font><b/></font>
 </fonts>
 <cellStyleXfs count="1"><xf fontId="2"/></cellStyleXfs>
 <cellXfs count="6">
  <xf fontId="0"/><xf fontId="1"/><xf fontId="2"/><xf fontId="3"/><xf fontId="4"/><xf fontId="5"/>
 </cellXfs>
 <dxfs count="1"><dxf><font><color rgb="FFFF0000"/></font></dxf></dxfs>
</styleSheet>"#;

    const THEME: &str = r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">
 <a:themeElements><a:clrScheme name="Office">
  <a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>
  <a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>
  <a:dk2><a:srgbClr val="0E2841"/></a:dk2>
  <a:lt2><a:srgbClr val="E8E8E8"/></a:lt2>
  <a:accent1><a:srgbClr val="0F0FC0"/></a:accent1>
 </a:clrScheme></a:themeElements></a:theme>"#;

    #[test]
    fn styles_resolve_indexed_rgb_and_theme_colours() {
        let theme = parse_theme(THEME.as_bytes()).unwrap();
        assert_eq!(theme[0], [0xFF, 0xFF, 0xFF], "theme 0 is lt1");
        let xfs = parse_styles(STYLES.as_bytes(), &theme).unwrap();
        use FontColour::*;
        assert_eq!(
            xfs,
            vec![None, Some(Red), Some(Blue), Some(Blue), Some(Blue), None]
        );
    }

    #[test]
    fn a_custom_indexed_palette_replaces_the_default() {
        let xml = r#"<styleSheet><fonts><font><color indexed="1"/></font></fonts>
            <cellXfs><xf fontId="0"/></cellXfs>
            <colors><indexedColors><rgbColor rgb="FF000000"/><rgbColor rgb="FFEE0000"/></indexedColors></colors>
            </styleSheet>"#;
        assert_eq!(
            parse_styles(xml.as_bytes(), &[]).unwrap(),
            vec![Some(FontColour::Red)]
        );
    }

    #[test]
    fn sheet_cells_keep_only_coloured_formats() {
        let xfs = vec![None, Some(FontColour::Red), Some(FontColour::Blue)];
        let xml = r#"<worksheet><sheetData>
            <row r="6"><c r="A6" t="s"><v>1</v></c><c r="BX6" s="2"><v>0.01</v></c></row>
            <row r="7"><c r="A7" s="1"><v>3</v></c><c s="2"><v>4</v></c></row>
            </sheetData></worksheet>"#;
        let cells = parse_sheet_colours(xml.as_bytes(), &xfs).unwrap();
        assert_eq!(cells.get(5, 75), Some(FontColour::Blue));
        assert_eq!(cells.get(6, 0), Some(FontColour::Red));
        assert_eq!(
            cells.get(6, 1),
            Some(FontColour::Blue),
            "cell without r follows A7"
        );
        assert_eq!(cells.get(5, 0), None);
        assert_eq!(cells.count(FontColour::Blue), 2);
    }

    #[test]
    fn colours_classify_by_channel() {
        assert_eq!(classify([0, 0, 0xFF]), Some(FontColour::Blue));
        assert_eq!(classify([0, 0, 0x80]), Some(FontColour::Blue));
        assert_eq!(classify([0xFF, 0, 0]), Some(FontColour::Red));
        assert_eq!(classify([0, 0, 0]), None);
        assert_eq!(classify([0xFF, 0, 0xFF]), None, "magenta is neither");
        assert_eq!(
            classify([0x99, 0x99, 0xFF]),
            None,
            "lavender is not SIPRI blue"
        );
    }

    #[test]
    fn cell_references_round_trip() {
        assert_eq!(parse_cell_ref("A1"), Some((0, 0)));
        assert_eq!(parse_cell_ref("BX110"), Some((109, 75)));
        assert_eq!(parse_cell_ref("AAA3"), Some((2, 702)));
        assert_eq!(parse_cell_ref("a1"), None);
        assert_eq!(parse_cell_ref("A0"), None);
        assert_eq!(parse_cell_ref("12"), None);
        for (r, c) in [(0, 0), (109, 75), (2, 702), (5, 25), (5, 26)] {
            assert_eq!(parse_cell_ref(&cell_ref(r, c)), Some((r, c)));
        }
    }
}
