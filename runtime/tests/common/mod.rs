//! A Rust-side model of Erlang terms for the runtime's tests: build a model
//! into a heap, read a heap term back into a model, compare.

#![allow(dead_code)]

use coral_runtime::atom::Atom;
use coral_runtime::fun::FunEntry;
use coral_runtime::heap::ProcessMemory;
use coral_runtime::literal::LiteralArea;
use coral_runtime::term::{HeapAccess, Term, TermKind};
use dashu_int::IBig;
use std::sync::OnceLock;

/// A term as the tests describe it. `Bin` and `Literal` are recipes: they
/// read back as `Bits` and as their inner term.
#[derive(Clone, Debug, PartialEq)]
pub enum Model {
    Int(IBig),
    Float(u64),
    Atom(String),
    Nil,
    Cons(Box<Model>, Box<Model>),
    Tuple(Vec<Model>),
    /// Build: a binary holding `base`, or the sub-binary `(offset, size)` of it.
    Bin {
        base: Vec<u8>,
        sub: Option<(usize, usize)>,
    },
    /// Read: bytes padded on the right, and the length in bits.
    Bits(Vec<u8>, usize),
    Fun(u32, Vec<Model>),
    Export(String, String, u8),
    /// Keys must be distinct; read back in the order built.
    Map(Vec<(Model, Model)>),
    Pid(u64),
    Port(u64),
    Ref([u64; 2]),
    ExtPid(String, u32, u32, u32),
    ExtRef(String, u32, Vec<u32>),
    /// Built in a literal area.
    Literal(Box<Model>),
}

/// The fun entry with `n` free variables (registered once per test binary).
pub fn entry(n: u32) -> &'static FunEntry {
    static ENTRIES: OnceLock<Vec<&'static FunEntry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let m = Atom::intern("coral_test_mod").unwrap();
        (0..8)
            .map(|i| {
                let f = Atom::intern(&format!("-t/0-fun-{i}-")).unwrap();
                FunEntry::register(m, f, 1, i, i)
            })
            .collect()
    })[n as usize]
}

fn bits_of(base: &[u8], off: usize, size: usize) -> Model {
    let mut out = vec![0u8; size.div_ceil(8)];
    for i in 0..size {
        let s = off + i;
        let b = (base[s / 8] >> (7 - s % 8)) & 1;
        out[i / 8] |= b << (7 - i % 8);
    }
    Model::Bits(out, size)
}

impl Model {
    /// What `read` gives back for this model.
    pub fn normalize(&self) -> Model {
        match self {
            Model::Cons(h, t) => Model::Cons(Box::new(h.normalize()), Box::new(t.normalize())),
            Model::Tuple(v) => Model::Tuple(v.iter().map(Model::normalize).collect()),
            Model::Bin { base, sub: None } => bits_of(base, 0, base.len() * 8),
            Model::Bin {
                base,
                sub: Some((o, s)),
            } => bits_of(base, *o, *s),
            Model::Fun(i, env) => Model::Fun(*i, env.iter().map(Model::normalize).collect()),
            Model::Map(kv) => Model::Map(
                kv.iter()
                    .map(|(k, v)| (k.normalize(), v.normalize()))
                    .collect(),
            ),
            Model::Literal(m) => m.normalize(),
            other => other.clone(),
        }
    }

