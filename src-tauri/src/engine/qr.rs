//! Drawing QR codes (SVG for the UI) and finding them in pictures.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use super::error::{EngineError, Refused, Result};

/// Pictures larger than this are refused before decoding.
const MAX_IMAGE_BYTES: usize = 25 * 1024 * 1024;
/// Photos are scaled down to this many pixels on the long side: a phone
/// photo decodes in a fraction of the time and QR modules stay resolvable.
const MAX_SIDE: u32 = 1600;

/// An SVG drawing of `text` as a QR code, without the XML prolog so it can be
/// put straight into the page.
pub fn svg(text: &str) -> Result<String> {
    // Level M survives a scratched screen or a dim poster; our payloads are
    // short enough that the code stays coarse.
    // Every text Nabo draws is a short code; one too long to draw is a bug.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| {
        EngineError::Invariant {
            what: format!("a QR code of {} characters", text.len()),
        }
    })?;
    let drawn = code
        .render::<svg::Color>()
        .min_dimensions(280, 280)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok(match drawn.find("<svg") {
        Some(start) => drawn[start..].to_owned(),
        None => drawn,
    })
}

/// Reads the text of the QR code in a picture (PNG or JPEG bytes).
pub fn read_image(bytes: &[u8]) -> Result<String, Refused> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(Refused::ImageUnreadable);
    }
    let picture = image::load_from_memory(bytes).map_err(|_| Refused::ImageUnreadable)?;
    let picture = if picture.width().max(picture.height()) > MAX_SIDE {
        picture.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle)
    } else {
        picture
    };
    let luma = picture.to_luma8();
    let (w, h) = luma.dimensions();
    rxing::helpers::detect_in_luma(luma.into_raw(), w, h, Some(rxing::BarcodeFormat::QR_CODE))
        .map(|found| found.getText().to_owned())
        .map_err(|_| Refused::NoQrInImage)
}

/// A picture (PNG or JPEG) as a JPEG of at most `max` bytes, scaled down
/// to at most 1280 pixels on its long side (smaller and plainer until it
/// fits), so a phone photo travels in a sync.
pub fn photo_jpeg(bytes: &[u8], max: usize) -> Result<Vec<u8>, Refused> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(Refused::ImageUnreadable);
    }
    let picture = image::load_from_memory(bytes).map_err(|_| Refused::ImageUnreadable)?;
    for (side, quality) in [(1280, 80), (960, 70), (640, 60), (400, 50)] {
        let scaled = if picture.width().max(picture.height()) > side {
            picture.resize(side, side, image::imageops::FilterType::Triangle)
        } else {
            picture.clone()
        };
        let mut jpeg = Vec::new();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality);
        scaled
            .to_rgb8()
            .write_with_encoder(encoder)
            .map_err(|_| Refused::ImageUnreadable)?;
        if jpeg.len() <= max {
            return Ok(jpeg);
        }
    }
    Err(Refused::ImageUnreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawn_code_is_inline_svg() {
        let drawn = svg("nabo:c1:hello").unwrap();
        assert!(drawn.starts_with("<svg"));
        assert!(drawn.contains("viewBox"));
    }

    #[test]
    fn garbage_pictures_are_refused_not_panicked_on() {
        assert_eq!(read_image(b"not a picture"), Err(Refused::ImageUnreadable));
        assert_eq!(read_image(&[]), Err(Refused::ImageUnreadable));
    }

    #[test]
    fn a_blank_picture_has_no_code() {
        let blank = image::GrayImage::from_pixel(200, 200, image::Luma([255]));
        let mut png = Vec::new();
        image::DynamicImage::ImageLuma8(blank)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert_eq!(read_image(&png), Err(Refused::NoQrInImage));
    }
}
