//! The index's tantivy directory: tantivy's memory-mapped directory, with the `fdatasync`s a
//! commit needs made once per commit, side by side, instead of one after another as each file
//! is finished.
//!
//! tantivy's [`MmapDirectory`] syncs every segment file when it is finished, and its
//! [`ManagedDirectory`](tantivy::directory::ManagedDirectory) rewrites and syncs
//! `.managed.json` (the list of files tantivy may delete) before each new file: twelve
//! `fdatasync`s per segment, each waiting for the disk in turn. A 10k-section run spent 10–20 ms
//! of its 0.27–0.30 s in them (measured by making them no-ops). Only a commit needs them: `meta.json`,
//! written last, is what names a segment, so a segment's files must be on disk before it is,
//! and not before. This directory therefore keeps each finished file open until the commit, and
//! syncs them all (and `.managed.json`) side by side just before `meta.json` is written, as
//! tantivy's commit does with the directory itself.
//!
//! What a crash of the machine between two commits can leave is what it could leave before,
//! plus one thing: a `.managed.json` that is stale or torn (written, not yet synced). The last
//! commit's files are intact either way. [`DeferredSyncDirectory::open`] repairs such a list
//! before tantivy reads it: every segment file in the folder is listed, so tantivy's garbage
//! collection still removes the files of segments no commit names.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, INDEX_WRITER_LOCK, Lock, MmapDirectory,
    TerminatingWrite, WatchCallback, WatchHandle, WritePtr,
};

/// tantivy's list of the files it manages (and may delete).
const MANAGED_FILE: &str = ".managed.json";
/// tantivy's commit point, written last by each commit.
const META_FILE: &str = "meta.json";

/// A [`MmapDirectory`] whose files are synced at the commit that names them (see the module
/// documentation).
#[derive(Clone, Debug)]
pub(crate) struct DeferredSyncDirectory {
    root: PathBuf,
    inner: MmapDirectory,
    /// Files written since the last commit, and whether `.managed.json` was rewritten since.
    pending: Arc<Mutex<Pending>>,
}

#[derive(Debug, Default)]
struct Pending {
    files: Vec<File>,
    managed_written: bool,
    /// Why a sync failed, once one has: every later commit fails (see [`Pending::record`]).
    failed: Option<String>,
}

impl DeferredSyncDirectory {
    /// Opens the folder `root` (which must exist), first repairing a `.managed.json` that a
    /// machine crash left stale or torn. (Only while no writer is at work: a writer's list is
    /// its own to keep, and it repaired the list when it opened the folder. The writer lock is
    /// taken only when the list needs repair, so that a search never keeps a writer from
    /// starting.)
    pub(crate) fn open(root: &Path) -> io::Result<DeferredSyncDirectory> {
        let inner = MmapDirectory::open(root).map_err(|e| io::Error::other(e.to_string()))?;
        if managed_list_if_broken(root)?.is_some()
            && let Ok(_writer_lock) = inner.acquire_lock(&INDEX_WRITER_LOCK)
            && let Some(whole) = managed_list_if_broken(root)?
        {
            write_managed_list(root, &whole)?;
        }
        Ok(DeferredSyncDirectory {
            root: root.to_path_buf(),
            inner,
            pending: Arc::default(),
        })
    }

    /// Syncs every file written since the last commit, and `.managed.json` if it was rewritten,
    /// side by side (on ext4 their block allocations then share journal commits instead of
    /// each waiting for its own).
    fn sync_pending(&self) -> io::Result<()> {
        let (files, managed_written) = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.check()?;
            (
                std::mem::take(&mut pending.files),
                std::mem::take(&mut pending.managed_written),
            )
        };
        let synced = (|| {
            let mut files = files;
            if managed_written {
                files.push(File::open(self.root.join(MANAGED_FILE))?);
            }
            sync_all_data(&files)
        })();
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .record(synced)
    }
}

impl Pending {
    /// An error if a sync of this directory ever failed.
    fn check(&self) -> io::Result<()> {
        match &self.failed {
            Some(reason) => Err(io::Error::other(format!(
                "an earlier fdatasync of this index failed ({reason}); no later commit can be \
                 trusted, so this run commits nothing more (run it again)"
            ))),
            None => Ok(()),
        }
    }

    /// Records the outcome of a sync. A failed one is never tried again: after a failed
    /// `fdatasync` Linux may report the next one of the same file as a success although the
    /// data never reached the disk, so a later commit would name files that are not whole.
    fn record(&mut self, synced: io::Result<()>) -> io::Result<()> {
        if let Err(e) = &synced {
            self.failed.get_or_insert_with(|| e.to_string());
        }
        synced
    }
}

