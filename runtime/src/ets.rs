//! ETS: term storage shared between processes.
//!
//! A table holds copies of tuples, each object in a heap fragment of its
//! own (as a message is), so a table outlives any process heap and reading
//! an object copies it into the reader's heap, as BEAM does. Tables are
//! found by reference (unnamed tables) or by name (`named_table`), and are
//! owned by a process: when the owner exits the table goes to its heir
//! (with an `{'ETS-TRANSFER', Tab, From, HeirData}` message) or is deleted.
//!
//! `set` and `bag` tables compare keys exactly (`1` and `1.0` are two
//! keys) and keep their objects in buckets by hash; `ordered_set` tables
//! keep them in term order, where `1` and `1.0` are one key.
//! `duplicate_bag` keeps equal objects apart. The order in which `set` and
//! bag tables list their objects is Coral's own (BEAM's depends on its
//! hash table's layout); `ordered_set` lists in term order as BEAM does.
//!
//! Match patterns (`match/2`, `match_object/2`) and match specifications
//! (`select/2`, `select_count/2`, `select_delete/2`) are interpreted here:
//! `'_'`, `'$N'` variables, and in specifications the guards and bodies
//! made of comparisons, arithmetic, boolean operators, type tests,
//! `element/2`, `'$_'`, `'$$'`, `{const, T}` and tuple and list
//! construction.

use crate::atom::{self, Atom};
use crate::bif::{self, BifResult, Exception, list_elements};
use crate::copy::{CopySource, copy_term};
use crate::heap::{HeapFragment, ProcessMemory};
use crate::mailbox::copy_message;
use crate::process::code::current_of;
use crate::process::{Process, pid_data, pid_term};
use crate::signal::{Message, RefId, Signal};
use crate::term::{HeapAccess, Term};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

/// Reads terms wherever they are (table objects, a process heap): the
/// comparisons and hashes only use it for debug checks.
struct AnyHeap;

