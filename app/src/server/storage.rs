//! Where uploaded materials live: content-addressed by SHA-256, so the same file uploaded
//! twice is stored once, a stored file never changes, and a database row can point at a file
//! by its hash alone.
//!
//! Built on `object_store`: a local directory by default (writes are atomic: a temporary file
//! renamed into place), and an S3-compatible store later without touching callers. The
//! upload service writes the file *before* the row that points at it, and deletes the file
//! again if that row's transaction fails and no other row uses the same content.

use std::sync::Arc;

use anyhow::{Context, anyhow};
use bytes::Bytes;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};

/// A stored file: its SHA-256 (hex, the key) and size in bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    pub sha256: String,
    pub size: u64,
}

/// The material store.
#[derive(Clone, Debug)]
pub struct MaterialStore {
    inner: Arc<dyn ObjectStore>,
}

impl MaterialStore {
    /// A store in `dir` (created if missing).
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("failed to create {}", dir.display()))?;
        let fs = LocalFileSystem::new_with_prefix(dir)
            .with_context(|| format!("failed to open {}", dir.display()))?;
        Ok(MaterialStore {
            inner: Arc::new(fs),
        })
    }

    /// A store in memory, for tests.
    pub fn in_memory() -> Self {
        MaterialStore {
            inner: Arc::new(InMemory::new()),
        }
    }

    /// Stores `bytes` under their hash. Content already there is written again (atomically),
    /// so its modification time says when it was last uploaded: the sweeper never takes a
    /// file an upload has just handed to a new row.
    pub async fn put(&self, bytes: Bytes) -> anyhow::Result<StoredFile> {
        let sha256 = hex_sha256(&bytes);
        let size = bytes.len() as u64;
        let path = path_of(&sha256)?;
        self.inner
            .put(&path, PutPayload::from(bytes))
            .await
            .context("failed to store material")?;
        Ok(StoredFile { sha256, size })
    }

    /// Every stored file: its hash and when it was last written.
    pub async fn list(&self) -> anyhow::Result<Vec<(String, chrono::DateTime<chrono::Utc>)>> {
        use futures_util::TryStreamExt;
        let prefix = Path::from("materials");
        let found: Vec<_> = self
            .inner
            .list(Some(&prefix))
            .try_collect()
            .await
            .context("failed to list the material store")?;
        Ok(found
            .into_iter()
            .filter_map(|meta| {
                let name = meta.location.filename()?.to_string();
                path_of(&name).ok()?;
                Some((name, meta.last_modified))
            })
            .collect())
    }

    /// The content with this hash, if stored; `None` for an unknown or ill-formed hash.
    pub async fn get(&self, sha256: &str) -> anyhow::Result<Option<Bytes>> {
        let Ok(path) = path_of(sha256) else {
            return Ok(None);
        };
        match self.inner.get(&path).await {
            Ok(result) => Ok(Some(
                result
                    .bytes()
                    .await
                    .context("failed to read a stored material")?,
            )),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(anyhow::Error::new(e).context("failed to open a stored material")),
        }
    }

    /// Removes the content with this hash (nothing happens if it is not stored).
    pub async fn delete(&self, sha256: &str) -> anyhow::Result<()> {
        let path = path_of(sha256)?;
        match self.inner.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(anyhow::Error::new(e).context("failed to delete a stored material")),
        }
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `materials/ab/abcdef…`: a fan-out directory keeps directories small. Only a 64-character
/// lower-case hex hash is a key, so no input can name a path outside the store.
fn path_of(sha256: &str) -> anyhow::Result<Path> {
    if sha256.len() != 64
        || !sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(anyhow!("not a SHA-256 hex digest: {sha256:?}"));
    }
    Ok(Path::from(format!("materials/{}/{sha256}", &sha256[..2])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn content_is_stored_once_under_its_hash_on_disk() {
        let dir = std::env::temp_dir().join(format!("ow-store-{}", std::process::id()));
        let store = MaterialStore::local(&dir).unwrap();
        let a = store
            .put(Bytes::from_static(b"%PDF-1.7 contract"))
            .await
            .unwrap();
        let b = store
            .put(Bytes::from_static(b"%PDF-1.7 contract"))
            .await
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(a.size, 17);
        let file = dir.join("materials").join(&a.sha256[..2]).join(&a.sha256);
        assert_eq!(std::fs::read(&file).unwrap(), b"%PDF-1.7 contract");
        assert_eq!(
            store.get(&a.sha256).await.unwrap().as_deref(),
            Some(&b"%PDF-1.7 contract"[..])
        );
        store.delete(&a.sha256).await.unwrap();
        assert!(!file.exists());
        assert_eq!(store.get(&a.sha256).await.unwrap(), None);
        store.delete(&a.sha256).await.unwrap();
        std::fs::remove_dir_all(&dir).ok();
    }

    #[tokio::test]
    async fn only_a_hash_can_name_a_stored_file() {
        let store = MaterialStore::in_memory();
        for key in [
            "../../etc/passwd",
            "",
            "ABCDEF",
            &"g".repeat(64),
            &"A".repeat(64),
        ] {
            assert_eq!(store.get(key).await.unwrap(), None, "{key}");
        }
        assert!(store.delete("../x").await.is_err());
    }
}
