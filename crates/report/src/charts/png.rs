//! SVG to PNG with resvg, drawing text only in the Inter subset compiled into the
//! binary: no system font is ever loaded, so a PNG is the same on a laptop and on a
//! headless CI machine with no fonts installed.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::fonts::{FAMILY, INTER_REGULAR, INTER_SEMIBOLD};

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot read the chart SVG: {0}")]
    Svg(String),
    #[error("a {width}x{height} px image is too large to rasterise (scale {scale})")]
    Size { width: u32, height: u32, scale: f32 },
    #[error("cannot encode the PNG: {0}")]
    Png(String),
}

/// The only fonts the rasteriser knows: Inter Regular and SemiBold, also under the
/// generic family names, so any `font-family` list resolves to them.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(INTER_REGULAR.to_vec());
        db.load_font_data(INTER_SEMIBOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        db.set_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Largest side of a PNG, in pixels (a guard against a runaway scale).
const MAX_SIDE: f32 = 16_384.0;

/// Rasterise an SVG at `scale` times its size (2.0 for slides) on its own background.
pub fn to_png(svg: &str, scale: f32) -> Result<Vec<u8>, ChartError> {
    let options = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| ChartError::Svg(e.to_string()))?;
    let size = tree.size();
    let (w, h) = (size.width() * scale, size.height() * scale);
    let fits = scale.is_finite() && scale > 0.0 && w >= 1.0 && h >= 1.0;
    if !fits || w > MAX_SIDE || h > MAX_SIDE {
        return Err(ChartError::Size {
            width: w as u32,
            height: h as u32,
            scale,
        });
    }
    let (pw, ph) = (w.ceil() as u32, h.ceil() as u32);
    let mut pixmap = tiny_skia::Pixmap::new(pw, ph).ok_or(ChartError::Size {
        width: pw,
        height: ph,
        scale,
    })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ChartError::Png(e.to_string()))
}
