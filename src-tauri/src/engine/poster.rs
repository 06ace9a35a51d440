//! An activity's poster: a printable A4 page (PDF) with the activity's
//! title, when and where it meets, what a check-in earns, and its standing
//! check-in code, for a notice board or a door. The words besides the title
//! come from the UI in the coordinator's language.
//!
//! The page uses PDF's built-in Helvetica, so nothing is embedded and any
//! printer or viewer shows it; that font covers Western European letters
//! (Danish and English). A character it cannot show is printed as `?`.

use nabo_shared::activities::{CheckinCode, CheckinQrCode, PosterTexts, MAX_POSTER_TEXT};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use qrcode::{Color, EcLevel, QrCode};

use super::error::{EngineError, Refused, Result};
use super::Engine;
use nabo_shared::api::Missing;
use nabo_shared::ids::ActivityId;

/// A4 in points.
const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
/// The printed code's side: about 10.6 cm, readable from a couple of metres.
const QR_SIDE: f32 = 300.0;
/// Light modules around the code, as the QR standard asks.
const QUIET: usize = 4;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

impl Engine {
    /// The poster of an activity as PDF bytes, and the activity's title
    /// (coordinators only; not for an archived activity).
    pub fn poster(&self, activity: ActivityId, texts: &PosterTexts) -> Result<(Vec<u8>, String)> {
        let (qr, title) = self.poster_code(activity)?;
        Ok((page(&title, texts, &qr)?, title))
    }

    /// The text of an activity's standing check-in code, as its poster
    /// prints it, and the activity's title (coordinators only; not for an
    /// archived activity).
    pub fn poster_code(&self, activity: ActivityId) -> Result<(String, String)> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        let a = self
            .activity(&ctx, activity)?
            .ok_or(Refused::NotFound(Missing::Activity))?;
        if a.archived {
            return Err(Refused::ActivityArchived.into());
        }
        let code = CheckinCode::standing(&self.key, ctx.community, activity);
        let qr = CheckinQrCode::labelled(&self.key, code, &a.title, a.reward).encode();
        Ok((qr, a.title))
    }
}

/// Lays out the page.
fn page(title: &str, texts: &PosterTexts, qr_text: &str) -> Result<Vec<u8>> {
    let cut = |s: &str| -> String { s.trim().chars().take(MAX_POSTER_TEXT).collect() };
    let mut c = Content::new();
    let mut y = HEIGHT - MARGIN;
    let text = |c: &mut Content, y: &mut f32, s: &str, font: Name<'_>, size: f32| {
        for line in wrap(&cut(s), size, font == BOLD) {
            *y -= size * 1.25;
            c.begin_text();
            c.set_font(font, size);
            c.next_line(MARGIN, *y);
            c.show(Str(&win_ansi(&line)));
            c.end_text();
        }
    };
    text(&mut c, &mut y, &texts.community, REGULAR, 14.0);
    y -= 8.0;
    text(&mut c, &mut y, title, BOLD, 34.0);
    y -= 10.0;
    text(&mut c, &mut y, &texts.heading, BOLD, 22.0);
    y -= 12.0;
    y -= QR_SIDE;
    draw_qr(&mut c, qr_text, (WIDTH - QR_SIDE) / 2.0, y)?;
    y -= 14.0;
    for line in [&texts.when, &texts.place, &texts.points] {
        text(&mut c, &mut y, line, BOLD, 16.0);
    }
    y -= 8.0;
    text(&mut c, &mut y, &texts.how, REGULAR, 12.0);
    text(&mut c, &mut y, &texts.note, REGULAR, 12.0);

    let mut pdf = Pdf::new();
    let (catalog, tree, page, content, regular, bold, info) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
        Ref::new(6),
        Ref::new(7),
    );
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
    p.parent(tree);
    p.contents(content);
    p.resources()
        .fonts()
        .pair(REGULAR, regular)
        .pair(BOLD, bold);
    p.finish();
    for (id, name) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
        pdf.type1_font(id)
            .base_font(Name(name.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info).title(TextStr(title));
    pdf.stream(content, &c.finish());
    Ok(pdf.finish())
}