impl HeapAccess for AnyHeap {
    fn may_hold(&self, _: usize) -> bool {
        true
    }
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Kind {
    Set,
    OrderedSet,
    Bag,
    DuplicateBag,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Access {
    Public,
    Protected,
    Private,
}

/// A stored object (or key): a copy in its own fragment.
struct Stored(Message);

impl Stored {
    fn copy(t: Term, src: &dyn CopySource) -> Stored {
        Stored(copy_message(t, src))
    }

    fn term(&self) -> Term {
        self.0.term
    }

    fn fragment(&self) -> Option<&HeapFragment> {
        self.0.fragment.as_ref()
    }

    /// The object copied into `m`.
    fn read(&self, m: &mut ProcessMemory) -> Term {
        match self.fragment() {
            Some(f) => copy_term(self.term(), f, m),
            None => self.term(),
        }
    }
}

/// An `ordered_set` key: ordered as terms compare (`==`).
struct OrdKey(Stored);

impl PartialEq for OrdKey {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for OrdKey {}
impl PartialOrd for OrdKey {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for OrdKey {
    fn cmp(&self, o: &Self) -> Ordering {
        crate::order::compare(self.0.term(), o.0.term(), &AnyHeap)
    }
}

/// A key of the caller's, for lookups (borrows the caller's heap while the
/// table is locked; never kept).
fn probe(key: Term) -> OrdKey {
    OrdKey(Stored(Message::new(key, None)))
}

enum Objects {
    /// `set`, `bag`, `duplicate_bag`: buckets by the key's hash, objects in
    /// insertion order within a bucket.
    Hashed(HashMap<u32, Vec<Stored>>, usize),
    Ordered(BTreeMap<OrdKey, Stored>),
}

struct Table {
    reference: RefId,
    name: Atom,
    named: bool,
    kind: Kind,
    /// 1-based key position.
    keypos: usize,
    access: Access,
    owner: u64,
    heir: Option<(u64, Stored)>,
    objects: Objects,
}

impl Table {
    fn key_of(&self, obj: Term) -> Option<Term> {
        obj.tuple_elements(&AnyHeap)?.get(self.keypos - 1).copied()
    }

    fn len(&self) -> usize {
        match &self.objects {
            Objects::Hashed(_, n) => *n,
            Objects::Ordered(b) => b.len(),
        }
    }

    /// Objects with key `key`.
    fn lookup(&self, key: Term) -> Vec<&Stored> {
        match &self.objects {
            Objects::Hashed(buckets, _) => {
                let h = crate::phash::phash2(key, &AnyHeap);
                buckets
                    .get(&h)
                    .map(|b| {
                        b.iter()
                            .filter(|o| {
                                self.key_of(o.term())
                                    .is_some_and(|k| crate::order::exact_eq(k, key, &AnyHeap))
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            }
            Objects::Ordered(b) => b.get(&probe(key)).into_iter().collect(),
        }
    }

    /// Inserts `obj` (a tuple of the caller's, in `src`).
    fn insert(&mut self, obj: Term, src: &dyn CopySource) {
        let Some(key) = self.key_of(obj) else { return };
        let kind = self.kind;
        let keypos = self.keypos;
        match &mut self.objects {
            Objects::Hashed(buckets, n) => {
                let h = crate::phash::phash2(key, &AnyHeap);
                let bucket = buckets.entry(h).or_default();
                let same_key = |o: &Stored| {
                    o.term()
                        .tuple_elements(&AnyHeap)
                        .and_then(|e| e.get(keypos - 1).copied())
                        .is_some_and(|k| crate::order::exact_eq(k, key, &AnyHeap))
                };
                match kind {
                    Kind::Set => {
                        if let Some(i) = bucket.iter().position(same_key) {
                            bucket[i] = Stored::copy(obj, src);
                            return;
                        }
                    }
                    Kind::Bag => {
                        if bucket
                            .iter()
                            .any(|o| same_key(o) && crate::order::exact_eq(o.term(), obj, &AnyHeap))
                        {
                            return;
                        }
                    }
                    _ => {}
                }
                bucket.push(Stored::copy(obj, src));
                *n += 1;
            }
            Objects::Ordered(b) => {
                let k = OrdKey(Stored::copy(key, src));
                b.insert(k, Stored::copy(obj, src));
            }
        }
    }

    /// Removes the objects `pred` picks among those with key `key`; how many.
    fn remove_where(&mut self, key: Term, mut pred: impl FnMut(Term) -> bool) -> usize {
        let keypos = self.keypos;
        match &mut self.objects {
            Objects::Hashed(buckets, n) => {
                let h = crate::phash::phash2(key, &AnyHeap);
                let Some(bucket) = buckets.get_mut(&h) else {
                    return 0;
                };
                let before = bucket.len();
                bucket.retain(|o| {
                    let k = o
                        .term()
                        .tuple_elements(&AnyHeap)
                        .and_then(|e| e.get(keypos - 1).copied());
                    !(k.is_some_and(|k| crate::order::exact_eq(k, key, &AnyHeap)) && pred(o.term()))
                });
                let removed = before - bucket.len();
                if bucket.is_empty() {
                    buckets.remove(&h);
                }
                *n -= removed;
                removed
            }
            Objects::Ordered(b) => {
                let p = probe(key);
                match b.get(&p) {
                    Some(o) if pred(o.term()) => {
                        b.remove(&p);
                        1
                    }
                    _ => 0,
                }
            }
        }
    }

    /// Every object, in the table's order.
    fn all(&self) -> Vec<&Stored> {
        match &self.objects {
            Objects::Hashed(buckets, _) => {
                let mut keys: Vec<&u32> = buckets.keys().collect();
                keys.sort();
                keys.into_iter().flat_map(|k| buckets[k].iter()).collect()
            }
            Objects::Ordered(b) => b.values().collect(),
        }
    }

    fn clear(&mut self) {
        self.objects = match self.kind {
            Kind::OrderedSet => Objects::Ordered(BTreeMap::new()),
            _ => Objects::Hashed(HashMap::new(), 0),
        };
    }
}

#[derive(Default)]
struct Registry {
    by_ref: HashMap<RefId, Arc<Mutex<Table>>>,
    by_name: HashMap<Atom, RefId>,
}

fn registry() -> MutexGuard<'static, Registry> {
    static R: std::sync::OnceLock<Mutex<Registry>> = std::sync::OnceLock::new();
    R.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn lock(t: &Mutex<Table>) -> MutexGuard<'_, Table> {
    t.lock().unwrap_or_else(|e| e.into_inner())
}

fn table_of(m: &ProcessMemory, tab: Term) -> Option<Arc<Mutex<Table>>> {
    let r = registry();
    let id = match tab.atom_value() {
        Some(name) => *r.by_name.get(&name)?,
        None => tab.local_ref_id(m)?,
    };
    r.by_ref.get(&id).cloned()
}

fn named(text: &str) -> Term {
    Term::atom(Atom::intern(text).unwrap_or(atom::UNDEFINED))
}

fn is(t: Term, text: &str) -> bool {
    t.atom_value().and_then(Atom::text) == Some(text)
}

fn with_process(m: &mut ProcessMemory, f: impl FnOnce(&mut Process) -> BifResult) -> BifResult {
    match current_of(m) {
        Some(p) => f(p),
        None => Err(Exception::badarg()),
    }
}

/// The table `tab` for the caller, checked for reading or writing.
fn open(p: &Process, tab: Term, write: bool) -> Result<Arc<Mutex<Table>>, Exception> {
    let t = table_of(&p.mem, tab).ok_or_else(Exception::badarg)?;
    {
        let g = lock(&t);
        let me = p.pid_data();
        let ok = match g.access {
            Access::Public => true,
            Access::Protected => !write || g.owner == me,
            Access::Private => g.owner == me,
        };
        if !ok {
            return Err(Exception::badarg());
        }
    }
    Ok(t)
}

fn tab_term(m: &mut ProcessMemory, t: &Table) -> Term {
    if t.named {
        Term::atom(t.name)
    } else {
        m.local_ref(t.reference)
    }
}

// ----- creating and deleting ---------------------------------------------------

/// `ets:new(Name, Options)`.
pub(crate) fn new_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let name = a[0].atom_value().ok_or_else(Exception::badarg)?;
        let mut kind = Kind::Set;
        let mut access = Access::Protected;
        let mut named_table = false;
        let mut keypos = 1usize;
        let mut heir = None;
        for o in list_elements(&p.mem, a[1]).ok_or_else(Exception::badarg)? {
            if let Some(t) = o.atom_value().and_then(Atom::text) {
                match t {
                    "set" => kind = Kind::Set,
                    "ordered_set" => kind = Kind::OrderedSet,
                    "bag" => kind = Kind::Bag,
                    "duplicate_bag" => kind = Kind::DuplicateBag,
                    "public" => access = Access::Public,
                    "protected" => access = Access::Protected,
                    "private" => access = Access::Private,
                    "named_table" => named_table = true,
                    "compressed" => {}
                    _ => return Err(Exception::badarg()),
                }
                continue;
            }
            match o.tuple_elements(&p.mem) {
                Some(&[k, v]) if is(k, "keypos") => {
                    keypos = bif::usize_arg(v)
                        .filter(|&n| n >= 1)
                        .ok_or_else(Exception::badarg)?;
                }
                Some(&[k, v])
                    if is(k, "write_concurrency")
                        || is(k, "read_concurrency")
                        || is(k, "decentralized_counters") =>
                {
                    let _ = v;
                }
                Some(&[k, v]) if is(k, "heir") && is(v, "none") => heir = None,
                Some(&[k, pid, data]) if is(k, "heir") => {
                    let h = pid_data(pid).ok_or_else(Exception::badarg)?;
                    heir = Some((h, Stored::copy(data, &p.mem)));
                }
                _ => return Err(Exception::badarg()),
            }
        }
        let mut r = registry();
        if named_table && r.by_name.contains_key(&name) {
            return Err(Exception::badarg());
        }
        let id = crate::sched::new_ref_id();
        let table = Table {
            reference: id,
            name,
            named: named_table,
            kind,
            keypos,
            access,
            owner: p.pid_data(),
            heir,
            objects: match kind {
                Kind::OrderedSet => Objects::Ordered(BTreeMap::new()),
                _ => Objects::Hashed(HashMap::new(), 0),
            },
        };
        r.by_ref.insert(id, Arc::new(Mutex::new(table)));
        if named_table {
            r.by_name.insert(name, id);
            Ok(Term::atom(name))
        } else {
            drop(r);
            Ok(p.mem.local_ref(id))
        }
    })
}

fn drop_table(id: RefId) {
    let mut r = registry();
    if let Some(t) = r.by_ref.remove(&id) {
        let g = lock(&t);
        if g.named {
            r.by_name.remove(&g.name);
        }
    }
}

/// `ets:delete(Tab)`.
pub(crate) fn delete_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = table_of(&p.mem, a[0]).ok_or_else(Exception::badarg)?;
        let (id, owner, access) = {
            let g = lock(&t);
            (g.reference, g.owner, g.access)
        };
        if owner != p.pid_data() && access != Access::Public {
            return Err(Exception::badarg());
        }
        drop_table(id);
        Ok(Term::atom(atom::TRUE))
    })
}

/// A process exited: its tables go to their heirs or are deleted.
pub(crate) fn owner_exited(rt: &crate::sched::RuntimeInner, pid: u64) {
    let owned: Vec<Arc<Mutex<Table>>> = registry()
        .by_ref
        .values()
        .filter(|t| lock(t).owner == pid)
        .cloned()
        .collect();
    for t in owned {
        let mut g = lock(&t);
        let heir = g.heir.take();
        match heir {
            Some((h, data)) if h != pid && rt.table_has(h) => {
                g.owner = h;
                let msg = transfer_message(&g, pid, &data);
                drop(g);
                let _ = rt.deliver(h, Signal::Message(msg));
            }
            _ => {
                let id = g.reference;
                drop(g);
                drop_table(id);
            }
        }
    }
}

/// `{'ETS-TRANSFER', Tab, From, Data}`.
fn transfer_message(t: &Table, from: u64, data: &Stored) -> Message {
    let mut scratch = ProcessMemory::with_min_heap_size(0);
    let tab = tab_term(&mut scratch, t);
    let d = data.read(&mut scratch);
    let msg = scratch
        .tuple(&[named("ETS-TRANSFER"), tab, pid_term(from), d])
        .unwrap_or(Term::NIL);
    copy_message(msg, &*scratch)
}

/// `ets:give_away(Tab, Pid, GiftData)`.
pub(crate) fn give_away_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = table_of(&p.mem, a[0]).ok_or_else(Exception::badarg)?;
        let to = pid_data(a[1]).ok_or_else(Exception::badarg)?;
        let me = p.pid_data();
        let mut g = lock(&t);
        if g.owner != me || to == me || !p.rt.table_has(to) {
            return Err(Exception::badarg());
        }
        g.owner = to;
        let gift = Stored::copy(a[2], &p.mem);
        let msg = transfer_message(&g, me, &gift);
        drop(g);
        let _ = p.rt.deliver(to, Signal::Message(msg));
        Ok(Term::atom(atom::TRUE))
    })
}

