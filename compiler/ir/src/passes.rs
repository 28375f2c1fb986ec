//! The passes every lowered function goes through: drop unreachable
//! blocks, merge straight-line jumps, remove unused pure instructions,
//! number blocks and values in reading order, mark back edges (where
//! reduction checks go), and fill in the live sets.

use std::collections::HashMap;

use coral_syntax::ast::Span;

use crate::ir::*;
use crate::liveness;
use crate::lower::LowerError;

type RawBlock = (Vec<Value>, Vec<Inst>, Option<Terminator>, Option<BlockId>);

/// Builds a function from the lowering's blocks, keeping those reachable
/// from the entry. Every reachable block must be terminated.
pub(crate) fn assemble(
    blocks: Vec<RawBlock>,
    value_count: u32,
    span: Span,
) -> Result<Function, LowerError> {
    let mut f = Function {
        name: "".into(),
        arity: 0,
        env_len: 0,
        kind: FunKind::TopLevel,
        line: None,
        blocks: Vec::with_capacity(blocks.len()),
        value_count,
    };
    let mut missing = false;
    for (params, insts, term, handler) in blocks {
        let term = term.unwrap_or_else(|| {
            missing = true;
            Terminator::Return(Value(u32::MAX))
        });
        f.blocks.push(Block {
            params,
            insts,
            term,
            handler,
            loop_header: false,
            live_through: Vec::new(),
        });
    }
    // Unterminated blocks are only allowed where nothing reaches them.
    let reachable = reachable(&f);
    if missing
        && f.blocks
            .iter()
            .enumerate()
            .any(|(i, b)| reachable[i] && b.term == Terminator::Return(Value(u32::MAX)))
    {
        return Err(LowerError {
            message: "internal error: a reachable block has no terminator".into(),
            span,
        });
    }
    compact(&mut f);
    Ok(f)
}

fn reachable(f: &Function) -> Vec<bool> {
    let mut seen = vec![false; f.blocks.len()];
    for b in liveness::post_order(f) {
        seen[b.0 as usize] = true;
    }
    seen
}

/// Keeps reachable blocks only, numbered in reverse post-order.
fn compact(f: &mut Function) {
    let mut order = liveness::post_order(f);
    order.reverse();
    let mut map: HashMap<BlockId, BlockId> = HashMap::with_capacity(order.len());
    for (i, b) in order.iter().enumerate() {
        map.insert(*b, BlockId(i as u32));
    }
    let mut old: Vec<Option<Block>> = std::mem::take(&mut f.blocks)
        .into_iter()
        .map(Some)
        .collect();
    for b in &order {
        let Some(mut block) = old[b.0 as usize].take() else {
            continue;
        };
        remap_term(&mut block.term, &map);
        block.handler = block.handler.and_then(|h| map.get(&h).copied());
        f.blocks.push(block);
    }
}

fn remap_term(t: &mut Terminator, map: &HashMap<BlockId, BlockId>) {
    let m = |b: &mut BlockId| {
        if let Some(n) = map.get(b) {
            *b = *n;
        }
    };
    for c in t.block_calls_mut() {
        m(&mut c.block);
    }
    match t {
        Terminator::Guard { ok, .. } => m(ok),
        Terminator::Call { cont, .. } | Terminator::RecvWaitTimeout { cont, .. } => m(cont),
        Terminator::TryEnter { body, handler, .. } => {
            m(body);
            m(handler);
        }
        _ => {}
    }
}

/// Runs the clean-up passes and fills in the live sets.
pub(crate) fn finish(f: &mut Function) {
    merge_jumps(f);
    remove_dead_insts(f);
    compact(f);
    renumber_values(f);
    mark_back_edges(f);
    fill_live_sets(f);
}

fn pred_counts(f: &Function) -> Vec<usize> {
    let mut n = vec![0usize; f.blocks.len()];
    for b in &f.blocks {
        for s in b.term.successors() {
            n[s.0 as usize] += 1;
        }
    }
    n
}

/// Merges a block into its only predecessor when that predecessor ends in
/// a plain jump to it.
fn merge_jumps(f: &mut Function) {
    let preds = pred_counts(f);
    let mut subst: HashMap<Value, Value> = HashMap::new();
    let mut dead = vec![false; f.blocks.len()];
    for i in 0..f.blocks.len() {
        if dead[i] {
            continue;
        }
        loop {
            let target = match &f.blocks[i].term {
                Terminator::Jump {
                    target,
                    back_edge: false,
                } if target.block.0 != 0
                    && target.block.0 as usize != i
                    && preds[target.block.0 as usize] == 1 =>
                {
                    target.clone()
                }
                _ => break,
            };
            let t = target.block.0 as usize;
            let tb = std::mem::replace(
                &mut f.blocks[t],
                Block {
                    params: Vec::new(),
                    insts: Vec::new(),
                    term: Terminator::Return(Value(u32::MAX)),
                    handler: None,
                    loop_header: false,
                    live_through: Vec::new(),
                },
            );
            dead[t] = true;
            for (p, a) in tb.params.iter().zip(&target.args) {
                subst.insert(*p, *a);
            }
            let b = &mut f.blocks[i];
            b.insts.extend(tb.insts);
            b.term = tb.term;
            b.handler = tb.handler;
        }
    }
    if subst.is_empty() {
        return;
    }
    let resolve = |mut v: Value| {
        while let Some(n) = subst.get(&v) {
            v = *n;
        }
        v
    };
    for (i, b) in f.blocks.iter_mut().enumerate() {
        if dead[i] {
            continue;
        }
        for inst in &mut b.insts {
            inst.op.for_each_use_mut(|v| *v = resolve(*v));
        }
        b.term.for_each_use_mut(|v| *v = resolve(*v));
    }
}

