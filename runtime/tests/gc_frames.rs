//! Hand-made stack frames, off-heap reference counts, literal sharing,
//! process isolation and very deep terms.

mod common;

use common::{Model, read};
use coral_runtime::binary::BinaryRef;
use coral_runtime::copy::{copy_term, copy_to_fragment};
use coral_runtime::frame::{CodeLocation, FrameDescriptor, FrameTable, LocationId, walk_frames};
use coral_runtime::gc::GcKind;
use coral_runtime::heap::ProcessMemory;
use coral_runtime::literal::LiteralArea;
use coral_runtime::term::{Continuation, Term};

fn small(i: i64) -> Term {
    Term::small(i).unwrap()
}

#[test]
fn frames_update_live_slots_and_skip_dead_ones() {
    let table = FrameTable::new();
    let loc = table.add_location(CodeLocation {
        module: coral_runtime::atom::Atom::intern("m").unwrap(),
        function: coral_runtime::atom::Atom::intern("f").unwrap(),
        arity: 2,
        file: Some("m.erl".into()),
        line: 12,
    });
    // Outer frame: 4 slots, 1 and 3 live, 0 a catch marker, 2 dead.
    let outer = table
        .register(
            0x20_0000,
            FrameDescriptor::new(4, &[1, 3], &[0], loc).unwrap(),
        )
        .unwrap();
    // Inner frame: 2 slots, both live.
    let inner = table
        .register(
            0x20_0100,
            FrameDescriptor::new(2, &[0, 1], &[], LocationId(0)).unwrap(),
        )
        .unwrap();
    // A safepoint inside the running function: 1 live slot of 3.
    let here = table
        .register(
            0x20_0200,
            FrameDescriptor::new(3, &[2], &[], LocationId(0)).unwrap(),
        )
        .unwrap();

    let mut m = ProcessMemory::new();
    m.set_verify(true);
    let mut roots = [];
    m.collect(64, 0, &mut roots, &table).unwrap();
    let a = m.tuple(&[small(1), small(2)]).unwrap();
    let b = m.list(&[small(3), small(4)], Term::NIL);
    let dead = m.tuple(&[small(99)]).unwrap();
    let c = m.float(2.5);
    let d = m.binary(b"xyz");
    let e = m.tuple(&[c, d]).unwrap();
    let catch = Term::catch_marker(0x30_0000).unwrap();
    m.push_frame(outer, &[catch, a, dead, b]).unwrap();
    m.push_frame(inner, &[c, d]).unwrap();
    m.push_frame(here, &[dead, Term::from_raw(0x1234_5678_9aba), e])
        .unwrap();
    let stack_before = m.stack().to_vec();

    for kind in 0..3 {
        if kind == 2 {
            m.collect_major(0, 0, &mut [], &table).unwrap();
        } else {
            m.collect(0, 0, &mut [], &table).unwrap();
        }
        let s = m.stack().to_vec();
        assert_eq!(s.len(), stack_before.len());
        // Continuations, catch markers and dead slots are untouched.
        for i in [0, 1, 2, 4, 7, 8, 10] {
            assert_eq!(s[i], stack_before[i], "word {i} after collection {kind}");
        }
        let t = |i: usize| Term::from_raw(s[i]);
        assert_eq!(read(t(3), &*m), read_tuple_model(&[2.5], b"xyz"));
        assert_eq!(t(5).float_value(&*m), Some(2.5));
        assert_eq!(t(6).bits(&*m).unwrap().as_bytes(), Some(&b"xyz"[..]));
        assert_eq!(t(9).tuple_elements(&*m).unwrap(), &[small(1), small(2)]);
        let (h, tl) = t(11).cons_parts(&*m).unwrap();
        assert_eq!(h, small(3));
        assert_eq!(tl.cons_parts(&*m).unwrap(), (small(4), Term::NIL));
        // The live slots really moved: the old block is gone.
        assert_ne!(s[9], stack_before[9]);
    }

    // The exception walk sees the catch frame and the call-site location.
    let r = table.read();
    let mut catches = vec![];
    walk_frames(m.stack(), &r, |f| {
        for &slot in f.descriptor.catch_slots() {
            catches.push((
                Term::from_raw(m.stack()[f.slot_offset(slot as usize)]).catch_handler(),
                r.location(f.descriptor.location()).map(|l| l.line),
            ));
        }
        true
    })
    .unwrap();
    assert_eq!(catches, vec![(Some(0x30_0000), Some(12))]);
}