    /// Builds the model into `m`.
    pub fn build(&self, m: &mut ProcessMemory) -> Term {
        match self {
            Model::Int(i) => m.integer(i),
            Model::Float(b) => m.float(f64::from_bits(*b)),
            Model::Atom(s) => Term::atom(Atom::intern(s).unwrap()),
            Model::Nil => Term::NIL,
            Model::Cons(h, t) => {
                let h = h.build(m);
                let t = t.build(m);
                m.cons(h, t)
            }
            Model::Tuple(v) => {
                let el: Vec<Term> = v.iter().map(|e| e.build(m)).collect();
                m.tuple(&el).unwrap()
            }
            Model::Bin { base, sub } => {
                let b = m.binary(base);
                match sub {
                    None => b,
                    Some((o, s)) => m.sub_binary(b, *o, *s).unwrap(),
                }
            }
            Model::Bits(..) => panic!("Bits is a read-back form"),
            Model::Fun(i, env) => {
                let env: Vec<Term> = env.iter().map(|e| e.build(m)).collect();
                m.closure(entry(*i), &env).unwrap()
            }
            Model::Export(a, b, n) => {
                m.export_fun(Atom::intern(a).unwrap(), Atom::intern(b).unwrap(), *n)
            }
            Model::Map(kv) => {
                let k: Vec<Term> = kv.iter().map(|(k, _)| k.build(m)).collect();
                let v: Vec<Term> = kv.iter().map(|(_, v)| v.build(m)).collect();
                m.flatmap(&k, &v).unwrap()
            }
            Model::Pid(n) => Term::local_pid(*n).unwrap(),
            Model::Port(n) => Term::local_port(*n).unwrap(),
            Model::Ref(id) => m.local_ref(*id),
            Model::ExtPid(node, c, n, s) => m.external_pid(Atom::intern(node).unwrap(), *c, *n, *s),
            Model::ExtRef(node, c, ids) => m
                .external_ref(Atom::intern(node).unwrap(), *c, ids)
                .unwrap(),
            Model::Literal(inner) => {
                let mut scratch = ProcessMemory::new();
                let t = inner.build(&mut scratch);
                let (area, terms) = LiteralArea::build(&scratch, &[t]);
                // Literal areas live as long as their module; tests never purge.
                std::mem::forget(area);
                terms[0]
            }
        }
    }
}

/// Reads a term back into a model.
pub fn read<H: HeapAccess>(t: Term, h: &H) -> Model {
    match t.kind(h) {
        TermKind::Small | TermKind::BigInt => Model::Int(t.integer_value(h).unwrap()),
        TermKind::Float => Model::Float(t.float_value(h).unwrap().to_bits()),
        TermKind::Atom => Model::Atom(t.atom_value().unwrap().text().unwrap().to_string()),
        TermKind::Nil => Model::Nil,
        TermKind::Cons => {
            let (a, b) = t.cons_parts(h).unwrap();
            Model::Cons(Box::new(read(a, h)), Box::new(read(b, h)))
        }
        TermKind::Tuple => Model::Tuple(
            t.tuple_elements(h)
                .unwrap()
                .iter()
                .map(|&e| read(e, h))
                .collect(),
        ),
        TermKind::Binary => {
            let (b, n) = t.bits(h).unwrap().to_bit_vec();
            Model::Bits(b, n)
        }
        TermKind::Fun => {
            let f = t.fun_view(h).unwrap();
            Model::Fun(
                f.entry.num_free,
                f.env.iter().map(|&e| read(e, h)).collect(),
            )
        }
        TermKind::Export => {
            let (a, b, n) = t.export_view(h).unwrap();
            Model::Export(a.text().unwrap().into(), b.text().unwrap().into(), n as u8)
        }
        TermKind::Map => {
            let (k, v) = t.flatmap_view(h).unwrap();
            Model::Map(
                k.iter()
                    .zip(v)
                    .map(|(&k, &v)| (read(k, h), read(v, h)))
                    .collect(),
            )
        }
        TermKind::LocalPid => Model::Pid(t.local_pid_number().unwrap()),
        TermKind::LocalPort => Model::Port(t.local_port_number().unwrap()),
        TermKind::LocalRef => Model::Ref(t.local_ref_id(h).unwrap()),
        TermKind::ExternalPid => {
            let e = t.external_view(h).unwrap();
            Model::ExtPid(
                e.node.text().unwrap().into(),
                e.creation,
                e.id[0] as u32,
                e.id[1] as u32,
            )
        }
        TermKind::ExternalRef => {
            let e = t.external_view(h).unwrap();
            Model::ExtRef(
                e.node.text().unwrap().into(),
                e.creation,
                e.id.iter().map(|&i| i as u32).collect(),
            )
        }
        k => panic!("unexpected term kind {k:?} for {t:?}"),
    }
}
