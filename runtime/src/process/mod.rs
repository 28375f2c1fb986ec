//! Processes: what a process is, how its code talks to the scheduler, and the
//! process BIFs (spawn, links, monitors, exit signals, names, the process
//! dictionary, `process_info`).
//!
//! # The status protocol (the contract with compiled code)
//!
//! A process's code is, to the scheduler, one function
//!
//! ```text
//! extern "C" fn(ctx: *mut ProcessContext) -> u64
//! ```
//!
//! ([`ProcessCode`], the process's `entry`) that the scheduler calls every
//! time it gives the process a time slice. The code runs until it must stop,
//! then *returns*: the native stack is never switched and never kept. Before
//! returning it saves what it needs to continue: live values in the x
//! registers (`ctx.x`, with `ctx.x_live` set) or on its Erlang stack, and
//! where to continue in `resume_point` (a word at [`OFFSET_RESUME_POINT`]
//! from `ctx`, opaque to the scheduler: compiled code keeps a continuation
//! address there, the Rust test processes a state number) and, if it likes,
//! a different `entry` (at [`OFFSET_ENTRY`]). The returned word's low byte is
//! the status:
//!
//! | status              | meaning                                                                                  |
//! |---------------------|------------------------------------------------------------------------------------------|
//! | [`status::YIELD`]   | the slice's reductions (`ctx.reds`, 4000 per slice) are used up, or `erlang:yield/0`: run again later |
//! | [`status::WAIT`]    | blocked in `receive` after `coral_recv_wait_timeout` answered `SUSPEND`: run again when a message or the timeout arrives |
//! | [`status::EXIT`]    | the process ends with the reason in `x[0]` (`normal` for a return from the initial call, `exit/1`'s reason) |
//! | [`status::ERROR`]   | an uncaught exception: class in `x[0]`, reason in `x[1]`, stack trace in `x[2]`; exit reason as BEAM makes it, and an error report |
//! | [`status::HIBERNATE`] | `erlang:hibernate/3`: drop the stack, compact the heap, wait for a message, then call `entry` again with the `x_live` x registers kept (compiled code sets `entry` to its apply trampoline and `x[0..3]` to M, F, A) |
//! | [`status::HALT`]    | the code called `erlang:halt`: the runtime is stopping                                   |
//!
//! Between slices the scheduler may collect the process (when delivered
//! messages and other heap fragments have piled up, see
//! [`Process::garbage_collect`]), so what the code saved must be where the
//! collector looks: the first `x_live` x registers, the Erlang stack, the
//! dictionary. A boxed term kept anywhere else across a return (a Rust
//! static, an x register above `x_live`) may be left dangling.
//!
//! Any other value ends the process with reason `{bad_status, N}`. Code
//! must never unwind into the scheduler: compiled code cannot panic, and
//! Rust process code is run through [`run_rust_code`] (or the
//! [`process_code!`](crate::process_code) macro), which turns a panic into
//! an `ERROR` exit.
//!
//! Runtime functions called by the code while it runs (send, receive
//! primitives, spawn, ...) may deliver signals to the running process itself
//! (an `exit(self(), Reason)`, an exit signal arriving while it receives);
//! a signal that kills the process only marks it, and the process stops at
//! its next return to the scheduler, which it reaches within a slice.

pub mod bifs;
pub mod code;
pub mod info;
pub mod report;
pub mod table;

use crate::atom::{self, Atom};
use crate::copy::{CopySource, copy_term};
use crate::heap::{ProcessContext, ProcessMemory};
use crate::mailbox::{FragmentBuilder, MessageQueue, Part, copy_message, wait};
use crate::sched::RuntimeInner;
use crate::signal::{Batch, ExitKind, Inbox, InfoReplyTo, Message, RefId, Signal};
use crate::term::Term;
use std::cell::UnsafeCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

pub use info::{InfoItem, InfoValue};

/// The code of a process: called by the scheduler each time the process is
/// scheduled; returns a status (see the module documentation).
pub type ProcessCode = unsafe extern "C" fn(*mut ProcessContext) -> u64;

/// Statuses a process's code returns (the low byte of its return value).
pub mod status {
    pub const YIELD: u64 = 0;
    pub const WAIT: u64 = 1;
    pub const EXIT: u64 = 2;
    pub const ERROR: u64 = 3;
    pub const HIBERNATE: u64 = 4;
    pub const HALT: u64 = 5;
}

/// Reductions per time slice (BEAM's `CONTEXT_REDS`).
pub const CONTEXT_REDS: i64 = 4000;

/// Scheduling priority (`process_flag(priority, P)`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Priority {
    Max = 0,
    High = 1,
    Normal = 2,
    Low = 3,
}

impl Priority {
    pub fn from_atom(a: Atom) -> Option<Priority> {
        Some(match a.text()? {
            "max" => Priority::Max,
            "high" => Priority::High,
            "normal" => Priority::Normal,
            "low" => Priority::Low,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Priority::Max => "max",
            Priority::High => "high",
            Priority::Normal => "normal",
            Priority::Low => "low",
        }
    }

    pub(crate) fn from_u8(v: u8) -> Priority {
        match v {
            0 => Priority::Max,
            1 => Priority::High,
            3 => Priority::Low,
            _ => Priority::Normal,
        }
    }
}

/// `message_queue_data` of `spawn_opt` and `process_flag`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MessageQueueData {
    OnHeap,
    OffHeap,
}

/// `max_heap_size` of `spawn_opt` and `process_flag`: a limit in words on
/// the process's heap (young and old blocks plus heap fragments, and, for an
/// `on_heap` queue, the messages the collector has moved into the heap),
/// checked after each collection. Past it the process gets an error report
/// (`error_logger`) and is killed with reason `killed` (`kill`); with
/// neither it runs on, and each later collection reports again, as BEAM
/// does.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct MaxHeapSize {
    /// Words; 0 means no limit.
    pub size: usize,
    pub kill: bool,
    pub error_logger: bool,
}

impl Default for MaxHeapSize {
    /// BEAM's system default: no limit, `kill` and `error_logger` on.
    fn default() -> Self {
        MaxHeapSize {
            size: 0,
            kill: true,
            error_logger: true,
        }
    }
}

impl MaxHeapSize {
    /// Reads an option value: a non-negative integer (the size, flags
    /// unchanged from `base`) or a map with any of the keys `size`, `kill`
    /// and `error_logger`; `None` for `badarg`.
    pub fn from_term<H: crate::term::HeapAccess + ?Sized>(
        t: Term,
        base: MaxHeapSize,
        heap: &H,
    ) -> Option<MaxHeapSize> {
        if let Some(n) = t.small_value() {
            return (n >= 0).then_some(MaxHeapSize {
                size: n as usize,
                ..base
            });
        }
        let (keys, values) = t.flatmap_view(heap)?;
        let mut m = base;
        for (&k, &v) in keys.iter().zip(values) {
            let flag = || match v.atom_value() {
                Some(atom::TRUE) => Some(true),
                Some(atom::FALSE) => Some(false),
                _ => None,
            };
            match k.atom_value().and_then(Atom::text)? {
                "size" => m.size = usize::try_from(v.small_value()?).ok()?,
                "kill" => m.kill = flag()?,
                "error_logger" => m.error_logger = flag()?,
                _ => return None,
            }
        }
        Some(m)
    }

