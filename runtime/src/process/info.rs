//! `process_info/1,2`: the items a process reports about itself.
//!
//! Another process's information is asked for with a signal, answered by
//! the target itself when it next handles signals (as BEAM does), so nothing
//! here reads a process from a foreign thread. The answer is built as the
//! `[{Item, Value}]` list in a scratch heap and copied into a message.

use super::{Process, pid_term};
use crate::atom::{self, Atom};
use crate::copy::copy_term;
use crate::heap::ProcessMemory;
use crate::mailbox::copy_message;
use crate::signal::Message;
use crate::term::Term;
use std::sync::atomic::Ordering;

/// The answer to a request from outside any process: the `[{Item, Value}]`
/// list in its own fragment (`None` for a dead process).
pub type InfoValue = Message;

/// The items Coral reports.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum InfoItem {
    Status,
    MessageQueueLen,
    Messages,
    Links,
    Monitors,
    MonitoredBy,
    TrapExit,
    HeapSize,
    TotalHeapSize,
    StackSize,
    Memory,
    Reductions,
    RegisteredName,
    Dictionary,
    CurrentFunction,
    CurrentStacktrace,
    InitialCall,
    Priority,
    GroupLeader,
    MessageQueueData,
    MaxHeapSize,
    GarbageCollection,
    MinHeapSize,
    MinBinVheapSize,
    FullsweepAfter,
}

impl InfoItem {
    const ALL: [(InfoItem, &'static str); 25] = [
        (InfoItem::Status, "status"),
        (InfoItem::MessageQueueLen, "message_queue_len"),
        (InfoItem::Messages, "messages"),
        (InfoItem::Links, "links"),
        (InfoItem::Monitors, "monitors"),
        (InfoItem::MonitoredBy, "monitored_by"),
        (InfoItem::TrapExit, "trap_exit"),
        (InfoItem::HeapSize, "heap_size"),
        (InfoItem::TotalHeapSize, "total_heap_size"),
        (InfoItem::StackSize, "stack_size"),
        (InfoItem::Memory, "memory"),
        (InfoItem::Reductions, "reductions"),
        (InfoItem::RegisteredName, "registered_name"),
        (InfoItem::Dictionary, "dictionary"),
        (InfoItem::CurrentFunction, "current_function"),
        (InfoItem::CurrentStacktrace, "current_stacktrace"),
        (InfoItem::InitialCall, "initial_call"),
        (InfoItem::Priority, "priority"),
        (InfoItem::GroupLeader, "group_leader"),
        (InfoItem::MessageQueueData, "message_queue_data"),
        (InfoItem::MaxHeapSize, "max_heap_size"),
        (InfoItem::GarbageCollection, "garbage_collection"),
        (InfoItem::MinHeapSize, "min_heap_size"),
        (InfoItem::MinBinVheapSize, "min_bin_vheap_size"),
        (InfoItem::FullsweepAfter, "fullsweep_after"),
    ];

    pub fn from_atom(a: Atom) -> Option<InfoItem> {
        let text = a.text()?;
        Self::ALL.iter().find(|(_, n)| *n == text).map(|(i, _)| *i)
    }

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(i, _)| *i == self)
            .map_or("undefined", |(_, n)| n)
    }

    /// The items of `process_info/1` that Coral has, in BEAM's order.
    pub fn default_items() -> &'static [InfoItem] {
        &[
            InfoItem::CurrentFunction,
            InfoItem::InitialCall,
            InfoItem::Status,
            InfoItem::MessageQueueLen,
            InfoItem::Links,
            InfoItem::Dictionary,
            InfoItem::TrapExit,
            InfoItem::Priority,
            InfoItem::GroupLeader,
            InfoItem::TotalHeapSize,
            InfoItem::HeapSize,
            InfoItem::StackSize,
            InfoItem::Reductions,
        ]
    }
}

fn atom_term(text: &str) -> Term {
    Term::atom(Atom::intern(text).unwrap_or(atom::UNDEFINED))
}

fn mfa(h: &mut ProcessMemory, m: Option<(Atom, Atom, u32)>) -> Term {
    match m {
        Some((m, f, a)) => {
            let a = h.int(a as i64);
            h.tuple(&[Term::atom(m), Term::atom(f), a])
                .unwrap_or(Term::NIL)
        }
        None => Term::atom(atom::UNDEFINED),
    }
}

/// The answer of `p` to a request for `items`.
pub(crate) fn answer(p: &Process, items: &[InfoItem]) -> Message {
    let mut h = ProcessMemory::with_min_heap_size(0);
    let mut pairs = Vec::with_capacity(items.len());
    for &item in items {
        let v = value(p, item, &mut h);
        let pair = h.tuple(&[atom_term(item.name()), v]).unwrap_or(Term::NIL);
        pairs.push(pair);
    }
    let list = h.list(&pairs, Term::NIL);
    copy_message(list, &*h)
}

