//! The scheduler: runs processes on a pool of threads, one per core by
//! default, with BEAM's priorities, preemption by reductions, work stealing,
//! and threads that sleep when there is nothing to run.
//!
//! # Run queues
//!
//! Each scheduler thread has a FIFO run queue per priority (max, high,
//! normal, low); a process woken by a non-scheduler thread (the timer
//! thread, an I/O thread, a test) goes to a shared injector queue of its
//! priority. A thread picks the highest priority that has work: its own
//! queue, then the injector, then steals from another thread. Normal and low
//! interleave as in BEAM: a low-priority process is picked after every
//! eight normal ones when both wait (BEAM's `RESCHEDULE_LOW`), and whenever
//! no normal one is ready. Every 61st pick looks at the injector first so
//! that work from outside is never starved by a busy local queue.
//!
//! # A process's life on a thread
//!
//! A process is in one of three states (`process::WAITING`, `QUEUED`,
//! `EXITED`). A `QUEUED` process sits in exactly one run queue or is being
//! run by the one thread that took it from there, which alone touches its
//! body until it moves the state on. A sender pushes to the inbox, then
//! moves `WAITING` to `QUEUED` (and queues the process) or flags a `QUEUED`
//! process `NOTIFIED`, so that its owner, about to wait, looks at its inbox
//! again: the owner goes to `WAITING` only by a compare-and-swap from a
//! `QUEUED` without the flag, and clears the flag only before taking its
//! inbox. Every access to the state and to the inbox's head is
//! sequentially consistent, so either a sender's push comes before the
//! owner's take (which then sees the signal), or the sender's read of the
//! state comes after the owner's last write of it; no wake-up is lost.
//! The owner writes the state only to wait or to clear a flag, so an
//! ordinary time slice stores nothing there (on x86 these orderings cost
//! nothing more than the read-modify-writes the protocol needs anyway). A
//! process waiting in `receive` is in no queue and costs nothing.
//!
//! Each slice: handle pending signals (messages move to the private queue,
//! exit signals may kill), give the code `CONTEXT_REDS` reductions, call its
//! entry, and act on the status it returns (see `process`).
//!
//! # Sleeping
//!
//! An idle thread counts itself as sleeping, looks at every queue once more,
//! and waits on a condition variable; whoever queues work wakes one sleeper
//! if the count is non-zero, except that a scheduler thread queuing a
//! process on its own empty queue wakes nobody (it runs that process
//! itself next, so a message exchange stays on one thread; see
//! `RuntimeInner::enqueue`). The count and the queues are read and written
//! with sequentially consistent fences on both sides, so a wake-up is never
//! lost and no thread spins.
//!
//! # Shutdown
//!
//! The runtime stops when `halt` is called or the main process exits (BEAM
//! under `erl -noshell -eval 'm:main(), halt(0).'`): status 0 when main
//! returns normally, 1 (with a report on standard error) when it dies. Other
//! processes are killed where they stand. Blocking work never runs on a
//! scheduler thread: see [`RuntimeHandle::run_blocking`].

use crate::atom::{self, Atom};
use crate::copy::CopySource;
use crate::heap::{HeapFragment, ProcessMemory};
use crate::mailbox::copy_message;
use crate::process::table::ProcessTable;
use crate::process::{
    CONTEXT_REDS, EXITED, NOTIFIED, Object, Priority, ProcShared, Process, ProcessCode, QUEUED,
    SpawnOpts, WAITING, down_message, exit_message, pid_term, status,
};
use crate::registry::Registry;
use crate::signal::{ExitKind, InfoReplyTo, Message, RefId, Signal};
use crate::term::Term;
use crate::timer::{Action, Dest, Timers};
use crossbeam_deque::{Injector, Steal, Stealer, Worker};
use std::cell::{Cell, UnsafeCell};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering, fence};
use std::sync::{Arc, Condvar, Mutex, OnceLock, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

pub use crate::process::report::TermPrinter;

type Task = Arc<ProcShared>;
/// A job for the blocking-work pool.
type IoJob = Box<dyn FnOnce() + Send>;

/// How a runtime is set up.
#[derive(Clone, Debug)]
pub struct Config {
    /// Scheduler threads; 0 means one per core.
    pub schedulers: usize,
    /// The process limit (`+P`). OTP 25's own default is 262144; Coral's
    /// is 1048576 so that a million processes fit without a flag.
    pub max_processes: usize,
    /// The main process traps exits, as the process running `erl -eval`
    /// does.
    pub main_traps_exits: bool,
    /// Write error reports for processes that die of an uncaught error.
    pub crash_reports: bool,
    /// Threads of the blocking-work pool.
    pub io_threads: usize,
    /// The pid number of the main process: 9, as the process evaluating
    /// `erl -noshell -eval` has (`<0.9.0>`, OTP 25, every run); `None`
    /// gives it the first fresh number.
    pub main_pid_number: Option<u64>,
    /// Where fresh pid numbers start: 79, where the first process spawned
    /// from `erl -noshell -eval` starts (BEAM's boot processes hold the
    /// numbers below). Numbers below it are used once the fresh ones run
    /// out, or on purpose (the main process).
    pub first_pid_number: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            schedulers: 0,
            max_processes: 1 << 20,
            main_traps_exits: true,
            crash_reports: true,
            io_threads: 2,
            main_pid_number: Some(9),
            first_pid_number: 79,
        }
    }
}