    /// The map `#{error_logger => _, kill => _, size => _}`
    /// (`process_info(P, max_heap_size)`).
    pub fn to_term(self, heap: &mut ProcessMemory) -> Term {
        let keys = [
            atom_named("error_logger"),
            atom_named("kill"),
            atom_named("size"),
        ];
        let size = heap.int(self.size as i64);
        let values = [
            Term::boolean(self.error_logger),
            Term::boolean(self.kill),
            size,
        ];
        heap.flatmap(&keys, &values).unwrap_or(Term::NIL)
    }
}

/// Options of `spawn_opt/2,4`.
#[derive(Clone, Debug)]
pub struct SpawnOpts {
    pub link: bool,
    pub monitor: bool,
    pub priority: Priority,
    pub min_heap_size: usize,
    /// The young heap's size at the start, if bigger than `min_heap_size`
    /// (the size can shrink back to that minimum).
    pub initial_heap_size: usize,
    /// The old generation's size at the start, if any (0: none until the
    /// first collection that promotes something).
    pub initial_old_heap_size: usize,
    pub fullsweep_after: u32,
    pub message_queue_data: MessageQueueData,
    pub max_heap_size: MaxHeapSize,
    /// `{Module, Function, Arity}` for `process_info(P, initial_call)`.
    pub initial_call: Option<(Atom, Atom, u32)>,
}

impl Default for SpawnOpts {
    fn default() -> Self {
        SpawnOpts {
            link: false,
            monitor: false,
            priority: Priority::Normal,
            min_heap_size: crate::heap::MIN_HEAP_SIZE,
            initial_heap_size: 0,
            initial_old_heap_size: 0,
            fullsweep_after: crate::heap::DEFAULT_FULLSWEEP_AFTER,
            message_queue_data: MessageQueueData::OnHeap,
            max_heap_size: MaxHeapSize::default(),
            initial_call: None,
        }
    }
}

/// A failed BIF call's reason, as the BIF layer raises it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BifError {
    Badarg,
    SystemLimit,
    /// `link/1` and friends on a process that is gone, from a process that
    /// does not trap exits (the caller is being killed with this reason).
    Noproc,
}

/// What `spawn` made.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Spawned {
    pub pid: Term,
    /// The monitor's reference id when `monitor` was asked for.
    pub monitor: Option<RefId>,
}

// Scheduling states of a process (ProcShared::state).
pub(crate) const WAITING: u32 = 0;
/// In a run queue, or being run by the thread that took it from there.
pub(crate) const QUEUED: u32 = 1;
pub(crate) const EXITED: u32 = 3;
/// Set on `QUEUED` by a sender so that the owner re-reads its inbox before
/// going to wait.
pub(crate) const NOTIFIED: u32 = 4;

/// The part of a process other threads may touch: its inbox, its scheduling
/// state, and a few fields read by other processes' BIFs.
pub(crate) struct ProcShared {
    /// Pid data (see `table.rs`).
    pub(crate) data: u64,
    pub(crate) state: AtomicU32,
    pub(crate) inbox: Inbox,
    /// The process itself. Only the thread that took the process from a
    /// run queue may touch it, until it moves `state` on from `QUEUED`.
    pub(crate) body: UnsafeCell<Option<Box<Process>>>,
    /// Registered name: atom index + 1, or 0.
    pub(crate) name: AtomicU32,
    /// Pid data of the group leader.
    pub(crate) group_leader: AtomicU64,
    pub(crate) priority: AtomicU8,
}

// SAFETY: `body` is only accessed by the one thread the state machine makes
// its owner (see the field); every other field is atomic or `Sync`.
unsafe impl Sync for ProcShared {}
// SAFETY: as above; a `Process` is `Send`.
unsafe impl Send for ProcShared {}

impl ProcShared {
    pub(crate) fn registered_name(&self) -> Option<Atom> {
        match self.name.load(Ordering::Acquire) {
            0 => None,
            n => Some(Atom::from_index(n - 1)),
        }
    }
}

/// A monitor this process holds.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Monitoring {
    pub(crate) target: u64,
}

/// A monitor held on this process by another.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Watcher {
    pub(crate) pid: u64,
    /// The registered name the monitor was made through.
    pub(crate) name: Option<Atom>,
}

/// Receive-wait bookkeeping.
#[derive(Default)]
pub(crate) struct WaitState {
    /// Returned `WAIT` and not yet resumed.
    pub(crate) waiting: bool,
    /// Number of the current receive's timer, matched against
    /// `Signal::ReceiveTimeout`.
    pub(crate) seq: u64,
    /// The current receive's timer, while it runs.
    pub(crate) timer: Option<RefId>,
    pub(crate) timed_out: bool,
    /// Queue length the current receive has waited with: a wait only
    /// returns to look at the mailbox again when the queue grew past it
    /// (a receive with no clauses never moves its save pointer, so an old
    /// message at the save pointer must not wake it).
    pub(crate) seen_len: usize,
}

/// A process: its memory (first, so the context pointer is the process
/// pointer), its code and everything only it touches.
#[repr(C)]
pub struct Process {
    pub mem: ProcessMemory,
    /// Called each time the process is scheduled.
    pub entry: ProcessCode,
    /// Where the code continues; the scheduler never reads it.
    pub resume_point: u64,
    pub(crate) shared: Arc<ProcShared>,
    pub(crate) rt: Arc<RuntimeInner>,
    // Read on every time slice and message (see `ProcessMemory`'s order).
    pub(crate) queue: MessageQueue,
    /// Signals taken from the inbox and not yet handled.
    pub(crate) pending: Batch,
    pub(crate) wait: WaitState,
    pub(crate) reductions: u64,
    pub(crate) running: bool,
    pub(crate) trap_exit: bool,
    pub(crate) message_queue_data: MessageQueueData,
    /// Set when a signal has killed the process; the reason.
    pub(crate) exit_pending: Option<Message>,
    /// `erlang:garbage_collect/0,1` asked for a full sweep, made when the
    /// process next stops.
    pub(crate) gc_requested: bool,
    pub(crate) links: HashSet<u64>,
    pub(crate) monitors: HashMap<RefId, Monitoring>,
    pub(crate) monitored_by: HashMap<RefId, Watcher>,
    pub(crate) initial_call: Option<(Atom, Atom, u32)>,
    pub(crate) max_heap_size: MaxHeapSize,
}

/// Byte offset of `entry` from the context pointer.
pub const OFFSET_ENTRY: usize = std::mem::offset_of!(Process, entry);
/// Byte offset of `resume_point` from the context pointer.
pub const OFFSET_RESUME_POINT: usize = std::mem::offset_of!(Process, resume_point);

/// Runs Rust process code: gives it the process behind `ctx`, and turns a
/// panic into an uncaught `error` with reason `{rust_panic, Message}`.
///
/// # Safety
/// `ctx` must be the context the scheduler passed to the calling process
/// code (the context of the process being run on this thread).
pub unsafe fn run_rust_code(ctx: *mut ProcessContext, f: impl FnOnce(&mut Process) -> u64) -> u64 {
    // SAFETY: per this function's contract, `ctx` is the first field of the
    // running `Process` (repr(C), `mem` first, whose `ctx` is first).
    let p = unsafe { &mut *(ctx as *mut Process) };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut *p))) {
        Ok(s) => s,
        Err(e) => {
            let text = e
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| e.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            p.set_uncaught_error_text("rust_panic", &text);
            status::ERROR
        }
    }
}

