//! Liveness of SSA values over a function's blocks, the source of the live
//! sets that calls, waits, catch frames and loop headers carry.
//!
//! A value is live out of a block if a successor needs it on entry (other
//! than as that successor's own parameter), or if the block ends inside a
//! `try` whose handler needs it: an exception unwinds to the handler's
//! frame, so the handler's inputs must stay in the frame throughout the
//! protected region. Sets are sorted vectors: functions can have tens of
//! thousands of values and blocks, and most sets are small.

use crate::ir::*;

/// Live-in and live-out sets of every block, each sorted.
pub struct Liveness {
    pub live_in: Vec<Vec<Value>>,
    pub live_out: Vec<Vec<Value>>,
}

/// `dst ∪= src \ exclude`; whether `dst` grew. All sorted.
fn union_into(dst: &mut Vec<Value>, src: &[Value], exclude: &[Value]) -> bool {
    let add: Vec<Value> = src
        .iter()
        .copied()
        .filter(|v| exclude.binary_search(v).is_err() && dst.binary_search(v).is_err())
        .collect();
    if add.is_empty() {
        return false;
    }
    dst.extend(add);
    dst.sort_unstable();
    true
}

fn sorted(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_unstable();
    v.dedup();
    v
}

/// Blocks in post-order from the entry (only reachable ones).
pub fn post_order(f: &Function) -> Vec<BlockId> {
    let n = f.blocks.len();
    let mut seen = vec![false; n];
    let mut out = Vec::with_capacity(n);
    if n == 0 {
        return out;
    }
    // Each block's successors are listed once (a switch may have
    // thousands), not at every step of the walk.
    let mut stack: Vec<(BlockId, Vec<BlockId>, usize)> =
        vec![(BlockId(0), f.block(BlockId(0)).term.successors(), 0)];
    seen[0] = true;
    while let Some((b, succs, i)) = stack.pop() {
        if i < succs.len() {
            let s = succs[i];
            stack.push((b, succs, i + 1));
            if (s.0 as usize) < n && !seen[s.0 as usize] {
                seen[s.0 as usize] = true;
                stack.push((s, f.block(s).term.successors(), 0));
            }
        } else {
            out.push(b);
        }
    }
    out
}

/// Computes liveness for `f`.
pub fn compute(f: &Function) -> Liveness {
    let n = f.blocks.len();
    // Where each value is defined. A block's live-in never holds its own
    // parameters or results, so successors need no exclusion.
    let mut def_block = vec![u32::MAX; f.value_count as usize];
    for (i, b) in f.blocks.iter().enumerate() {
        let defs = b
            .params
            .iter()
            .chain(b.insts.iter().flat_map(|x| x.results.iter()));
        for v in defs {
            if let Some(slot) = def_block.get_mut(v.0 as usize) {
                *slot = i as u32;
            }
        }
    }
    let defined_in = |v: Value, b: usize| def_block.get(v.0 as usize) == Some(&(b as u32));
    let mut live_in: Vec<Vec<Value>> = Vec::with_capacity(n);
    for (i, b) in f.blocks.iter().enumerate() {
        let mut g: Vec<Value> = Vec::new();
        for inst in &b.insts {
            inst.op.for_each_use(|v| {
                if !defined_in(v, i) {
                    g.push(v);
                }
            });
        }
        b.term.for_each_use(|v| {
            if !defined_in(v, i) {
                g.push(v);
            }
        });
        live_in.push(sorted(g));
    }
    let mut live_out: Vec<Vec<Value>> = vec![Vec::new(); n];
    let order = post_order(f);
    loop {
        let mut changed = false;
        for &b in &order {
            let bi = b.0 as usize;
            let mut out = std::mem::take(&mut live_out[bi]);
            for s in f.blocks[bi].term.successors() {
                if let Some(set) = live_in.get(s.0 as usize) {
                    union_into(&mut out, set, &[]);
                }
            }
            if let Some(h) = f.blocks[bi].handler
                && let Some(set) = live_in.get(h.0 as usize)
            {
                union_into(&mut out, set, &[]);
            }
            let add: Vec<Value> = out
                .iter()
                .copied()
                .filter(|v| !defined_in(*v, bi))
                .collect();
            if union_into(&mut live_in[bi], &add, &[]) {
                changed = true;
            }
            live_out[bi] = out;
        }
        if !changed {
            break;
        }
    }
    Liveness { live_in, live_out }
}

/// The live sets the terminators and loop headers of `f` should carry,
/// as (block, set) pairs: for calls and waits the values live after them,
/// for `try_enter` the values its handler needs, and for loop headers the
/// values live through them.
pub fn expected_sets(f: &Function, l: &Liveness) -> (Vec<Option<Vec<Value>>>, Vec<Vec<Value>>) {
    let mut term_sets = Vec::with_capacity(f.blocks.len());
    let mut through = Vec::with_capacity(f.blocks.len());
    for (i, b) in f.blocks.iter().enumerate() {
        let set = match &b.term {
            Terminator::Call { .. } | Terminator::RecvWaitTimeout { .. } => {
                Some(l.live_out[i].clone())
            }
            Terminator::TryEnter { handler, .. } => {
                let h = handler.0 as usize;
                let params = sorted(
                    f.blocks
                        .get(h)
                        .map(|b| b.params.clone())
                        .unwrap_or_default(),
                );
                Some(
                    l.live_in
                        .get(h)
                        .map(|s| {
                            s.iter()
                                .copied()
                                .filter(|v| params.binary_search(v).is_err())
                                .collect()
                        })
                        .unwrap_or_default(),
                )
            }
            _ => None,
        };
        term_sets.push(set);
        let t = if b.loop_header {
            let params = sorted(b.params.clone());
            l.live_in[i]
                .iter()
                .copied()
                .filter(|v| params.binary_search(v).is_err())
                .collect()
        } else {
            Vec::new()
        };
        through.push(t);
    }
    (term_sets, through)
}