/// What `erlang:halt` asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HaltStatus {
    Code(i32),
    Abort,
    /// `halt("...")`: BEAM writes a crash dump with this slogan and exits 1.
    Slogan(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HaltRequest {
    pub status: HaltStatus,
    pub flush: bool,
}

impl HaltRequest {
    /// Reads `halt(Status, Options)`'s arguments; `None` for `badarg`.
    pub fn from_terms(status: Term, options: Term, heap: &ProcessMemory) -> Option<HaltRequest> {
        let status = if let Some(n) = status.small_value() {
            if n < 0 {
                return None;
            }
            HaltStatus::Code(n as i32)
        } else if status.atom_value().and_then(Atom::text) == Some("abort") {
            HaltStatus::Abort
        } else {
            let mut s = String::new();
            let mut l = status;
            while let Some((c, rest)) = l.cons_parts(heap) {
                s.push(char::from_u32(c.small_value()? as u32)?);
                l = rest;
            }
            if !l.is_nil() {
                return None;
            }
            HaltStatus::Slogan(s)
        };
        let mut flush = true;
        let mut l = options;
        while let Some((o, rest)) = l.cons_parts(heap) {
            match o.tuple_elements(heap) {
                Some(&[k, v]) if k.atom_value().and_then(Atom::text) == Some("flush") => {
                    flush = v == Term::atom(atom::TRUE);
                    if !flush && v != Term::atom(atom::FALSE) {
                        return None;
                    }
                }
                _ => return None,
            }
            l = rest;
        }
        if !l.is_nil() {
            return None;
        }
        Some(HaltRequest { status, flush })
    }

    /// The exit status of the operating-system process.
    pub fn exit_code(&self) -> i32 {
        match &self.status {
            HaltStatus::Code(n) => *n,
            // 128 + SIGABRT, what a shell reports for an aborted program.
            HaltStatus::Abort => 134,
            HaltStatus::Slogan(_) => 1,
        }
    }

    /// Ends the operating-system process as BEAM's halt does: exits with
    /// the status, except for `halt(abort)`, where BEAM calls `abort()`
    /// and the program dies of `SIGABRT` (OTP 25 under `erl -noshell`: the
    /// shell sees status 134 and "Aborted"; a parent's `waitpid` sees the
    /// signal, not an exit code). Standard output and error are flushed
    /// first either way, as BEAM had written what `io` had been given.
    pub fn terminate(&self) -> ! {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        match self.status {
            HaltStatus::Abort => std::process::abort(),
            _ => std::process::exit(self.exit_code()),
        }
    }
}

static NEXT_RUNTIME: AtomicUsize = AtomicUsize::new(1);
static REF_COUNTER: AtomicU64 = AtomicU64::new(1);
static TERM_PRINTER: OnceLock<TermPrinter> = OnceLock::new();

/// Installs the printer error reports use (the runtime's `~p`).
pub fn set_term_printer(p: TermPrinter) {
    let _ = TERM_PRINTER.set(p);
}

fn print_term(t: Term, heap: &ProcessMemory) -> String {
    match TERM_PRINTER.get() {
        Some(p) => p(t, heap),
        // As BEAM's own reports print terms (`erts_print`'s `%T`): what
        // `erlang:display/1` writes.
        None => String::from_utf8_lossy(&crate::display::display(t, heap)).into_owned(),
    }
}

thread_local! {
    /// Reference ids are handed out in blocks, so threads rarely share the
    /// global counter's cache line.
    static REF_BLOCK: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
    /// This thread's `Local` while it runs `scheduler_main`, else null.
    static LOCAL: Cell<*const Local> = const { Cell::new(std::ptr::null()) };
}

const REF_BLOCK_SIZE: u64 = 1024;

/// A reference id unique in this operating-system process.
pub fn new_ref_id() -> RefId {
    let n = REF_BLOCK.with(|b| {
        let (mut next, mut end) = b.get();
        if next == end {
            next = REF_COUNTER.fetch_add(REF_BLOCK_SIZE, Ordering::Relaxed);
            end = next + REF_BLOCK_SIZE;
        }
        b.set((next + 1, end));
        next
    });
    [n, 0]
}

/// A scheduler thread's own queues.
struct Local {
    rt_id: usize,
    index: usize,
    queues: [Worker<Task>; 4],
    /// Picks until the next one looks at the injector first.
    until_injector: Cell<u32>,
    normal_picks: Cell<u32>,
}

/// The `Local` of the scheduler thread calling, if it is one.
fn local<'a>() -> Option<&'a Local> {
    let p = LOCAL.with(|l| l.get());
    // SAFETY: a non-null pointer was set by `scheduler_main` on this
    // thread to a `Local` on its stack, and is reset to null (by
    // `LocalGuard`) before that frame goes away; `Local` is only ever
    // used through shared references.
    unsafe { p.as_ref() }
}

/// Resets `LOCAL` when `scheduler_main` returns or unwinds.
struct LocalGuard;

impl Drop for LocalGuard {
    fn drop(&mut self) {
        LOCAL.with(|l| l.set(std::ptr::null()));
    }
}

pub(crate) struct RuntimeInner {
    id: usize,
    pub(crate) config: Config,
    pub(crate) table: ProcessTable,
    pub(crate) registry: Registry,
    pub(crate) timers: Arc<Timers>,
    injectors: [Injector<Task>; 4],
    /// Bit `1 << p` is set once any process was queued at priority `p`: a
    /// scheduler looking for work skips the run queues of priorities never
    /// used (most programs use only `normal`).
    prio_used: AtomicU8,
    stealers: OnceLock<Vec<[Stealer<Task>; 4]>>,
    sleep_lock: Mutex<()>,
    sleep_cv: Condvar,
    sleeping: AtomicUsize,
    halted: AtomicBool,
    halt: Mutex<Option<HaltRequest>>,
    halt_cv: Condvar,
    /// Pid data of the main process, or `u64::MAX`.
    main_pid: AtomicU64,
    io_jobs: Mutex<Option<mpsc::Sender<IoJob>>>,
}

impl RuntimeInner {
    pub(crate) fn halted(&self) -> bool {
        self.halted.load(Ordering::Acquire)
    }

    pub(crate) fn halt(&self, req: HaltRequest) {
        {
            let mut h = self.halt.lock().unwrap_or_else(|e| e.into_inner());
            if h.is_none() {
                *h = Some(req);
            }
            self.halted.store(true, Ordering::Release);
        }
        self.halt_cv.notify_all();
        let _g = self.sleep_lock.lock().unwrap_or_else(|e| e.into_inner());
        self.sleep_cv.notify_all();
    }

    /// Delivers a signal to the process with pid data `to`; the signal back
    /// when there is no such process (any more).
    pub(crate) fn deliver(&self, to: u64, signal: Signal) -> Result<(), Signal> {
        let Some(p) = self.table.get(to) else {
            return Err(signal);
        };
        p.inbox.push(signal)?;
        self.notify(p);
        Ok(())
    }

    /// Makes a waiting process runnable, or flags a queued or running one.
    fn notify(&self, p: Task) {
        let mut s = p.state.load(Ordering::SeqCst);
        loop {
            let next = match s {
                WAITING => QUEUED,
                EXITED => return,
                _ if s & NOTIFIED != 0 => return,
                _ => s | NOTIFIED,
            };
            match p
                .state
                .compare_exchange(s, next, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => {
                    if next == QUEUED {
                        self.enqueue(p);
                    }
                    return;
                }
                Err(now) => s = now,
            }
        }
    }

    /// Queues a runnable process: on this thread's own queue when called
    /// from one of this runtime's scheduler threads, else on the injector.
    ///
    /// A sleeping thread is woken only when there is more work than this
    /// thread will get to next: a process queued on an empty local queue
    /// runs here as soon as the current slice ends, so waking another
    /// thread to steal it would only move a message exchange (a ping-pong,
    /// a token ring) from thread to thread, a futex wake per message. Once
    /// a second process waits here, a sleeper is woken and steals half.
    fn enqueue(&self, p: Task) {
        let prio = p.priority.load(Ordering::Relaxed) as usize & 3;
        if self.prio_used.load(Ordering::Relaxed) & (1 << prio) == 0 {
            self.prio_used.fetch_or(1 << prio, Ordering::SeqCst);
        }
        let rest = match local() {
            Some(local) if local.rt_id == self.id => {
                let q = &local.queues[prio];
                let alone = q.is_empty();
                q.push(p);
                Err(alone)
            }
            _ => Ok(p),
        };
        match rest {
            Ok(p) => {
                self.injectors[prio].push(p);
                self.wake_one();
            }
            Err(true) => {}
            Err(false) => self.wake_one(),
        }
    }

    fn wake_one(&self) {
        fence(Ordering::SeqCst);
        if self.sleeping.load(Ordering::SeqCst) > 0 {
            let _g = self.sleep_lock.lock().unwrap_or_else(|e| e.into_inner());
            self.sleep_cv.notify_one();
        }
    }

    fn has_work(&self) -> bool {
        self.injectors.iter().any(|i| !i.is_empty())
            || self
                .stealers
                .get()
                .is_some_and(|ss| ss.iter().flatten().any(|s| !s.is_empty()))
    }

    /// Spawns a process; `init` sets it up before anyone can see it.
    /// `slot` asks for that table slot (the main process's pid).
    pub(crate) fn spawn_process(
        self: &Arc<Self>,
        entry: ProcessCode,
        opts: &SpawnOpts,
        group_leader: u64,
        slot: Option<usize>,
        init: impl FnOnce(&mut Process),
    ) -> Option<u64> {
        let reserved = match slot {
            Some(s) => self.table.reserve_exact(s),
            None => None,
        };
        let (index, data) = match reserved {
            Some(r) => r,
            None => self.table.reserve()?,
        };
        let gl = if group_leader == u64::MAX {
            data
        } else {
            group_leader
        };
        let shared = Arc::new(ProcShared {
            data,
            state: AtomicU32::new(QUEUED),
            inbox: crate::signal::Inbox::new(),
            body: UnsafeCell::new(None),
            name: AtomicU32::new(0),
            group_leader: AtomicU64::new(gl),
            priority: AtomicU8::new(opts.priority as u8),
        });
        let mut p = Process::new(self.clone(), shared.clone(), entry, opts);
        init(&mut p);
        // SAFETY: the process is not published yet: no other thread can
        // reach `body`.
        unsafe { *shared.body.get() = Some(p) };
        self.table.publish(index, shared.clone());
        self.enqueue(shared);
        Some(data)
    }

    fn fire_timer(&self, action: Action) {
        match action {
            Action::ReceiveTimeout { pid, seq } => {
                let _ = self.deliver(pid, Signal::ReceiveTimeout { seq });
            }
            Action::Send { dest, msg } => {
                let to = match dest {
                    Dest::Pid(p) => Some(p),
                    Dest::Name(n) => self.registry.whereis(n),
                };
                if let Some(to) = to {
                    let _ = self.deliver(to, Signal::Message(msg));
                }
            }
        }
    }

    /// Processes waiting in run queues (a snapshot).
    pub(crate) fn queued_count(&self) -> usize {
        let injected: usize = self.injectors.iter().map(|i| i.len()).sum();
        let local: usize = self
            .stealers
            .get()
            .map_or(0, |ss| ss.iter().flatten().map(|s| s.len()).sum());
        injected + local
    }

    /// Runs blocking work on the I/O pool, never on a scheduler thread;
    /// `false` when the runtime is shutting down.
    pub(crate) fn run_blocking(&self, job: impl FnOnce() + Send + 'static) -> bool {
        let tx = self.io_jobs.lock().unwrap_or_else(|e| e.into_inner());
        tx.as_ref().is_some_and(|tx| tx.send(Box::new(job)).is_ok())
    }

    /// Scheduler threads.
    pub(crate) fn scheduler_count(&self) -> usize {
        self.stealers.get().map_or(1, |s| s.len())
    }

    /// Whether a process with pid data `data` is alive.
    pub(crate) fn table_has(&self, data: u64) -> bool {
        self.table.get(data).is_some()
    }

    fn is_main(&self, data: u64) -> bool {
        self.main_pid.load(Ordering::Acquire) == data
    }
}

use std::sync::atomic::{AtomicU8, AtomicU32};

/// A handle on a runtime for threads that are not processes (I/O threads,
/// tests): send messages in, ask for process information, spawn.
#[derive(Clone)]
pub struct RuntimeHandle(Arc<RuntimeInner>);

impl RuntimeHandle {
    /// Sends a copy of `term` (from `src`) to `pid`; false if it is gone.
    pub fn send(&self, pid: Term, term: Term, src: &dyn CopySource) -> bool {
        let Some(to) = crate::process::pid_data(pid) else {
            return false;
        };
        self.0
            .deliver(to, Signal::Message(copy_message(term, src)))
            .is_ok()
    }

    /// `exit(Pid, Reason)` from outside any process (`from` is shown as the
    /// sender in a trapped `'EXIT'` message).
    pub fn exit(&self, pid: Term, from: Term, reason: Term, src: &dyn CopySource) -> bool {
        let (Some(to), Some(f)) = (
            crate::process::pid_data(pid),
            crate::process::pid_data(from),
        ) else {
            return false;
        };
        let msg = exit_message(f, reason, src);
        let s = Signal::Exit {
            from: f,
            kind: ExitKind::Exit2,
            msg,
        };
        self.0.deliver(to, s).is_ok()
    }

    /// Spawns a process from outside any process.
    pub fn spawn(
        &self,
        entry: ProcessCode,
        opts: &SpawnOpts,
        init: impl FnOnce(&mut Process),
    ) -> Option<Term> {
        self.0
            .spawn_process(entry, opts, u64::MAX, None, init)
            .map(pid_term)
    }

    /// `process_info(Pid, Items)` answered by the process itself; `None`
    /// if it is gone or does not answer within `timeout`.
    pub fn process_info(
        &self,
        pid: Term,
        items: &[crate::process::InfoItem],
        timeout: Duration,
    ) -> Option<Message> {
        let to = crate::process::pid_data(pid)?;
        let (tx, rx) = mpsc::channel();
        let s = Signal::Info {
            items: items.to_vec(),
            reply: InfoReplyTo::External(tx),
        };
        self.0.deliver(to, s).ok()?;
        rx.recv_timeout(timeout).ok().flatten()
    }

    pub fn whereis(&self, name: Atom) -> Option<Term> {
        self.0.registry.whereis(name).map(pid_term)
    }

    pub fn is_alive(&self, pid: Term) -> bool {
        crate::process::pid_data(pid)
            .and_then(|d| self.0.table.get(d))
            .is_some_and(|p| !p.inbox.is_closed())
    }

    /// Live processes.
    pub fn process_count(&self) -> usize {
        self.0.table.count()
    }

    pub fn process_limit(&self) -> usize {
        self.0.table.limit()
    }

    pub fn pending_timers(&self) -> usize {
        self.0.timers.pending()
    }

    pub fn halt(&self, req: HaltRequest) {
        self.0.halt(req)
    }

    /// Runs blocking work (file or socket I/O, a long computation in Rust)
    /// on the I/O pool, never on a scheduler thread. The job reports back by
    /// sending a message through a handle it captured.
    pub fn run_blocking(&self, job: impl FnOnce() + Send + 'static) -> bool {
        self.0.run_blocking(job)
    }

    /// Runs `job` on a dedicated thread of its own (a port driver, a
    /// long-lived blocking reader).
    pub fn dedicated_thread(
        &self,
        name: &str,
        job: impl FnOnce() + Send + 'static,
    ) -> std::io::Result<JoinHandle<()>> {
        std::thread::Builder::new()
            .name(name.to_string())
            .spawn(job)
    }
}

impl Process {
    /// A handle on this process's runtime.
    pub fn runtime(&self) -> RuntimeHandle {
        RuntimeHandle(self.rt.clone())
    }
}

/// A running runtime: scheduler threads, a timer thread and an I/O pool.
pub struct Runtime {
    inner: Arc<RuntimeInner>,
    threads: Vec<JoinHandle<()>>,
    timer_thread: Option<JoinHandle<()>>,
    io_threads: Vec<JoinHandle<()>>,
    schedulers: usize,
}

impl Runtime {
    pub fn new(config: Config) -> Runtime {
        keep_freed_memory();
        crate::stats::mark_start();
        let schedulers = if config.schedulers == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            config.schedulers
        };
        let inner = Arc::new(RuntimeInner {
            id: NEXT_RUNTIME.fetch_add(1, Ordering::Relaxed),
            table: ProcessTable::new(config.max_processes, config.first_pid_number as usize),
            registry: Registry::default(),
            timers: Arc::new(Timers::new()),
            injectors: Default::default(),
            prio_used: AtomicU8::new(0),
            stealers: OnceLock::new(),
            sleep_lock: Mutex::new(()),
            sleep_cv: Condvar::new(),
            sleeping: AtomicUsize::new(0),
            halted: AtomicBool::new(false),
            halt: Mutex::new(None),
            halt_cv: Condvar::new(),
            main_pid: AtomicU64::new(u64::MAX),
            io_jobs: Mutex::new(None),
            config,
        });
        let workers: Vec<[Worker<Task>; 4]> = (0..schedulers)
            .map(|_| std::array::from_fn(|_| Worker::new_fifo()))
            .collect();
        let stealers = workers
            .iter()
            .map(|w| std::array::from_fn(|i| w[i].stealer()))
            .collect();
        let _ = inner.stealers.set(stealers);
        let threads = workers
            .into_iter()
            .enumerate()
            .map(|(index, queues)| {
                let rt = inner.clone();
                std::thread::Builder::new()
                    .name(format!("coral-sched-{}", index + 1))
                    .spawn(move || scheduler_main(rt, index, queues))
                    .expect("cannot start a scheduler thread")
            })
            .collect();
        let timer_thread = {
            let rt = inner.clone();
            std::thread::Builder::new()
                .name("coral-timer".into())
                .spawn(move || {
                    let timers = rt.timers.clone();
                    timers.run(|a| rt.fire_timer(a));
                })
                .expect("cannot start the timer thread")
        };
        let (tx, rx) = mpsc::channel::<IoJob>();
        *inner.io_jobs.lock().unwrap_or_else(|e| e.into_inner()) = Some(tx);
        let rx = Arc::new(Mutex::new(rx));
        let io_threads = (0..inner.config.io_threads.max(1))
            .map(|i| {
                let rx = rx.clone();
                std::thread::Builder::new()
                    .name(format!("coral-io-{}", i + 1))
                    .spawn(move || {
                        loop {
                            let job = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                            match job {
                                Ok(job) => {
                                    let _ =
                                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                                }
                                Err(_) => return,
                            }
                        }
                    })
                    .expect("cannot start an I/O thread")
            })
            .collect();
        Runtime {
            inner,
            threads,
            timer_thread: Some(timer_thread),
            io_threads,
            schedulers,
        }
    }

    pub fn schedulers(&self) -> usize {
        self.schedulers
    }

    pub fn handle(&self) -> RuntimeHandle {
        RuntimeHandle(self.inner.clone())
    }

    /// Spawns the main process (its exit stops the runtime), waits until the
    /// runtime halts, shuts it down, and returns the exit status.
    pub fn run_main(
        self,
        entry: ProcessCode,
        opts: &SpawnOpts,
        init: impl FnOnce(&mut Process),
    ) -> i32 {
        self.run_main_request(entry, opts, init).exit_code()
    }

    /// [`Runtime::run_main`], then ends the operating-system process as
    /// the halt asks ([`HaltRequest::terminate`]): what a native
    /// executable's `main` does.
    pub fn run_main_and_exit(
        self,
        entry: ProcessCode,
        opts: &SpawnOpts,
        init: impl FnOnce(&mut Process),
    ) -> ! {
        self.run_main_request(entry, opts, init).terminate()
    }

    /// [`Runtime::run_main`], answering what halted the runtime.
    pub fn run_main_request(
        mut self,
        entry: ProcessCode,
        opts: &SpawnOpts,
        init: impl FnOnce(&mut Process),
    ) -> HaltRequest {
        let traps = self.inner.config.main_traps_exits;
        let main_pid = &self.inner.main_pid;
        let slot = self.inner.config.main_pid_number.map(|n| n as usize);
        let data = self.inner.spawn_process(entry, opts, u64::MAX, slot, |p| {
            // Before the process is published: it may run, and exit, at once.
            main_pid.store(p.pid_data(), Ordering::Release);
            p.trap_exit = traps;
            init(p)
        });
        match data {
            Some(_) => {}
            None => {
                self.inner.halt(HaltRequest {
                    status: HaltStatus::Code(1),
                    flush: true,
                });
            }
        }
        let req = self.wait_halt();
        self.shutdown();
        req
    }

    /// Blocks until the runtime halts; what halted it.
    pub fn wait_halt(&self) -> HaltRequest {
        let mut h = self.inner.halt.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(r) = h.as_ref() {
                return r.clone();
            }
            h = self
                .inner
                .halt_cv
                .wait(h)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Stops every thread and frees every process.
    pub fn shutdown(&mut self) {
        self.inner.halt(HaltRequest {
            status: HaltStatus::Code(0),
            flush: true,
        });
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        self.inner.timers.stop();
        if let Some(t) = self.timer_thread.take() {
            let _ = t.join();
        }
        self.inner
            .io_jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        for t in self.io_threads.drain(..) {
            let _ = t.join();
        }
        // No scheduler runs now: free every process (this also breaks the
        // process-to-runtime reference cycle).
        for p in self.inner.table.all() {
            p.inbox.close();
            // SAFETY: every scheduler thread has stopped, so no thread owns
            // any process body.
            let body = unsafe { (*p.body.get()).take() };
            drop(body);
            self.inner.table.remove(p.data);
        }
        while self.inner.injectors.iter().any(|i| !i.steal().is_empty()) {}
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Tells glibc's allocator to keep freed memory (up to 64 MiB per arena)
/// instead of returning it to the kernel as soon as 128 KiB lie free at an
/// arena's top. Processes come and go in bursts: with the default, every
/// burst of exits handed the pages back (`madvise`) and the next burst of
/// spawns faulted them in again, which made spawning a million short-lived
/// processes half as slow again (149k page faults against 20k). BEAM keeps
/// its memory in its own allocators' carriers for the same reason.
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            unsafe extern "C" {
                fn mallopt(param: i32, value: i32) -> i32;
            }
            const M_TRIM_THRESHOLD: i32 = -1;
            // SAFETY: `mallopt` only changes allocator tuning; it is
            // called once, and glibc serialises it against allocation.
            unsafe {
                mallopt(M_TRIM_THRESHOLD, 64 << 20);
            }
        });
    }
}