fn read_tuple_model(f: &[f64], bytes: &[u8]) -> Model {
    Model::Tuple(vec![
        Model::Float(f[0].to_bits()),
        Model::Bits(bytes.to_vec(), bytes.len() * 8),
    ])
}

#[test]
fn deep_stacks_grow_by_copying() {
    let table = FrameTable::new();
    let c = table
        .register(
            0x21_0000,
            FrameDescriptor::new(1, &[0], &[], LocationId(0)).unwrap(),
        )
        .unwrap();
    let mut m = ProcessMemory::new();
    m.set_verify(false);
    // 100k frames, each holding a cons whose head is its depth.
    for i in 0..100_000 {
        if m.free_words() < 4 {
            m.collect(4, 0, &mut [], &table).unwrap();
        }
        let l = m.cons(small(i), Term::NIL);
        m.push_frame(c, &[l]).unwrap();
    }
    m.collect_major(0, 0, &mut [], &table).unwrap();
    m.verify_heap(0, &[], &table).unwrap();
    let s = m.stack();
    assert_eq!(s.len(), 200_000);
    for (k, i) in (0..100_000).rev().enumerate() {
        let l = Term::from_raw(s[2 * k + 1]);
        assert_eq!(l.cons_parts(&*m).unwrap().0, small(i));
    }
}

#[test]
fn off_heap_counts_fall_when_holders_die() {
    let table = FrameTable::new();
    let bin = BinaryRef::new(vec![7; 1000]);
    let mut p = ProcessMemory::new();
    let mut q = ProcessMemory::new();
    p.set_verify(true);
    q.set_verify(true);
    let t = p.binary_from_ref(bin.clone());
    assert_eq!(bin.refcount(), 2);
    let sub = p.sub_binary(t, 8, 80).unwrap();
    let mut roots = [sub];
    // The sub-binary keeps the handle alive through a minor collection...
    p.collect(0, 0, &mut roots, &table).unwrap();
    assert_eq!(bin.refcount(), 2);
    // ...and through promotion to the old generation.
    p.collect(0, 0, &mut roots, &table).unwrap();
    assert!(p.old_heap_used() > 0);
    assert_eq!(bin.refcount(), 2);
    // A copy to another process shares the bytes and adds a count.
    let mut q_roots = [copy_term(roots[0], &*p, &mut q)];
    assert_eq!(bin.refcount(), 3);
    let (frag, in_frag) = copy_to_fragment(roots[0], &*p);
    assert_eq!(bin.refcount(), 4);
    drop(frag); // an undelivered message gives its count back
    let _ = in_frag;
    assert_eq!(bin.refcount(), 3);
    // Dropping the root: a minor collection does not look at the old
    // generation, a major one frees the handle.
    roots[0] = Term::NIL;
    assert_eq!(p.collect(0, 0, &mut roots, &table).unwrap(), GcKind::Minor);
    assert_eq!(bin.refcount(), 3);
    p.collect_major(0, 0, &mut roots, &table).unwrap();
    assert_eq!(bin.refcount(), 2);
    assert_eq!(p.off_heap_handles(), 0);
    // The other process still reads it.
    assert_eq!(
        q_roots[0].bits(&*q).unwrap().as_bytes(),
        Some(&[7u8; 10][..])
    );
    q.collect(0, 0, &mut q_roots, &table).unwrap();
    q_roots[0] = Term::NIL;
    q.collect(0, 0, &mut q_roots, &table).unwrap();
    assert_eq!(bin.refcount(), 1);
    // A young garbage handle is freed by a minor collection, and a process
    // that exits gives back what it holds.
    p.binary_from_ref(bin.clone());
    assert_eq!(bin.refcount(), 2);
    p.collect(0, 0, &mut [], &table).unwrap();
    assert_eq!(bin.refcount(), 1);
    let kept = p.binary_from_ref(bin.clone());
    let _ = kept;
    assert_eq!(bin.refcount(), 2);
    drop(p);
    assert_eq!(bin.refcount(), 1);
}

