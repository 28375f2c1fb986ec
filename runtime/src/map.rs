//! Maps, laid out as BEAM lays them out so that they iterate in BEAM's order.
//!
//! - Up to 32 keys (`FLATMAP_LIMIT`): a flat map, its keys sorted in the
//!   exact term order (`order::compare_exact`: integers before floats).
//! - Above 32 keys: a hash-array-mapped trie over BEAM's internal hash of
//!   each key (`phash::internal_hash`). Each level takes 4 bits of the hash,
//!   lowest first, as a slot 0..16; a 32-bit hash covers 8 levels, and
//!   levels `8s..8s+7` use the hash salted with `s`, so two keys whose hashes
//!   collide still part at some level. A node lists its present children in
//!   slot order under a 16-bit bitmap; a child is a leaf `[Key | Value]` or
//!   an inner node. No path is compressed, so a set of keys has exactly one
//!   trie, and every operation that yields it iterates the same way.
//!
//! BEAM keeps these thresholds exactly (checked against OTP 25): `put` of a
//! new key into a 32-key map makes a trie, `maps:from_list` and `merge` make
//! a trie for more than 32 keys, and a removal that leaves 32 keys makes a
//! flat map again. So every map of at most 32 keys is flat, and every
//! larger one is a trie.
//!
//! Iteration (`to_list`, `keys`, `values`, the external term format)
//! walks a flat map in key order and a trie depth first, children from the
//! highest slot down (BEAM's order: it is also the order in which BEAM's
//! internal hash visits a trie's pairs). For integer, float, binary, tuple and list keys
//! this is BEAM's order exactly; for atom keys it depends on atom-table
//! indices, in BEAM as here.

use crate::heap::ProcessMemory;
use crate::order::{compare_exact, exact_eq};
use crate::phash::internal_hash;
use crate::term::{FLATMAP_LIMIT, Header, HeaderKind, HeapAccess, Term};
use std::cmp::Ordering;

/// Why a map operation failed, as the BIF reports it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MapError {
    /// The argument is not a map (`{badmap, M}`).
    BadMap,
    /// The key is not in the map (`{badkey, K}`).
    BadKey,
}

/// Whether `t` is a map.
pub fn is_map<H: HeapAccess + ?Sized>(t: Term, heap: &H) -> bool {
    matches!(
        t.header(heap).map(|h| h.kind),
        Some(HeaderKind::FlatMap | HeaderKind::HashHead)
    )
}

/// The number of keys; `None` if `m` is not a map.
pub fn size<H: HeapAccess + ?Sized>(m: Term, heap: &H) -> Option<usize> {
    if let Some((k, _)) = m.flatmap_view(heap) {
        return Some(k.len());
    }
    m.hashmap_head_view(heap).map(|(n, _, _)| n)
}

/// The slot of a key at trie level `level`, given the hash for that level's
/// salt.
fn slot(hash: u32, level: u32) -> u32 {
    (hash >> (4 * (level % 8))) & 0xF
}

/// The key's hash for `level` (the salted hash changes every 8 levels).
fn level_hash<H: HeapAccess + ?Sized>(key: Term, level: u32, heap: &H) -> u32 {
    internal_hash(key, level / 8, heap)
}

/// A trie node: the head (the map term) or an inner node.
fn node_children<H: HeapAccess + ?Sized>(node: Term, heap: &H) -> Option<(u16, &[Term])> {
    if let Some((_, bm, ch)) = node.hashmap_head_view(heap) {
        return Some((bm, ch));
    }
    node.hashmap_node_view(heap)
}

/// The position of `slot` among a node's present children.
fn child_index(bitmap: u16, slot: u32) -> usize {
    (bitmap & ((1u32 << slot) - 1) as u16).count_ones() as usize
}