fn scheduler_main(rt: Arc<RuntimeInner>, index: usize, queues: [Worker<Task>; 4]) {
    let local = Local {
        rt_id: rt.id,
        index,
        queues,
        until_injector: Cell::new(INJECTOR_EVERY),
        normal_picks: Cell::new(0),
    };
    let _guard = LocalGuard;
    LOCAL.with(|l| l.set(&local));
    while !rt.halted() {
        match find_task(&rt, &local) {
            Some(t) => run_task(&rt, t),
            None => sleep(&rt),
        }
    }
}

fn sleep(rt: &RuntimeInner) {
    let g = rt.sleep_lock.lock().unwrap_or_else(|e| e.into_inner());
    rt.sleeping.fetch_add(1, Ordering::SeqCst);
    fence(Ordering::SeqCst);
    if !rt.has_work() && !rt.halted() {
        let _g = rt.sleep_cv.wait(g).unwrap_or_else(|e| e.into_inner());
    }
    rt.sleeping.fetch_sub(1, Ordering::SeqCst);
}

fn steal_from(rt: &RuntimeInner, local: &Local, prio: usize) -> Option<Task> {
    loop {
        let mut retry = false;
        match rt.injectors[prio].steal_batch_and_pop(&local.queues[prio]) {
            Steal::Success(t) => return Some(t),
            Steal::Retry => retry = true,
            Steal::Empty => {}
        }
        if let Some(ss) = rt.stealers.get() {
            let n = ss.len();
            for k in 1..n {
                let victim = &ss[(local.index + k) % n][prio];
                match victim.steal_batch_and_pop(&local.queues[prio]) {
                    Steal::Success(t) => return Some(t),
                    Steal::Retry => retry = true,
                    Steal::Empty => {}
                }
            }
        }
        if !retry {
            return None;
        }
    }
}

