//! The engine's errors, and how they become the UI's [`ApiError`].

use nabo_shared::api::ApiError;

/// Everything that can go wrong inside the engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The SQLite store failed; the transaction was rolled back.
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// An Automerge document could not be read or changed.
    #[error("document {doc}: {source}")]
    Document {
        /// Which document.
        doc: String,
        /// What Automerge said (boxed: it is large and rare).
        #[source]
        source: Box<automerge::AutomergeError>,
    },
    /// Something stored on this device is unreadable (a bug or disk damage).
    #[error("stored data is unreadable: {what}")]
    Corrupt {
        /// What could not be read.
        what: String,
    },
    /// The operating system's random number generator failed.
    #[error("no randomness available: {0}")]
    Random(getrandom::Error),
    /// The request breaks a rule: the UI shows why.
    #[error(transparent)]
    Refused(#[from] ApiError),
}

impl EngineError {
    pub(crate) fn doc(doc: impl std::fmt::Display, source: automerge::AutomergeError) -> Self {
        EngineError::Document {
            doc: doc.to_string(),
            source: Box::new(source),
        }
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Refused(api) => api,
            other => {
                log::error!("{other}");
                ApiError::Storage {
                    detail: other.to_string(),
                }
            }
        }
    }
}

/// Shorthand for results inside the engine.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;