/// Declares Rust process code: `process_code!(fn name(p) { ... })` makes an
/// `extern "C" fn name(*mut ProcessContext) -> u64` whose body gets the
/// running process as `p: &mut Process` and returns a status.
#[macro_export]
macro_rules! process_code {
    ($vis:vis fn $name:ident($p:ident) $body:block) => {
        $vis extern "C" fn $name(ctx: *mut $crate::heap::ProcessContext) -> u64 {
            // SAFETY: the scheduler calls process code only with the context
            // of the process it is running on this thread.
            unsafe {
                $crate::process::run_rust_code(ctx, |$p: &mut $crate::process::Process| -> u64 {
                    $body
                })
            }
        }
    };
}

/// A hint that the cache line holding `p` is needed soon.
#[inline(always)]
fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it reads nothing the program sees
    // and never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Prefetches the context and the hot fields of the process at `base`.
#[inline]
fn prefetch_fields(base: *const u8) {
    const LINE: usize = 64;
    const CTX_END: usize = std::mem::size_of::<ProcessContext>();
    const HOT_START: usize = std::mem::offset_of!(Process, mem.young);
    const HOT_END: usize = std::mem::offset_of!(Process, exit_pending);
    let mut off = 0;
    while off < CTX_END {
        prefetch(base.wrapping_add(off));
        off += LINE;
    }
    prefetch(base.wrapping_add(CTX_END - 1));
    off = HOT_START;
    while off < HOT_END {
        prefetch(base.wrapping_add(off));
        off += LINE;
    }
    prefetch(base.wrapping_add(HOT_END - 1));
}

/// The pid term of pid data.
pub fn pid_term(data: u64) -> Term {
    Term::local_pid(table::payload_of_data(data)).unwrap_or(Term::NIL)
}

/// The pid data of a local pid term.
pub fn pid_data(t: Term) -> Option<u64> {
    table::data_of_payload(t.local_pid_number()?)
}

fn atom_named(text: &str) -> Term {
    Term::atom(Atom::intern(text).unwrap_or(atom::UNDEFINED))
}

impl Process {
    pub(crate) fn new(
        rt: Arc<RuntimeInner>,
        shared: Arc<ProcShared>,
        entry: ProcessCode,
        opts: &SpawnOpts,
    ) -> Box<Process> {
        let mut mem = *ProcessMemory::with_heap_sizes(
            opts.initial_heap_size,
            opts.initial_old_heap_size,
            opts.min_heap_size,
        );
        mem.set_fullsweep_after(opts.fullsweep_after);
        mem.busy_floor = opts.max_heap_size.size == 0;
        Box::new(Process {
            mem,
            entry,
            resume_point: 0,
            shared,
            rt,
            queue: MessageQueue::default(),
            pending: Batch::new(),
            links: HashSet::new(),
            monitors: HashMap::new(),
            monitored_by: HashMap::new(),
            trap_exit: false,
            reductions: 0,
            exit_pending: None,
            gc_requested: false,
            wait: WaitState::default(),
            running: false,
            initial_call: opts.initial_call,
            message_queue_data: opts.message_queue_data,
            max_heap_size: opts.max_heap_size,
        })
    }

    /// The context pointer compiled code gets.
    pub fn context(&mut self) -> *mut ProcessContext {
        // Derived from the whole memory, not its `ctx` field, so code given
        // it may reach the rest of the memory (`ProcessMemory::from_context`).
        self.mem.context_ptr()
    }

    /// `self()`.
    pub fn pid(&self) -> Term {
        pid_term(self.shared.data)
    }

    pub fn pid_data(&self) -> u64 {
        self.shared.data
    }

    pub fn reductions(&self) -> u64 {
        self.reductions + (CONTEXT_REDS - self.mem.ctx.reds).max(0) as u64
    }

    /// Spends `n` reductions; true when the slice is used up (the code
    /// should then save its state and return `status::YIELD`).
    pub fn bump_reductions(&mut self, n: i64) -> bool {
        self.mem.ctx.reds -= n;
        self.mem.ctx.reds <= 0
    }

    pub fn trap_exit(&self) -> bool {
        self.trap_exit
    }

    pub fn priority(&self) -> Priority {
        Priority::from_u8(self.shared.priority.load(Ordering::Relaxed))
    }

    pub fn queue(&self) -> &MessageQueue {
        &self.queue
    }

    pub fn message_queue_data(&self) -> MessageQueueData {
        self.message_queue_data
    }

    /// A new reference, unique in this runtime (`make_ref/0`), on the heap.
    pub fn make_ref(&mut self) -> Term {
        let id = crate::sched::new_ref_id();
        self.mem.local_ref(id)
    }

    /// Sets x0..x2 to `error`, `{Tag, Text}` and `[]`, as an uncaught error.
    fn set_uncaught_error_text(&mut self, tag: &str, text: &str) {
        let bin = self.mem.binary(text.as_bytes());
        let reason = self.mem.tuple(&[atom_named(tag), bin]).unwrap_or(Term::NIL);
        self.mem.ensure_x(3);
        let x = self.mem.x_mut();
        x[0] = Term::atom(atom::ERROR);
        x[1] = reason;
        x[2] = Term::NIL;
    }

    // ----- signals -------------------------------------------------------

    /// Moves signals from the inbox and handles them in order, stopping at
    /// one that kills the process (`exit_pending` is then set).
    #[inline]
    pub(crate) fn handle_signals(&mut self) {
        // Most calls find nothing new: answered without a call.
        if self.pending.is_empty() && self.shared.inbox.is_empty() {
            return;
        }
        self.handle_new_signals();
    }

    #[inline(never)]
    fn handle_new_signals(&mut self) {
        if self.exit_pending.is_some() {
            return;
        }
        self.pending.append(self.shared.inbox.take());
        while let Some(s) = self.pending.pop() {
            self.handle_signal(s);
            if self.exit_pending.is_some() {
                return;
            }
        }
    }

    fn handle_signal(&mut self, s: Signal) {
        match s {
            Signal::Message(m) => self.queue.push(m),
            Signal::Exit { from, kind, msg } => self.handle_exit_signal(from, kind, msg),
            Signal::Link { from } => {
                self.links.insert(from);
            }
            Signal::Unlink { from } => {
                self.links.remove(&from);
            }
            Signal::Monitor { from, id, name } => {
                self.monitored_by.insert(id, Watcher { pid: from, name });
            }
            Signal::Demonitor { id, .. } => {
                self.monitored_by.remove(&id);
            }
            Signal::Down { id, msg } => {
                if self.monitors.remove(&id).is_some() {
                    self.queue.push(msg);
                }
            }
            Signal::ReceiveTimeout { seq } => {
                if seq == self.wait.seq && self.wait.timer.is_some() {
                    self.wait.timer = None;
                    self.wait.timed_out = true;
                }
            }
            Signal::Info { items, reply } => {
                let answer = info::answer(self, &items);
                self.send_info_reply(answer, reply);
            }
        }
    }

    fn send_info_reply(&mut self, answer: Message, reply: InfoReplyTo) {
        match reply {
            InfoReplyTo::External(tx) => {
                // The asker may have given up waiting; nothing to do then.
                let _ = tx.send(Some(answer));
            }
            InfoReplyTo::Process { pid, id } => {
                let frag = answer.fragment.as_ref();
                let empty = crate::heap::HeapFragment::new(0);
                let src: &dyn CopySource = frag.unwrap_or(&empty);
                let m =
                    FragmentBuilder::build(&[Part::Ref(id), Part::Copy(answer.term, src)], true);
                self.rt.deliver(pid, Signal::Message(m)).ok();
            }
        }
    }

