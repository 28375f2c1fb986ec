//! Checks the IR's invariants: what code generation relies on. Every value
//! is defined once and before each use on every path (dominance); every
//! reference to a block, function or literal exists; block arguments match
//! parameters; operations have their result counts; matching operations
//! appear only where they can fail to a block; and the live sets and loop
//! headers are exactly what liveness gives.

use crate::ir::*;
use crate::liveness;

/// Verifies a module; the errors name the function and block.
pub fn verify(m: &Module) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    for (i, f) in m.functions.iter().enumerate() {
        let mut e = Vec::new();
        function(m, f, &mut e);
        for msg in e {
            errors.push(format!("f{i} {}/{}: {msg}", f.name, f.arity));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn function(m: &Module, f: &Function, errors: &mut Vec<String>) {
    let n = f.blocks.len();
    if n == 0 {
        errors.push("no blocks".into());
        return;
    }
    if f.blocks[0].params.len() != (f.arity + f.env_len) as usize {
        errors.push(format!(
            "entry block has {} parameters, expected arity {} + environment {}",
            f.blocks[0].params.len(),
            f.arity,
            f.env_len
        ));
    }
    // Definitions: where and at which position (params are position 0,
    // the results of instruction k are at k + 1).
    let mut def: Vec<Option<(usize, usize)>> = vec![None; f.value_count as usize];
    let mut define = |v: Value, b: usize, pos: usize, errors: &mut Vec<String>| match def
        .get_mut(v.0 as usize)
    {
        None => errors.push(format!(
            "v{} is beyond the value count {}",
            v.0, f.value_count
        )),
        Some(Some(_)) => errors.push(format!("v{} is defined twice", v.0)),
        Some(slot) => *slot = Some((b, pos)),
    };
    for (bi, b) in f.blocks.iter().enumerate() {
        for p in &b.params {
            define(*p, bi, 0, errors);
        }
        for (k, inst) in b.insts.iter().enumerate() {
            for r in &inst.results {
                define(*r, bi, k + 1, errors);
            }
        }
    }
    let block_ok = |b: BlockId| (b.0 as usize) < n;
    let params = |b: BlockId| {
        f.blocks
            .get(b.0 as usize)
            .map(|b| b.params.len())
            .unwrap_or(0)
    };
    let mut preds = vec![0usize; n];
    for (bi, b) in f.blocks.iter().enumerate() {
        let here = format!("block{bi}");
        for inst in &b.insts {
            if inst.results.len() != inst.op.result_count() {
                errors.push(format!(
                    "{here}: {:?} has {} results",
                    inst.op,
                    inst.results.len()
                ));
            }
            if inst.op.only_in_guard() {
                errors.push(format!("{here}: {:?} outside a guard terminator", inst.op));
            }
            op_refs(m, &inst.op, &here, errors);
        }
        for s in b.term.successors() {
            if !block_ok(s) {
                errors.push(format!("{here}: jumps to missing block{}", s.0));
            } else {
                preds[s.0 as usize] += 1;
            }
        }
        if let Some(h) = b.handler
            && !block_ok(h)
        {
            errors.push(format!("{here}: handler block{} is missing", h.0));
        }
        for c in b.term.block_calls() {
            if block_ok(c.block) && c.args.len() != params(c.block) {
                errors.push(format!(
                    "{here}: passes {} argument(s) to block{}, which has {} parameter(s)",
                    c.args.len(),
                    c.block.0,
                    params(c.block)
                ));
            }
        }
        match &b.term {
            Terminator::Guard { op, ok, .. } => {
                if !op.can_fail() {
                    errors.push(format!("{here}: guard on {op:?}, which cannot fail"));
                }
                if block_ok(*ok) && params(*ok) != op.result_count() {
                    errors.push(format!(
                        "{here}: guard result count differs from block{}",
                        ok.0
                    ));
                }
                op_refs(m, op, &here, errors);
            }
            Terminator::Call { cont, .. } | Terminator::RecvWaitTimeout { cont, .. }
                if block_ok(*cont) && params(*cont) != 1 =>
            {
                errors.push(format!(
                    "{here}: continuation block{} must take one value",
                    cont.0
                ));
            }
            Terminator::TryEnter { body, handler, .. } => {
                if block_ok(*body) && params(*body) != 0 {
                    errors.push(format!("{here}: try body block{} takes parameters", body.0));
                }
                if block_ok(*handler) && params(*handler) != 3 {
                    errors.push(format!(
                        "{here}: handler block{} must take 3 values",
                        handler.0
                    ));
                }
            }
            _ => {}
        }
        if let Terminator::Call { callee, args, .. } | Terminator::TailCall { callee, args, .. } =
            &b.term
            && let Callee::Local(id) = callee
        {
            match m.functions.get(id.0 as usize) {
                None => errors.push(format!("{here}: calls missing function f{}", id.0)),
                Some(g) if (g.arity + g.env_len) as usize != args.len() => errors.push(format!(
                    "{here}: calls f{} with {} argument(s), it takes {}",
                    id.0,
                    args.len(),
                    g.arity + g.env_len
                )),
                _ => {}
            }
        }
        if let Terminator::Switch { cases, .. } = &b.term {
            for (i, (k, _)) in cases.iter().enumerate() {
                if cases[..i].iter().any(|(k2, _)| k2 == k) {
                    errors.push(format!("{here}: switch repeats a case"));
                }
                if let Const::Lit(id) = k
                    && (id.0 as usize) >= m.literals.len()
                {
                    errors.push(format!("{here}: missing literal lit{}", id.0));
                }
            }
        }
    }
    if preds[0] != 0 {
        errors.push("the entry block is a jump target".into());
    }
    if !errors.is_empty() {
        return;
    }

    // Dominance.
    let idom = dominators(f);
    let dominates = |a: usize, mut b: usize| -> bool {
        loop {
            if a == b {
                return true;
            }
            match idom[b] {
                Some(p) if p != b => b = p,
                _ => return false,
            }
        }
    };
    for (bi, b) in f.blocks.iter().enumerate() {
        if idom[bi].is_none() {
            errors.push(format!("block{bi} is unreachable"));
            continue;
        }
        let check = |v: Value, pos: usize, errors: &mut Vec<String>| match def
            .get(v.0 as usize)
            .copied()
            .flatten()
        {
            None => errors.push(format!("block{bi}: v{} is used but never defined", v.0)),
            Some((db, dpos)) => {
                let ok = if db == bi {
                    dpos < pos
                } else {
                    dominates(db, bi)
                };
                if !ok {
                    errors.push(format!(
                        "block{bi}: v{} is used where its definition does not dominate",
                        v.0
                    ));
                }
            }
        };
        for (k, inst) in b.insts.iter().enumerate() {
            inst.op.for_each_use(|v| check(v, k + 1, errors));
        }
        let end = b.insts.len() + 1;
        b.term.for_each_use(|v| check(v, end, errors));
        if let Some(live) = b.term.live() {
            for v in live {
                check(*v, end, errors);
            }
        }
    }
    if !errors.is_empty() {
        return;
    }

    // Live sets and loop headers.
    let l = liveness::compute(f);
    let (terms, through) = liveness::expected_sets(f, &l);
    for (bi, b) in f.blocks.iter().enumerate() {
        if let (Some(have), Some(want)) = (b.term.live(), &terms[bi]) {
            let mut have = have.clone();
            have.sort_unstable();
            if &have != want {
                errors.push(format!(
                    "block{bi}: live set {have:?} differs from liveness {want:?}"
                ));
            }
        }
        if b.live_through != through[bi] {
            errors.push(format!(
                "block{bi}: live-through set {:?} differs from liveness {:?}",
                b.live_through, through[bi]
            ));
        }
    }
    // Every back edge is a marked jump to a loop header.
    for (bi, b) in f.blocks.iter().enumerate() {
        for s in b.term.successors() {
            let si = s.0 as usize;
            if dominates(si, bi) {
                if !f.blocks[si].loop_header {
                    errors.push(format!(
                        "block{bi}: back edge to block{si}, not a loop header"
                    ));
                }
                let marked = matches!(
                    &b.term,
                    Terminator::Jump {
                        back_edge: true,
                        ..
                    }
                );
                if !marked && b.term.block_calls().iter().any(|c| c.block == s) {
                    errors.push(format!("block{bi}: unmarked back edge to block{si}"));
                }
            }
        }
        if let Terminator::Jump {
            target,
            back_edge: true,
        } = &b.term
            && !f.blocks[target.block.0 as usize].loop_header
        {
            errors.push(format!(
                "block{bi}: back edge to block{}, not a loop header",
                target.block.0
            ));
        }
    }
}

fn op_refs(m: &Module, op: &Op, here: &str, errors: &mut Vec<String>) {
    match op {
        Op::Const(Const::Lit(id)) if (id.0 as usize) >= m.literals.len() => {
            errors.push(format!("{here}: missing literal lit{}", id.0))
        }
        Op::Const(Const::Int(i)) if !(SMALL_INT_MIN..=SMALL_INT_MAX).contains(i) => {
            errors.push(format!("{here}: immediate integer {i} out of range"))
        }
        Op::MakeFun { func, env } => match m.functions.get(func.0 as usize) {
            None => errors.push(format!("{here}: make_fun of missing function f{}", func.0)),
            Some(g) if g.env_len as usize != env.len() => errors.push(format!(
                "{here}: make_fun of f{} captures {} value(s), it takes {}",
                func.0,
                env.len(),
                g.env_len
            )),
            _ => {}
        },
        _ => {}
    }
}

/// Immediate dominators (Cooper, Harvey and Kennedy's iterative method);
/// `None` for unreachable blocks, the entry is its own.
fn dominators(f: &Function) -> Vec<Option<usize>> {
    let n = f.blocks.len();
    let po = liveness::post_order(f);
    let mut po_num = vec![usize::MAX; n];
    for (i, b) in po.iter().enumerate() {
        po_num[b.0 as usize] = i;
    }
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (bi, b) in f.blocks.iter().enumerate() {
        for s in b.term.successors() {
            preds[s.0 as usize].push(bi);
        }
    }
    let mut idom: Vec<Option<usize>> = vec![None; n];
    idom[0] = Some(0);
    let intersect = |idom: &Vec<Option<usize>>, mut a: usize, mut b: usize| {
        while a != b {
            while po_num[a] < po_num[b] {
                a = idom[a].unwrap_or(0);
            }
            while po_num[b] < po_num[a] {
                b = idom[b].unwrap_or(0);
            }
        }
        a
    };
    let mut changed = true;
    while changed {
        changed = false;
        for &b in po.iter().rev() {
            let b = b.0 as usize;
            if b == 0 {
                continue;
            }
            let mut new: Option<usize> = None;
            for &p in &preds[b] {
                if idom[p].is_some() {
                    new = Some(match new {
                        None => p,
                        Some(x) => intersect(&idom, p, x),
                    });
                }
            }
            if new.is_some() && idom[b] != new {
                idom[b] = new;
                changed = true;
            }
        }
    }
    idom
}
