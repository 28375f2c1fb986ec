//! GC figures: pause times with 1 MB of live data, allocation throughput of
//! a cons-heavy loop, and the memory of a fresh process.
//!
//! Run with `cargo bench -p coral-runtime --bench gc`.

use coral_runtime::frame::FrameTable;
use coral_runtime::heap::ProcessMemory;
use coral_runtime::term::Term;
use std::hint::black_box;
use std::time::{Duration, Instant};

const LIVE_WORDS: usize = 1 << 17; // 1 MiB of 8-byte words

/// A list of `{I, F}` tuples holding about `LIVE_WORDS` words: per element a
/// cons (2 words), a 2-tuple (3) and a float (2).
fn build_live(m: &mut ProcessMemory) -> Term {
    let mut l = Term::NIL;
    for i in 0..LIVE_WORDS / 7 {
        let f = m.float(i as f64);
        let t = m
            .tuple(&[Term::small(i as i64).unwrap_or(Term::NIL), f])
            .unwrap_or(Term::NIL);
        l = m.cons(t, l);
    }
    l
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn fmt(v: Vec<Duration>) -> String {
    let min = *v.iter().min().unwrap_or(&Duration::ZERO);
    let first = v.first().copied().unwrap_or(Duration::ZERO);
    format!(
        "median {:.1} us, min {:.1} us, first (cold memory) {:.1} us",
        median(v).as_secs_f64() * 1e6,
        min.as_secs_f64() * 1e6,
        first.as_secs_f64() * 1e6
    )
}

fn main() {
    let frames = FrameTable::new();
    let runs = 21;
    let (mut young_minor, mut promote_minor, mut old_minor, mut full) =
        (vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        let mut m = ProcessMemory::new();
        // Room first, so the live data is built on the heap proper.
        m.collect(LIVE_WORDS + 1000, 0, &mut [], &frames).unwrap();
        let mut roots = [build_live(&mut m)];
        assert!(m.fragment_words() == 0);

        let t = Instant::now();
        m.collect(0, 0, &mut roots, &frames).unwrap();
        young_minor.push(t.elapsed());

        let t = Instant::now();
        m.collect(0, 0, &mut roots, &frames).unwrap();
        promote_minor.push(t.elapsed());
        assert!(m.old_heap_used() >= LIVE_WORDS - 10);

        let t = Instant::now();
        m.collect(0, 0, &mut roots, &frames).unwrap();
        old_minor.push(t.elapsed());

        let t = Instant::now();
        m.collect_major(0, 0, &mut roots, &frames).unwrap();
        full.push(t.elapsed());
        assert!(m.heap_used() >= LIVE_WORDS - 10);
        black_box(roots);
    }
    println!(
        "pause with {} KiB live ({} words), {runs} runs:",
        LIVE_WORDS * 8 / 1024,
        LIVE_WORDS
    );
    println!(
        "  minor, all live data young (copied young->young): {}",
        fmt(young_minor)
    );
    println!(
        "  minor, promoting all live data to the old heap:   {}",
        fmt(promote_minor)
    );
    println!(
        "  minor, all live data already old:                 {}",
        fmt(old_minor)
    );
    println!(
        "  full sweep:                                       {}",
        fmt(full)
    );

    // Cons-heavy loop: build 1000-element lists and drop them, collecting
    // whenever the heap check fails, as compiled code would.
    let mut m = ProcessMemory::new();
    let total_lists = 200_000u64;
    let t = Instant::now();
    let mut words = 0u64;
    let mut roots = [Term::NIL];
    let mut gc_time = Duration::ZERO;
    for _ in 0..total_lists {
        roots[0] = Term::NIL;
        for i in 0..1000 {
            if m.free_words() < 2 {
                let g = Instant::now();
                m.collect(2, 0, &mut roots, &frames).unwrap();
                gc_time += g.elapsed();
            }
            roots[0] = m.cons(Term::small(i).unwrap_or(Term::NIL), roots[0]);
        }
        words += 2000;
        black_box(roots[0]);
    }
    let el = t.elapsed();
    let s = m.stats();
    println!(
        "cons loop: {} Mwords allocated in {:.2} s = {:.0} Mwords/s ({} minor, {} major GCs, {:.1}% of time in GC, heap {} words)",
        words / 1_000_000,
        el.as_secs_f64(),
        words as f64 / el.as_secs_f64() / 1e6,
        s.minor,
        s.major,
        100.0 * gc_time.as_secs_f64() / el.as_secs_f64(),
        m.heap_size(),
    );

    let p = ProcessMemory::new();
    println!(
        "fresh process: {} words = heap {} + structure {} (ProcessMemory is {} bytes; scheduling, mailbox and links not included yet)",
        p.memory_bytes() / 8,
        p.heap_size(),
        p.memory_bytes() / 8 - p.heap_size(),
        std::mem::size_of::<ProcessMemory>(),
    );
}