/// `maps:get/2`, `maps:find/2`, `M#{K := _}` matching: the value under a key
/// equal to `key` by `=:=`. `None` if absent or `m` is not a map.
pub fn get<H: HeapAccess + ?Sized>(m: Term, key: Term, heap: &H) -> Option<Term> {
    if let Some((keys, values)) = m.flatmap_view(heap) {
        // Small maps: a linear scan with a cheap word test first beats a
        // binary search over structural comparisons for most keys.
        if key.is_immediate() {
            return keys.iter().position(|&k| k == key).map(|i| values[i]);
        }
        let i = keys
            .binary_search_by(|&k| compare_exact(k, key, heap))
            .ok()?;
        return Some(values[i]);
    }
    m.hashmap_head_view(heap)?;
    let mut node = m;
    let mut level = 0;
    let mut hash = level_hash(key, 0, heap);
    loop {
        if level > 0 && level % 8 == 0 {
            hash = level_hash(key, level, heap);
        }
        let (bitmap, children) = node_children(node, heap)?;
        let s = slot(hash, level);
        if bitmap & (1 << s) == 0 {
            return None;
        }
        let child = children[child_index(bitmap, s)];
        if let Some((k, v)) = child.cons_parts(heap) {
            return exact_eq(k, key, heap).then_some(v);
        }
        node = child;
        level += 1;
    }
}

/// Every key-value pair, in BEAM's iteration order.
pub fn to_vec<H: HeapAccess + ?Sized>(m: Term, heap: &H) -> Vec<(Term, Term)> {
    if let Some((k, v)) = m.flatmap_view(heap) {
        return k.iter().copied().zip(v.iter().copied()).collect();
    }
    let mut out = Vec::with_capacity(size(m, heap).unwrap_or(0));
    if m.hashmap_head_view(heap).is_none() {
        return out;
    }
    // Depth first, children from the highest slot down, with an explicit
    // stack of (node's children, how many are left).
    let mut stack: Vec<(&[Term], usize)> = Vec::new();
    if let Some((_, ch)) = node_children(m, heap) {
        stack.push((ch, ch.len()));
    }
    while let Some((children, left)) = stack.pop() {
        let Some(i) = left.checked_sub(1) else {
            continue;
        };
        stack.push((children, i));
        let child = children[i];
        if let Some((k, v)) = child.cons_parts(heap) {
            out.push((k, v));
        } else if let Some((_, ch)) = node_children(child, heap) {
            stack.push((ch, ch.len()));
        }
    }
    out
}

/// An empty map.
pub fn new(mem: &mut ProcessMemory) -> Term {
    mem.flatmap(&[], &[]).unwrap_or(Term::NIL)
}

/// A map of these pairs; a later duplicate key wins (`maps:from_list/1`).
pub fn from_pairs(mem: &mut ProcessMemory, pairs: &[(Term, Term)]) -> Term {
    let mut v: Vec<(Term, Term)> = Vec::with_capacity(pairs.len());
    {
        let heap: &ProcessMemory = mem;
        // Stable sort, then keep the last of each run of equal keys.
        let mut idx: Vec<usize> = (0..pairs.len()).collect();
        idx.sort_by(|&a, &b| compare_exact(pairs[a].0, pairs[b].0, heap).then(a.cmp(&b)));
        for (n, &i) in idx.iter().enumerate() {
            let last_of_run = idx
                .get(n + 1)
                .is_none_or(|&j| compare_exact(pairs[i].0, pairs[j].0, heap) != Ordering::Equal);
            if last_of_run {
                v.push(pairs[i]);
            }
        }
    }
    build_sorted(mem, v)
}

/// A map from pairs whose keys are distinct and sorted in exact order.
fn build_sorted(mem: &mut ProcessMemory, pairs: Vec<(Term, Term)>) -> Term {
    if pairs.len() <= FLATMAP_LIMIT {
        let (k, v): (Vec<Term>, Vec<Term>) = pairs.into_iter().unzip();
        return mem.flatmap(&k, &v).unwrap_or(Term::NIL);
    }
    build_trie(mem, pairs)
}

/// A trie holding these pairs (distinct keys, any order).
fn build_trie(mem: &mut ProcessMemory, pairs: Vec<(Term, Term)>) -> Term {
    let n = pairs.len();
    let items: Vec<Item> = {
        let heap: &ProcessMemory = mem;
        pairs
            .into_iter()
            .map(|(k, v)| Item {
                key: k,
                value: v,
                hashes: vec![internal_hash(k, 0, heap)],
            })
            .collect()
    };
    let (bitmap, children) = build_level(mem, items, 0);
    write_node(mem, Some(n), bitmap, &children)
}

