//! Signals between processes, and the inbox every process receives them in.
//!
//! Everything one process does to another travels as a signal: a message, an
//! exit signal, a link or unlink, a monitor, demonitor or `'DOWN'`, a receive
//! timeout, a `process_info` request. Signals from one sender to one receiver
//! arrive in the order they were sent (BEAM's only ordering guarantee), and
//! the receiver handles them in that order, so a trapped exit signal lands in
//! the message queue behind the messages its sender sent before dying.
//!
//! The inbox is a lock-free multi-producer, single-consumer list: senders
//! push with a compare-and-swap on its head (a Treiber stack), the owner takes
//! the whole list at once with a swap and reverses it in place (a [`Batch`],
//! handed out one signal at a time, each node going back to a per-thread
//! free list as its signal is taken). Taking everything at once leaves no
//! ABA hazard (no node is ever popped singly), and a pushed signal is in
//! exactly one taken batch, so per-sender order survives. When a
//! process exits it *closes* its inbox: the head becomes a sentinel that makes
//! every later push fail, and the sender, told so, handles the dead target
//! itself (a link then yields `noproc`, a monitor a `'DOWN'` with `noproc`, a
//! message is dropped). So no signal is ever lost between "alive" and "dead".

use crate::heap::HeapFragment;
use crate::term::Term;
use std::cell::Cell;
use std::mem::MaybeUninit;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

/// A reference's identity: the two id words of a local `REF` object.
pub type RefId = [u64; 2];

/// A message: a term and the heap fragment that holds it (none for an
/// immediate or a term entirely in literal areas).
pub struct Message {
    pub term: Term,
    pub(crate) fragment: Option<HeapFragment>,
}

// SAFETY: a message's term points only into its own fragment (which moves
// with it), literal areas or atomically counted off-heap binaries.
unsafe impl Send for Message {}

impl Message {
    pub fn new(term: Term, fragment: Option<HeapFragment>) -> Message {
        Message { term, fragment }
    }

    /// Words of process-private memory the message takes.
    pub fn words(&self) -> usize {
        self.fragment.as_ref().map_or(0, |f| f.used_words())
    }
}

/// How an exit signal was sent, which decides how it is handled.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ExitKind {
    /// From a linked process that exited: acted on only while the link
    /// still exists; `kill` here is an ordinary reason.
    Link,
    /// From `exit(Pid, Reason)`: `kill` is untrappable and becomes `killed`;
    /// `normal` is ignored unless the sender is the receiver itself.
    Exit2,
}

/// A reply channel for a request made from outside any process (a test, the
/// runtime's own threads).
pub type ExternalReply = std::sync::mpsc::Sender<Option<crate::process::InfoValue>>;

/// Where the answer to a `process_info` request goes.
pub enum InfoReplyTo {
    /// A message `{Ref, Answer}` to this pid.
    Process {
        pid: u64,
        id: RefId,
    },
    External(ExternalReply),
}

pub enum Signal {
    Message(Message),
    /// `msg` is the whole `{'EXIT', From, Reason}` tuple, built by the sender
    /// so that a trapping receiver can queue it as it is.
    Exit {
        from: u64,
        kind: ExitKind,
        msg: Message,
    },
    Link {
        from: u64,
    },
    Unlink {
        from: u64,
    },
    /// `name` is set when the monitor was made through a registered name:
    /// the `'DOWN'` message then names `{Name, Node}` instead of the pid.
    Monitor {
        from: u64,
        id: RefId,
        name: Option<crate::atom::Atom>,
    },
    Demonitor {
        from: u64,
        id: RefId,
    },
    /// `msg` is the whole `{'DOWN', Ref, process, Object, Reason}` tuple.
    Down {
        id: RefId,
        msg: Message,
    },
    /// The receive timer of wait number `seq` fired.
    ReceiveTimeout {
        seq: u64,
    },
    Info {
        items: Vec<crate::process::InfoItem>,
        reply: InfoReplyTo,
    },
}

struct Node {
    /// Written by `push`, moved out by whoever takes the node; a node on a
    /// free list holds none.
    signal: MaybeUninit<Signal>,
    next: *mut Node,
}

/// Free nodes kept per thread, so a signal costs no allocator call once a
/// thread is warm. A node is usually made by the sender's thread and freed
/// by the receiver's; each list is capped, so nodes drifting from one
/// thread to another go back to the allocator past the cap.
struct NodeCache {
    head: Cell<*mut Node>,
    len: Cell<usize>,
}

/// Free nodes kept per thread.
const NODE_CACHE_MAX: usize = 256;

thread_local! {
    static NODES: NodeCache = const {
        NodeCache {
            head: Cell::new(ptr::null_mut()),
            len: Cell::new(0),
        }
    };
}

impl Drop for NodeCache {
    fn drop(&mut self) {
        let mut n = self.head.get();
        while !n.is_null() {
            // SAFETY: every node on the list came from `Box::into_raw` in
            // `new_node` and holds no signal.
            let node = unsafe { Box::from_raw(n) };
            n = node.next;
        }
    }
}

