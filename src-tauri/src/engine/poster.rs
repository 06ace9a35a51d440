//! Printed A4 pages besides member cards: an activity's poster, and paper
//! ballots of a budget round with their one-time codes.
//!
//! An activity's poster: a printable A4 page (PDF) with the activity's
//! title, when and where it meets, what a check-in earns, and its standing
//! check-in code, for a notice board or a door. The words besides the title
//! come from the UI in the coordinator's language.
//!
//! The page embeds its fonts (see [`super::print`]), so the words print in
//! Danish, English or Arabic as the coordinator's language has them.

use nabo_shared::activities::{CheckinCode, CheckinQrCode, PosterTexts, MAX_POSTER_TEXT};

use super::error::{Refused, Result};
use super::print::{self, Weight};
use super::Engine;
use nabo_shared::api::Missing;
use nabo_shared::ids::ActivityId;

/// A4 in points.
const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
/// The printed code's side: about 10.6 cm, readable from a couple of metres.
const QR_SIDE: f32 = 300.0;

impl Engine {
    /// The poster of an activity as PDF bytes, and the activity's title
    /// (coordinators only; not for an archived activity).
    pub fn poster(&self, activity: ActivityId, texts: &PosterTexts) -> Result<(Vec<u8>, String)> {
        let (qr, title) = self.poster_code(activity)?;
        let language = self.setting("lang")?.unwrap_or_else(|| "da".into());
        Ok((page(&title, texts, &qr, &language)?, title))
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
fn page(title: &str, texts: &PosterTexts, qr_text: &str, language: &str) -> Result<Vec<u8>> {
    let cut = |s: &str| -> String { s.trim().chars().take(MAX_POSTER_TEXT).collect() };
    let margins = (MARGIN, WIDTH - MARGIN);
    print::page(WIDTH, HEIGHT, title, language, |pen| {
        let mut y = MARGIN;
        let mut text = |y: &mut f32, s: &str, style: (Weight, f32)| {
            pen.paragraph(y, &cut(s), style, margins);
        };
        text(&mut y, &texts.community, (Weight::Regular, 14.0));
        y += 8.0;
        text(&mut y, title, (Weight::Bold, 34.0));
        y += 10.0;
        text(&mut y, &texts.heading, (Weight::Bold, 22.0));
        y += 12.0;
        let qr_top = y;
        y += QR_SIDE + 14.0;
        for line in [&texts.when, &texts.place, &texts.points] {
            text(&mut y, line, (Weight::Bold, 16.0));
        }
        y += 8.0;
        text(&mut y, &texts.how, (Weight::Regular, 12.0));
        text(&mut y, &texts.note, (Weight::Regular, 12.0));
        pen.qr(qr_text, (WIDTH - QR_SIDE) / 2.0, qr_top, QR_SIDE)
    })
}

/// Proposals listed on one printed ballot page.
const PROPOSALS_PER_PAGE: usize = 15;

/// The paper ballots of a round, one per code: the round, how to fill it
/// in, a box for each proposal on the ballot with its cost (on as many A4
/// pages as it takes), and on each page the one-time code in letters and
/// as a QR code. The words come from the UI in the coordinator's language.
pub(crate) fn census_ballots(
    round: &str,
    proposals: &[(String, u64)],
    codes: &[String],
    texts: &nabo_shared::budget::round::CensusTexts,
    language: &str,
) -> Result<Vec<u8>> {
    let cut = |s: &str| -> String { s.trim().chars().take(MAX_POSTER_TEXT).collect() };
    let margins = (MARGIN, WIDTH - MARGIN);
    let boxed = (MARGIN + 28.0, WIDTH - MARGIN);
    let per_code = proposals.len().div_ceil(PROPOSALS_PER_PAGE).max(1);
    let total = codes.len() * per_code;
    print::pages(WIDTH, HEIGHT, round, language, total, |page, pen| {
        let (code, part) = (&codes[page / per_code], page % per_code);
        let mut y = MARGIN;
        let mut heading = format!("{}: {}", cut(&texts.heading), cut(round));
        if per_code > 1 {
            heading.push_str(&format!(" ({}/{per_code})", part + 1));
        }
        pen.paragraph(&mut y, &heading, (Weight::Bold, 22.0), margins);
        y += 8.0;
        pen.paragraph(&mut y, &cut(&texts.how), (Weight::Regular, 13.0), margins);
        y += 12.0;
        let shown = proposals
            .iter()
            .skip(part * PROPOSALS_PER_PAGE)
            .take(PROPOSALS_PER_PAGE);
        for (title, cost) in shown {
            pen.frame(MARGIN, y + 6.0, 16.0, 16.0);
            pen.paragraph(
                &mut y,
                &format!("{} · {cost} kr.", cut(title)),
                (Weight::Regular, 14.0),
                boxed,
            );
            y += 10.0;
        }
        let qr_top = HEIGHT - MARGIN - 140.0;
        let beside = (MARGIN + 150.0, WIDTH - MARGIN);
        let mut at = qr_top;
        pen.paragraph(
            &mut at,
            &format!("{}: {code}", cut(&texts.code)),
            (Weight::Bold, 16.0),
            beside,
        );
        at += 6.0;
        pen.paragraph(
            &mut at,
            &cut(&texts.hand_in),
            (Weight::Regular, 12.0),
            beside,
        );
        pen.qr(code, MARGIN, qr_top, 140.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_a_pdf_with_its_fonts_embedded() {
        let pdf = page("Strikkecafé", &PosterTexts::default(), "nabo:c2:abc", "da").unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        // A subset of DejaVu Sans rides along; the built-in fonts do not.
        assert!(has(b"/FontFile2"), "no embedded font");
        assert!(has(b"DejaVuSans-Bold"), "the bold face is not the app's");
        assert!(!has(b"/Helvetica"));
    }
}