    /// The exit-signal rules of BEAM (checked against OTP 25 by the
    /// `proc_semantics` tests).
    fn handle_exit_signal(&mut self, from: u64, kind: ExitKind, msg: Message) {
        let reason = exit_msg_reason(&msg);
        let is = |a: Atom| reason == Term::atom(a);
        match kind {
            ExitKind::Link => {
                if !self.links.remove(&from) {
                    return; // unlinked meanwhile: the signal is void
                }
                if self.trap_exit {
                    self.queue.push(msg);
                } else if !is(atom::NORMAL) {
                    self.exit_pending = Some(Message::new(reason, msg.fragment));
                }
            }
            ExitKind::Exit2 => {
                if is(atom::KILL) {
                    self.exit_pending = Some(Message::new(Term::atom(atom::KILLED), None));
                } else if self.trap_exit {
                    self.queue.push(msg);
                } else if !is(atom::NORMAL) || from == self.shared.data {
                    self.exit_pending = Some(Message::new(reason, msg.fragment));
                }
            }
        }
    }

    /// Sends `signal` to the process `to`; the signal back if `to` is gone.
    fn signal(&self, to: u64, signal: Signal) -> Result<(), Signal> {
        self.rt.deliver(to, signal)
    }

    // ----- messages and receive -----------------------------------------

    /// `Dest ! Msg`: `dest` is a pid, a registered name or `{Name, Node}`.
    /// Sends to dead pids, other nodes and remote pids are dropped, as BEAM
    /// drops messages to dead processes; an unregistered name is `badarg`.
    pub fn send(&mut self, dest: Term, msg: Term) -> Result<(), BifError> {
        let to = if let Some(d) = pid_data(dest) {
            d
        } else if let Some(id) = dest.local_ref_id(&self.mem) {
            // An alias: a message to an inactive one is dropped.
            match bifs::alias_owner(id) {
                Some(o) => o,
                None => return Ok(()),
            }
        } else if dest.is_local_pid() {
            return Ok(()); // a pid no local process can have
        } else if let Some(name) = dest.atom_value() {
            self.rt.registry.whereis(name).ok_or(BifError::Badarg)?
        } else if let Some(&[name, node]) = dest.tuple_elements(&self.mem) {
            let (Some(name), Some(node)) = (name.atom_value(), node.atom_value()) else {
                return Err(BifError::Badarg);
            };
            if node != atom::NONODE {
                return Ok(()); // no distribution yet: as to an unreachable node
            }
            self.rt.registry.whereis(name).ok_or(BifError::Badarg)?
        } else if matches!(
            dest.kind(&self.mem),
            crate::term::TermKind::ExternalPid | crate::term::TermKind::LocalPort
        ) {
            return Ok(());
        } else {
            return Err(BifError::Badarg);
        };
        let m = copy_message(msg, &self.mem);
        // A dead receiver drops the message, as BEAM does.
        let _ = self.signal(to, Signal::Message(m));
        Ok(())
    }

    /// `recv_peek_message`: the message at the save pointer, reading newly
    /// arrived signals when the queue has none there.
    pub fn recv_peek(&mut self) -> Option<Term> {
        if self.queue.peek().is_none() {
            self.handle_signals();
        }
        self.move_to_heap();
        self.queue.peek()
    }

    /// Copies the message at the save pointer out of its fragment onto the
    /// heap when it is small and the heap has room, and frees the fragment.
    /// Done before a receive looks at the message (no pointer into it is
    /// held yet), this keeps a process that receives many small messages
    /// from collecting a long list of fragments, and gives their blocks back
    /// to the sender's thread while they are still in its cache.
    /// Only for an `on_heap` queue: `off_heap` keeps the messages a receive
    /// looks at but does not take in their fragments.
    fn move_to_heap(&mut self) {
        const SMALL_MESSAGE_WORDS: usize = 64;
        if self.message_queue_data != MessageQueueData::OnHeap {
            return;
        }
        let Some(m) = self.queue.messages.get_mut(self.queue.save) else {
            return;
        };
        let Some(f) = &m.fragment else {
            return;
        };
        if f.used_words() > SMALL_MESSAGE_WORDS {
            return;
        }
        let words = crate::copy::size_of(m.term, f);
        if words > self.mem.free_words() {
            return;
        }
        let p = self.mem.alloc(words);
        let mut d = crate::copy::RawDest::new(p, words);
        m.term = d.copy(m.term, f, false);
        self.mem.off_heap.append(&mut d.off_heap);
        // Dropping the fragment gives back its binary counts; the copy
        // holds its own.
        m.fragment = None;
    }

    /// `recv_next`.
    pub fn recv_next(&mut self) {
        self.queue.next();
    }

    /// `remove_message`: takes the message at the save pointer into the
    /// heap, resets the save pointer and ends the receive (its timer too).
    pub fn remove_message(&mut self) -> Option<Term> {
        let m = self.queue.remove_current()?;
        self.end_receive();
        if let Some(f) = m.fragment {
            self.mem.attach_fragment(f);
        }
        Some(m.term)
    }

    /// The `timeout` primop: the receive's `after` branch was taken.
    pub fn recv_timeout(&mut self) {
        self.queue.reset();
        self.end_receive();
    }

    fn end_receive(&mut self) {
        if let Some(t) = self.wait.timer.take() {
            self.rt.timers.cancel(t);
        }
        self.wait.timed_out = false;
        self.wait.seen_len = 0;
        self.wait.seq += 1;
    }

    /// `recv_wait_timeout(Timeout)`: one of the `mailbox::wait` answers.
    pub fn recv_wait_timeout(&mut self, timeout: Term) -> u64 {
        if self.wait.timed_out {
            return wait::TIMED_OUT;
        }
        self.handle_signals();
        let len = self.queue.len();
        // A message at the save pointer that arrived since this receive
        // last waited has not been looked at.
        if self.queue.peek().is_some() && len > self.wait.seen_len {
            self.wait.seen_len = len;
            return wait::RECHECK;
        }
        // Waiting: only messages beyond these wake the process.
        self.wait.seen_len = len;
        let ms = if timeout == Term::atom(atom::INFINITY) {
            None
        } else if let Some(ms) = timeout.small_value().filter(|&v| v >= 0) {
            Some(ms as u64)
        } else if timeout
            .integer_value(&self.mem)
            .is_some_and(|v| v > dashu_int::IBig::ZERO)
        {
            Some(u64::MAX / 4) // a bignum of milliseconds: never, in practice
        } else {
            return wait::BADARG;
        };
        if ms == Some(0) {
            return wait::TIMED_OUT;
        }
        if let (Some(ms), None) = (ms, self.wait.timer) {
            let id = crate::sched::new_ref_id();
            self.wait.timer = Some(id);
            let action = crate::timer::Action::ReceiveTimeout {
                pid: self.shared.data,
                seq: self.wait.seq,
            };
            self.rt.timers.start(id, Duration::from_millis(ms), action);
        }
        wait::SUSPEND
    }

    /// Whether a waiting process has something to wake for.
    pub(crate) fn wait_satisfied(&self) -> bool {
        self.wait.timed_out || self.queue.len() > self.wait.seen_len
    }

    // ----- garbage collection --------------------------------------------

