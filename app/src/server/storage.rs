//! Where uploaded materials live: content-addressed by SHA-256, so the same file uploaded
//! twice is stored once, a stored file never changes, and a database row can point at a file
//! by its hash alone.
//!
//! Built on `object_store`: a local directory by default (writes are atomic: a temporary file
//! renamed into place), and an S3-compatible store later without touching callers. The
//! upload service writes the file *before* the row that points at it, and deletes the file
//! again if that row's transaction fails and no other row uses the same content.
//!
//! Neither direction holds a whole file in memory: an upload is written to `staging/` as it
//! arrives and hashed chunk by chunk on the way ([`Incoming`]), then renamed under its hash;
//! a download is read as a stream ([`MaterialStore::open`]).

use std::sync::Arc;

use anyhow::{Context, anyhow};
use bytes::Bytes;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
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
    /// The directory of a local store: where the sweeper finds the partial files of uploads
    /// a crash cut short (`object_store` does not list them).
    dir: Option<std::path::PathBuf>,
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
            dir: Some(dir.to_path_buf()),
        })
    }

    /// A store in memory, for tests.
    pub fn in_memory() -> Self {
        MaterialStore {
            inner: Arc::new(InMemory::new()),
            dir: None,
        }
    }

    /// Stores `bytes` held whole under their hash, the same way an upload is stored.
    pub async fn put(&self, bytes: Bytes) -> anyhow::Result<StoredFile> {
        let mut incoming = self.receive().await?;
        incoming.write(bytes).await?;
        self.keep(incoming).await
    }

    /// Starts receiving a file: what is written goes to a staging file of its own, which
    /// [`MaterialStore::keep`] moves under the content's hash, and which is removed if the
    /// [`Incoming`] is dropped instead (a refused or broken upload leaves nothing behind).
    pub async fn receive(&self) -> anyhow::Result<Incoming> {
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|e| anyhow!("no randomness for a staging name: {e}"))?;
        let staging = Path::from(format!("{STAGING}/{}", hex::encode(id)));
        let upload = self
            .inner
            .put_multipart(&staging)
            .await
            .context("failed to start storing a material")?;
        Ok(Incoming {
            writer: WriteMultipart::new_with_chunk_size(upload, PART_BYTES),
            staging,
            hasher: Sha256::new(),
            size: 0,
            head: Vec::new(),
        })
    }

    /// Moves a received file under its hash. Content already there is replaced by the same
    /// bytes, so its modification time says when it was last uploaded: the sweeper never
    /// takes a file an upload has just handed to a new row.
    pub async fn keep(&self, incoming: Incoming) -> anyhow::Result<StoredFile> {
        let Incoming {
            writer,
            staging,
            hasher,
            size,
            ..
        } = incoming;
        writer
            .finish()
            .await
            .context("failed to store a material")?;
        let sha256 = hex::encode(hasher.finalize());
        let path = path_of(&sha256)?;
        if let Err(e) = self.inner.rename(&staging, &path).await {
            self.inner.delete(&staging).await.ok();
            return Err(anyhow::Error::new(e).context("failed to store a material"));
        }
        Ok(StoredFile { sha256, size })
    }

    /// Removes staging files last written before `before`: what a crash in the middle of an
    /// upload leaves (a store in memory has none). Returns how many.
    pub async fn sweep_staging(
        &self,
        before: chrono::DateTime<chrono::Utc>,
    ) -> anyhow::Result<usize> {
        let Some(dir) = &self.dir else {
            return Ok(0);
        };
        let staging = dir.join(STAGING);
        let before = std::time::SystemTime::from(before);
        tokio::task::spawn_blocking(move || {
            let Ok(entries) = std::fs::read_dir(&staging) else {
                return Ok(0);
            };
            let mut removed = 0;
            for entry in entries.flatten() {
                let stale = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|written| written < before);
                if stale && std::fs::remove_file(entry.path()).is_ok() {
                    removed += 1;
                }
            }
            Ok(removed)
        })
        .await
        .context("the staging sweep stopped")?
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

    /// The content with this hash as a stream, with its size, if stored; `None` for an
    /// unknown or ill-formed hash. What a download sends, chunk by chunk.
    pub async fn open(&self, sha256: &str) -> anyhow::Result<Option<(u64, ByteStream)>> {
        let Ok(path) = path_of(sha256) else {
            return Ok(None);
        };
        match self.inner.get(&path).await {
            Ok(result) => {
                use futures_util::StreamExt;
                let size = result.meta.size;
                Ok(Some((size, result.into_stream().boxed())))
            }
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

/// A stored file's content, chunk by chunk.
pub type ByteStream = futures_util::stream::BoxStream<'static, object_store::Result<Bytes>>;

/// Where files being received are written.
const STAGING: &str = "staging";

/// The size of the pieces a received file is written in: at most two of them are in memory
/// per upload (one filling, one being written).
const PART_BYTES: usize = 1024 * 1024;

/// A file being received (see [`MaterialStore::receive`]).
pub struct Incoming {
    writer: WriteMultipart,
    staging: Path,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
}

impl Incoming {
    /// Appends a chunk as it arrives: hashed (a network chunk at a time, so no task holds a
    /// worker long) and handed to the store, waiting while a piece is still being written.
    pub async fn write(&mut self, chunk: Bytes) -> anyhow::Result<()> {
        let wanted = crate::domain::upload::SNIFF_BYTES.saturating_sub(self.head.len());
        self.head
            .extend_from_slice(&chunk[..wanted.min(chunk.len())]);
        self.hasher.update(&chunk);
        self.size += chunk.len() as u64;
        self.writer
            .wait_for_capacity(1)
            .await
            .context("failed to store a material")?;
        self.writer.put(chunk);
        Ok(())
    }

    /// Bytes received so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The file's first [`crate::domain::upload::SNIFF_BYTES`] bytes (fewer if it is shorter).
    pub fn head(&self) -> &[u8] {
        &self.head
    }
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