/// Draws `text` as a QR code, `QR_SIDE` wide, with its lower left corner
/// at (`x`, `y`): each row's dark runs as filled rectangles.
fn draw_qr(c: &mut Content, text: &str, x: f32, y: f32) -> Result<()> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| {
        EngineError::Invariant {
            what: format!("a poster QR code of {} characters", text.len()),
        }
    })?;
    let n = code.width();
    let module = QR_SIDE / (n + 2 * QUIET) as f32;
    let dark = |col: usize, row: usize| code[(col, row)] == Color::Dark;
    c.set_fill_rgb(0.0, 0.0, 0.0);
    for row in 0..n {
        let top = y + QR_SIDE - (row + QUIET) as f32 * module;
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
            c.rect(
                x + (start + QUIET) as f32 * module,
                top - module,
                (col - start) as f32 * module,
                module,
            );
        }
    }
    c.fill_nonzero();
    Ok(())
}

/// Splits `text` into lines that fit the page at `size` points, at spaces
/// (a word longer than a line is cut). Widths are Helvetica's average
/// letter width, on the safe side.
fn wrap(text: &str, size: f32, bold: bool) -> Vec<String> {
    let per_char = size * if bold { 0.62 } else { 0.56 };
    let max = (((WIDTH - 2.0 * MARGIN) / per_char) as usize).max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: String = word.to_owned();
        while word.chars().count() > max {
            let head: String = word.chars().take(max).collect();
            word = word.chars().skip(max).collect();
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(head);
        }
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` in the built-in fonts' encoding (Windows-1252); what it cannot
/// hold becomes `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut one = [0u8; 8];
    for ch in text.chars() {
        let mut encoder = encoding_rs::WINDOWS_1252.new_encoder();
        let (result, _, written) = encoder.encode_from_utf8_without_replacement(
            ch.encode_utf8(&mut [0u8; 4]),
            &mut one,
            true,
        );
        match result {
            encoding_rs::EncoderResult::InputEmpty if written > 0 => {
                out.extend_from_slice(&one[..written]);
            }
            _ => out.push(b'?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_letters_are_kept_and_others_marked() {
        assert_eq!(win_ansi("Strikkecafé"), b"Strikkecaf\xe9".to_vec());
        assert_eq!(
            win_ansi("Æblegård – 5 €"),
            b"\xc6bleg\xe5rd \x96 5 \x80".to_vec()
        );
        assert_eq!(win_ansi("مرحبا"), b"?????".to_vec());
    }

    #[test]
    fn long_text_wraps_within_the_margins() {
        let text = "Lektiecafé for hele opgangen ".repeat(6);
        let lines = wrap(&text, 34.0, true);
        assert!(lines.len() > 3);
        let max = ((WIDTH - 2.0 * MARGIN) / (34.0 * 0.62)) as usize;
        assert!(lines.iter().all(|l| l.chars().count() <= max));
        assert_eq!(lines.join(" "), text.trim());
        let word = "x".repeat(100);
        assert!(wrap(&word, 34.0, true)
            .iter()
            .all(|l| l.chars().count() <= max));
        assert!(wrap("", 12.0, false).is_empty());
    }

    #[test]
    fn a_page_is_a_pdf_with_its_title() {
        let pdf = page("Strikkecafé", &PosterTexts::default(), "nabo:c2:abc").unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // The title in the fonts' encoding (é is E9), as a hex string.
        let title = b"<537472696B6B65636166E9> Tj";
        assert!(
            pdf.windows(title.len()).any(|w| w == title),
            "{}",
            String::from_utf8_lossy(&pdf)
        );
        assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));
    }
}