    /// Collects this process's memory at a safepoint: the `live_x` x
    /// registers, the dictionary, the stack frames and `roots` are live and
    /// are updated in place. `major` forces a full sweep.
    ///
    /// Queued messages are handled by the process's `message_queue_data`:
    ///
    /// - `on_heap` (BEAM's default): the queue is part of the heap. Every
    ///   queued message still in its own fragment is first copied into one
    ///   fragment that is attached to the young generation (one range for
    ///   the collector to test, however long the queue), and the collection
    ///   then moves the messages onto the heap with everything else. After
    ///   it the queue holds heap terms; they count in the heap size and in
    ///   `max_heap_size`, and every later collection copies them again
    ///   while they stay queued.
    /// - `off_heap`: queued messages stay in their fragments; the collector
    ///   neither reads nor copies them, so a long queue costs a collection
    ///   nothing (BEAM's reason for the setting), and they do not count
    ///   towards `max_heap_size`. Only the message at the save pointer is
    ///   attached and collected, because a receive may be matching it and
    ///   compiled code may hold pointers into it in registers.
    ///
    /// With either setting, a message that has been attached stays on the
    /// heap (its queue entry is then a root), and signals not yet taken
    /// from the inbox are never touched.
    ///
    /// After the collection the `max_heap_size` limit is checked; when it
    /// kills the process, [`Process::killed`] is true and the code must
    /// return to the scheduler (with any status).
    pub fn garbage_collect(
        &mut self,
        need: usize,
        live_x: usize,
        roots: &mut [Term],
        major: bool,
    ) -> Result<crate::gc::GcKind, crate::gc::GcError> {
        if self.queue.messages.is_empty() {
            // No queued message to attach, merge or keep alive: the roots
            // are the caller's alone (the common case, and a collection
            // here allocates nothing).
            let frames = crate::frame::global_frames();
            let r = if major {
                self.mem
                    .collect_major(need, live_x, roots, frames)
                    .map(|()| crate::gc::GcKind::Major)
            } else {
                self.mem.collect(need, live_x, roots, frames)
            };
            if r.is_ok() {
                self.check_max_heap_size();
            }
            return r;
        }
        let save = self.queue.save;
        if let Some(m) = self.queue.messages.get_mut(save)
            && let Some(f) = m.fragment.take()
        {
            self.mem.attach_fragment(f);
        }
        if self.message_queue_data == MessageQueueData::OnHeap {
            self.merge_queue_fragments();
        }
        // Queued messages without a fragment live on the heap (or are
        // immediates or literals, which the collector leaves alone).
        let on_heap: Vec<usize> = (0..self.queue.messages.len())
            .filter(|&i| self.queue.messages[i].fragment.is_none())
            .collect();
        let mut all: Vec<Term> = roots.to_vec();
        all.extend(on_heap.iter().map(|&i| self.queue.messages[i].term));
        let frames = crate::frame::global_frames();
        let r = if major {
            self.mem
                .collect_major(need, live_x, &mut all, frames)
                .map(|()| crate::gc::GcKind::Major)
        } else {
            self.mem.collect(need, live_x, &mut all, frames)
        };
        roots.copy_from_slice(&all[..roots.len()]);
        for (&i, &t) in on_heap.iter().zip(&all[roots.len()..]) {
            self.queue.messages[i].term = t;
        }
        if r.is_ok() {
            self.check_max_heap_size();
        }
        r
    }

    /// Copies every queued message that has a fragment of its own into one
    /// new fragment, attached to the heap.
    fn merge_queue_fragments(&mut self) {
        let msgs = &mut self.queue.messages;
        let words: usize = msgs
            .iter()
            .filter_map(|m| m.fragment.as_ref().map(|f| crate::copy::size_of(m.term, f)))
            .sum();
        if words == 0 {
            return;
        }
        let mut merged = crate::heap::HeapFragment::new(words);
        let Some(start) = merged.alloc(words) else {
            return;
        };
        let mut dest = crate::copy::RawDest::new(start, words);
        for m in msgs.iter_mut() {
            if let Some(f) = m.fragment.take() {
                m.term = dest.copy(m.term, &f, false);
                // Dropping `f` gives back its binary counts; the copy holds
                // its own.
            }
        }
        merged.off_heap.append(&mut dest.off_heap);
        self.mem.attach_fragment(merged);
    }

    /// Asks the processor for the cache lines a time slice touches first:
    /// the context, the fields read on every slice and message, the tops
    /// of the stack and heap, the x registers. For a process that has not
    /// run for a while (one of many in a ring), the misses then overlap
    /// instead of coming one after another.
    #[inline]
    pub(crate) fn prefetch(&self) {
        prefetch_fields(self as *const Process as *const u8);
        prefetch(self.mem.ctx.stop as *const u8);
        prefetch(self.mem.ctx.htop as *const u8);
        prefetch(self.mem.ctx.x as *const u8);
    }

    /// Whether heap fragments (delivered messages, overflow of runtime
    /// allocations) have piled up enough to be worth a collection at the
    /// start of the next slice, BEAM's forced collection after heap
    /// fragments outgrow the heap. Their number matters as well as their
    /// size: the collector tests every pointer against each fragment.
    pub(crate) fn fragments_need_gc(&self) -> bool {
        let n = self.mem.fragments.len();
        n > 32 || (n > 0 && self.mem.fragment_words() >= self.mem.heap_size())
    }

    /// True once the process has been killed (by a signal or by
    /// `max_heap_size`): its code must return to the scheduler.
    pub fn killed(&self) -> bool {
        self.exit_pending.is_some()
    }

    /// BEAM's `max_heap_size` check, after a collection.
    fn check_max_heap_size(&mut self) {
        let max = self.max_heap_size;
        if max.size == 0 || !(max.kill || max.error_logger) {
            return;
        }
        let m = &self.mem;
        let total = m.heap_size() + m.old_heap_size() + m.fragment_words();
        if total <= max.size {
            return;
        }
        if max.error_logger && self.rt.config.crash_reports {
            let text = report::max_heap_report(
                self.pid(),
                &max,
                total,
                self.queue.len(),
                &[
                    ("old_heap_block_size", m.old_heap_size()),
                    ("heap_block_size", m.heap_size()),
                    ("mbuf_size", m.fragment_words()),
                    ("stack_size", m.stack().len()),
                    ("old_heap_size", m.old_heap_used()),
                    ("heap_size", m.heap_used()),
                ],
            );
            eprint!("{text}");
        }
        if max.kill && self.exit_pending.is_none() {
            self.exit_pending = Some(Message::new(Term::atom(atom::KILLED), None));
        }
    }

    /// `process_flag(max_heap_size, Value)`: the old setting.
    pub fn set_max_heap_size(&mut self, m: MaxHeapSize) -> MaxHeapSize {
        self.mem.busy_floor = m.size == 0;
        std::mem::replace(&mut self.max_heap_size, m)
    }

    pub fn max_heap_size(&self) -> MaxHeapSize {
        self.max_heap_size
    }

    // ----- spawning ------------------------------------------------------

    /// `spawn_opt`: a new process running `entry`, its x registers set to
    /// copies of `args`.
    pub fn spawn(
        &mut self,
        entry: ProcessCode,
        args: &[Term],
        opts: &SpawnOpts,
    ) -> Result<Spawned, BifError> {
        self.spawn_with(entry, opts, |child, parent| {
            child.ensure_x(args.len());
            for (i, &a) in args.iter().enumerate() {
                let c = copy_term(a, parent, child);
                child.x_mut()[i] = c;
            }
            child.ctx.x_live = args.len() as u32;
        })
    }