// ----- writing -------------------------------------------------------------------

fn objects_arg(m: &ProcessMemory, t: Term) -> Option<Vec<Term>> {
    if t.tuple_elements(m).is_some() {
        return Some(vec![t]);
    }
    let l = list_elements(m, t)?;
    l.iter().all(|o| o.tuple_elements(m).is_some()).then_some(l)
}

/// `ets:insert(Tab, ObjectOrObjects)`.
pub(crate) fn insert_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], true)?;
        let objs = objects_arg(&p.mem, a[1]).ok_or_else(Exception::badarg)?;
        let mut g = lock(&t);
        if objs.iter().any(|o| g.key_of(*o).is_none()) {
            return Err(Exception::badarg());
        }
        for o in objs {
            g.insert(o, &p.mem);
        }
        Ok(Term::atom(atom::TRUE))
    })
}

/// `ets:insert_new(Tab, ObjectOrObjects)`: nothing is inserted if any key
/// is present.
pub(crate) fn insert_new_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], true)?;
        let objs = objects_arg(&p.mem, a[1]).ok_or_else(Exception::badarg)?;
        let mut g = lock(&t);
        let mut keys = Vec::new();
        for o in &objs {
            keys.push(g.key_of(*o).ok_or_else(Exception::badarg)?);
        }
        if keys.iter().any(|k| !g.lookup(*k).is_empty()) {
            return Ok(Term::atom(atom::FALSE));
        }
        for o in objs {
            g.insert(o, &p.mem);
        }
        Ok(Term::atom(atom::TRUE))
    })
}

