//! A process's message queue and the selective-receive primitives that erlc
//! emits, plus the builder that makes messages in heap fragments.
//!
//! Senders never touch the receiver's heap: a message is copied into a fresh
//! heap fragment by the sender and pushed to the receiver's lock-free inbox
//! (`signal.rs`); the owner moves it into this private queue. A queued
//! message keeps its own fragment, so the receiver's collections never need
//! to see the queue; `remove_message` attaches the fragment to the process
//! heap, where it becomes young data like any other. What a collection
//! does with messages still queued depends on `message_queue_data`: with
//! `on_heap` it moves them onto the heap, with `off_heap` it leaves them in
//! their fragments (see `Process::garbage_collect`).
//!
//! # Receive, as compiled code runs it
//!
//! erlc lowers `receive` to a loop over these primitives:
//!
//! ```text
//! loop:  case recv_peek_message() of           -- coral_recv_peek
//!          none    -> case recv_wait_timeout(T) of   -- coral_recv_wait_timeout
//!                       timed out -> timeout(), after-body   -- coral_recv_timeout
//!                       otherwise -> goto loop
//!          Msg     -> match Msg: on a clause hit remove_message(), body
//!                                 (coral_remove_message); else recv_next(),
//!                                 goto loop (coral_recv_next)
//! ```
//!
//! The save pointer marks the first message not yet tried by the current
//! receive; `remove_message` and `timeout` reset it to the queue's start.
//! When `recv_wait_timeout` must block, it answers `SUSPEND`: the code
//! saves its state and returns `status::WAIT` to the scheduler, which
//! resumes it when a message or the timeout arrives; the code then calls
//! `recv_wait_timeout` again, which now answers `RECHECK` or `TIMED_OUT`.
//! The timer is started once per receive (on the first suspension) and
//! cancelled by `remove_message` or `timeout`, as in BEAM.

use crate::atom::Atom;
use crate::copy::{CopySource, RawDest, size_of};
use crate::heap::HeapFragment;
use crate::signal::{Message, RefId};
use crate::term::{Header, HeaderKind, HeapAccess, Term, Word};
use std::collections::VecDeque;

/// The private message queue with its save pointer.
#[derive(Default)]
pub struct MessageQueue {
    pub(crate) messages: VecDeque<Message>,
    /// Index of the next message `recv_peek_message` looks at.
    pub(crate) save: usize,
}

impl MessageQueue {
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub fn save_pointer(&self) -> usize {
        self.save
    }

    pub(crate) fn push(&mut self, m: Message) {
        self.messages.push_back(m);
    }

    /// The message at the save pointer.
    pub fn peek(&self) -> Option<Term> {
        self.messages.get(self.save).map(|m| m.term)
    }

    pub fn next(&mut self) {
        if self.save < self.messages.len() {
            self.save += 1;
        }
    }

    /// Takes the message at the save pointer and resets the save pointer.
    pub(crate) fn remove_current(&mut self) -> Option<Message> {
        let m = if self.save == 0 {
            self.messages.pop_front()
        } else {
            self.messages.remove(self.save)
        };
        self.save = 0;
        m
    }

    pub fn reset(&mut self) {
        self.save = 0;
    }

    pub fn terms(&self) -> impl Iterator<Item = Term> + '_ {
        self.messages.iter().map(|m| m.term)
    }

    /// Words the queued messages take.
    pub fn words(&self) -> usize {
        self.messages.iter().map(Message::words).sum()
    }

    /// Removes every message for which `f` is true (used by
    /// `demonitor(Ref, [flush])`); keeps the save pointer on the same
    /// message.
    /// `heap` is the owner's heap, where messages without a fragment of
    /// their own live.
    pub(crate) fn remove_where(
        &mut self,
        heap: &dyn HeapAccess,
        mut f: impl FnMut(Term, &dyn HeapAccess) -> bool,
    ) {
        let mut i = 0;
        while i < self.messages.len() {
            let m = &self.messages[i];
            let src: &dyn HeapAccess = match &m.fragment {
                Some(frag) => frag,
                None => heap,
            };
            if f(m.term, src) {
                self.messages.remove(i);
                if i < self.save {
                    self.save -= 1;
                }
            } else {
                i += 1;
            }
        }
    }
}

/// Builds one message in one heap fragment sized up front: copies of terms
/// from other heaps, tuples around them, fresh references.
pub struct FragmentBuilder;

