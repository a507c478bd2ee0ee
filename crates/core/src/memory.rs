//! Giving memory back to the OS after a large job that is over.

/// Hands memory that a large job freed back to the OS. glibc keeps freed memory in the arena of
/// the thread that used it, so without this a desktop app that once synced a 100,000-learner
/// provider (the writer's SQLite page cache, the pages queued for it) stays that much larger for
/// the rest of its run. Elsewhere the allocator decides for itself.
pub(crate) fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator's arenas; it has no
    // preconditions and touches no memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}