/// `ets:delete(Tab, Key)`.
pub(crate) fn delete_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], true)?;
        lock(&t).remove_where(a[1], |_| true);
        Ok(Term::atom(atom::TRUE))
    })
}

/// `ets:delete_object(Tab, Object)`.
pub(crate) fn delete_object_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], true)?;
        let mut g = lock(&t);
        let key = g.key_of(a[1]).ok_or_else(Exception::badarg)?;
        let obj = a[1];
        g.remove_where(key, |o| crate::order::exact_eq(o, obj, &AnyHeap));
        Ok(Term::atom(atom::TRUE))
    })
}

/// `ets:delete_all_objects(Tab)`.
pub(crate) fn delete_all_objects_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], true)?;
        lock(&t).clear();
        Ok(Term::atom(atom::TRUE))
    })
}

/// `ets:take(Tab, Key)`: the objects, removed.
pub(crate) fn take_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], true)?;
        let mut g = lock(&t);
        let found: Vec<Term> = g.lookup(a[1]).iter().map(|o| o.read(&mut p.mem)).collect();
        g.remove_where(a[1], |_| true);
        Ok(p.mem.list(&found, Term::NIL))
    })
}

/// The new value of element `pos` of `obj` after `update_counter`'s
/// operation `op` (`Incr` or `{Pos, Incr}` or `{Pos, Incr, Threshold,
/// SetValue}`); the position and the value.
fn counter_op(
    m: &mut ProcessMemory,
    obj: &[Term],
    keypos: usize,
    op: Term,
) -> Result<(usize, Term), Exception> {
    let (pos, incr, clamp) = if op.small_value().is_some() || op.integer_value(m).is_some() {
        (keypos + 1, op, None)
    } else {
        match op.tuple_elements(m) {
            Some(&[p, i]) => (bif::usize_arg(p).ok_or_else(Exception::badarg)?, i, None),
            Some(&[p, i, th, sv]) => (
                bif::usize_arg(p).ok_or_else(Exception::badarg)?,
                i,
                Some((th, sv)),
            ),
            _ => return Err(Exception::badarg()),
        }
    };
    if pos == 0 || pos > obj.len() || pos == keypos {
        return Err(Exception::badarg());
    }
    let old = obj[pos - 1];
    if old.integer_value(m).is_none() || incr.integer_value(m).is_none() {
        return Err(Exception::badarg());
    }
    let mut new = bif::lookup("erlang", "+", 2).ok_or_else(Exception::badarg)?(m, &[old, incr])?;
    if let Some((th, sv)) = clamp {
        let gt = crate::order::compare(new, th, m) == Ordering::Greater;
        let lt = crate::order::compare(new, th, m) == Ordering::Less;
        let incr_neg =
            crate::order::compare(incr, Term::small(0).unwrap_or(Term::NIL), m) == Ordering::Less;
        if (!incr_neg && gt) || (incr_neg && lt) {
            new = sv;
        }
    }
    Ok((pos, new))
}

fn update_counter(p: &mut Process, a: &[Term], default: Option<Term>) -> BifResult {
    let t = open(p, a[0], true)?;
    let mut g = lock(&t);
    if !matches!(g.kind, Kind::Set | Kind::OrderedSet) {
        return Err(Exception::badarg());
    }
    let key = a[1];
    let current = match g.lookup(key).first() {
        Some(o) => o.read(&mut p.mem),
        None => match default {
            Some(d) => {
                if g.key_of(d).is_none() {
                    return Err(Exception::badarg());
                }
                // The default with the key put in its place.
                let mut el = d
                    .tuple_elements(&p.mem)
                    .ok_or_else(Exception::badarg)?
                    .to_vec();
                let kp = g.keypos;
                el[kp - 1] = key;
                p.mem.tuple(&el).ok_or_else(Exception::badarg)?
            }
            None => return Err(Exception::badarg()),
        },
    };
    let mut el = current
        .tuple_elements(&p.mem)
        .ok_or_else(Exception::badarg)?
        .to_vec();
    let ops = if a[2].small_value().is_some()
        || a[2].integer_value(&p.mem).is_some()
        || a[2].tuple_elements(&p.mem).is_some()
    {
        vec![a[2]]
    } else {
        list_elements(&p.mem, a[2]).ok_or_else(Exception::badarg)?
    };
    let single = ops.len() == 1 && list_elements(&p.mem, a[2]).is_none();
    let mut results = Vec::new();
    for op in ops {
        let (pos, v) = counter_op(&mut p.mem, &el, g.keypos, op)?;
        el[pos - 1] = v;
        results.push(v);
    }
    let obj = p.mem.tuple(&el).ok_or_else(Exception::badarg)?;
    g.insert(obj, &p.mem);
    Ok(if single {
        results[0]
    } else {
        p.mem.list(&results, Term::NIL)
    })
}