struct Item {
    key: Term,
    value: Term,
    /// The key's hash for salts 0, 1, ... (computed as levels need them).
    hashes: Vec<u32>,
}

impl Item {
    fn slot_at(&mut self, heap: &ProcessMemory, level: u32) -> u32 {
        let s = (level / 8) as usize;
        while self.hashes.len() <= s {
            let salt = self.hashes.len() as u32;
            self.hashes.push(internal_hash(self.key, salt, heap));
        }
        slot(self.hashes[s], level)
    }
}

/// Children (and bitmap) of a node at `level` holding `items` (at least
/// two, distinct keys). Recursion depth is the trie depth: 8 levels per
/// 32 bits of hash, more only for keys whose salted hashes keep colliding.
fn build_level(mem: &mut ProcessMemory, mut items: Vec<Item>, level: u32) -> (u16, Vec<Term>) {
    let mut buckets: Vec<Vec<Item>> = (0..16).map(|_| Vec::new()).collect();
    for mut it in items.drain(..) {
        let s = it.slot_at(mem, level);
        buckets[s as usize].push(it);
    }
    let mut bitmap = 0u16;
    let mut children = Vec::new();
    for (s, b) in buckets.into_iter().enumerate() {
        match b.len() {
            0 => continue,
            1 => {
                let it = &b[0];
                children.push(mem.cons(it.key, it.value));
            }
            _ => {
                let (bm, ch) = build_level(mem, b, level + 1);
                children.push(write_node(mem, None, bm, &ch));
            }
        }
        bitmap |= 1 << s;
    }
    (bitmap, children)
}

/// Writes a trie node: the head when `size` is given, else an inner node.
fn write_node(
    mem: &mut ProcessMemory,
    size: Option<usize>,
    bitmap: u16,
    children: &[Term],
) -> Term {
    let mut words: Vec<Term> = Vec::with_capacity(children.len() + 2);
    let kind = match size {
        Some(n) => {
            words.push(Term::small(n as i64).unwrap_or(Term::NIL));
            HeaderKind::HashHead
        }
        None => HeaderKind::HashNode,
    };
    words.push(Term::small(bitmap as i64).unwrap_or(Term::NIL));
    words.extend_from_slice(children);
    let header = Header::new(kind, words.len());
    let p = mem.alloc(header.object_words());
    // SAFETY: `alloc` returned `1 + words.len()` fresh words.
    unsafe {
        *p = header.to_word();
        std::ptr::copy_nonoverlapping(words.as_ptr() as *const u64, p.add(1), words.len());
    }
    Term::boxed_from_address(p as usize)
}

/// `maps:put/3`, `M#{K => V}`: `None` if `m` is not a map.
pub fn put(mem: &mut ProcessMemory, m: Term, key: Term, value: Term) -> Option<Term> {
    insert(mem, m, key, value, false).ok()
}

/// `maps:update/3`, `M#{K := V}`: fails unless the key is present.
pub fn update(mem: &mut ProcessMemory, m: Term, key: Term, value: Term) -> Result<Term, MapError> {
    insert(mem, m, key, value, true)
}