/// One piece of a message being built.
pub enum Part<'a> {
    /// A term (copied if its source owns it).
    Copy(Term, &'a dyn CopySource),
    /// An atom or other immediate.
    Imm(Term),
    /// A new local reference with this id.
    Ref(RefId),
}

/// Words of a local reference object.
const REF_WORDS: usize = 3;

impl FragmentBuilder {
    /// A message that is the tuple of `parts` (`tuple == true`) or the
    /// single part `parts[0]`.
    pub fn build(parts: &[Part<'_>], tuple: bool) -> Message {
        let copy_words: usize = parts
            .iter()
            .map(|p| match p {
                Part::Copy(t, src) => size_of(*t, *src),
                _ => 0,
            })
            .sum();
        let refs = parts.iter().filter(|p| matches!(p, Part::Ref(_))).count();
        let own_words = refs * REF_WORDS + if tuple { 1 + parts.len() } else { 0 };
        let words = copy_words + own_words;
        if words == 0 {
            let t = match parts.first() {
                Some(Part::Copy(t, _)) | Some(Part::Imm(t)) => *t,
                _ => Term::NIL,
            };
            return Message::new(t, None);
        }
        let mut frag = HeapFragment::new(words);
        let Some(start) = frag.alloc(words) else {
            return Message::new(Term::NIL, None);
        };
        // Copies fill `[start, start + copy_words)`; references and the
        // tuple are bumped from `own` above them.
        let mut dest = RawDest::new(start, copy_words);
        // SAFETY: `copy_words <= words`, inside the fragment.
        let mut own = unsafe { start.add(copy_words) };
        // The parts' terms: on the native stack for the usual few parts.
        let mut inline = [Term::NIL; 8];
        let mut spilled = Vec::new();
        let terms: &mut [Term] = if parts.len() <= inline.len() {
            &mut inline[..parts.len()]
        } else {
            spilled.resize(parts.len(), Term::NIL);
            &mut spilled
        };
        for (slot, p) in terms.iter_mut().zip(parts) {
            *slot = match p {
                Part::Copy(t, src) => dest.copy(*t, *src, false),
                Part::Imm(t) => *t,
                Part::Ref(id) => {
                    // SAFETY: `own` has `REF_WORDS` words reserved for this
                    // reference (counted in `own_words`).
                    unsafe {
                        *own = Header::new(HeaderKind::Ref, 2).to_word();
                        *own.add(1) = id[0] as Word;
                        *own.add(2) = id[1] as Word;
                        let t = Term::boxed_from_address(own as usize);
                        own = own.add(REF_WORDS);
                        t
                    }
                }
            };
        }
        let term = if tuple {
            // SAFETY: the last `1 + len` words were reserved for the tuple.
            unsafe {
                *own = Header::new(HeaderKind::Tuple, terms.len()).to_word();
                for (i, e) in terms.iter().enumerate() {
                    *own.add(1 + i) = e.raw();
                }
            }
            Term::boxed_from_address(own as usize)
        } else {
            terms.first().copied().unwrap_or(Term::NIL)
        };
        frag.off_heap.append(&mut dest.off_heap);
        Message::new(term, Some(frag))
    }
}

/// A message holding a copy of `term` from `src`.
pub fn copy_message(term: Term, src: &dyn CopySource) -> Message {
    let words = size_of(term, src);
    if words == 0 {
        return Message::new(term, None);
    }
    let mut frag = HeapFragment::new(words);
    let Some(start) = frag.alloc(words) else {
        return Message::new(Term::NIL, None);
    };
    let mut dest = RawDest::new(start, words);
    let t = dest.copy(term, src, false);
    frag.off_heap.append(&mut dest.off_heap);
    Message::new(t, Some(frag))
}

/// `{Tag, Ref, Object, ...}`-style tuples of atoms are common in signals;
/// this names the atom parts.
pub fn atom(a: Atom) -> Part<'static> {
    Part::Imm(Term::atom(a))
}

/// Answers of `coral_recv_wait_timeout`.
pub mod wait {
    /// New messages may have arrived: peek again.
    pub const RECHECK: u64 = 0;
    /// The timeout expired (or was 0): run the `after` body.
    pub const TIMED_OUT: u64 = 1;
    /// Nothing yet: save state and return `status::WAIT` to the scheduler.
    pub const SUSPEND: u64 = 2;
    /// The timeout is not `infinity` or a non-negative integer.
    pub const BADARG: u64 = 3;
}
