//! Property tests: random terms of every kind survive minor collections,
//! promotion, full sweeps and copies between processes unchanged, with the
//! heap verifier on after every collection.

mod common;

use common::{Model, read};
use coral_runtime::copy::{copy_term, copy_to_fragment, size_of};
use coral_runtime::frame::{FrameDescriptor, FrameTable, LocationId};
use coral_runtime::heap::ProcessMemory;
use coral_runtime::term::{MAX_SMALL, MIN_SMALL, Term};
use dashu_int::IBig;
use proptest::prelude::*;

fn int() -> impl Strategy<Value = Model> {
    prop_oneof![
        any::<i64>().prop_map(|i| Model::Int(IBig::from(i))),
        (MIN_SMALL - 3..MIN_SMALL + 3).prop_map(|i| Model::Int(IBig::from(i))),
        (MAX_SMALL - 3..MAX_SMALL + 3).prop_map(|i| Model::Int(IBig::from(i))),
        (any::<bool>(), prop::collection::vec(any::<u64>(), 1..4)).prop_map(|(neg, limbs)| {
            let mut v = IBig::ZERO;
            for l in limbs {
                v = (v << 64) + IBig::from(l);
            }
            Model::Int(if neg { -v } else { v })
        }),
    ]
}

fn binary() -> impl Strategy<Value = Model> {
    // Sizes on both sides of the 64-byte heap/off-heap limit.
    let base = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..8),
        prop::collection::vec(any::<u8>(), 60..70),
        prop::collection::vec(any::<u8>(), 100..300),
    ];
    (base, any::<bool>(), any::<u32>(), any::<u32>()).prop_map(|(base, sub, a, b)| {
        let bits = base.len() * 8;
        let sub = (sub && bits > 0).then(|| {
            let off = a as usize % bits;
            (off, b as usize % (bits - off + 1))
        });
        Model::Bin { base, sub }
    })
}

fn leaf() -> impl Strategy<Value = Model> {
    prop_oneof![
        int(),
        any::<f64>().prop_map(|f| Model::Float(f.to_bits())),
        prop_oneof![Just("ok".to_string()), Just("".to_string()), "[a-zé]{1,12}"]
            .prop_map(Model::Atom),
        Just(Model::Nil),
        binary(),
        (0u64..1 << 40).prop_map(Model::Pid),
        (0u64..1 << 40).prop_map(Model::Port),
        any::<[u64; 2]>().prop_map(Model::Ref),
        (any::<u32>(), any::<u32>(), any::<u32>()).prop_map(|(c, n, s)| Model::ExtPid(
            "other@host".into(),
            c,
            n,
            s
        )),
        (any::<u32>(), prop::collection::vec(any::<u32>(), 1..6))
            .prop_map(|(c, ids)| Model::ExtRef("other@host".into(), c, ids)),
        (any::<u8>()).prop_map(|n| Model::Export("lists".into(), "map".into(), n)),
    ]
}

fn model() -> impl Strategy<Value = Model> {
    leaf().prop_recursive(5, 120, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Model::Tuple),
            (inner.clone(), inner.clone()).prop_map(|(h, t)| Model::Cons(Box::new(h), Box::new(t))),
            prop::collection::vec(inner.clone(), 0..8).prop_map(|v| {
                v.into_iter()
                    .rev()
                    .fold(Model::Nil, |t, h| Model::Cons(Box::new(h), Box::new(t)))
            }),
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|env| Model::Fun(env.len() as u32, env)),
            // Distinct keys: small integers tagged with their position.
            prop::collection::vec(inner.clone(), 0..5).prop_map(|vs| {
                Model::Map(
                    vs.into_iter()
                        .enumerate()
                        .map(|(i, v)| (Model::Int(IBig::from(i)), v))
                        .collect(),
                )
            }),
            inner.prop_map(|m| Model::Literal(Box::new(m))),
        ]
    })
}

fn frames() -> &'static (FrameTable, Term) {
    static F: std::sync::OnceLock<(FrameTable, Term)> = std::sync::OnceLock::new();
    F.get_or_init(|| {
        let t = FrameTable::new();
        // Frames of three slots: 0 and 2 live, 1 dead.
        let c = t
            .register(
                0x10_0000,
                FrameDescriptor::new(3, &[0, 2], &[], LocationId(0)).unwrap(),
            )
            .unwrap();
        (t, Term::from_raw(c.to_word()))
    })
}

