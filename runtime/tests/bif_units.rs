//! Targeted checks of the BIF calling convention and of inputs too large
//! for the `erl` comparison: million-long lists and million-deep iolists
//! and terms must neither recurse nor fail, and errors carry the right
//! class and reason.

use coral_runtime::atom;
use coral_runtime::bif::{self, Class, Exception};
use coral_runtime::display::{display, write};
use coral_runtime::heap::ProcessMemory;
use coral_runtime::term::Term;

fn call(p: &mut ProcessMemory, m: &str, f: &str, args: &[Term]) -> Result<Term, Exception> {
    let b = bif::lookup(m, f, args.len()).expect("a known BIF");
    b(p, args)
}

fn small(v: i64) -> Term {
    Term::small(v).unwrap()
}

#[test]
fn long_lists_are_walked_iteratively() {
    let mut p = ProcessMemory::new();
    let n = 1_000_000;
    let mut l = Term::NIL;
    for i in 0..n {
        l = p.cons(small(i % 256), l);
    }
    assert_eq!(call(&mut p, "erlang", "length", &[l]), Ok(small(n)));
    let b = call(&mut p, "erlang", "list_to_binary", &[l]).unwrap();
    assert_eq!(call(&mut p, "erlang", "byte_size", &[b]), Ok(small(n)));
    let r = call(&mut p, "lists", "reverse", &[l, Term::NIL]).unwrap();
    assert_eq!(call(&mut p, "erlang", "hd", &[r]), Ok(small(0)));
    let t = call(&mut p, "erlang", "list_to_tuple", &[l]).unwrap();
    assert_eq!(call(&mut p, "erlang", "tuple_size", &[t]), Ok(small(n)));
    assert_eq!(write(l, &*p).len(), display(l, &*p).len());
}

#[test]
fn deep_iolists_and_terms_need_no_native_stack() {
    let mut p = ProcessMemory::new();
    let depth = 1_000_000;
    // [[[...[1]...], 2], 2]: nested through heads.
    let mut io = p.cons(small(1), Term::NIL);
    for _ in 0..depth {
        let tail = p.cons(small(2), Term::NIL);
        io = p.cons(io, tail);
    }
    let size = call(&mut p, "erlang", "iolist_size", &[io]).unwrap();
    assert_eq!(size, small(depth + 1));
    let text = write(io, &*p);
    assert!(text.starts_with("[[[[") && text.ends_with(",2]"));
    // A million nested tuples print too.
    let mut t = Term::NIL;
    for _ in 0..depth {
        t = p.tuple(&[t]).unwrap();
    }
    assert_eq!(display(t, &*p).len(), 2 * depth as usize + 2);
}

#[test]
fn errors_carry_class_and_reason() {
    let mut p = ProcessMemory::new();
    let e = call(&mut p, "erlang", "element", &[small(3), Term::NIL]).unwrap_err();
    assert_eq!(e.class, Class::Error);
    assert_eq!(e.reason, Term::atom(atom::BADARG));
    let not_map = small(1);
    let e = call(&mut p, "maps", "get", &[small(1), not_map]).unwrap_err();
    assert_eq!(write(e.to_tuple(&mut p), &*p), "{error,{badmap,1}}");
    let a = Term::atom(atom::OK);
    let e = call(&mut p, "erlang", "list_to_atom", &[a]).unwrap_err();
    assert_eq!(e.reason, Term::atom(atom::BADARG));
    let m = Exception::badmatch(&mut p, a);
    assert_eq!(write(m.reason, &*p), "{badmatch,ok}");
}

#[test]
fn results_built_when_the_heap_is_full_stay_valid() {
    // The BIFs allocate into heap fragments once the heap is full and never
    // collect, so earlier terms stay where they are.
    let mut p = ProcessMemory::new();
    let b = p.binary(&[7; 40]);
    let mut results = Vec::new();
    for _ in 0..2000 {
        results.push(call(&mut p, "erlang", "binary_to_list", &[b]).unwrap());
    }
    assert!(p.fragment_words() > 0);
    for r in results {
        assert_eq!(call(&mut p, "erlang", "length", &[r]), Ok(small(40)));
    }
}