    /// `spawn_opt` with the new process's memory set up by `init`, which
    /// gets the child's memory and this process's (to copy terms from).
    pub fn spawn_with(
        &mut self,
        entry: ProcessCode,
        opts: &SpawnOpts,
        init: impl FnOnce(&mut ProcessMemory, &ProcessMemory),
    ) -> Result<Spawned, BifError> {
        let gl = self.shared.group_leader.load(Ordering::Relaxed);
        let mem = &self.mem;
        let rt = self.rt.clone();
        let parent = self.shared.data;
        let mut monitor = None;
        let pid = rt
            .spawn_process(entry, opts, gl, None, |child| {
                init(&mut child.mem, mem);
                if opts.link {
                    child.links.insert(parent);
                }
                if opts.monitor {
                    let id = crate::sched::new_ref_id();
                    child.monitored_by.insert(
                        id,
                        Watcher {
                            pid: parent,
                            name: None,
                        },
                    );
                    monitor = Some(id);
                }
            })
            .ok_or(BifError::SystemLimit)?;
        if opts.link {
            self.links.insert(pid);
        }
        if let Some(id) = monitor {
            self.monitors.insert(id, Monitoring { target: pid });
        }
        Ok(Spawned {
            pid: pid_term(pid),
            monitor,
        })
    }

    // ----- links, monitors, exit signals ---------------------------------

    /// `link/1`. Linking to a process that is gone gives a trapping caller
    /// the message `{'EXIT', Pid, noproc}` and fails with `noproc` otherwise.
    pub fn link(&mut self, target: Term) -> Result<(), BifError> {
        let to = pid_data(target).ok_or(BifError::Badarg)?;
        if to == self.shared.data || self.links.contains(&to) {
            return Ok(());
        }
        let me = self.shared.data;
        if self.signal(to, Signal::Link { from: me }).is_err() {
            // OTP 25: a trapping caller gets `{'EXIT', Pid, noproc}`; any
            // other caller's `link/1` fails with `noproc`.
            if !self.trap_exit {
                return Err(BifError::Noproc);
            }
            let msg = exit_message(to, Term::atom(atom::NOPROC), &self.mem);
            self.queue.push(msg);
            return Ok(());
        }
        self.links.insert(to);
        Ok(())
    }

    /// `unlink/1`: always succeeds for a pid.
    pub fn unlink(&mut self, target: Term) -> Result<(), BifError> {
        let to = pid_data(target).ok_or(BifError::Badarg)?;
        if self.links.remove(&to) {
            let me = self.shared.data;
            let _ = self.signal(to, Signal::Unlink { from: me });
        }
        Ok(())
    }

    /// `monitor(process, Target)` for a pid, a registered name or
    /// `{Name, Node}`; returns the reference.
    pub fn monitor(&mut self, target: Term) -> Result<Term, BifError> {
        let (to, name) = if let Some(d) = pid_data(target) {
            (Some(d), None)
        } else if let Some(n) = target.atom_value() {
            (self.rt.registry.whereis(n), Some(n))
        } else if let Some(&[n, node]) = target.tuple_elements(&self.mem) {
            match (n.atom_value(), node.atom_value()) {
                (Some(n), Some(atom::NONODE)) => (self.rt.registry.whereis(n), Some(n)),
                _ => return Err(BifError::Badarg),
            }
        } else {
            return Err(BifError::Badarg);
        };
        let id = crate::sched::new_ref_id();
        let me = self.shared.data;
        let delivered = match to {
            Some(to) => {
                self.monitors.insert(id, Monitoring { target: to });
                self.signal(to, Signal::Monitor { from: me, id, name })
                    .is_ok()
            }
            None => false,
        };
        if !delivered {
            let object = match name {
                Some(n) => Object::Name(n),
                None => Object::Pid(to.unwrap_or(0)),
            };
            let msg = down_message(id, object, Term::atom(atom::NOPROC), &self.mem);
            self.monitors.insert(
                id,
                Monitoring {
                    target: to.unwrap_or(0),
                },
            );
            let _ = self.signal(me, Signal::Down { id, msg });
        }
        Ok(self.mem.local_ref(id))
    }

    /// `demonitor(Ref, Options)`: `flush` removes a `'DOWN'` message already
    /// queued; with `info` the result says whether the monitor was found.
    pub fn demonitor(&mut self, reference: Term, flush: bool) -> Result<bool, BifError> {
        let id = reference.local_ref_id(&self.mem).ok_or(BifError::Badarg)?;
        let found = match self.monitors.remove(&id) {
            Some(m) => {
                let me = self.shared.data;
                let _ = self.signal(m.target, Signal::Demonitor { from: me, id });
                true
            }
            None => false,
        };
        if flush {
            // Down signals still in the inbox are void now that the monitor
            // is gone; only queued messages need removing.
            self.queue
                .remove_where(&self.mem, |t, heap| is_down_for(t, id, heap));
        }
        Ok(found)
    }

    /// `exit(Pid, Reason)`. Returns true when the signal has killed the
    /// caller itself: the code must then return to the scheduler (with any
    /// status; the process exits there).
    pub fn exit_signal(&mut self, target: Term, reason: Term) -> Result<bool, BifError> {
        let to = pid_data(target).ok_or(BifError::Badarg)?;
        let me = self.shared.data;
        let msg = exit_message(me, reason, &self.mem);
        let signal = Signal::Exit {
            from: me,
            kind: ExitKind::Exit2,
            msg,
        };
        let _ = self.signal(to, signal);
        if to == me {
            self.handle_signals();
        }
        Ok(self.exit_pending.is_some())
    }

    /// `process_flag(trap_exit, Bool)`: the old value.
    pub fn set_trap_exit(&mut self, on: bool) -> bool {
        std::mem::replace(&mut self.trap_exit, on)
    }

    /// `process_flag(priority, P)`: the old value. Takes effect the next
    /// time the process is queued.
    pub fn set_priority(&mut self, p: Priority) -> Priority {
        Priority::from_u8(self.shared.priority.swap(p as u8, Ordering::Relaxed))
    }

    pub fn set_message_queue_data(&mut self, d: MessageQueueData) -> MessageQueueData {
        std::mem::replace(&mut self.message_queue_data, d)
    }

    // ----- names and group leaders ---------------------------------------

    /// `register(Name, Pid)`.
    pub fn register(&mut self, name: Term, pid: Term) -> Result<(), BifError> {
        let name = name.atom_value().ok_or(BifError::Badarg)?;
        let data = pid_data(pid).ok_or(BifError::Badarg)?;
        let target = self.rt.table.get(data).ok_or(BifError::Badarg)?;
        self.rt
            .registry
            .register(name, data, || {
                if target.inbox.is_closed() {
                    return Err(crate::registry::RegisterError::NotAlive);
                }
                target
                    .name
                    .compare_exchange(0, name.index() + 1, Ordering::AcqRel, Ordering::Acquire)
                    .map(|_| ())
                    .map_err(|_| crate::registry::RegisterError::AlreadyNamed)
            })
            .map_err(|_| BifError::Badarg)
    }

    /// `unregister(Name)`.
    pub fn unregister(&mut self, name: Term) -> Result<(), BifError> {
        let name = name.atom_value().ok_or(BifError::Badarg)?;
        let data = self.rt.registry.unregister(name).ok_or(BifError::Badarg)?;
        if let Some(p) = self.rt.table.get(data) {
            let _ =
                p.name
                    .compare_exchange(name.index() + 1, 0, Ordering::AcqRel, Ordering::Acquire);
        }
        Ok(())
    }

