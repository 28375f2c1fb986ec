//! Off-heap binaries: byte buffers larger than a heap binary may hold, shared
//! between processes by reference count instead of being copied.
//!
//! A process refers to one through a small `REFC_BIN` handle object on its
//! heap. Each live handle owns one count. The GC keeps a list of the handles in
//! each generation; a handle that did not survive a collection gives its count
//! back (BEAM's off-heap "MSO" list), and the last count frees the buffer.

use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering, fence};

/// A reference-counted byte buffer outside every process heap.
pub struct OffHeapBinary {
    refc: AtomicUsize,
    data: Box<[u8]>,
}

impl OffHeapBinary {
    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.data
    }

    /// Current number of counted references (heap handles plus `BinaryRef`s).
    pub fn refcount(&self) -> usize {
        self.refc.load(Ordering::Acquire)
    }

    /// Adds a count for a new handle.
    ///
    /// # Safety
    /// `p` must point to a live binary (one whose count is above zero).
    pub(crate) unsafe fn retain(p: *const OffHeapBinary) {
        // SAFETY: the caller guarantees `p` is live.
        unsafe { (*p).refc.fetch_add(1, Ordering::Relaxed) };
    }

    /// Gives back one count; frees the binary when it was the last.
    ///
    /// # Safety
    /// `p` must point to a live binary and the caller must own the count it
    /// gives back; `p` must not be used afterwards.
    pub(crate) unsafe fn release(p: *const OffHeapBinary) {
        // SAFETY: the caller owns a count, so `p` is live here.
        if unsafe { (*p).refc.fetch_sub(1, Ordering::Release) } == 1 {
            // Synchronise with every earlier release before freeing, as `Arc`.
            fence(Ordering::Acquire);
            // SAFETY: the count reached zero, so no one else refers to it, and
            // it was made by `Box::into_raw` in `BinaryRef::new`.
            drop(unsafe { Box::from_raw(p as *mut OffHeapBinary) });
        }
    }
}

/// A counted reference held by Rust code (a port driver, a test, the code
/// that builds a binary before it is put in a heap).
pub struct BinaryRef(NonNull<OffHeapBinary>);

// SAFETY: the count is atomic and the bytes are immutable once shared.
unsafe impl Send for BinaryRef {}
// SAFETY: as above.
unsafe impl Sync for BinaryRef {}

impl BinaryRef {
    pub fn new(bytes: Vec<u8>) -> BinaryRef {
        let b = Box::new(OffHeapBinary {
            refc: AtomicUsize::new(1),
            data: bytes.into_boxed_slice(),
        });
        BinaryRef(NonNull::from(Box::leak(b)))
    }

    /// Turns this reference's count into a raw one (for a heap handle).
    pub(crate) fn into_raw(self) -> *const OffHeapBinary {
        let p = self.0.as_ptr() as *const OffHeapBinary;
        std::mem::forget(self);
        p
    }
}

impl std::ops::Deref for BinaryRef {
    type Target = OffHeapBinary;
    fn deref(&self) -> &OffHeapBinary {
        // SAFETY: this reference owns a count, so the binary is live.
        unsafe { self.0.as_ref() }
    }
}

impl Clone for BinaryRef {
    fn clone(&self) -> BinaryRef {
        // SAFETY: live, as above.
        unsafe { OffHeapBinary::retain(self.0.as_ptr()) };
        BinaryRef(self.0)
    }
}

impl Drop for BinaryRef {
    fn drop(&mut self) {
        // SAFETY: this reference owns the count it gives back.
        unsafe { OffHeapBinary::release(self.0.as_ptr()) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_follow_clones_and_raw_handles() {
        let a = BinaryRef::new(vec![1; 100]);
        assert_eq!(a.refcount(), 1);
        let b = a.clone();
        assert_eq!(a.refcount(), 2);
        let raw = b.into_raw();
        assert_eq!(a.refcount(), 2);
        // SAFETY: `raw` owns the count taken over from `b`.
        unsafe { OffHeapBinary::release(raw) };
        assert_eq!(a.refcount(), 1);
        assert_eq!(a.bytes().len(), 100);
    }
}
