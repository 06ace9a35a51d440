//! Printed pages (PDF): posters for activities and member cards.
//!
//! The pages embed DejaVu Sans (regular and bold, from `src-tauri/fonts`,
//! subset to the letters used), which covers Danish, English and Arabic,
//! so a name like "Æblegård" or "فاطمة" prints as written in any viewer.
//! Text is shaped (Arabic letters join), lines are measured with the same
//! shaper and wrapped at spaces, and each line is laid out by the Unicode
//! bidi algorithm: a right-to-left line is set from the right margin, with
//! left-to-right runs inside it (numbers, Latin names) in their order.

use std::ops::Range;
use std::sync::LazyLock;

use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use qrcode::{Color, EcLevel, QrCode};
use unicode_bidi::BidiInfo;

use super::error::{EngineError, Result};

static REGULAR_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// Light modules around a code, as the QR standard asks.
const QUIET: usize = 4;

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// One face: what the page embeds and what measures its lines.
struct Face {
    pdf: Font,
    shaper: rustybuzz::Face<'static>,
}

struct Faces {
    regular: Face,
    bold: Face,
}

static FACES: LazyLock<Option<Faces>> = LazyLock::new(|| {
    let face = |ttf: &'static [u8]| {
        Some(Face {
            pdf: Font::new(ttf.into(), 0)?,
            shaper: rustybuzz::Face::from_slice(ttf, 0)?,
        })
    };
    Some(Faces {
        regular: face(REGULAR_TTF)?,
        bold: face(BOLD_TTF)?,
    })
});

fn faces() -> Result<&'static Faces> {
    FACES.as_ref().ok_or_else(|| EngineError::Invariant {
        what: "the fonts built into the app could not be read".into(),
    })
}

impl Faces {
    fn get(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

impl Face {
    /// The width of `text` set in one direction at `size` points.
    fn width(&self, text: &str, size: f32, rtl: Option<bool>) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        match rtl {
            Some(true) => buffer.set_direction(rustybuzz::Direction::RightToLeft),
            Some(false) => buffer.set_direction(rustybuzz::Direction::LeftToRight),
            None => {}
        }
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / f32::from(self.shaper.units_per_em() as u16)
    }
}

/// A page being drawn; y grows downwards from the top edge, in points.
pub struct Pen<'s, 'p> {
    surface: &'s mut krilla::surface::Surface<'p>,
    faces: &'static Faces,
}

/// One page of `width` × `height` points as PDF bytes, titled `title` and
/// in `language` (a BCP 47 tag, for screen readers), drawn by `draw`.
pub fn page(
    width: f32,
    height: f32,
    title: &str,
    language: &str,
    draw: impl FnOnce(&mut Pen<'_, '_>) -> Result<()>,
) -> Result<Vec<u8>> {
    let mut draw = Some(draw);
    pages(width, height, title, language, 1, |_, pen| {
        match draw.take() {
            Some(draw) => draw(pen),
            None => Ok(()),
        }
    })
}

/// `count` pages of `width` × `height` points as one PDF, titled `title`
/// and in `language`, page `i` drawn by `draw(i, pen)`.
pub fn pages(
    width: f32,
    height: f32,
    title: &str,
    language: &str,
    count: usize,
    mut draw: impl FnMut(usize, &mut Pen<'_, '_>) -> Result<()>,
) -> Result<Vec<u8>> {
    let faces = faces()?;
    let settings = PageSettings::from_wh(width, height).ok_or_else(|| EngineError::Invariant {
        what: format!("a page of {width} × {height} points"),
    })?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language(language.to_owned())
            .creator("Nabo".to_owned()),
    );
    for i in 0..count {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        draw(
            i,
            &mut Pen {
                surface: &mut surface,
                faces,
            },
        )?;
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| EngineError::Invariant {
        what: format!("a PDF page could not be written: {e:?}"),
    })
}

impl Pen<'_, '_> {
    /// Sets `text` in lines that fit between `left` and `right`, the first
    /// baseline one line below `*y`, and moves `*y` below the last line.
    pub fn paragraph(
        &mut self,
        y: &mut f32,
        text: &str,
        (weight, size): (Weight, f32),
        (left, right): (f32, f32),
    ) {
        let face = self.faces.get(weight);
        for line in wrap(face, text, size, right - left) {
            *y += size * 1.25;
            self.line(&line, face, size, (left, right), *y);
        }
    }