/// Puts `terms` in every kind of root: x registers, stack frames, the
/// dictionary and extra roots; collects in every way; reads them back.
fn check(models: &[Model]) -> Result<(), TestCaseError> {
    let (table, cont) = frames();
    let want: Vec<Model> = models.iter().map(Model::normalize).collect();
    let mut m = ProcessMemory::new();
    m.set_verify(true);
    let mut terms: Vec<Term> = models
        .iter()
        .map(|model| {
            // Garbage between live objects, so collections really compact.
            m.list(&[Term::NIL; 5], Term::NIL);
            model.build(&mut m)
        })
        .collect();
    // Room for the frames and their dead cells, as compiled code would
    // reserve before building a frame.
    m.collect(32, 0, &mut terms, table)
        .map_err(|e| TestCaseError::fail(format!("reserve: {e}")))?;
    // Spread: x registers, frames (two per frame), the dictionary, extras.
    let n = terms.len();
    let xs = n / 4;
    m.ensure_x(xs);
    m.x_mut()[..xs].copy_from_slice(&terms[..xs]);
    let mut stack_terms = vec![];
    let mut i = xs;
    while i + 1 < n.min(xs + 6) {
        let dead = m.cons(Term::NIL, Term::NIL);
        m.push_frame(
            coral_runtime::term::Continuation::from_word(cont.raw()).unwrap(),
            &[terms[i], dead, terms[i + 1]],
        )
        .map_err(|_| TestCaseError::fail("no room for a frame"))?;
        stack_terms.push((i, dead));
        i += 2;
    }
    let dict_from = i;
    m.dictionary = m.list(&terms[i..(i + 1).min(n)], Term::NIL);
    i = (i + 1).min(n);
    let mut extra: Vec<Term> = terms[i..].to_vec();
    let extra_from = i;

    let read_all = |m: &ProcessMemory, extra: &[Term]| -> Vec<Model> {
        let mut out: Vec<Model> = m.x()[..xs].iter().map(|&t| read(t, m)).collect();
        let stack = m.stack();
        let frames = stack_terms.len();
        for f in (0..frames).rev() {
            let base = f * 4;
            out.push(read(Term::from_raw(stack[base + 1]), m));
            out.push(read(Term::from_raw(stack[base + 3]), m));
        }
        if dict_from < n {
            out.push(read(m.dictionary.cons_parts(m).unwrap().0, m));
        }
        out.extend(extra.iter().map(|&t| read(t, m)));
        out
    };
    prop_assert_eq!(extra_from + extra.len(), n);
    let dead_before: Vec<u64> = (0..stack_terms.len())
        .map(|f| m.stack()[f * 4 + 2])
        .collect();
    prop_assert_eq!(&read_all(&m, &extra), &want);
    // Enough garbage that the first collection's to-space is big and
    // mostly empty, so it is shrunk again: every root goes through the
    // relocation path too.
    for _ in 0..3000 {
        m.cons(Term::NIL, Term::NIL);
    }
    for step in 0..4 {
        if step == 3 {
            m.collect_major(0, xs, &mut extra, table)
        } else {
            m.collect(0, xs, &mut extra, table).map(|_| ())
        }
        .map_err(|e| TestCaseError::fail(format!("gc step {step}: {e}")))?;
        prop_assert_eq!(&read_all(&m, &extra), &want, "after gc step {}", step);
        // Dead slots are neither read nor rewritten.
        let dead_now: Vec<u64> = (0..stack_terms.len())
            .map(|f| m.stack()[f * 4 + 2])
            .collect();
        prop_assert_eq!(&dead_now, &dead_before);
    }

    // Copy each term into another process, directly and through a fragment.
    let mut other = ProcessMemory::new();
    other.set_verify(true);
    let mut copies: Vec<Term> = Vec::new();
    let live: Vec<Term> = {
        let mut v: Vec<Term> = m.x()[..xs].to_vec();
        v.extend(extra.iter().copied());
        v
    };
    for (k, &t) in live.iter().enumerate() {
        if k % 2 == 0 {
            copies.push(copy_term(t, &*m, &mut other));
        } else {
            let (frag, c) = copy_to_fragment(t, &*m);
            prop_assert_eq!(frag.used_words(), size_of(t, &*m));
            other.attach_fragment(frag);
            copies.push(c);
        }
    }
    drop(m);
    let mut want_live: Vec<Model> = want[..xs].to_vec();
    want_live.extend(want[extra_from..].iter().cloned());
    let got: Vec<Model> = copies.iter().map(|&t| read(t, &*other)).collect();
    prop_assert_eq!(&got, &want_live);
    other
        .collect(0, 0, &mut copies, table)
        .map_err(|e| TestCaseError::fail(format!("gc of the copy: {e}")))?;
    let got: Vec<Model> = copies.iter().map(|&t| read(t, &*other)).collect();
    prop_assert_eq!(&got, &want_live);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn terms_survive_collection_and_copy(models in prop::collection::vec(model(), 1..12)) {
        check(&models)?;
    }
}

#[test]
fn every_leaf_kind_once() {
    let models = vec![
        Model::Int(IBig::from(MAX_SMALL) + IBig::from(1)),
        Model::Int(IBig::from(MIN_SMALL) - IBig::from(1)),
        Model::Float(1.5f64.to_bits()),
        Model::Bin {
            base: vec![1; 200],
            sub: Some((3, 1000)),
        },
        Model::Bin {
            base: vec![2; 64],
            sub: None,
        },
        Model::Fun(
            2,
            vec![
                Model::Nil,
                Model::Bin {
                    base: vec![3; 100],
                    sub: None,
                },
            ],
        ),
        Model::Map(vec![(Model::Atom("a".into()), Model::Float(0))]),
        Model::Literal(Box::new(Model::Tuple(vec![Model::Bin {
            base: vec![4; 90],
            sub: Some((8, 16)),
        }]))),
    ];
    check(&models).unwrap();
}