fn value(p: &Process, item: InfoItem, h: &mut ProcessMemory) -> Term {
    let words = |n: usize| Term::small(n as i64).unwrap_or(Term::NIL);
    match item {
        InfoItem::Status => atom_term(if p.shared.inbox.is_closed() {
            "exiting"
        } else if p.running {
            "running"
        } else if p.wait.waiting {
            "waiting"
        } else {
            "runnable"
        }),
        InfoItem::MessageQueueLen => words(p.queue.len() + count_pending_messages(p)),
        InfoItem::Messages => {
            let mut ms = Vec::new();
            for m in &p.queue.messages {
                ms.push(copy_from_message(m, &p.mem, h));
            }
            for s in &p.pending {
                if let crate::signal::Signal::Message(m) = s {
                    ms.push(copy_from_message(m, &p.mem, h));
                }
            }
            h.list(&ms, Term::NIL)
        }
        InfoItem::Links => {
            let mut l: Vec<u64> = p.links.iter().copied().collect();
            l.sort_unstable();
            let pids: Vec<Term> = l.into_iter().map(pid_term).collect();
            h.list(&pids, Term::NIL)
        }
        InfoItem::Monitors => {
            let mut out = Vec::new();
            for m in p.monitors.values() {
                let t = h
                    .tuple(&[Term::atom(atom::PROCESS), pid_term(m.target)])
                    .unwrap_or(Term::NIL);
                out.push(t);
            }
            h.list(&out, Term::NIL)
        }
        InfoItem::MonitoredBy => {
            let pids: Vec<Term> = p.monitored_by.values().map(|w| pid_term(w.pid)).collect();
            h.list(&pids, Term::NIL)
        }
        InfoItem::TrapExit => Term::boolean(p.trap_exit),
        InfoItem::HeapSize => words(p.mem.heap_size()),
        // Queued messages count as heap only with `on_heap`: an `off_heap`
        // queue is outside the heap in BEAM's figures too.
        InfoItem::TotalHeapSize => words(
            p.mem.heap_size()
                + p.mem.old_heap_size()
                + p.mem.fragment_words()
                + match p.message_queue_data {
                    super::MessageQueueData::OnHeap => p.queue.words(),
                    super::MessageQueueData::OffHeap => 0,
                },
        ),
        InfoItem::StackSize => words(p.mem.stack().len()),
        InfoItem::Memory => words(memory_bytes(p)),
        InfoItem::Reductions => h.int(p.reductions() as i64),
        InfoItem::RegisteredName => match p.shared.registered_name() {
            Some(n) => Term::atom(n),
            None => Term::NIL,
        },
        InfoItem::Dictionary => copy_term(p.mem.dictionary, &p.mem, h),
        InfoItem::CurrentFunction | InfoItem::InitialCall => mfa(h, p.initial_call),
        InfoItem::CurrentStacktrace => crate::jit_support::stack_frames(&p.mem, h),
        InfoItem::Priority => atom_term(p.priority().name()),
        InfoItem::GroupLeader => pid_term(p.shared.group_leader.load(Ordering::Relaxed)),
        InfoItem::MessageQueueData => atom_term(match p.message_queue_data {
            super::MessageQueueData::OnHeap => "on_heap",
            super::MessageQueueData::OffHeap => "off_heap",
        }),
        InfoItem::MaxHeapSize => p.max_heap_size.to_term(h),
        InfoItem::MinHeapSize => h.int(p.mem.min_heap_size as i64),
        InfoItem::MinBinVheapSize => h.int(46422),
        InfoItem::FullsweepAfter => h.int(p.mem.fullsweep_after as i64),
        InfoItem::GarbageCollection => {
            // BEAM's list; `minor_gcs` counts the minor collections since
            // the last full sweep. Coral keeps no separate binary heap:
            // `min_bin_vheap_size` is BEAM's default.
            let max = p.max_heap_size.to_term(h);
            let min_bin = h.int(46422);
            let min = h.int(p.mem.min_heap_size as i64);
            let fsa = h.int(p.mem.fullsweep_after as i64);
            let minor = h.int(p.mem.minor_since_full as i64);
            let items = [
                ("max_heap_size", max),
                ("min_bin_vheap_size", min_bin),
                ("min_heap_size", min),
                ("fullsweep_after", fsa),
                ("minor_gcs", minor),
            ];
            let pairs: Vec<Term> = items
                .iter()
                .map(|&(k, v)| h.tuple(&[atom_term(k), v]).unwrap_or(Term::NIL))
                .collect();
            h.list(&pairs, Term::NIL)
        }
    }
}

fn count_pending_messages(p: &Process) -> usize {
    p.pending
        .iter()
        .filter(|s| matches!(s, crate::signal::Signal::Message(_)))
        .count()
}

/// A copy of a queued message in `h`: from its own fragment, or from the
/// process heap once a collection has moved it there.
fn copy_from_message(m: &Message, heap: &ProcessMemory, h: &mut ProcessMemory) -> Term {
    match &m.fragment {
        Some(f) => copy_term(m.term, f, h),
        None => copy_term(m.term, heap, h),
    }
}

/// Bytes a process takes: its memory, its queue and its bookkeeping.
pub(crate) fn memory_bytes(p: &Process) -> usize {
    let struct_bytes = std::mem::size_of::<Process>() - std::mem::size_of::<ProcessMemory>()
        + std::mem::size_of::<super::ProcShared>();
    p.mem.memory_bytes()
        + struct_bytes
        + 8 * p.queue.words()
        + p.queue.messages.capacity() * std::mem::size_of::<Message>()
        + p.links.capacity() * 16
        + (p.monitors.capacity() + p.monitored_by.capacity()) * 48
}