/// `ets:update_counter(Tab, Key, UpdateOp)`.
pub(crate) fn update_counter_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| update_counter(p, a, None))
}

/// `ets:update_counter(Tab, Key, UpdateOp, Default)`.
pub(crate) fn update_counter_4(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| update_counter(p, a, Some(a[3])))
}

/// `ets:update_element(Tab, Key, {Pos, Value} | [{Pos, Value}])`.
pub(crate) fn update_element_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], true)?;
        let mut g = lock(&t);
        if !matches!(g.kind, Kind::Set | Kind::OrderedSet) {
            return Err(Exception::badarg());
        }
        let Some(current) = g.lookup(a[1]).first().map(|o| o.read(&mut p.mem)) else {
            return Ok(Term::atom(atom::FALSE));
        };
        let mut el = current
            .tuple_elements(&p.mem)
            .ok_or_else(Exception::badarg)?
            .to_vec();
        let ups = if a[2].tuple_elements(&p.mem).is_some() {
            vec![a[2]]
        } else {
            list_elements(&p.mem, a[2]).ok_or_else(Exception::badarg)?
        };
        for u in ups {
            let Some(&[pos, v]) = u.tuple_elements(&p.mem) else {
                return Err(Exception::badarg());
            };
            let pos = bif::usize_arg(pos).ok_or_else(Exception::badarg)?;
            if pos == 0 || pos > el.len() || pos == g.keypos {
                return Err(Exception::badarg());
            }
            el[pos - 1] = v;
        }
        let obj = p.mem.tuple(&el).ok_or_else(Exception::badarg)?;
        g.insert(obj, &p.mem);
        Ok(Term::atom(atom::TRUE))
    })
}

// ----- reading ---------------------------------------------------------------------

/// `ets:lookup(Tab, Key)`.
pub(crate) fn lookup_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], false)?;
        let g = lock(&t);
        let found: Vec<Term> = g.lookup(a[1]).iter().map(|o| o.read(&mut p.mem)).collect();
        Ok(p.mem.list(&found, Term::NIL))
    })
}

/// `ets:lookup_element(Tab, Key, Pos)`.
pub(crate) fn lookup_element_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], false)?;
        let pos = bif::usize_arg(a[2])
            .filter(|&n| n >= 1)
            .ok_or_else(Exception::badarg)?;
        let g = lock(&t);
        let found: Vec<Term> = g.lookup(a[1]).iter().map(|o| o.read(&mut p.mem)).collect();
        let mut vals = Vec::new();
        for o in &found {
            let el = o.tuple_elements(&p.mem).ok_or_else(Exception::badarg)?;
            vals.push(*el.get(pos - 1).ok_or_else(Exception::badarg)?);
        }
        match (g.kind, vals.as_slice()) {
            (_, []) => Err(Exception::badarg()),
            (Kind::Set | Kind::OrderedSet, [v]) => Ok(*v),
            _ => Ok(p.mem.list(&vals, Term::NIL)),
        }
    })
}

/// `ets:member(Tab, Key)`.
pub(crate) fn member_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], false)?;
        let found = !lock(&t).lookup(a[1]).is_empty();
        Ok(Term::boolean(found))
    })
}

/// `ets:tab2list(Tab)`.
pub(crate) fn tab2list_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], false)?;
        let g = lock(&t);
        let all: Vec<Term> = g.all().iter().map(|o| o.read(&mut p.mem)).collect();
        Ok(p.mem.list(&all, Term::NIL))
    })
}

/// The keys in the table's order.
fn keys(p: &mut Process, g: &Table) -> Vec<Term> {
    let mut out: Vec<Term> = Vec::new();
    for o in g.all() {
        let obj = o.term();
        if let Some(k) = g.key_of(obj) {
            if out
                .last()
                .is_some_and(|l| crate::order::exact_eq(*l, k, &AnyHeap))
            {
                continue;
            }
            out.push(k);
        }
    }
    out.into_iter()
        .map(|k| copy_term(k, &CopyAll, &mut p.mem))
        .collect()
}

/// Copies everything it reaches (terms of table objects, whose fragment
/// the caller does not have at hand).
struct CopyAll;

impl HeapAccess for CopyAll {
    fn may_hold(&self, _: usize) -> bool {
        true
    }
}

impl CopySource for CopyAll {
    fn owns(&self, _: usize) -> bool {
        true
    }
}

fn end_of_table() -> Term {
    named("$end_of_table")
}

fn step(
    m: &mut ProcessMemory,
    a: &[Term],
    f: impl FnOnce(&Table, &[Term]) -> Option<usize>,
) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], false)?;
        let g = lock(&t);
        let ks = keys(p, &g);
        Ok(match f(&g, &ks) {
            Some(i) => ks[i],
            None => end_of_table(),
        })
    })
}

fn position(ks: &[Term], k: Term, ordered: bool) -> Option<usize> {
    ks.iter().position(|x| {
        if ordered {
            crate::order::eq(*x, k, &AnyHeap)
        } else {
            crate::order::exact_eq(*x, k, &AnyHeap)
        }
    })
}

/// `ets:first(Tab)`.
pub(crate) fn first_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    step(m, a, |_, ks| (!ks.is_empty()).then_some(0))
}

