//! Property tests: `binary_to_term(term_to_binary(T)) =:= T` for random
//! terms, re-encoding gives the same bytes, and maps built by any route
//! (`put`, `from_pairs`, `remove`) agree on lookups, size and order.

use coral_runtime::atom::Atom;
use coral_runtime::heap::ProcessMemory;
use coral_runtime::term::Term;
use coral_runtime::{etf, map, order};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum T {
    Int(i64),
    Big(u64, u8),
    Float(f64),
    Atom(u8),
    Bin(Vec<u8>, u8),
    List(Vec<T>, Option<Box<T>>),
    Tuple(Vec<T>),
    Map(Vec<(T, T)>),
}

fn arb() -> impl Strategy<Value = T> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(T::Int),
        (any::<u64>(), 1u8..4).prop_map(|(a, b)| T::Big(a, b)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(T::Float),
        (0u8..6).prop_map(T::Atom),
        (proptest::collection::vec(any::<u8>(), 0..80), 0u8..8).prop_map(|(b, x)| T::Bin(b, x)),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            (
                proptest::collection::vec(inner.clone(), 0..6),
                proptest::option::of(inner.clone())
            )
                .prop_map(|(v, t)| T::List(v, t.map(Box::new))),
            proptest::collection::vec(inner.clone(), 0..6).prop_map(T::Tuple),
            proptest::collection::vec((inner.clone(), inner), 0..40).prop_map(T::Map),
        ]
    })
}

fn build(m: &mut ProcessMemory, t: &T) -> Term {
    match t {
        T::Int(v) => m.int(*v),
        T::Big(v, s) => m.integer(&((dashu_int::IBig::from(*v) << (64 * *s as usize)) - 7)),
        T::Float(f) => m.float(*f),
        T::Atom(i) => {
            Term::atom(Atom::intern(["a", "b", "héllo", "日本", "", "x y"][*i as usize]).unwrap())
        }
        T::Bin(b, cut) => {
            let bin = m.binary(b);
            let bits = (b.len() * 8).saturating_sub(*cut as usize);
            m.sub_binary(bin, 0, bits).unwrap()
        }
        T::List(v, tail) => {
            let el: Vec<Term> = v.iter().map(|x| build(m, x)).collect();
            let tl = tail.as_ref().map_or(Term::NIL, |x| build(m, x));
            m.list(&el, tl)
        }
        T::Tuple(v) => {
            let el: Vec<Term> = v.iter().map(|x| build(m, x)).collect();
            m.tuple(&el).unwrap()
        }
        T::Map(kv) => {
            let pairs: Vec<(Term, Term)> =
                kv.iter().map(|(k, v)| (build(m, k), build(m, v))).collect();
            map::from_pairs(m, &pairs)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn etf_round_trips(t in arb()) {
        let mut m = ProcessMemory::new();
        let term = build(&mut m, &t);
        let bytes = etf::term_to_binary(term, &*m);
        let back = etf::binary_to_term(&mut m, &bytes).unwrap();
        prop_assert!(order::exact_eq(term, back, &*m));
        prop_assert_eq!(etf::term_to_binary(back, &*m), bytes.clone());
        // Strict prefixes (up to 64 of them, spread out) are refused.
        let step = bytes.len().div_ceil(64).max(1);
        for n in (0..bytes.len()).step_by(step) {
            prop_assert!(etf::binary_to_term(&mut m, &bytes[..n]).is_err());
        }
    }

    #[test]
    fn maps_agree_however_built(keys in proptest::collection::vec(-60i64..60, 0..90), drop in proptest::collection::vec(-60i64..60, 0..40)) {
        let mut m = ProcessMemory::new();
        let mut a = map::new(&mut m);
        let mut pairs = Vec::new();
        for (i, &k) in keys.iter().enumerate() {
            let (kt, vt) = (Term::small(k).unwrap(), Term::small(i as i64).unwrap());
            a = map::put(&mut m, a, kt, vt).unwrap();
            pairs.push((kt, vt));
        }
        let b = map::from_pairs(&mut m, &pairs);
        prop_assert!(order::exact_eq(a, b, &*m));
        prop_assert_eq!(etf::term_to_binary(a, &*m), etf::term_to_binary(b, &*m));
        let mut a2 = a;
        let mut expect: std::collections::BTreeMap<i64, Term> = std::collections::BTreeMap::new();
        for &(k, v) in &pairs { expect.insert(k.small_value().unwrap(), v); }
        for &d in &drop {
            a2 = map::remove(&mut m, a2, Term::small(d).unwrap()).unwrap();
            expect.remove(&d);
        }
        prop_assert_eq!(map::size(a2, &*m), Some(expect.len()));
        for (&k, &v) in &expect {
            prop_assert_eq!(map::get(a2, Term::small(k).unwrap(), &*m), Some(v));
        }
        let all = map::to_vec(a2, &*m);
        let c = map::from_pairs(&mut m, &all);
        prop_assert!(order::exact_eq(a2, c, &*m));
        prop_assert_eq!(etf::term_to_binary(a2, &*m), etf::term_to_binary(c, &*m));
        let flat = expect.len() <= 32;
        prop_assert_eq!(a2.flatmap_view(&*m).is_some(), flat);
        prop_assert_eq!(map::update(&mut m, a2, Term::small(1000).unwrap(), Term::NIL), Err(map::MapError::BadKey));
    }
}
