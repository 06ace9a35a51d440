//! samod's [`Storage`] over Nabo's SQLite file, so the documents that network
//! sync moves live in the same store as everything else.
//!
//! samod's `put` cannot report a failure. A failed write is retried once
//! (the usual cause is a momentarily busy database); if it fails again it is
//! logged and counted in [`SqliteStorage::failures`], which the sync layer
//! checks after each round and reports instead of claiming success.

use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};
use samod::storage::{Storage, StorageKey};

use crate::engine::EngineError;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS samod_kv (k TEXT PRIMARY KEY, v BLOB NOT NULL)";

/// samod storage in a SQLite file (its own connection, WAL, so it can share
/// the file with the engine's).
#[derive(Clone)]
pub struct SqliteStorage {
    conn: Arc<Mutex<Connection>>,
    failures: Arc<AtomicU64>,
}

impl SqliteStorage {
    /// Opens the storage table in the SQLite file at `path`.
    pub fn open(path: &Path) -> Result<Self, EngineError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            failures: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Writes that failed twice since the storage was opened.
    pub fn failures(&self) -> u64 {
        self.failures.load(Ordering::SeqCst)
    }

    fn with_conn<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        f(&conn)
    }

    fn write(
        &self,
        what: &str,
        key: &StorageKey,
        f: impl Fn(&Connection) -> rusqlite::Result<usize>,
    ) {
        let result = self
            .with_conn(|c| f(c))
            .or_else(|_| self.with_conn(|c| f(c)));
        if let Err(e) = result {
            self.failures.fetch_add(1, Ordering::SeqCst);
            log::error!("sync storage could not {what} {key}: {e}");
        }
    }
}

impl Storage for SqliteStorage {
    fn load(&self, key: StorageKey) -> impl Future<Output = Option<Vec<u8>>> + Send {
        let found = self.with_conn(|c| {
            c.query_row(
                "SELECT v FROM samod_kv WHERE k = ?1",
                [key.to_string()],
                |r| r.get(0),
            )
            .optional()
        });
        std::future::ready(found.unwrap_or_else(|e| {
            log::error!("sync storage could not read {key}: {e}");
            None
        }))
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        // Keys are their parts joined by "/", so everything under a prefix
        // sorts from "prefix" up to "prefix" + "0" ('/' + 1); the exact
        // part-wise check then drops siblings such as "ab" under "a".
        let start = prefix.to_string();
        let end = format!("{start}0");
        let rows = self.with_conn(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT k, v FROM samod_kv WHERE k >= ?1 AND (?1 = '' OR k < ?2)",
            )?;
            let rows = stmt
                .query_map(params![start, end], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>();
            rows
        });
        let mut out = HashMap::new();
        match rows {
            Ok(rows) => {
                for (k, v) in rows {
                    match StorageKey::from_parts(k.split('/')) {
                        Ok(key) if prefix.is_prefix_of(&key) => {
                            out.insert(key, v);
                        }
                        Ok(_) => {}
                        Err(_) => log::warn!("sync storage holds a malformed key {k:?}"),
                    }
                }
            }
            Err(e) => log::error!("sync storage could not list {prefix}: {e}"),
        }
        std::future::ready(out)
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl Future<Output = ()> + Send {
        let k = key.to_string();
        self.write("write", &key, |c| {
            c.execute(
                "INSERT INTO samod_kv(k, v) VALUES (?1, ?2) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
                params![k, data],
            )
        });
        std::future::ready(())
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        let k = key.to_string();
        self.write("delete", &key, |c| {
            c.execute("DELETE FROM samod_kv WHERE k = ?1", [&k])
        });
        std::future::ready(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use samod::storage::InMemoryStorage;

    fn key(parts: &[&str]) -> StorageKey {
        StorageKey::from_parts(parts).expect("valid key")
    }

    /// The behaviour every samod storage must have; run against samod's
    /// in-memory storage too, so the suite itself is checked.
    async fn acceptance<S: Storage>(s: S) {
        assert_eq!(s.load(key(&["doc", "snapshot", "h1"])).await, None);
        s.put(key(&["doc", "snapshot", "h1"]), vec![1]).await;
        s.put(key(&["doc", "incremental", "c1"]), vec![2]).await;
        s.put(key(&["doc", "incremental", "c2"]), vec![3]).await;
        s.put(key(&["docx", "incremental", "c1"]), vec![4]).await;
        s.put(key(&["do", "incremental", "c1"]), vec![5]).await;
        s.put(key(&["doc", "snapshot", "h1"]), vec![6]).await;
        assert_eq!(
            s.load(key(&["doc", "snapshot", "h1"])).await,
            Some(vec![6]),
            "put overwrites"
        );

        let under = s.load_range(key(&["doc", "incremental"])).await;
        assert_eq!(under.len(), 2);
        assert_eq!(
            under.get(&key(&["doc", "incremental", "c2"])),
            Some(&vec![3])
        );
        let doc = s.load_range(key(&["doc"])).await;
        assert_eq!(
            doc.len(),
            3,
            "siblings that only share a string prefix stay out: {doc:?}"
        );
        let all = s
            .load_range(StorageKey::from_parts(Vec::<&str>::new()).unwrap())
            .await;
        assert_eq!(all.len(), 5);

        s.delete(key(&["doc", "incremental", "c1"])).await;
        s.delete(key(&["not", "there"])).await;
        assert_eq!(s.load(key(&["doc", "incremental", "c1"])).await, None);
        assert_eq!(s.load_range(key(&["doc", "incremental"])).await.len(), 1);
    }

    #[tokio::test]
    async fn the_in_memory_storage_passes_the_suite() {
        acceptance(InMemoryStorage::new()).await;
    }

    #[tokio::test]
    async fn the_sqlite_storage_passes_the_suite_and_keeps_data_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nabo.sqlite3");
        let storage = SqliteStorage::open(&path).unwrap();
        acceptance(storage.clone()).await;
        assert_eq!(storage.failures(), 0);
        drop(storage);
        let reopened = SqliteStorage::open(&path).unwrap();
        assert_eq!(
            reopened.load(key(&["doc", "snapshot", "h1"])).await,
            Some(vec![6])
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_samod_repo_keeps_its_documents_in_the_sqlite_file() {
        use automerge::transaction::Transactable;
        use automerge::{ReadDoc, ROOT};

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nabo.sqlite3");
        let repo = samod::Repo::build_tokio()
            .with_storage(SqliteStorage::open(&path).unwrap())
            .load()
            .await;
        let handle = repo.create(automerge::Automerge::new()).await.unwrap();
        handle
            .with_document(|doc| {
                doc.transact(|tx| tx.put(ROOT, "greeting", "hej"))
                    .map(|_| ())
                    .map_err(|f| f.error)
            })
            .unwrap();
        let id = handle.document_id().clone();
        repo.stop().await;

        let repo = samod::Repo::build_tokio()
            .with_storage(SqliteStorage::open(&path).unwrap())
            .load()
            .await;
        let found = repo
            .find(id)
            .await
            .unwrap()
            .expect("the document was stored");
        let greeting = found.with_document(|doc| {
            doc.get(ROOT, "greeting")
                .unwrap()
                .and_then(|(v, _)| v.into_string().ok())
        });
        assert_eq!(greeting.as_deref(), Some("hej"));
        repo.stop().await;
    }
}
