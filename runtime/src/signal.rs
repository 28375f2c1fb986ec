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
//! the whole list at once with a swap and reverses it. Taking everything at
//! once leaves no ABA hazard (no node is ever popped singly), and a pushed
//! signal is in exactly one taken batch, so per-sender order survives. When a
//! process exits it *closes* its inbox: the head becomes a sentinel that makes
//! every later push fail, and the sender, told so, handles the dead target
//! itself (a link then yields `noproc`, a monitor a `'DOWN'` with `noproc`, a
//! message is dropped). So no signal is ever lost between "alive" and "dead".

use crate::heap::HeapFragment;
use crate::term::Term;
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
    signal: Signal,
    next: *mut Node,
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
        let node = Box::into_raw(Box::new(Node {
            signal,
            next: ptr::null_mut(),
        }));
        let mut head = self.head.load(Ordering::Acquire);
        loop {
            if head == CLOSED {
                // SAFETY: `node` came from `Box::into_raw` above and was never
                // published.
                let node = unsafe { Box::from_raw(node) };
                return Err(node.signal);
            }
            // SAFETY: `node` is still ours until the CAS publishes it.
            unsafe { (*node).next = head };
            match self
                .head
                .compare_exchange_weak(head, node, Ordering::Release, Ordering::Acquire)
            {
                Ok(_) => return Ok(()),
                Err(h) => head = h,
            }
        }
    }

    /// Whether a push would find nothing pending (a cheap check before
    /// `take`).
    pub fn is_empty(&self) -> bool {
        let h = self.head.load(Ordering::Acquire);
        h.is_null() || h == CLOSED
    }

    /// Takes every pending signal, oldest first, appending them to `out`.
    /// Owner only.
    pub fn take_into(&self, out: &mut std::collections::VecDeque<Signal>) {
        if self.is_empty() {
            return;
        }
        let list = self.head.swap(ptr::null_mut(), Ordering::Acquire);
        if list == CLOSED {
            // Taking from a closed inbox must leave it closed.
            self.head.store(CLOSED, Ordering::Release);
            return;
        }
        Self::append_reversed(list, out);
    }

    /// Closes the inbox, returning what was pending, oldest first. Every
    /// later push fails. Owner only.
    pub fn close(&self) -> std::collections::VecDeque<Signal> {
        let list = self.head.swap(CLOSED, Ordering::AcqRel);
        let mut out = std::collections::VecDeque::new();
        if list != CLOSED {
            Self::append_reversed(list, &mut out);
        }
        out
    }

    pub fn is_closed(&self) -> bool {
        self.head.load(Ordering::Acquire) == CLOSED
    }

    fn append_reversed(mut list: *mut Node, out: &mut std::collections::VecDeque<Signal>) {
        // The list is newest first; collect then reverse.
        let start = out.len();
        while !list.is_null() {
            // SAFETY: every node in a taken list came from `Box::into_raw` in
            // `push` and is owned by us now that the swap removed it.
            let node = unsafe { Box::from_raw(list) };
            list = node.next;
            out.push_back(node.signal);
        }
        out.make_contiguous()[start..].reverse();
    }
}

impl Drop for Inbox {
    fn drop(&mut self) {
        let list = *self.head.get_mut();
        if list != CLOSED {
            let mut q = std::collections::VecDeque::new();
            Self::append_reversed(list, &mut q);
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
        let mut q = std::collections::VecDeque::new();
        for i in 0..3 {
            assert!(inbox.push(small(i)).is_ok());
        }
        inbox.take_into(&mut q);
        assert!(inbox.push(small(3)).is_ok());
        inbox.take_into(&mut q);
        assert_eq!(q.iter().map(value).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
        assert!(inbox.push(small(4)).is_ok());
        let rest = inbox.close();
        assert_eq!(rest.iter().map(value).collect::<Vec<_>>(), vec![4]);
        assert!(inbox.push(small(5)).is_err());
        inbox.take_into(&mut q);
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
        let mut q = std::collections::VecDeque::new();
        let mut last = [-1i64; 4];
        let mut seen = 0;
        while seen < 40_000 {
            inbox.take_into(&mut q);
            while let Some(s) = q.pop_front() {
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