/// Threads that sync a commit's files side by side, at most.
const SYNC_THREADS: usize = 8;

/// Finished files kept open for the next commit, at most: past this many (a long run between
/// commits, many segments flushed) they are synced at once, so that a run never holds more
/// descriptors than this.
const MAX_PENDING: usize = 256;

/// `fdatasync` of each file, up to [`SYNC_THREADS`] at a time.
fn sync_all_data(files: &[File]) -> io::Result<()> {
    let threads = files.len().min(SYNC_THREADS);
    if threads <= 1 {
        return files.iter().try_for_each(File::sync_data);
    }
    // Thread `t` syncs files t, t + threads, t + 2 × threads, …; this thread is thread 0.
    let sync_every = |t: usize| -> io::Result<()> {
        files
            .iter()
            .skip(t)
            .step_by(threads)
            .try_for_each(File::sync_data)
    };
    std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads)
            .map(|t| scope.spawn(move || sync_every(t)))
            .collect();
        let mut result = sync_every(0);
        for handle in others {
            let synced = handle
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("fdatasync thread panicked")));
            result = result.and(synced);
        }
        result
    })
}

/// Whether `name` is a segment file's: 32 hex digits (the segment id), a dot, an extension.
pub(crate) fn is_segment_file(name: &str) -> bool {
    name.len() > 33
        && name.as_bytes()[32] == b'.'
        && name.as_bytes()[..32].iter().all(u8::is_ascii_hexdigit)
}

/// The list `.managed.json` should hold when it does not list every segment file in `root`
/// (see the module documentation) or does not parse; `None` when it is whole. (A list tantivy
/// keeps names each file before the file is made, so it is whole whenever no machine crash
/// intervened.)
fn managed_list_if_broken(root: &Path) -> io::Result<Option<BTreeSet<String>>> {
    let listed = read_managed_list(root)?;
    let mut managed = listed.clone().unwrap_or_default();
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        if let Some(name) = entry.file_name().to_str()
            && is_segment_file(name)
        {
            managed.insert(name.to_string());
        }
    }
    // A folder with no list and no segment files (a new index) is tantivy's to set up.
    Ok((listed.as_ref() != Some(&managed)).then_some(managed))
}

/// The files `.managed.json` in `root` lists (none when there is no list yet); `None` when it
/// does not parse (torn).
fn read_managed_list(root: &Path) -> io::Result<Option<BTreeSet<String>>> {
    match std::fs::read(root.join(MANAGED_FILE)) {
        Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Some(BTreeSet::new())),
        Err(e) => Err(e),
    }
}

/// Writes `.managed.json` whole and durably.
fn write_managed_list(root: &Path, managed: &BTreeSet<String>) -> io::Result<()> {
    let mut json = serde_json::to_vec(managed)?;
    json.push(b'\n');
    let tmp = root.join(".managed.json.repair");
    let mut file = File::create(&tmp)?;
    file.write_all(&json)?;
    file.sync_data()?;
    std::fs::rename(&tmp, root.join(MANAGED_FILE))?;
    File::open(root)?.sync_data()
}

/// A file tantivy writes: synced at the commit, not when finished.
struct DeferredFile {
    file: Option<File>,
    pending: Arc<Mutex<Pending>>,
}

impl Write for DeferredFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("write after terminate")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl TerminatingWrite for DeferredFile {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        let full = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.files.push(file);
            if pending.files.len() < MAX_PENDING {
                return Ok(());
            }
            std::mem::take(&mut pending.files)
        };
        let synced = sync_all_data(&full);
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .record(synced)
    }
}

