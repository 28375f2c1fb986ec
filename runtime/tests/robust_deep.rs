//! Terms nested a million deep (lists in heads, tuples, maps, funs, and
//! long improper lists) through every runtime walk a program can reach:
//! encoding and decoding, comparison, hashing, printing, copying, GC and
//! the BIFs. None of them may recurse on the native stack.

mod common;

use coral_runtime::bif;
use coral_runtime::copy::{copy_term, size_of};
use coral_runtime::frame::FrameTable;
use coral_runtime::heap::ProcessMemory;
use coral_runtime::term::Term;
use coral_runtime::{display, etf, map, order, phash};

const DEPTH: usize = 1_000_000;

fn small(i: i64) -> Term {
    Term::small(i).unwrap()
}

fn deep_terms(m: &mut ProcessMemory) -> Vec<(&'static str, Term)> {
    // [[[...[]...]]]: nested through the head.
    let mut head_nest = Term::NIL;
    for _ in 0..DEPTH {
        head_nest = m.cons(head_nest, Term::NIL);
    }
    // {{{...{}...}}}
    let mut tuple_nest = m.tuple(&[]).unwrap();
    for _ in 0..DEPTH {
        tuple_nest = m.tuple(&[tuple_nest]).unwrap();
    }
    // #{0 => #{0 => ...}}
    let mut map_nest = map::new(m);
    for _ in 0..DEPTH / 4 {
        map_nest = m.flatmap(&[small(0)], &[map_nest]).unwrap();
    }
    // fun() -> fun() -> ... end end
    let entry = common::entry(1);
    let mut fun_nest = small(0);
    for _ in 0..DEPTH / 4 {
        fun_nest = m.closure(entry, &[fun_nest]).unwrap();
    }
    // [1, 2, ... | 3]: long improper list.
    let mut improper = small(3);
    for i in 0..DEPTH {
        improper = m.cons(small(i as i64 & 0xff), improper);
    }
    vec![
        ("head_nest", head_nest),
        ("tuple_nest", tuple_nest),
        ("map_nest", map_nest),
        ("fun_nest", fun_nest),
        ("improper", improper),
    ]
}

/// Runs `f` on a thread with a small native stack, as a scheduler thread
/// would have, so deep recursion fails loudly instead of passing on a big
/// main-thread stack.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn deep_terms_encode_decode_compare_hash_print() {
    on_small_stack(|| {
        let mut m = ProcessMemory::new();
        for (name, t) in deep_terms(&mut m) {
            eprintln!("{name}: encode");
            let bytes = etf::term_to_binary(t, &*m);
            eprintln!("{name}: decode");
            let back = if name == "fun_nest" {
                // Local funs are not decodable yet; compare to itself.
                t
            } else {
                etf::binary_to_term(&mut m, &bytes).unwrap()
            };
            eprintln!("{name}: compare");
            assert!(order::exact_eq(t, back, &*m), "{name}");
            assert_eq!(order::compare(t, back, &*m), std::cmp::Ordering::Equal);
            eprintln!("{name}: hash");
            assert_eq!(phash::phash2(t, &*m), phash::phash2(back, &*m), "{name}");
            let _ = phash::make_hash2(t, &*m);
            let _ = phash::internal_hash(t, 0, &*m);
            eprintln!("{name}: print");
            let _ = display::display(t, &*m);
            let _ = display::write(t, &*m);
        }
    });
}

#[test]
fn deep_terms_copy_and_collect() {
    on_small_stack(|| {
        let mut m = ProcessMemory::new();
        m.set_verify(true);
        let mut roots: Vec<Term> = deep_terms(&mut m).into_iter().map(|(_, t)| t).collect();
        let table = FrameTable::new();
        m.collect(0, 0, &mut roots, &table).unwrap();
        m.collect_major(0, 0, &mut roots, &table).unwrap();
        let mut other = ProcessMemory::new();
        other.set_verify(true);
        let mut copies: Vec<Term> = roots
            .iter()
            .map(|&t| {
                assert!(size_of(t, &*m) > 0);
                copy_term(t, &*m, &mut other)
            })
            .collect();
        other.collect_major(0, 0, &mut copies, &table).unwrap();
        for (a, b) in roots.iter().zip(&copies) {
            // Different heaps: compare through their encodings.
            assert_eq!(
                etf::term_to_binary(*a, &*m),
                etf::term_to_binary(*b, &*other)
            );
        }
    });
}

#[test]
fn deep_terms_through_every_bif() {
    on_small_stack(|| {
        let mut m = ProcessMemory::new();
        let deep = deep_terms(&mut m);
        let mut pool: Vec<Term> = deep.iter().map(|&(_, t)| t).collect();
        pool.extend([small(1), small(-1), Term::NIL, map::new(&mut m)]);
        // `halt` ends the test process and `display` writes to the real
        // standard output; their term walks are covered above.
        for e in bif::table()
            .iter()
            .filter(|e| !(e.module == "erlang" && matches!(e.name, "halt" | "display")))
        {
            let n = e.arity as usize;
            // Every combination would be too many for arity 3; put each
            // deep term in each position, the others cycling through the pool.
            for pos in 0..n.max(1) {
                for (k, &d) in pool.iter().enumerate() {
                    let args: Vec<Term> = (0..n)
                        .map(|i| {
                            if i == pos {
                                d
                            } else {
                                pool[(k + i) % pool.len()]
                            }
                        })
                        .collect();
                    let _ = (e.fun)(&mut m, &args);
                }
            }
        }
    });
}