fn insert(
    mem: &mut ProcessMemory,
    m: Term,
    key: Term,
    value: Term,
    must_exist: bool,
) -> Result<Term, MapError> {
    if let Some((keys, values)) = m.flatmap_view(&*mem) {
        let heap: &ProcessMemory = mem;
        let pos = keys.binary_search_by(|&k| compare_exact(k, key, heap));
        match pos {
            Ok(i) => {
                if values[i] == value {
                    return Ok(m);
                }
                let mut v = values.to_vec();
                v[i] = value;
                // The keys tuple is shared with the old map, as in BEAM.
                let keys_tuple = flatmap_keys_tuple(m, heap);
                return Ok(write_flatmap(mem, keys_tuple, &v));
            }
            Err(_) if must_exist => return Err(MapError::BadKey),
            Err(i) => {
                let mut pairs: Vec<(Term, Term)> =
                    keys.iter().copied().zip(values.iter().copied()).collect();
                pairs.insert(i, (key, value));
                return Ok(build_sorted(mem, pairs));
            }
        }
    }
    let Some((n, _, _)) = m.hashmap_head_view(&*mem) else {
        return Err(MapError::BadMap);
    };
    // Walk down, remembering each node and the slot taken from it.
    let mut path: Vec<(Term, u32)> = Vec::new();
    let mut node = m;
    let mut level = 0u32;
    let mut item = Item {
        key,
        value,
        hashes: Vec::new(),
    };
    let (new_child, grew) = loop {
        let s = item.slot_at(mem, level);
        let (bitmap, children) = node_children(node, &*mem).ok_or(MapError::BadMap)?;
        path.push((node, s));
        if bitmap & (1 << s) == 0 {
            if must_exist {
                return Err(MapError::BadKey);
            }
            break (mem.cons(key, value), true);
        }
        let child = children[child_index(bitmap, s)];
        if let Some((k, v)) = child.cons_parts(&*mem) {
            if exact_eq(k, key, &*mem) {
                if v == value && k == key {
                    return Ok(m);
                }
                // A trie takes the new key (`0.0` replaced by `-0.0`); a
                // flat map keeps the old one, as in BEAM.
                break (mem.cons(key, value), false);
            }
            if must_exist {
                return Err(MapError::BadKey);
            }
            let other = Item {
                key: k,
                value: v,
                hashes: Vec::new(),
            };
            let (bm, ch) = build_level(mem, vec![other, item], level + 1);
            break (write_node(mem, None, bm, &ch), true);
        }
        node = child;
        level += 1;
    };
    let size = if grew { n + 1 } else { n };
    Ok(rebuild_path(mem, &path, Some(new_child), size))
}

/// Copies the nodes on `path` (root first) bottom up, replacing the child
/// in the last node's slot with `child` (or removing it when `None`).
fn rebuild_path(
    mem: &mut ProcessMemory,
    path: &[(Term, u32)],
    child: Option<Term>,
    size: usize,
) -> Term {
    let mut child = child;
    for (depth, &(node, s)) in path.iter().enumerate().rev() {
        let (bitmap, children) = node_children(node, &*mem).unwrap_or((0, &[]));
        let mut ch = children.to_vec();
        let i = child_index(bitmap, s);
        let present = bitmap & (1 << s) != 0;
        let mut bm = bitmap;
        match (child, present) {
            (Some(c), true) => ch[i] = c,
            (Some(c), false) => {
                ch.insert(i, c);
                bm |= 1 << s;
            }
            (None, true) => {
                ch.remove(i);
                bm &= !(1 << s);
            }
            (None, false) => {}
        }
        if depth == 0 {
            return write_node(mem, Some(size), bm, &ch);
        }
        // An inner node left with one leaf is replaced by that leaf, and
        // an empty one disappears, so a trie stays canonical.
        child = match ch.as_slice() {
            [] => None,
            [only] if only.is_list() => Some(*only),
            _ => Some(write_node(mem, None, bm, &ch)),
        };
    }
    child.unwrap_or(Term::NIL)
}

fn flatmap_keys_tuple(m: Term, heap: &ProcessMemory) -> Term {
    m.payload_words(heap)
        .and_then(|(_, w)| w.first().copied())
        .map_or(Term::NIL, Term::from_raw)
}

/// A flat map sharing an existing keys tuple.
fn write_flatmap(mem: &mut ProcessMemory, keys: Term, values: &[Term]) -> Term {
    let header = Header::new(HeaderKind::FlatMap, 1 + values.len());
    let p = mem.alloc(header.object_words());
    // SAFETY: `alloc` returned `2 + values.len()` fresh words.
    unsafe {
        *p = header.to_word();
        *p.add(1) = keys.raw();
        std::ptr::copy_nonoverlapping(values.as_ptr() as *const u64, p.add(2), values.len());
    }
    Term::boxed_from_address(p as usize)
}