fn take(rt: &RuntimeInner, local: &Local, prio: usize, injector_first: bool) -> Option<Task> {
    if injector_first
        && let Steal::Success(t) = rt.injectors[prio].steal_batch_and_pop(&local.queues[prio])
    {
        return Some(t);
    }
    local.queues[prio]
        .pop()
        .or_else(|| steal_from(rt, local, prio))
}

/// Every this many picks, a thread looks at the injector first.
const INJECTOR_EVERY: u32 = 61;

fn find_task(rt: &RuntimeInner, local: &Local) -> Option<Task> {
    let left = local.until_injector.get() - 1;
    let inj = left == 0;
    local
        .until_injector
        .set(if inj { INJECTOR_EVERY } else { left });
    let used = rt.prio_used.load(Ordering::Acquire);
    for prio in [Priority::Max as usize, Priority::High as usize] {
        if used & (1 << prio) != 0
            && let Some(t) = take(rt, local, prio, inj)
        {
            return Some(t);
        }
    }
    let (n, low) = (Priority::Normal as usize, Priority::Low as usize);
    let picks = local.normal_picks.get();
    let order = if picks >= 8 { [low, n] } else { [n, low] };
    for prio in order {
        if used & (1 << prio) != 0
            && let Some(t) = take(rt, local, prio, inj)
        {
            local
                .normal_picks
                .set(if prio == n { picks + 1 } else { 0 });
            return Some(t);
        }
    }
    None
}