#[test]
fn literals_are_shared_not_copied_or_collected() {
    let table = FrameTable::new();
    let mut scratch = ProcessMemory::new();
    let big = scratch.binary(&[5; 500]);
    let lit = scratch.tuple(&[small(1), big]).unwrap();
    let (area, lits) = LiteralArea::build(&scratch, &[lit]);
    drop(scratch);
    let lit = lits[0];
    let mut p = ProcessMemory::new();
    p.set_verify(true);
    let holder = p.tuple(&[lit, lit]).unwrap();
    let mut roots = [holder];
    p.collect(0, 0, &mut roots, &table).unwrap();
    p.collect_major(0, 0, &mut roots, &table).unwrap();
    let el = roots[0].tuple_elements(&*p).unwrap();
    assert_eq!(el, &[lit, lit], "literal pointers move not");
    let mut q = ProcessMemory::new();
    q.set_verify(true);
    let c = copy_term(roots[0], &*p, &mut q);
    assert_eq!(q.heap_used(), 3, "only the holder tuple is copied");
    assert_eq!(c.tuple_elements(&*q).unwrap(), &[lit, lit]);
    assert_eq!(copy_term(lit, &*p, &mut q), lit);
    let bytes = lit.tuple_elements(&*area).unwrap()[1].bits(&*area).unwrap();
    assert_eq!(bytes.as_bytes(), Some(&[5u8; 500][..]));
    assert_eq!(q.off_heap_handles(), 0, "literal binaries hold no counts");
}

#[test]
fn collecting_one_process_leaves_another_alone() {
    let table = FrameTable::new();
    let shared = BinaryRef::new(vec![1; 100]);
    let mut p = ProcessMemory::new();
    let mut q = ProcessMemory::new();
    p.set_verify(true);
    let tp = p.binary_from_ref(shared.clone());
    let lp = p.list(&[tp, small(1)], Term::NIL);
    let lq = copy_term(lp, &*p, &mut q);
    let q_model = read(lq, &*q);
    let q_size = (q.heap_size(), q.heap_used(), q.stats());
    let mut roots = [lp];
    for _ in 0..5 {
        p.collect(100, 0, &mut roots, &table).unwrap();
    }
    p.collect_major(0, 0, &mut [], &table).unwrap();
    assert_eq!(read(lq, &*q), q_model);
    assert_eq!((q.heap_size(), q.heap_used(), q.stats()), q_size);
    q.verify_heap(0, &[lq], &table).unwrap();
    assert_eq!(shared.refcount(), 2);
}

#[test]
fn very_deep_and_long_terms() {
    let table = FrameTable::new();
    let mut p = ProcessMemory::new();
    // A million-element list and a 200k-deep tuple nest.
    let mut l = Term::NIL;
    for i in 0..1_000_000 {
        l = p.cons(small(i), l);
    }
    let mut t = Term::NIL;
    for _ in 0..200_000 {
        t = p.tuple(&[t]).unwrap();
    }
    let mut roots = [l, t];
    p.collect(0, 0, &mut roots, &table).unwrap();
    p.verify_heap(0, &roots, &table).unwrap();
    let mut q = ProcessMemory::new();
    let cl = copy_term(roots[0], &*p, &mut q);
    let ct = copy_term(roots[1], &*p, &mut q);
    let mut qroots = [cl, ct];
    q.collect_major(0, 0, &mut qroots, &table).unwrap();
    q.verify_heap(0, &qroots, &table).unwrap();
    let mut n = 0;
    let mut cur = qroots[0];
    while let Some((h, tl)) = cur.cons_parts(&*q) {
        assert_eq!(h, small(999_999 - n));
        n += 1;
        cur = tl;
    }
    assert_eq!(n, 1_000_000);
    let mut depth = 0;
    let mut cur = qroots[1];
    while let Some(el) = cur.tuple_elements(&*q) {
        cur = el[0];
        depth += 1;
    }
    assert_eq!(depth, 200_000);
    assert_eq!(q.heap_used(), 1_000_000 * 2 + 200_000 * 2);
}

#[test]
fn compiled_code_entry_point() {
    // The extern entry uses the global frame table: an empty stack is fine.
    let mut p = ProcessMemory::new();
    p.ensure_x(2);
    let t = p.tuple(&[small(5)]).unwrap();
    p.x_mut()[0] = t;
    p.x_mut()[1] = small(6);
    // SAFETY: `p` is a live process owned by this thread; the pointer
    // comes from `context_ptr`, as `coral_gc` requires.
    let rc = unsafe { coral_runtime::gc::coral_gc(p.context_ptr(), 1000, 2) };
    assert_eq!(rc, 0);
    assert!(p.free_words() >= 1000);
    assert_eq!(p.x()[0].tuple_elements(&*p).unwrap(), &[small(5)]);
    // A continuation nobody registered is reported, not followed.
    p.push_frame(Continuation::new(0xdead_0000).unwrap(), &[])
        .unwrap();
    // SAFETY: as above.
    assert_eq!(
        unsafe { coral_runtime::gc::coral_gc(p.context_ptr(), 0, 2) },
        1
    );
}