/// Removes pure instructions whose results nobody uses.
fn remove_dead_insts(f: &mut Function) {
    loop {
        let mut used = vec![false; f.value_count as usize];
        let mut mark = |v: Value| {
            if let Some(u) = used.get_mut(v.0 as usize) {
                *u = true;
            }
        };
        for b in &f.blocks {
            for inst in &b.insts {
                inst.op.for_each_use(&mut mark);
            }
            b.term.for_each_use(&mut mark);
        }
        let mut removed = false;
        for b in &mut f.blocks {
            b.insts.retain(|inst| {
                let keep = !inst.op.is_pure()
                    || inst
                        .results
                        .iter()
                        .any(|r| used.get(r.0 as usize).copied().unwrap_or(true));
                removed |= !keep;
                keep
            });
        }
        if !removed {
            break;
        }
    }
}

/// Numbers values in the order they are defined, block by block.
fn renumber_values(f: &mut Function) {
    let mut map = vec![u32::MAX; f.value_count as usize];
    let mut next = 0u32;
    let mut def = |v: &mut Value| {
        if let Some(slot) = map.get_mut(v.0 as usize) {
            *slot = next;
        }
        *v = Value(next);
        next += 1;
    };
    for b in &mut f.blocks {
        b.params.iter_mut().for_each(&mut def);
        for inst in &mut b.insts {
            inst.results.iter_mut().for_each(&mut def);
        }
    }
    let use_ = |v: &mut Value| {
        if let Some(n) = map.get(v.0 as usize)
            && *n != u32::MAX
        {
            *v = Value(*n);
        }
    };
    for b in &mut f.blocks {
        for inst in &mut b.insts {
            inst.op.for_each_use_mut(use_);
        }
        b.term.for_each_use_mut(use_);
    }
    f.value_count = next;
}

/// Finds the back edges (jumps to a block still on the depth-first
/// stack), marks them and their targets. A back edge that is not a plain
/// jump gets a block of its own holding one, so the reduction check
/// always sits on a `jump`.
fn mark_back_edges(f: &mut Function) {
    let n = f.blocks.len();
    if n == 0 {
        return;
    }
    // 0 = unvisited, 1 = on stack, 2 = done.
    let mut state = vec![0u8; n];
    let mut back: Vec<(usize, usize)> = Vec::new();
    // Successors listed once per block, not at every step (see
    // `liveness::post_order`).
    let mut stack: Vec<(usize, Vec<BlockId>, usize)> = vec![(0, f.blocks[0].term.successors(), 0)];
    state[0] = 1;
    while let Some((b, succs, i)) = stack.pop() {
        if i < succs.len() {
            let s = succs[i].0 as usize;
            stack.push((b, succs, i + 1));
            match state[s] {
                0 => {
                    state[s] = 1;
                    stack.push((s, f.blocks[s].term.successors(), 0));
                }
                1 => back.push((b, s)),
                _ => {}
            }
        } else {
            state[b] = 2;
        }
    }
    for (b, s) in back {
        f.blocks[s].loop_header = true;
        let target = BlockId(s as u32);
        if let Terminator::Jump {
            target: t,
            back_edge,
        } = &mut f.blocks[b].term
            && t.block == target
        {
            *back_edge = true;
            continue;
        }
        // Split every edge from `b` to `s` carried by a block call.
        let handler = f.blocks[b].handler;
        let mut new_blocks = Vec::new();
        let base = f.blocks.len();
        for c in f.blocks[b].term.block_calls_mut() {
            if c.block == target {
                let id = BlockId((base + new_blocks.len()) as u32);
                let args = std::mem::take(&mut c.args);
                c.block = id;
                new_blocks.push(Block {
                    params: Vec::new(),
                    insts: Vec::new(),
                    term: Terminator::Jump {
                        target: BlockCall {
                            block: target,
                            args,
                        },
                        back_edge: true,
                    },
                    handler,
                    loop_header: false,
                    live_through: Vec::new(),
                });
            }
        }
        f.blocks.extend(new_blocks);
    }
}

fn fill_live_sets(f: &mut Function) {
    let l = liveness::compute(f);
    let (terms, through) = liveness::expected_sets(f, &l);
    for ((b, t), th) in f.blocks.iter_mut().zip(terms).zip(through) {
        if let (Some(live), Some(set)) = (b.term.live_mut(), t) {
            *live = set;
        }
        b.live_through = th;
    }
}