/// Runs one time slice of a queued process.
fn run_task(rt: &Arc<RuntimeInner>, task: Task) {
    // A flag set while the process sat in the run queue is answered by the
    // inbox take below.
    if task.state.load(Ordering::SeqCst) != QUEUED {
        task.state.swap(QUEUED, Ordering::SeqCst);
    }
    // SAFETY: we took the process from a run queue in state QUEUED, which
    // makes this thread its only owner until it leaves QUEUED.
    let body = unsafe { &mut *task.body.get() };
    let Some(p) = body.as_mut() else {
        return;
    };
    p.prefetch();
    let reason = loop {
        p.handle_signals();
        if let Some(r) = p.exit_pending.take() {
            break r;
        }
        if p.wait.waiting {
            if !p.wait_satisfied() {
                match task.state.compare_exchange(
                    QUEUED,
                    WAITING,
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                ) {
                    Ok(_) => return,
                    Err(_) => {
                        // Flagged: a signal came after the last take. The
                        // flag is cleared before the take that answers it.
                        task.state.swap(QUEUED, Ordering::SeqCst);
                        continue;
                    }
                }
            }
            p.wait.waiting = false;
        }
        if rt.halted() {
            return;
        }
        if p.fragments_need_gc() || p.gc_requested {
            // Between slices the code's live data is in its x registers
            // (`x_live` of them) and on its stack: a safepoint.
            let live = p.mem.ctx.x_live as usize;
            let major = std::mem::take(&mut p.gc_requested);
            let _ = p.garbage_collect(0, live, &mut [], major);
            if p.killed() {
                continue;
            }
        }
        p.mem.ctx.reds = CONTEXT_REDS;
        p.running = true;
        let entry = p.entry;
        let ctx = p.context();
        crate::process::code::set_current(&mut **p as *mut Process);
        // SAFETY: `ctx` is the context of the process this thread owns;
        // process code never unwinds (see the `process` module).
        let st = unsafe { entry(ctx) };
        crate::process::code::set_current(std::ptr::null_mut());
        p.running = false;
        let used = (CONTEXT_REDS - p.mem.ctx.reds).max(0) as u64;
        p.reductions += used;
        p.mem.busy_reds += used;
        crate::stats::slice_done(used);
        p.mem.ctx.reds = CONTEXT_REDS;
        if p.killed() && st & 0xff != status::HALT {
            // Killed while it ran (an exit signal to itself, a collection
            // past `max_heap_size`): that reason wins over the status.
            continue;
        }
        match st & 0xff {
            status::YIELD => {
                p.handle_signals();
                if p.exit_pending.is_some() {
                    continue;
                }
                rt.enqueue(task.clone());
                return;
            }
            status::WAIT => {
                p.wait.waiting = true;
                if p.mem.end_busy() {
                    // Its young heap grew while it was busy: size it by
                    // BEAM's rules before it idles (see `gc.rs`).
                    let live = p.mem.ctx.x_live as usize;
                    let _ = p.garbage_collect(0, live, &mut [], false);
                }
            }
            status::EXIT => {
                let r = p
                    .mem
                    .x()
                    .first()
                    .copied()
                    .unwrap_or(Term::atom(atom::NORMAL));
                break copy_message(r, &p.mem);
            }
            status::ERROR => break uncaught_error(rt, p),
            status::HIBERNATE => hibernate(p),
            status::HALT => return,
            other => {
                let n = p.mem.int(other as i64);
                let tag = Term::atom(Atom::intern("bad_status").unwrap_or(atom::UNDEFINED));
                let r = p.mem.tuple(&[tag, n]).unwrap_or(Term::NIL);
                break copy_message(r, &p.mem);
            }
        }
    };
    exit_process(rt, &task, p, reason);
    // SAFETY: still the owner; the process is EXITED and unreachable from
    // the table, so dropping its body here is the last use.
    drop(unsafe { (*task.body.get()).take() });
}