/// `ets:last(Tab)`.
pub(crate) fn last_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    step(m, a, |_, ks| ks.len().checked_sub(1))
}

/// `ets:next(Tab, Key)`: for an `ordered_set`, the next key in term order
/// even when `Key` is not in the table.
pub(crate) fn next_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let k = a[1];
    step(m, a, |g, ks| {
        if g.kind == Kind::OrderedSet {
            ks.iter()
                .position(|x| crate::order::compare(*x, k, &AnyHeap) == Ordering::Greater)
        } else {
            position(ks, k, false)
                .map(|i| i + 1)
                .filter(|&i| i < ks.len())
        }
    })
}

/// `ets:prev(Tab, Key)`.
pub(crate) fn prev_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let k = a[1];
    step(m, a, |g, ks| {
        if g.kind == Kind::OrderedSet {
            ks.iter()
                .rposition(|x| crate::order::compare(*x, k, &AnyHeap) == Ordering::Less)
        } else {
            position(ks, k, false).and_then(|i| i.checked_sub(1))
        }
    })
}

/// `ets:info(Tab, Item)`.
pub(crate) fn info_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let Some(t) = table_of(&p.mem, a[0]) else {
            return Ok(Term::atom(atom::UNDEFINED));
        };
        let item = a[1]
            .atom_value()
            .and_then(Atom::text)
            .ok_or_else(Exception::badarg)?;
        let g = lock(&t);
        info_item(p, &g, item).ok_or_else(Exception::badarg)
    })
}

fn info_item(p: &mut Process, g: &Table, item: &str) -> Option<Term> {
    Some(match item {
        "size" => p.mem.int(g.len() as i64),
        "type" => named(match g.kind {
            Kind::Set => "set",
            Kind::OrderedSet => "ordered_set",
            Kind::Bag => "bag",
            Kind::DuplicateBag => "duplicate_bag",
        }),
        "named_table" => Term::boolean(g.named),
        "name" => Term::atom(g.name),
        "owner" => pid_term(g.owner),
        "keypos" => p.mem.int(g.keypos as i64),
        "protection" => named(match g.access {
            Access::Public => "public",
            Access::Protected => "protected",
            Access::Private => "private",
        }),
        "heir" => match &g.heir {
            Some((h, _)) => pid_term(*h),
            None => named("none"),
        },
        "id" => tab_term(&mut p.mem, g),
        "compressed" | "read_concurrency" | "write_concurrency" | "decentralized_counters" => {
            Term::atom(atom::FALSE)
        }
        _ => return None,
    })
}

/// `ets:info(Tab)`: the common items.
pub(crate) fn info_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let Some(t) = table_of(&p.mem, a[0]) else {
            return Ok(Term::atom(atom::UNDEFINED));
        };
        let g = lock(&t);
        let mut pairs = Vec::new();
        for item in [
            "id",
            "name",
            "type",
            "owner",
            "heir",
            "named_table",
            "keypos",
            "protection",
            "size",
        ] {
            let v = info_item(p, &g, item).unwrap_or(Term::NIL);
            pairs.push(p.mem.tuple(&[named(item), v]).unwrap_or(Term::NIL));
        }
        Ok(p.mem.list(&pairs, Term::NIL))
    })
}

/// `ets:whereis(Name)`.
pub(crate) fn whereis_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let name = a[0].atom_value().ok_or_else(Exception::badarg)?;
    let id = registry().by_name.get(&name).copied();
    Ok(match id {
        Some(id) => m.local_ref(id),
        None => Term::atom(atom::UNDEFINED),
    })
}

/// `ets:safe_fixtable(Tab, Bool)`: traversals here never see a table
/// change under them (each step lists the keys afresh), so this only
/// checks its arguments.
pub(crate) fn safe_fixtable_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        open(p, a[0], false)?;
        Ok(Term::atom(atom::TRUE))
    })
}

// ----- matching --------------------------------------------------------------------

