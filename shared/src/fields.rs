//! Form fields: what can be wrong with one, and the limits every form shares.

use serde::{Deserialize, Serialize};

/// A field of a form the engine refuses, with what is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    /// Left empty.
    #[error("is required")]
    Required,
    /// Longer than allowed.
    #[error("is too long")]
    TooLong,
    /// A number outside the allowed range.
    #[error("is out of range")]
    OutOfRange,
    /// Ends before it starts.
    #[error("ends before it starts")]
    EndsBeforeStart,
    /// Smaller than the reward it must hold.
    #[error("is smaller than the reward")]
    BelowReward,
    /// Not a date or time that exists (31 February, 25:00).
    #[error("is not a valid date or time")]
    Invalid,
    /// Takes back more points than the member has.
    #[error("is more than the balance")]
    MoreThanBalance,
}

/// Longest title or name accepted.
pub const MAX_TITLE: usize = 80;
/// Longest description or place accepted.
pub const MAX_TEXT: usize = 2000;

/// A required short text (a name, a title), trimmed; what is wrong with it
/// otherwise.
pub fn required(value: &str, max: usize) -> Result<String, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        Err(FieldProblem::Required)
    } else if value.chars().count() > max {
        Err(FieldProblem::TooLong)
    } else {
        Ok(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_required_text_is_trimmed_and_bounded() {
        assert_eq!(required("  Sara ", MAX_TITLE), Ok("Sara".into()));
        assert_eq!(required(" \n", MAX_TITLE), Err(FieldProblem::Required));
        assert_eq!(
            required(&"å".repeat(81), MAX_TITLE),
            Err(FieldProblem::TooLong)
        );
        assert_eq!(
            required(&"å".repeat(80), MAX_TITLE).map(|s| s.len()),
            Ok(160)
        );
    }
}