/// `maps:remove/2`: `None` if `m` is not a map. Removing an absent key
/// gives `m` back.
pub fn remove(mem: &mut ProcessMemory, m: Term, key: Term) -> Option<Term> {
    if let Some((keys, values)) = m.flatmap_view(&*mem) {
        let heap: &ProcessMemory = mem;
        let Ok(i) = keys.binary_search_by(|&k| compare_exact(k, key, heap)) else {
            return Some(m);
        };
        let mut k = keys.to_vec();
        let mut v = values.to_vec();
        k.remove(i);
        v.remove(i);
        return mem.flatmap(&k, &v);
    }
    let (n, _, _) = m.hashmap_head_view(&*mem)?;
    if get(m, key, &*mem).is_none() {
        return Some(m);
    }
    if n - 1 <= FLATMAP_LIMIT {
        let mut pairs: Vec<(Term, Term)> = to_vec(m, &*mem)
            .into_iter()
            .filter(|&(k, _)| !exact_eq(k, key, &*mem))
            .collect();
        let heap: &ProcessMemory = mem;
        pairs.sort_by(|a, b| compare_exact(a.0, b.0, heap));
        return Some(build_sorted(mem, pairs));
    }
    let mut path = Vec::new();
    let mut node = m;
    let mut level = 0u32;
    let mut item = Item {
        key,
        value: Term::NIL,
        hashes: Vec::new(),
    };
    loop {
        let s = item.slot_at(mem, level);
        let (bitmap, children) = node_children(node, &*mem)?;
        path.push((node, s));
        let child = children[child_index(bitmap, s)];
        if child.is_list() {
            break;
        }
        node = child;
        level += 1;
    }
    Some(rebuild_path(mem, &path, None, n - 1))
}

/// `maps:merge/2`: the keys of both, values from `b` where both have one.
pub fn merge(mem: &mut ProcessMemory, a: Term, b: Term) -> Result<Term, (MapError, Term)> {
    if !is_map(a, &*mem) {
        return Err((MapError::BadMap, a));
    }
    if !is_map(b, &*mem) {
        return Err((MapError::BadMap, b));
    }
    let mut pairs = to_vec(a, &*mem);
    pairs.extend(to_vec(b, &*mem));
    Ok(from_pairs(mem, &pairs))
}

/// `maps:to_list/1`: `[{K, V}]` in iteration order.
pub fn to_list(mem: &mut ProcessMemory, m: Term) -> Option<Term> {
    if !is_map(m, &*mem) {
        return None;
    }
    let pairs = to_vec(m, &*mem);
    let mut list = Term::NIL;
    for (k, v) in pairs.into_iter().rev() {
        let t = mem.tuple(&[k, v])?;
        list = mem.cons(t, list);
    }
    Some(list)
}

/// `maps:keys/1`.
pub fn keys(mem: &mut ProcessMemory, m: Term) -> Option<Term> {
    if !is_map(m, &*mem) {
        return None;
    }
    let k: Vec<Term> = to_vec(m, &*mem).into_iter().map(|p| p.0).collect();
    Some(mem.list(&k, Term::NIL))
}

/// `maps:values/1`.
pub fn values(mem: &mut ProcessMemory, m: Term) -> Option<Term> {
    if !is_map(m, &*mem) {
        return None;
    }
    let v: Vec<Term> = to_vec(m, &*mem).into_iter().map(|p| p.1).collect();
    Some(mem.list(&v, Term::NIL))
}

/// `maps:from_list/1` on an Erlang list of `{K, V}` tuples; `None` if the
/// argument is not such a proper list.
pub fn from_list(mem: &mut ProcessMemory, list: Term) -> Option<Term> {
    let mut pairs = Vec::new();
    let mut l = list;
    while let Some((h, t)) = l.cons_parts(&*mem) {
        match h.tuple_elements(&*mem) {
            Some(&[k, v]) => pairs.push((k, v)),
            _ => return None,
        }
        l = t;
    }
    if !l.is_nil() {
        return None;
    }
    Some(from_pairs(mem, &pairs))
}

/// The pairs in the order of `maps:iterator/1` and `maps:next/1` (and so
/// of `maps:fold/3`, which is built on them): a flat map's in key order, a
/// trie's in the reverse of [`to_vec`]'s order (children from the lowest
/// slot up). OTP 25 really does walk a large map one way for `maps:keys/1`
/// and `maps:to_list/1` and the other way for iterators.
pub fn iterator_order<H: HeapAccess + ?Sized>(m: Term, heap: &H) -> Vec<(Term, Term)> {
    let mut v = to_vec(m, heap);
    if m.hashmap_head_view(heap).is_some() {
        v.reverse();
    }
    v
}