    /// `whereis(Name)`: a pid or `undefined`.
    pub fn whereis(&self, name: Term) -> Result<Term, BifError> {
        let name = name.atom_value().ok_or(BifError::Badarg)?;
        Ok(self
            .rt
            .registry
            .whereis(name)
            .map_or(Term::atom(atom::UNDEFINED), pid_term))
    }

    /// `registered()`.
    pub fn registered(&mut self) -> Term {
        let names: Vec<Term> = self
            .rt
            .registry
            .registered()
            .into_iter()
            .map(Term::atom)
            .collect();
        self.mem.list(&names, Term::NIL)
    }

    /// `group_leader()`.
    pub fn group_leader(&self) -> Term {
        pid_term(self.shared.group_leader.load(Ordering::Relaxed))
    }

    /// `group_leader(Leader, Pid)`.
    pub fn set_group_leader(&mut self, leader: Term, pid: Term) -> Result<(), BifError> {
        let leader = pid_data(leader).ok_or(BifError::Badarg)?;
        let data = pid_data(pid).ok_or(BifError::Badarg)?;
        let target = self.rt.table.get(data).ok_or(BifError::Badarg)?;
        target.group_leader.store(leader, Ordering::Relaxed);
        Ok(())
    }

    /// `is_process_alive(Pid)`.
    pub fn is_process_alive(&self, pid: Term) -> Result<bool, BifError> {
        if !pid.is_local_pid() {
            return Err(BifError::Badarg);
        }
        Ok(pid_data(pid)
            .and_then(|d| self.rt.table.get(d))
            .is_some_and(|p| !p.inbox.is_closed()))
    }

    /// `process_info(Pid, Items)` for another process: sends the request;
    /// the answer arrives as the message `{Ref, Answer}` (`Answer` is the
    /// item list, or `undefined` for a dead process). For the calling
    /// process itself use [`Process::process_info_self`].
    pub fn process_info_request(
        &mut self,
        pid: Term,
        items: &[InfoItem],
    ) -> Result<Term, BifError> {
        let data = pid_data(pid).ok_or(BifError::Badarg)?;
        let id = crate::sched::new_ref_id();
        let me = self.shared.data;
        let signal = Signal::Info {
            items: items.to_vec(),
            reply: InfoReplyTo::Process { pid: me, id },
        };
        if self.signal(data, signal).is_err() {
            let m = FragmentBuilder::build(
                &[Part::Ref(id), Part::Imm(Term::atom(atom::UNDEFINED))],
                true,
            );
            let _ = self.signal(me, Signal::Message(m));
        }
        Ok(self.mem.local_ref(id))
    }

    /// `process_info(self(), Items)`: the `[{Item, Value}]` list.
    pub fn process_info_self(&mut self, items: &[InfoItem]) -> Term {
        self.handle_signals();
        let answer = info::answer(self, items);
        let empty = crate::heap::HeapFragment::new(0);
        let src: &dyn CopySource = answer.fragment.as_ref().unwrap_or(&empty);
        copy_term(answer.term, src, &mut self.mem)
    }

    // ----- the process dictionary ----------------------------------------

    fn dict_find(&self, key: Term) -> Option<(usize, Term)> {
        let mut l = self.mem.dictionary;
        let mut i = 0;
        while let Some((pair, rest)) = l.cons_parts(&self.mem) {
            if let Some(&[k, v]) = pair.tuple_elements(&self.mem)
                && crate::order::exact_eq(k, key, &self.mem)
            {
                return Some((i, v));
            }
            l = rest;
            i += 1;
        }
        None
    }

    fn dict_without(&mut self, index: usize) {
        let mut kept = Vec::new();
        let mut l = self.mem.dictionary;
        let mut i = 0;
        while let Some((pair, rest)) = l.cons_parts(&self.mem) {
            if i != index {
                kept.push(pair);
            }
            l = rest;
            i += 1;
        }
        self.mem.dictionary = self.mem.list(&kept, Term::NIL);
    }

    /// `put(Key, Value)`: the old value or `undefined`.
    pub fn dict_put(&mut self, key: Term, value: Term) -> Term {
        let old = self.dict_erase(key);
        let pair = self.mem.tuple(&[key, value]).unwrap_or(Term::NIL);
        self.mem.dictionary = self.mem.cons(pair, self.mem.dictionary);
        old
    }

    /// `get(Key)`.
    pub fn dict_get(&self, key: Term) -> Term {
        self.dict_find(key)
            .map_or(Term::atom(atom::UNDEFINED), |(_, v)| v)
    }

    /// `erase(Key)`: the old value or `undefined`.
    pub fn dict_erase(&mut self, key: Term) -> Term {
        match self.dict_find(key) {
            Some((i, v)) => {
                self.dict_without(i);
                v
            }
            None => Term::atom(atom::UNDEFINED),
        }
    }

    /// `get_keys()`.
    pub fn dict_keys(&mut self) -> Term {
        let mut keys = Vec::new();
        let mut l = self.mem.dictionary;
        while let Some((pair, rest)) = l.cons_parts(&self.mem) {
            if let Some(&[k, _]) = pair.tuple_elements(&self.mem) {
                keys.push(k);
            }
            l = rest;
        }
        self.mem.list(&keys, Term::NIL)
    }

    /// `get()`: the `[{Key, Value}]` list.
    pub fn dict_all(&self) -> Term {
        self.mem.dictionary
    }

    // ----- timers ----------------------------------------------------------

    /// `erlang:send_after(Time, Dest, Msg)` (`timeout == false`) or
    /// `start_timer` (`timeout == true`, the message is
    /// `{timeout, TRef, Msg}`). `dest` is a pid or an atom.
    pub fn start_timer(
        &mut self,
        time_ms: Term,
        dest: Term,
        msg: Term,
        timeout: bool,
    ) -> Result<Term, BifError> {
        let ms = time_ms
            .small_value()
            .filter(|&v| v >= 0)
            .ok_or(BifError::Badarg)? as u64;
        let dest = if let Some(d) = pid_data(dest) {
            crate::timer::Dest::Pid(d)
        } else if let Some(n) = dest.atom_value() {
            crate::timer::Dest::Name(n)
        } else {
            return Err(BifError::Badarg);
        };
        let id = crate::sched::new_ref_id();
        let m = if timeout {
            FragmentBuilder::build(
                &[
                    Part::Imm(Term::atom(atom::TIMEOUT)),
                    Part::Ref(id),
                    Part::Copy(msg, &self.mem),
                ],
                true,
            )
        } else {
            copy_message(msg, &self.mem)
        };
        let action = crate::timer::Action::Send { dest, msg: m };
        self.rt.timers.start(id, Duration::from_millis(ms), action);
        Ok(self.mem.local_ref(id))
    }

    /// `erlang:cancel_timer(TRef)`: milliseconds left, or `false`.
    pub fn cancel_timer(&mut self, tref: Term) -> Result<Term, BifError> {
        let id = tref.local_ref_id(&self.mem).ok_or(BifError::Badarg)?;
        Ok(match self.rt.timers.cancel(id) {
            Some(left) => self.mem.int(left.as_millis() as i64),
            None => Term::atom(atom::FALSE),
        })
    }

    /// `erlang:read_timer(TRef)`: milliseconds left, or `false`.
    pub fn read_timer(&mut self, tref: Term) -> Result<Term, BifError> {
        let id = tref.local_ref_id(&self.mem).ok_or(BifError::Badarg)?;
        Ok(match self.rt.timers.read(id) {
            Some(left) => self.mem.int(left.as_millis() as i64),
            None => Term::atom(atom::FALSE),
        })
    }