/// A match variable `'$N'`.
fn variable(t: Term) -> Option<usize> {
    let text = t.atom_value()?.text()?;
    let digits = text.strip_prefix('$')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Matches `obj` (anywhere) against `pat` (the caller's), binding
/// variables. Returns false on a mismatch.
fn matches(pat: Term, obj: Term, binds: &mut BTreeMap<usize, Term>) -> bool {
    let mut stack = vec![(pat, obj)];
    while let Some((p, o)) = stack.pop() {
        if is(p, "_") {
            continue;
        }
        if let Some(v) = variable(p) {
            match binds.get(&v) {
                Some(&b) if !crate::order::exact_eq(b, o, &AnyHeap) => return false,
                Some(_) => {}
                None => {
                    binds.insert(v, o);
                }
            }
            continue;
        }
        if let (Some(pe), Some(oe)) = (p.tuple_elements(&AnyHeap), o.tuple_elements(&AnyHeap)) {
            if pe.len() != oe.len() {
                return false;
            }
            stack.extend(pe.iter().copied().zip(oe.iter().copied()));
            continue;
        }
        if let (Some((ph, pt)), Some((oh, ot))) = (p.cons_parts(&AnyHeap), o.cons_parts(&AnyHeap)) {
            stack.push((ph, oh));
            stack.push((pt, ot));
            continue;
        }
        if !crate::order::exact_eq(p, o, &AnyHeap) {
            return false;
        }
    }
    true
}

/// One clause of a match specification.
struct MsClause {
    head: Term,
    guards: Vec<Term>,
    body: Vec<Term>,
}

fn match_spec(m: &ProcessMemory, spec: Term) -> Option<Vec<MsClause>> {
    let mut out = Vec::new();
    for c in list_elements(m, spec)? {
        let &[head, guards, body] = c.tuple_elements(m)? else {
            return None;
        };
        out.push(MsClause {
            head,
            guards: list_elements(m, guards)?,
            body: list_elements(m, body)?,
        });
    }
    Some(out)
}

/// Evaluates a match-specification expression; `None` when it fails (a
/// guard that fails, a bad argument).
fn eval(
    m: &mut ProcessMemory,
    e: Term,
    obj: Term,
    binds: &BTreeMap<usize, Term>,
    depth: usize,
) -> Option<Term> {
    if depth > 1000 {
        return None;
    }
    if let Some(v) = variable(e) {
        return binds.get(&v).copied();
    }
    if is(e, "$_") {
        return Some(obj);
    }
    if is(e, "$$") {
        let vals: Vec<Term> = binds.values().copied().collect();
        return Some(m.list(&vals, Term::NIL));
    }
    if let Some((h, t)) = e.cons_parts(m) {
        let h = eval(m, h, obj, binds, depth + 1)?;
        let t = eval(m, t, obj, binds, depth + 1)?;
        return Some(m.cons(h, t));
    }
    let Some(el) = e.tuple_elements(m).map(|x| x.to_vec()) else {
        return Some(e);
    };
    match el.as_slice() {
        // `{{A, B}}`: a tuple built from expressions.
        [inner] if inner.tuple_elements(m).is_some() => {
            let parts = inner.tuple_elements(m)?.to_vec();
            let mut vals = Vec::with_capacity(parts.len());
            for x in parts {
                vals.push(eval(m, x, obj, binds, depth + 1)?);
            }
            m.tuple(&vals)
        }
        [c, v] if is(*c, "const") => Some(*v),
        [op, rest @ ..] if op.atom_value().is_some() => {
            let name = op.atom_value()?.text()?.to_string();
            match (name.as_str(), rest) {
                ("andalso", [a, b]) => {
                    let a = eval(m, *a, obj, binds, depth + 1)?;
                    if a == Term::atom(atom::TRUE) {
                        eval(m, *b, obj, binds, depth + 1)
                    } else if a == Term::atom(atom::FALSE) {
                        Some(a)
                    } else {
                        None
                    }
                }
                ("orelse", [a, b]) => {
                    let a = eval(m, *a, obj, binds, depth + 1)?;
                    if a == Term::atom(atom::FALSE) {
                        eval(m, *b, obj, binds, depth + 1)
                    } else if a == Term::atom(atom::TRUE) {
                        Some(a)
                    } else {
                        None
                    }
                }
                (f, args) => {
                    let f = match f {
                        "is_integer" | "is_atom" | "is_float" | "is_number" | "is_list"
                        | "is_tuple" | "is_binary" | "is_pid" | "is_reference" | "is_map"
                        | "is_function" | "is_boolean" | "element" | "hd" | "tl" | "abs"
                        | "size" | "tuple_size" | "length" | "map_size" | "map_get"
                        | "is_map_key" | "not" | "and" | "or" | "xor" | "+" | "-" | "*" | "div"
                        | "rem" | "band" | "bor" | "bxor" | "bnot" | "bsl" | "bsr" | "/" | ">"
                        | "<" | ">=" | "=<" | "==" | "/=" | "=:=" | "=/=" | "float" | "trunc"
                        | "round" | "min" | "max" => f,
                        _ => return None,
                    };
                    let mut vals = Vec::with_capacity(args.len());
                    for x in args {
                        vals.push(eval(m, *x, obj, binds, depth + 1)?);
                    }
                    let bif = bif::lookup("erlang", f, vals.len())?;
                    bif(m, &vals).ok()
                }
            }
        }
        _ => Some(e),
    }
}

/// What `spec` gives for the stored object `o`: the body's last value of
/// the first clause whose head matches and whose guards hold, or `None`.
/// The object and its bindings are copied into the caller's heap first, so
/// the guards and the body work on its terms only.
fn spec_result(p: &mut Process, spec: &[MsClause], o: &Stored) -> Option<Term> {
    let stored = o.term();
    for c in spec {
        let mut binds = BTreeMap::new();
        if !matches(c.head, stored, &mut binds) {
            continue;
        }
        let obj = o.read(&mut p.mem);
        let mut local = BTreeMap::new();
        matches(c.head, obj, &mut local);
        let ok = c
            .guards
            .iter()
            .all(|gd| eval(&mut p.mem, *gd, obj, &local, 0) == Some(Term::atom(atom::TRUE)));
        if !ok {
            return None;
        }
        let mut result = Some(Term::atom(atom::TRUE));
        for b in &c.body {
            result = eval(&mut p.mem, *b, obj, &local, 0);
            if result.is_none() {
                break;
            }
        }
        return result;
    }
    None
}

/// Runs `spec` over every object: the results, in the table's order.
fn run_spec(p: &mut Process, g: &Table, spec: &[MsClause]) -> Vec<Term> {
    g.all()
        .into_iter()
        .filter_map(|o| spec_result(p, spec, o))
        .collect()
}

/// `ets:select(Tab, MatchSpec)`.
pub(crate) fn select_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], false)?;
        let spec = match_spec(&p.mem, a[1]).ok_or_else(Exception::badarg)?;
        let g = lock(&t);
        let rs = run_spec(p, &g, &spec);
        Ok(p.mem.list(&rs, Term::NIL))
    })
}