/// Turns an uncaught exception (x0 class, x1 reason, x2 stack trace) into
/// the exit reason BEAM gives, writing the error report.
fn uncaught_error(rt: &RuntimeInner, p: &mut Process) -> Message {
    p.mem.ensure_x(3);
    let x = p.mem.x();
    let (class, reason, stack) = (x[0], x[1], x[2]);
    let exit = if class == Term::atom(atom::EXIT) {
        reason
    } else if class == Term::atom(atom::THROW) {
        let nocatch = p
            .mem
            .tuple(&[Term::atom(atom::NOCATCH), reason])
            .unwrap_or(Term::NIL);
        p.mem.tuple(&[nocatch, stack]).unwrap_or(Term::NIL)
    } else {
        p.mem.tuple(&[reason, stack]).unwrap_or(Term::NIL)
    };
    if class != Term::atom(atom::EXIT) && rt.config.crash_reports && !rt.is_main(p.pid_data()) {
        let text = crate::process::report::crash_report(p.pid(), print_term(exit, &p.mem));
        eprint!("{text}");
    }
    copy_message(exit, &p.mem)
}

/// `erlang:hibernate/3`: empty the stack, compact the heap around the live
/// x registers, and wait for a message.
fn hibernate(p: &mut Process) {
    p.mem.ctx.stop = p.mem.ctx.hend;
    p.mem.end_busy();
    let live = p.mem.ctx.x_live as usize;
    let _ = p.garbage_collect(0, live, &mut [], true);
    p.queue.reset();
    p.wait.waiting = true;
}