    // ----- halting ---------------------------------------------------------

    /// `erlang:halt(Status, Options)`: `Status` is an integer, `abort` or a
    /// string (a slogan); `Options` may hold `{flush, Bool}`. The code must
    /// return `status::HALT` afterwards.
    pub fn halt(&mut self, status: Term, options: Term) -> Result<(), BifError> {
        let req = crate::sched::HaltRequest::from_terms(status, options, &self.mem)
            .ok_or(BifError::Badarg)?;
        self.rt.halt(req);
        Ok(())
    }
}

/// What a `'DOWN'` message names.
#[derive(Copy, Clone)]
pub(crate) enum Object {
    Pid(u64),
    Name(Atom),
}

/// `{'EXIT', From, Reason}` in a fresh fragment.
pub(crate) fn exit_message(from: u64, reason: Term, src: &dyn CopySource) -> Message {
    FragmentBuilder::build(
        &[
            Part::Imm(Term::atom(atom::EXIT_UPPER)),
            Part::Imm(pid_term(from)),
            Part::Copy(reason, src),
        ],
        true,
    )
}

/// The reason of an `{'EXIT', From, Reason}` message.
pub(crate) fn exit_msg_reason(m: &Message) -> Term {
    let empty = crate::heap::HeapFragment::new(0);
    let frag = m.fragment.as_ref().unwrap_or(&empty);
    match m.term.tuple_elements(frag) {
        Some(&[_, _, r]) => r,
        _ => Term::atom(atom::NORMAL),
    }
}

/// `{'DOWN', Ref, process, Object, Reason}` in a fresh fragment.
pub(crate) fn down_message(
    id: RefId,
    object: Object,
    reason: Term,
    src: &dyn CopySource,
) -> Message {
    match object {
        Object::Pid(p) => FragmentBuilder::build(
            &[
                Part::Imm(Term::atom(atom::DOWN)),
                Part::Ref(id),
                Part::Imm(Term::atom(atom::PROCESS)),
                Part::Imm(pid_term(p)),
                Part::Copy(reason, src),
            ],
            true,
        ),
        Object::Name(n) => {
            // `{Name, Node}` needs a tuple of its own: build the message in a
            // scratch heap, then copy it into one fragment.
            let mut scratch = ProcessMemory::with_min_heap_size(0);
            let obj = scratch
                .tuple(&[Term::atom(n), Term::atom(atom::NONODE)])
                .unwrap_or(Term::NIL);
            let r = copy_term(reason, src, &mut scratch);
            let rf = scratch.local_ref(id);
            let t = scratch
                .tuple(&[
                    Term::atom(atom::DOWN),
                    rf,
                    Term::atom(atom::PROCESS),
                    obj,
                    r,
                ])
                .unwrap_or(Term::NIL);
            copy_message(t, &*scratch)
        }
    }
}

fn is_down_for(t: Term, id: RefId, heap: &dyn crate::term::HeapAccess) -> bool {
    match t.tuple_elements(heap) {
        Some(&[tag, r, _, _, _]) => {
            tag == Term::atom(atom::DOWN) && r.local_ref_id(heap) == Some(id)
        }
        _ => false,
    }
}

// ----- the C entry points compiled code calls ------------------------------

/// Gives the running process behind `ctx` to `f`, or `fallback` if `f`
/// panics (these entry points must never unwind into compiled code).
///
/// # Safety
/// `ctx` must be the context of the process running on this thread.
unsafe fn with_process<R>(
    ctx: *mut ProcessContext,
    fallback: R,
    f: impl FnOnce(&mut Process) -> R,
) -> R {
    // SAFETY: per this function's contract.
    let p = unsafe { &mut *(ctx as *mut Process) };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(p))).unwrap_or(fallback)
}

/// `recv_peek_message`: the message at the save pointer, or `NON_VALUE`.
///
/// # Safety
/// `ctx` must be the context of the process running on this thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_recv_peek(ctx: *mut ProcessContext) -> Term {
    // SAFETY: per this function's contract.
    unsafe {
        with_process(ctx, Term::NON_VALUE, |p| {
            p.recv_peek().unwrap_or(Term::NON_VALUE)
        })
    }
}

/// `recv_next`.
///
/// # Safety
/// As [`coral_recv_peek`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_recv_next(ctx: *mut ProcessContext) {
    // SAFETY: per this function's contract.
    unsafe { with_process(ctx, (), |p| p.recv_next()) }
}

/// `remove_message`: the removed message (now on the heap), or `NON_VALUE`.
///
/// # Safety
/// As [`coral_recv_peek`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_remove_message(ctx: *mut ProcessContext) -> Term {
    // SAFETY: per this function's contract.
    unsafe {
        with_process(ctx, Term::NON_VALUE, |p| {
            p.remove_message().unwrap_or(Term::NON_VALUE)
        })
    }
}

/// The `timeout` primop.
///
/// # Safety
/// As [`coral_recv_peek`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_recv_timeout(ctx: *mut ProcessContext) {
    // SAFETY: per this function's contract.
    unsafe { with_process(ctx, (), |p| p.recv_timeout()) }
}

/// `recv_wait_timeout(Timeout)`: a `mailbox::wait` answer.
///
/// # Safety
/// As [`coral_recv_peek`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_recv_wait_timeout(ctx: *mut ProcessContext, timeout: Term) -> u64 {
    // SAFETY: per this function's contract.
    unsafe { with_process(ctx, wait::BADARG, |p| p.recv_wait_timeout(timeout)) }
}

/// `Dest ! Msg`: `msg`, or `NON_VALUE` for `badarg`.
///
/// # Safety
/// As [`coral_recv_peek`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_send(ctx: *mut ProcessContext, dest: Term, msg: Term) -> Term {
    // SAFETY: per this function's contract.
    unsafe {
        with_process(ctx, Term::NON_VALUE, |p| match p.send(dest, msg) {
            Ok(()) => msg,
            Err(_) => Term::NON_VALUE,
        })
    }
}

/// `self()`.
///
/// # Safety
/// As [`coral_recv_peek`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_self(ctx: *mut ProcessContext) -> Term {
    // SAFETY: per this function's contract.
    unsafe { with_process(ctx, Term::NON_VALUE, |p| p.pid()) }
}

/// The collector entry point for compiled code running as a process: like
/// `coral_gc`, with the queued messages handled as
/// [`Process::garbage_collect`] describes (the message a receive is
/// matching, at the save pointer, is moved onto the heap first, so that the
/// collection and its verifier see it as the process's own data).
///
/// Answers 0 when done, 1 for a bad stack, 2 for another collector error,
/// 3 if the runtime failed, and 4 when the collection pushed the process
/// past its `max_heap_size` and killed it: the code must then return to the
/// scheduler at once (with any status).
///
/// # Safety
/// As [`coral_recv_peek`], and `ctx`'s stack set up as `frame.rs` describes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_process_gc(
    ctx: *mut ProcessContext,
    need: usize,
    live_x: u32,
) -> u32 {
    // SAFETY: per this function's contract.
    unsafe {
        with_process(ctx, 3, |p| {
            match p.garbage_collect(need, live_x as usize, &mut [], false) {
                Ok(_) if p.killed() => 4,
                Ok(_) => 0,
                Err(crate::gc::GcError::Stack(_)) => 1,
                Err(_) => 2,
            }
        })
    }
}
