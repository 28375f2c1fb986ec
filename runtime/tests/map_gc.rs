//! Hash-trie maps survive collections and copies: the trie node kinds are
//! traced, copied and verified like every other heap object.

use coral_runtime::frame::FrameTable;
use coral_runtime::heap::ProcessMemory;
use coral_runtime::term::Term;
use coral_runtime::{copy, etf, map, order};

#[test]
fn trie_maps_survive_gc_and_copy() {
    let frames = FrameTable::new();
    let mut m = ProcessMemory::new();
    m.set_verify(true);
    let mut mm = map::new(&mut m);
    for i in 0..3000i64 {
        let k = m.float(i as f64 * 0.5);
        let v = m.tuple(&[Term::small(i).unwrap()]).unwrap();
        mm = map::put(&mut m, mm, k, v).unwrap();
    }
    let before = etf::term_to_binary(mm, &*m);
    let mut roots = [mm];
    m.collect(0, 0, &mut roots, &frames).unwrap();
    m.collect_major(0, 0, &mut roots, &frames).unwrap();
    let mm = roots[0];
    assert_eq!(etf::term_to_binary(mm, &*m), before);
    let mut other = ProcessMemory::new();
    let copied = copy::copy_term(mm, &*m, &mut other);
    assert_eq!(etf::term_to_binary(copied, &*other), before);
    let key = other.float(1234.5);
    let want = other.tuple(&[Term::small(2469).unwrap()]).unwrap();
    let got = map::get(copied, key, &*other).unwrap();
    assert!(order::exact_eq(got, want, &*other));
}