    /// One line at baseline `y`, its runs in visual order, from the start of
    /// its reading direction.
    fn line(&mut self, line: &str, face: &Face, size: f32, (left, right): (f32, f32), y: f32) {
        let info = BidiInfo::new(line, None);
        let Some(para) = info.paragraphs.first() else {
            return;
        };
        let (levels, runs) = info.visual_runs(para, para.range.clone());
        let runs: Vec<(Range<usize>, bool, f32)> = runs
            .into_iter()
            .map(|run| {
                let rtl = levels[run.start].is_rtl();
                let width = face.width(&line[run.clone()], size, Some(rtl));
                (run, rtl, width)
            })
            .collect();
        let total: f32 = runs.iter().map(|r| r.2).sum();
        // At the start of its reading direction: the right margin for Arabic.
        let mut x = if para.level.is_rtl() {
            right - total
        } else {
            left
        };
        for (run, rtl, width) in runs {
            let direction = if rtl {
                TextDirection::RightToLeft
            } else {
                TextDirection::LeftToRight
            };
            self.surface.set_fill(Some(Fill::default()));
            self.surface.draw_text(
                Point::from_xy(x, y),
                face.pdf.clone(),
                size,
                &line[run],
                false,
                direction,
            );
            x += width;
        }
    }

    /// Draws `text` as a QR code, `side` points wide with its quiet zone,
    /// its top left corner at (`x`, `y`): each row's dark runs as filled
    /// rectangles, so it prints sharp at any size.
    pub fn qr(&mut self, text: &str, x: f32, y: f32, side: f32) -> Result<()> {
        let code =
            QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| {
                EngineError::Invariant {
                    what: format!("a printed QR code of {} characters", text.len()),
                }
            })?;
        let n = code.width();
        let module = side / (n + 2 * QUIET) as f32;
        let dark = |col: usize, row: usize| code[(col, row)] == Color::Dark;
        let mut path = PathBuilder::new();
        for row in 0..n {
            let top = y + (row + QUIET) as f32 * module;
            let mut col = 0;
            while col < n {
                if !dark(col, row) {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && dark(col, row) {
                    col += 1;
                }
                let left = x + (start + QUIET) as f32 * module;
                if let Some(rect) =
                    Rect::from_xywh(left, top, (col - start) as f32 * module, module)
                {
                    path.push_rect(rect);
                }
            }
        }
        if let Some(path) = path.finish() {
            self.surface.set_fill(Some(Fill::default()));
            self.surface.draw_path(&path);
        }
        Ok(())
    }

    /// A thin frame (a card's cutting line) around a rectangle.
    pub fn frame(&mut self, x: f32, y: f32, width: f32, height: f32) {
        let Some(rect) = Rect::from_xywh(x, y, width, height) else {
            return;
        };
        let mut path = PathBuilder::new();
        path.push_rect(rect);
        if let Some(path) = path.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(krilla::paint::Stroke {
                width: 0.75,
                ..Default::default()
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }
}

/// Splits `text` into lines no wider than `max` at `size` points, at
/// spaces; a word wider than a line is cut between letters.
fn wrap(face: &Face, text: &str, size: f32, max: f32) -> Vec<String> {
    let fits = |s: &str| face.width(s, size, None) <= max;
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if fits(&candidate) {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word alone: cut it where it stops fitting.
        let mut rest = word;
        while !fits(rest) {
            let cut = rest
                .char_indices()
                .map(|(i, _)| i)
                .rev()
                .find(|&i| i > 0 && fits(&rest[..i]))
                .unwrap_or_else(|| rest.chars().next().map_or(rest.len(), char::len_utf8));
            lines.push(rest[..cut].to_owned());
            rest = &rest[cut..];
        }
        line = rest.to_owned();
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_within_the_width() {
        let face = &faces().unwrap().bold;
        let text = "Lektiecafé for hele opgangen ".repeat(6);
        let lines = wrap(face, &text, 34.0, 480.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| face.width(l, 34.0, None) <= 480.0));
        assert_eq!(lines.join(" "), text.trim());
        let word = "x".repeat(100);
        let cut = wrap(face, &word, 34.0, 480.0);
        assert!(cut.len() > 1);
        assert!(cut.iter().all(|l| face.width(l, 34.0, None) <= 480.0));
        assert_eq!(cut.concat(), word);
        assert!(wrap(face, "", 12.0, 480.0).is_empty());
    }

    #[test]
    fn arabic_is_shaped_narrower_than_its_isolated_letters() {
        // Joined letters take their connecting forms; a shaper that did not
        // know Arabic would set each one isolated, and wider.
        let face = &faces().unwrap().regular;
        let joined = face.width("مرحبا", 20.0, Some(true));
        let isolated: f32 = "مرحبا"
            .chars()
            .map(|c| face.width(&c.to_string(), 20.0, Some(true)))
            .sum();
        assert!(joined > 0.0 && joined < isolated, "{joined} vs {isolated}");
    }
}