/// A node holding `signal`, from this thread's free list if it has one.
fn new_node(signal: Signal) -> *mut Node {
    let cached = NODES
        .try_with(|c| {
            let n = c.head.get();
            if !n.is_null() {
                // SAFETY: a node on the free list is owned by the list.
                c.head.set(unsafe { (*n).next });
                c.len.set(c.len.get() - 1);
            }
            n
        })
        .unwrap_or(ptr::null_mut());
    if cached.is_null() {
        return Box::into_raw(Box::new(Node {
            signal: MaybeUninit::new(signal),
            next: ptr::null_mut(),
        }));
    }
    // SAFETY: taken off the free list above: ours, holding no signal.
    unsafe {
        (*cached).signal.write(signal);
        (*cached).next = ptr::null_mut();
    }
    cached
}

/// Gives back a node whose signal has been moved out.
///
/// # Safety
/// `node` came from `new_node`, is owned by the caller and holds no signal.
unsafe fn free_node(node: *mut Node) {
    let kept = NODES
        .try_with(|c| {
            let len = c.len.get();
            if len >= NODE_CACHE_MAX {
                return false;
            }
            // SAFETY: the caller owns `node`.
            unsafe { (*node).next = c.head.get() };
            c.head.set(node);
            c.len.set(len + 1);
            true
        })
        .unwrap_or(false);
    if !kept {
        // SAFETY: per this function's contract; dropping a `Node` drops no
        // signal (`MaybeUninit`).
        drop(unsafe { Box::from_raw(node) });
    }
}

/// Signals taken from an inbox, oldest first: a list of the inbox's own
/// nodes, handed out one signal at a time.
pub struct Batch {
    head: *mut Node,
    /// The newest node (null when empty).
    tail: *mut Node,
}

// SAFETY: a batch owns its nodes, and signals are `Send`.
unsafe impl Send for Batch {}

impl Default for Batch {
    fn default() -> Self {
        Batch::new()
    }
}

impl Batch {
    pub const fn new() -> Batch {
        Batch {
            head: ptr::null_mut(),
            tail: ptr::null_mut(),
        }
    }

    /// A batch of a list taken from an inbox (newest first), reversed in
    /// place.
    fn from_newest_first(list: *mut Node) -> Batch {
        let mut prev = ptr::null_mut();
        let mut cur = list;
        while !cur.is_null() {
            // SAFETY: every node of a taken list is owned by the taker.
            unsafe {
                let next = (*cur).next;
                (*cur).next = prev;
                prev = cur;
                cur = next;
            }
        }
        Batch {
            head: prev,
            tail: list,
        }
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.head.is_null()
    }

    /// The oldest signal.
    pub fn pop(&mut self) -> Option<Signal> {
        let n = self.head;
        if n.is_null() {
            return None;
        }
        // SAFETY: the batch owns its nodes, each holding a signal; the
        // signal is moved out once, then the node is given back.
        unsafe {
            self.head = (*n).next;
            if self.head.is_null() {
                self.tail = ptr::null_mut();
            }
            let s = (*n).signal.assume_init_read();
            free_node(n);
            Some(s)
        }
    }

    /// Appends `other`'s signals after this batch's.
    #[inline]
    pub fn append(&mut self, mut other: Batch) {
        if other.head.is_null() {
            return;
        }
        if self.head.is_null() {
            self.head = other.head;
        } else {
            // SAFETY: `tail` is this batch's last node.
            unsafe { (*self.tail).next = other.head };
        }
        self.tail = other.tail;
        other.head = ptr::null_mut();
        other.tail = ptr::null_mut();
    }

    /// The signals, oldest first.
    pub fn iter(&self) -> BatchIter<'_> {
        BatchIter {
            next: self.head,
            _batch: std::marker::PhantomData,
        }
    }
}

impl Iterator for Batch {
    type Item = Signal;

    fn next(&mut self) -> Option<Signal> {
        self.pop()
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        if !self.head.is_null() {
            while self.pop().is_some() {}
        }
    }
}

pub struct BatchIter<'a> {
    next: *mut Node,
    _batch: std::marker::PhantomData<&'a Batch>,
}

impl<'a> Iterator for BatchIter<'a> {
    type Item = &'a Signal;

    fn next(&mut self) -> Option<&'a Signal> {
        let n = self.next;
        if n.is_null() {
            return None;
        }
        // SAFETY: the batch borrowed for `'a` owns the node, which holds a
        // signal.
        unsafe {
            self.next = (*n).next;
            Some((*n).signal.assume_init_ref())
        }
    }
}

impl<'a> IntoIterator for &'a Batch {
    type Item = &'a Signal;
    type IntoIter = BatchIter<'a>;

    fn into_iter(self) -> BatchIter<'a> {
        self.iter()
    }
}