impl Directory for DeferredSyncDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        // As `MmapDirectory::open_write`, without the sync at the end.
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.root.join(path))
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    OpenWriteError::FileAlreadyExists(path.to_path_buf())
                } else {
                    OpenWriteError::wrap_io_error(e, path.to_path_buf())
                }
            })?;
        Ok(io::BufWriter::new(Box::new(DeferredFile {
            file: Some(file),
            pending: self.pending.clone(),
        })))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        if path == Path::new(MANAGED_FILE) {
            // Written whole and renamed into place, synced at the next commit.
            let tmp = self
                .root
                .join(format!(".managed.json.{}.tmp", std::process::id()));
            std::fs::write(&tmp, data)?;
            std::fs::rename(&tmp, self.root.join(MANAGED_FILE))?;
            self.pending
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .managed_written = true;
            return Ok(());
        }
        if path == Path::new(META_FILE) {
            // The commit point: what it names must be on disk first. (tantivy has synced the
            // directory just before, in `sync_directory` below, which synced the files too.)
            self.sync_pending()?;
        }
        self.inner.atomic_write(path, data)
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }

    fn sync_directory(&self) -> io::Result<()> {
        // tantivy syncs the directory before writing `meta.json` (and after deleting files):
        // the files' own data goes first, so that the directory entries it makes durable name
        // whole files.
        self.sync_pending()?;
        self.inner.sync_directory()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn segment_file_names() {
        assert!(is_segment_file("9a93b2fc8ef4405da01ec23fccd7d06f.idx"));
        assert!(is_segment_file("9a93b2fc8ef4405da01ec23fccd7d06f.12.del"));
        assert!(!is_segment_file("meta.json"));
        assert!(!is_segment_file("kamerzoek-parser"));
        assert!(!is_segment_file("9a93b2fc8ef4405da01ec23fccd7d06f"));
        assert!(!is_segment_file("9a93b2fc8ef4405da01ec23fccd7d06g.idx"));
    }

    #[test]
    fn after_a_failed_sync_nothing_commits() {
        let mut pending = Pending::default();
        assert!(pending.record(Ok(())).is_ok());
        assert!(pending.check().is_ok());
        assert!(pending.record(Err(io::Error::other("EIO"))).is_err());
        let later = pending.check().unwrap_err().to_string();
        assert!(later.contains("EIO"), "{later}");
        // A later success does not clear it.
        assert!(pending.record(Ok(())).is_ok());
        assert!(pending.check().is_err());
    }

    /// An empty folder of this test process's own.
    pub(crate) fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("kamerzoek-directory-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn listed(dir: &Path) -> BTreeSet<String> {
        serde_json::from_slice(&std::fs::read(dir.join(MANAGED_FILE)).unwrap()).unwrap()
    }

    #[test]
    fn a_torn_list_is_rebuilt_from_the_segment_files() {
        let dir = scratch("torn");
        let seg = "0123456789abcdef0123456789abcdef";
        std::fs::write(dir.join(format!("{seg}.idx")), b"x").unwrap();
        std::fs::write(dir.join(format!("{seg}.store")), b"x").unwrap();
        std::fs::write(dir.join("kamerzoek-parser"), b"x").unwrap();
        std::fs::write(dir.join(MANAGED_FILE), b"[\"0123").unwrap();
        DeferredSyncDirectory::open(&dir).unwrap();
        assert_eq!(
            listed(&dir),
            BTreeSet::from([format!("{seg}.idx"), format!("{seg}.store")])
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_stale_list_gains_the_files_it_missed_and_keeps_the_rest() {
        let dir = scratch("stale");
        let seg = "fedcba9876543210fedcba9876543210";
        std::fs::write(dir.join(format!("{seg}.pos")), b"x").unwrap();
        std::fs::write(dir.join(MANAGED_FILE), b"[\"meta.json\"]\n").unwrap();
        DeferredSyncDirectory::open(&dir).unwrap();
        assert_eq!(
            listed(&dir),
            BTreeSet::from([format!("{seg}.pos"), "meta.json".to_string()])
        );
        // A whole list is left as it is.
        let before = std::fs::metadata(dir.join(MANAGED_FILE))
            .unwrap()
            .modified()
            .unwrap();
        DeferredSyncDirectory::open(&dir).unwrap();
        let after = std::fs::metadata(dir.join(MANAGED_FILE))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_list_is_left_to_the_writer_that_holds_the_folder() {
        let dir = scratch("locked");
        std::fs::write(dir.join("0123456789abcdef0123456789abcdef.idx"), b"x").unwrap();
        std::fs::write(dir.join(MANAGED_FILE), b"[\"01").unwrap();
        let lock = MmapDirectory::open(&dir)
            .unwrap()
            .acquire_lock(&INDEX_WRITER_LOCK)
            .unwrap();
        DeferredSyncDirectory::open(&dir).unwrap();
        assert_eq!(std::fs::read(dir.join(MANAGED_FILE)).unwrap(), b"[\"01");
        drop(lock);
        DeferredSyncDirectory::open(&dir).unwrap();
        assert_eq!(
            listed(&dir),
            BTreeSet::from(["0123456789abcdef0123456789abcdef.idx".to_string()])
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_new_folder_gets_no_list() {
        let dir = scratch("new");
        DeferredSyncDirectory::open(&dir).unwrap();
        assert!(!dir.join(MANAGED_FILE).exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