/// Everything a process owes the world when it exits.
fn exit_process(rt: &Arc<RuntimeInner>, task: &Task, p: &mut Process, reason: Message) {
    let me = task.data;
    let mut leftovers = std::mem::take(&mut p.pending);
    leftovers.append(task.inbox.close());
    let noproc = Term::atom(atom::NOPROC);
    let empty = HeapFragment::new(0);
    for s in leftovers {
        match s {
            Signal::Link { from } if !p.links.contains(&from) => {
                let msg = exit_message(me, noproc, &empty);
                let _ = rt.deliver(
                    from,
                    Signal::Exit {
                        from: me,
                        kind: ExitKind::Link,
                        msg,
                    },
                );
            }
            Signal::Unlink { from } => {
                p.links.remove(&from);
            }
            Signal::Monitor { from, id, name } => {
                let object = name.map_or(Object::Pid(me), Object::Name);
                let msg = down_message(id, object, noproc, &empty);
                let _ = rt.deliver(from, Signal::Down { id, msg });
            }
            Signal::Demonitor { id, .. } => {
                p.monitored_by.remove(&id);
            }
            Signal::Info { reply, .. } => match reply {
                InfoReplyTo::External(tx) => {
                    let _ = tx.send(None);
                }
                InfoReplyTo::Process { pid, id } => {
                    let m = crate::mailbox::FragmentBuilder::build(
                        &[
                            crate::mailbox::Part::Ref(id),
                            crate::mailbox::Part::Imm(Term::atom(atom::UNDEFINED)),
                        ],
                        true,
                    );
                    let _ = rt.deliver(pid, Signal::Message(m));
                }
            },
            _ => {}
        }
    }
    task.state.store(EXITED, Ordering::SeqCst);
    rt.table.remove(me);
    crate::ets::owner_exited(rt, me);
    if let Some(name) = task.registered_name() {
        rt.registry.unregister_if(name, me);
    }
    let src: &dyn CopySource = reason.fragment.as_ref().unwrap_or(&empty);
    for l in p.links.drain() {
        let msg = exit_message(me, reason.term, src);
        let _ = rt.deliver(
            l,
            Signal::Exit {
                from: me,
                kind: ExitKind::Link,
                msg,
            },
        );
    }
    for (id, w) in p.monitored_by.drain() {
        let object = w.name.map_or(Object::Pid(me), Object::Name);
        let msg = down_message(id, object, reason.term, src);
        let _ = rt.deliver(w.pid, Signal::Down { id, msg });
    }
    for (id, m) in p.monitors.drain() {
        let _ = rt.deliver(m.target, Signal::Demonitor { from: me, id });
    }
    if let Some(t) = p.wait.timer.take() {
        rt.timers.cancel(t);
    }
    if rt.is_main(me) {
        let normal = reason.term == Term::atom(atom::NORMAL);
        if !normal && rt.config.crash_reports {
            let mut h = ProcessMemory::with_min_heap_size(0);
            let r = crate::copy::copy_term(reason.term, src, &mut h);
            eprintln!("init terminating in do_boot ({})", print_term(r, &h));
        }
        rt.halt(HaltRequest {
            status: HaltStatus::Code(if normal { 0 } else { 1 }),
            flush: true,
        });
    }
}