/// The head value of a closed inbox. Never dereferenced; no allocation is
/// ever placed at the dangling address (the first page is never mapped).
const CLOSED: *mut Node = std::ptr::dangling_mut::<Node>();

/// A lock-free multi-producer, single-consumer signal list.
pub struct Inbox {
    head: AtomicPtr<Node>,
}

// SAFETY: nodes are handed from producers to the consumer through the atomic
// head with release/acquire ordering; signals are `Send`.
unsafe impl Send for Inbox {}
// SAFETY: as above; `push` may be called from any thread, `take`/`close`
// only by the owner, which the process state machine guarantees.
unsafe impl Sync for Inbox {}

impl Default for Inbox {
    fn default() -> Self {
        Inbox::new()
    }
}

impl Inbox {
    pub const fn new() -> Inbox {
        Inbox {
            head: AtomicPtr::new(ptr::null_mut()),
        }
    }

    /// Pushes a signal; gives it back when the inbox is closed (the owner
    /// has exited).
    pub fn push(&self, signal: Signal) -> Result<(), Signal> {
        let node = new_node(signal);
        let mut head = self.head.load(Ordering::Acquire);
        loop {
            if head == CLOSED {
                // SAFETY: `node` came from `new_node` above and was never
                // published; its signal is moved out once.
                let signal = unsafe { (*node).signal.assume_init_read() };
                // SAFETY: as above, and the signal is out.
                unsafe { free_node(node) };
                return Err(signal);
            }
            // SAFETY: `node` is still ours until the CAS publishes it.
            unsafe { (*node).next = head };
            match self
                .head
                .compare_exchange_weak(head, node, Ordering::SeqCst, Ordering::Acquire)
            {
                Ok(_) => return Ok(()),
                Err(h) => head = h,
            }
        }
    }

    /// Whether a push would find nothing pending (a cheap check before
    /// `take`).
    #[inline]
    pub fn is_empty(&self) -> bool {
        let h = self.head.load(Ordering::SeqCst);
        h.is_null() || h == CLOSED
    }

    /// Takes every pending signal, oldest first. Owner only.
    pub fn take(&self) -> Batch {
        if self.is_empty() {
            return Batch::new();
        }
        let list = self.head.swap(ptr::null_mut(), Ordering::SeqCst);
        if list == CLOSED {
            // Taking from a closed inbox must leave it closed.
            self.head.store(CLOSED, Ordering::Release);
            return Batch::new();
        }
        Batch::from_newest_first(list)
    }

    /// Closes the inbox, returning what was pending, oldest first. Every
    /// later push fails. Owner only.
    pub fn close(&self) -> Batch {
        let list = self.head.swap(CLOSED, Ordering::SeqCst);
        if list == CLOSED {
            return Batch::new();
        }
        Batch::from_newest_first(list)
    }

    pub fn is_closed(&self) -> bool {
        self.head.load(Ordering::Acquire) == CLOSED
    }
}

impl Drop for Inbox {
    fn drop(&mut self) {
        let list = *self.head.get_mut();
        if list != CLOSED {
            drop(Batch::from_newest_first(list));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(i: i64) -> Signal {
        Signal::Message(Message::new(Term::small(i).unwrap(), None))
    }

    fn value(s: &Signal) -> i64 {
        match s {
            Signal::Message(m) => m.term.small_value().unwrap(),
            _ => -1,
        }
    }

    #[test]
    fn order_is_kept_across_batches_and_close_refuses() {
        let inbox = Inbox::new();
        let mut q = Batch::new();
        for i in 0..3 {
            assert!(inbox.push(small(i)).is_ok());
        }
        q.append(inbox.take());
        assert!(inbox.push(small(3)).is_ok());
        q.append(inbox.take());
        assert_eq!(q.iter().map(value).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
        assert_eq!(q.pop().as_ref().map(value), Some(0));
        assert!(inbox.push(small(4)).is_ok());
        q.append(inbox.take());
        assert_eq!(q.map(|s| value(&s)).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
        assert!(inbox.push(small(5)).is_ok());
        let rest = inbox.close();
        assert_eq!(rest.iter().map(value).collect::<Vec<_>>(), vec![5]);
        assert!(inbox.push(small(6)).is_err());
        assert!(inbox.take().is_empty());
        assert!(inbox.is_closed());
    }

    #[test]
    fn concurrent_producers_keep_their_own_order() {
        let inbox = std::sync::Arc::new(Inbox::new());
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let inbox = inbox.clone();
                std::thread::spawn(move || {
                    for i in 0..10_000 {
                        assert!(inbox.push(small(t * 1_000_000 + i)).is_ok());
                    }
                })
            })
            .collect();
        let mut last = [-1i64; 4];
        let mut seen = 0;
        while seen < 40_000 {
            for s in inbox.take() {
                let v = value(&s);
                let (t, i) = ((v / 1_000_000) as usize, v % 1_000_000);
                assert!(i > last[t], "out of order");
                last[t] = i;
                seen += 1;
            }
        }
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(last, [9_999; 4]);
    }
}