/// `ets:select(Tab, MatchSpec, Limit)`: at most `Limit` results and a
/// continuation for `select/1`, or `'$end_of_table'`.
pub(crate) fn select_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let limit = bif::usize_arg(a[2])
        .filter(|&n| n >= 1)
        .ok_or_else(Exception::badarg)?;
    with_process(m, |p| select_chunk(p, a[0], a[1], 0, limit))
}

/// `ets:select(Continuation)`.
pub(crate) fn select_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if is(a[0], "$end_of_table") {
        return Ok(end_of_table());
    }
    let Some(&[tag, tab, spec, offset, limit]) = a[0].tuple_elements(m) else {
        return Err(Exception::badarg());
    };
    if !is(tag, "$coral_select") {
        return Err(Exception::badarg());
    }
    let offset = bif::usize_arg(offset).ok_or_else(Exception::badarg)?;
    let limit = bif::usize_arg(limit).ok_or_else(Exception::badarg)?;
    with_process(m, |p| select_chunk(p, tab, spec, offset, limit))
}

/// Results of `spec` over the objects from position `offset` on, at most
/// `limit` of them.
fn select_chunk(
    p: &mut Process,
    tab: Term,
    spec_t: Term,
    offset: usize,
    limit: usize,
) -> BifResult {
    let t = open(p, tab, false)?;
    let spec = match_spec(&p.mem, spec_t).ok_or_else(Exception::badarg)?;
    let g = lock(&t);
    let all = g.all();
    let mut results = Vec::new();
    let mut pos = offset;
    while pos < all.len() && results.len() < limit {
        if let Some(r) = spec_result(p, &spec, all[pos]) {
            results.push(r);
        }
        pos += 1;
    }
    if results.is_empty() {
        return Ok(end_of_table());
    }
    let list = p.mem.list(&results, Term::NIL);
    let cont = if pos >= all.len() {
        end_of_table()
    } else {
        let off = p.mem.int(pos as i64);
        let lim = p.mem.int(limit as i64);
        p.mem
            .tuple(&[named("$coral_select"), tab, spec_t, off, lim])
            .unwrap_or(Term::NIL)
    };
    Ok(p.mem.tuple(&[list, cont]).unwrap_or(Term::NIL))
}

/// `ets:select_count(Tab, MatchSpec)`: objects for which the spec gives
/// `true`.
pub(crate) fn select_count_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], false)?;
        let spec = match_spec(&p.mem, a[1]).ok_or_else(Exception::badarg)?;
        let g = lock(&t);
        let n = run_spec(p, &g, &spec)
            .iter()
            .filter(|r| **r == Term::atom(atom::TRUE))
            .count();
        Ok(p.mem.int(n as i64))
    })
}

/// `ets:select_delete(Tab, MatchSpec)`: deletes the objects for which the
/// spec gives `true`; how many.
pub(crate) fn select_delete_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], true)?;
        let spec = match_spec(&p.mem, a[1]).ok_or_else(Exception::badarg)?;
        let mut g = lock(&t);
        // The objects the spec says `true` for, by identity.
        let mut doomed = Vec::new();
        for o in g.all() {
            if spec_result(p, &spec, o) == Some(Term::atom(atom::TRUE)) {
                doomed.push(o.read(&mut p.mem));
            }
        }
        let n = doomed.len();
        for obj in doomed {
            if let Some(k) = g.key_of(obj) {
                g.remove_where(k, |o| crate::order::exact_eq(o, obj, &AnyHeap));
            }
        }
        Ok(p.mem.int(n as i64))
    })
}

/// `ets:match_object(Tab, Pattern)`.
pub(crate) fn match_object_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], false)?;
        let g = lock(&t);
        let mut out = Vec::new();
        for o in g.all() {
            let mut b = BTreeMap::new();
            if matches(a[1], o.term(), &mut b) {
                out.push(o.read(&mut p.mem));
            }
        }
        Ok(p.mem.list(&out, Term::NIL))
    })
}

/// `ets:match(Tab, Pattern)`: for each matching object, the list of the
/// values bound to `'$1'`, `'$2'`, ... in order.
pub(crate) fn match_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with_process(m, |p| {
        let t = open(p, a[0], false)?;
        let g = lock(&t);
        let mut out = Vec::new();
        for o in g.all() {
            let mut b = BTreeMap::new();
            if matches(a[1], o.term(), &mut b) {
                let obj = o.read(&mut p.mem);
                let mut local = BTreeMap::new();
                matches(a[1], obj, &mut local);
                let vals: Vec<Term> = local.values().copied().collect();
                out.push(p.mem.list(&vals, Term::NIL));
            }
        }
        Ok(p.mem.list(&out, Term::NIL))
    })
}

/// `ets:all()`.
pub(crate) fn all_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    let tables: Vec<Arc<Mutex<Table>>> = registry().by_ref.values().cloned().collect();
    let mut out = Vec::new();
    for t in tables {
        let g = lock(&t);
        out.push(tab_term(m, &g));
    }
    Ok(m.list(&out, Term::NIL))
}
