//! The IR's text form: one instruction per line, blocks with their
//! parameters, live sets on calls, source lines as comments. Stable, so
//! that snapshot tests can compare it.

use std::fmt::Write;

use coral_syntax::print as syn;

use crate::ir::*;

/// Prints a whole module.
pub fn print(m: &Module) -> String {
    let mut out = String::new();
    out.push_str("module ");
    syn::atom(&mut out, &m.name);
    out.push('\n');
    out.push_str("exports [");
    for (i, (n, a)) in m.exports.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        syn::atom(&mut out, n);
        let _ = write!(out, "/{a}");
    }
    out.push_str("]\n");
    for (k, v) in &m.attributes {
        out.push_str("attribute ");
        syn::atom(&mut out, k);
        out.push_str(" = ");
        term(&mut out, v);
        out.push('\n');
    }
    for (i, l) in m.literals.iter().enumerate() {
        let _ = write!(out, "literal lit{i} = ");
        term(&mut out, l);
        out.push('\n');
    }
    for (i, f) in m.functions.iter().enumerate() {
        out.push('\n');
        function(&mut out, m, FuncId(i as u32), f);
    }
    out
}

fn fun_ref(out: &mut String, m: &Module, id: FuncId) {
    match m.functions.get(id.0 as usize) {
        Some(f) => {
            syn::atom(out, &f.name);
            let _ = write!(out, "/{}", f.arity);
        }
        None => {
            let _ = write!(out, "<bad function f{}>", id.0);
        }
    }
}

fn function(out: &mut String, m: &Module, id: FuncId, f: &Function) {
    let _ = write!(out, "function f{} ", id.0);
    syn::atom(out, &f.name);
    let _ = write!(out, "/{}", f.arity);
    if f.env_len > 0 {
        let _ = write!(out, " env {}", f.env_len);
    }
    out.push_str("  ; ");
    match &f.kind {
        FunKind::TopLevel => out.push_str("top-level"),
        FunKind::Lambda { parent, index } => {
            let _ = write!(out, "fun #{index} of ");
            syn::atom(out, &parent.0);
            let _ = write!(out, "/{}", parent.1);
        }
        FunKind::ConsLoop { parent } => {
            out.push_str("list-building loop of ");
            syn::atom(out, &parent.0);
            let _ = write!(out, "/{}", parent.1);
        }
        FunKind::Letrec {
            parent,
            local,
            index,
        } => {
            out.push_str("letrec ");
            syn::atom(out, &local.0);
            let _ = write!(out, "/{} #{index} of ", local.1);
            syn::atom(out, &parent.0);
            let _ = write!(out, "/{}", parent.1);
        }
    }
    if let Some(l) = f.line {
        let _ = write!(out, ", line {l}");
    }
    out.push('\n');
    for (i, b) in f.blocks.iter().enumerate() {
        let _ = write!(out, "block{i}(");
        values(out, &b.params);
        out.push_str("):");
        let mut notes = Vec::new();
        if b.loop_header {
            let mut s = String::from("loop header, live through [");
            values(&mut s, &b.live_through);
            s.push(']');
            notes.push(s);
        }
        if let Some(h) = b.handler {
            notes.push(format!("exceptions to block{}", h.0));
        }
        if !notes.is_empty() {
            let _ = write!(out, "  ; {}", notes.join("; "));
        }
        out.push('\n');
        for inst in &b.insts {
            out.push_str("    ");
            if !inst.results.is_empty() {
                values(out, &inst.results);
                out.push_str(" = ");
            }
            op(out, m, &inst.op);
            if let Some(l) = inst.line
                && inst.op.can_fail()
            {
                let _ = write!(out, "  ; line {l}");
            }
            out.push('\n');
        }
        out.push_str("    ");
        terminator(out, m, &b.term);
        out.push('\n');
    }
}

fn values(out: &mut String, vs: &[Value]) {
    for (i, v) in vs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "v{}", v.0);
    }
}

fn args(out: &mut String, vs: &[Value]) {
    out.push('(');
    values(out, vs);
    out.push(')');
}

fn konst(out: &mut String, m: &Module, c: &Const) {
    match c {
        Const::Atom(a) => syn::atom(out, a),
        Const::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Const::Nil => out.push_str("[]"),
        Const::Lit(id) => {
            let _ = write!(out, "lit{}", id.0);
            if let Some(t) = m.literals.get(id.0 as usize) {
                let mut s = String::new();
                term(&mut s, t);
                if s.chars().count() > 48 {
                    s = s.chars().take(45).collect::<String>() + "...";
                }
                let _ = write!(out, " {s}");
            }
        }
    }
}

fn spec(out: &mut String, s: &SegSpec) {
    match &s.size {
        SegSize::Fixed(n) => {
            let _ = write!(out, ":{n}");
        }
        SegSize::Dynamic(v) => {
            let _ = write!(out, ":v{}", v.0);
        }
        SegSize::All => out.push_str(":all"),
        SegSize::Implicit => {}
    }
    out.push('/');
    out.push_str(match s.kind {
        SegKind::Integer => "integer",
        SegKind::Float => "float",
        SegKind::Binary => "binary",
        SegKind::Utf8 => "utf8",
        SegKind::Utf16 => "utf16",
        SegKind::Utf32 => "utf32",
    });
    if s.signed {
        out.push_str("-signed");
    }
    out.push_str(match s.endian {
        Endian::Big => "",
        Endian::Little => "-little",
        Endian::Native => "-native",
    });
    let _ = write!(out, "-unit:{}", s.unit);
}

fn op(out: &mut String, m: &Module, o: &Op) {
    match o {
        Op::Const(c) => {
            out.push_str("const ");
            konst(out, m, c);
        }
        Op::Tuple(vs) => {
            out.push_str("tuple ");
            args(out, vs);
        }
        Op::Cons(h, t) => {
            let _ = write!(out, "cons v{}, v{}", h.0, t.0);
        }
        Op::ConsHole(h) => {
            let _ = write!(out, "cons_hole v{}", h.0);
        }
        Op::SetTail(c, t) => {
            let _ = write!(out, "set_tail v{}, v{}", c.0, t.0);
        }
        Op::GetElement { tuple, index } => {
            let _ = write!(out, "get_element v{}, {index}", tuple.0);
        }
        Op::GetHd(v) => {
            let _ = write!(out, "get_hd v{}", v.0);
        }
        Op::GetTl(v) => {
            let _ = write!(out, "get_tl v{}", v.0);
        }
        Op::MakeFun { func, env } => {
            out.push_str("make_fun ");
            fun_ref(out, m, *func);
            out.push(' ');
            args(out, env);
        }
        Op::ExportFun {
            module,
            name,
            arity,
        } => {
            out.push_str("export_fun ");
            syn::atom(out, module);
            out.push(':');
            syn::atom(out, name);
            let _ = write!(out, "/{arity}");
        }
        Op::Bif { name, args: a } => {
            out.push_str("bif 'erlang':");
            syn::atom(out, name);
            let _ = write!(out, "/{} ", a.len());
            args(out, a);
        }
        Op::BinBuild { segs } => {
            out.push_str("bin_build [");
            for (i, (v, s)) in segs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "v{}", v.0);
                spec(out, s);
            }
            out.push(']');
        }
        Op::MapPut { map, pairs } => {
            match map {
                Some(v) => {
                    let _ = write!(out, "map_put v{} [", v.0);
                }
                None => out.push_str("map_new ["),
            }
            for (i, (o, k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let arrow = match o {
                    MapOp::Assoc => "=>",
                    MapOp::Exact => ":=",
                };
                let _ = write!(out, "v{} {arrow} v{}", k.0, v.0);
            }
            out.push(']');
        }
        Op::RecvPeekMessage => out.push_str("recv_peek_message"),
        Op::RecvNext => out.push_str("recv_next"),
        Op::RemoveMessage => out.push_str("remove_message"),
        Op::Timeout => out.push_str("timeout"),
        Op::BuildStacktrace(v) => {
            let _ = write!(out, "build_stacktrace v{}", v.0);
        }
        Op::BsInitWritable(v) => {
            let _ = write!(out, "bs_init_writable v{}", v.0);
        }
        Op::NifStart => out.push_str("nif_start"),
        Op::TryExit => out.push_str("try_exit"),
        Op::BsStartMatch(v) => {
            let _ = write!(out, "bs_start_match v{}", v.0);
        }
        Op::BsGet { ctx, spec: s } => {
            let _ = write!(out, "bs_get v{} ", ctx.0);
            spec(out, s);
        }
        Op::BsTestTail { ctx } => {
            let _ = write!(out, "bs_test_tail v{}", ctx.0);
        }
        Op::MapGet { map, key } => {
            let _ = write!(out, "map_get v{}, v{}", map.0, key.0);
        }
    }
}

fn call(out: &mut String, c: &BlockCall) {
    let _ = write!(out, "block{}", c.block.0);
    args(out, &c.args);
}

fn callee(out: &mut String, m: &Module, prefix: &str, c: &Callee, a: &[Value]) {
    match c {
        Callee::Local(id) => {
            let _ = write!(out, "{prefix}_local ");
            fun_ref(out, m, *id);
        }
        Callee::Remote {
            module,
            name,
            arity,
        } => {
            let _ = write!(out, "{prefix}_remote ");
            syn::atom(out, module);
            out.push(':');
            syn::atom(out, name);
            let _ = write!(out, "/{arity}");
        }
        Callee::Fun(v) => {
            let _ = write!(out, "{prefix}_fun v{}", v.0);
        }
        Callee::Apply { module, name } => {
            let _ = write!(out, "{prefix}_apply v{}:v{}", module.0, name.0);
        }
    }
    out.push(' ');
    args(out, a);
}

fn line(out: &mut String, l: &Option<u32>) {
    if let Some(l) = l {
        let _ = write!(out, "  ; line {l}");
    }
}

fn live(out: &mut String, vs: &[Value]) {
    out.push_str(" live [");
    values(out, vs);
    out.push(']');
}

fn terminator(out: &mut String, m: &Module, t: &Terminator) {
    match t {
        Terminator::Jump { target, back_edge } => {
            out.push_str("jump ");
            call(out, target);
            if *back_edge {
                out.push_str("  ; back edge: reduction check");
            }
        }
        Terminator::Branch { cond, then, else_ } => {
            out.push_str("branch ");
            match cond {
                Cond::IsTuple(v) => {
                    let _ = write!(out, "is_tuple v{}", v.0);
                }
                Cond::IsCons(v) => {
                    let _ = write!(out, "is_cons v{}", v.0);
                }
                Cond::IsMap(v) => {
                    let _ = write!(out, "is_map v{}", v.0);
                }
                Cond::IsBitstring(v) => {
                    let _ = write!(out, "is_bitstring v{}", v.0);
                }
                Cond::EqExact(a, b) => {
                    let _ = write!(out, "v{} =:= v{}", a.0, b.0);
                }
                Cond::IsTrue(v) => {
                    let _ = write!(out, "is_true v{}", v.0);
                }
            }
            out.push_str(", ");
            call(out, then);
            out.push_str(", else ");
            call(out, else_);
        }
        Terminator::Switch {
            arg,
            cases,
            default,
        } => {
            let _ = write!(out, "switch v{} [", arg.0);
            for (i, (k, c)) in cases.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                konst(out, m, k);
                out.push_str(" -> ");
                call(out, c);
            }
            out.push_str("], else ");
            call(out, default);
        }
        Terminator::SwitchArity {
            arg,
            cases,
            default,
        } => {
            let _ = write!(out, "switch_arity v{} [", arg.0);
            for (i, (k, c)) in cases.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{k} -> ");
                call(out, c);
            }
            out.push_str("], else ");
            call(out, default);
        }
        Terminator::Guard { op: o, ok, fail } => {
            out.push_str("guard ");
            op(out, m, o);
            let _ = write!(out, " -> block{}, fail ", ok.0);
            call(out, fail);
        }
        Terminator::Return(v) => {
            let _ = write!(out, "return v{}", v.0);
        }
        Terminator::TailCall {
            callee: c,
            args: a,
            line: l,
        } => {
            callee(out, m, "tail_call", c, a);
            line(out, l);
        }
        Terminator::Call {
            callee: c,
            args: a,
            cont,
            live: lv,
            line: l,
        } => {
            callee(out, m, "call", c, a);
            let _ = write!(out, " -> block{}", cont.0);
            live(out, lv);
            line(out, l);
        }
        Terminator::TryEnter {
            kind,
            body,
            handler,
            live: lv,
        } => {
            let k = match kind {
                TryKind::Try => "try_enter",
                TryKind::Catch => "catch_enter",
            };
            let _ = write!(out, "{k} block{}, handler block{}", body.0, handler.0);
            live(out, lv);
        }
        Terminator::RecvWaitTimeout {
            timeout,
            cont,
            live: lv,
            line: l,
        } => {
            let _ = write!(out, "recv_wait_timeout v{} -> block{}", timeout.0, cont.0);
            live(out, lv);
            line(out, l);
        }
        Terminator::MatchFail { reason, line: l } => {
            let _ = write!(out, "match_fail v{}", reason.0);
            line(out, l);
        }
        Terminator::Raise {
            trace,
            reason,
            line: l,
        } => {
            let _ = write!(out, "raise v{}, v{}", trace.0, reason.0);
            line(out, l);
        }
        Terminator::RawRaise {
            class,
            reason,
            trace,
            line: l,
        } => {
            let _ = write!(out, "raw_raise v{}, v{}, v{}", class.0, reason.0, trace.0);
            line(out, l);
        }
        Terminator::Unreachable => out.push_str("unreachable"),
    }
}

/// Prints a term in Erlang syntax; lists of printable characters print
/// as strings.
pub fn term(out: &mut String, t: &Term) {
    match t {
        Term::Atom(a) => syn::atom(out, a),
        Term::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Term::Float(bits) => syn::float(out, f64::from_bits(*bits)),
        Term::Nil => out.push_str("[]"),
        Term::Tuple(es) => {
            out.push('{');
            for (i, e) in es.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                term(out, e);
            }
            out.push('}');
        }
        Term::List(es, tail) => {
            let printable = **tail == Term::Nil
                && es.iter().all(|e| {
                    matches!(e, Term::Int(coral_syntax::ast::Int::Small(c))
                        if (32..127).contains(c) && *c != 34 && *c != 92)
                });
            if printable {
                out.push('"');
                for e in es {
                    if let Term::Int(coral_syntax::ast::Int::Small(c)) = e {
                        out.push(*c as u8 as char);
                    }
                }
                out.push('"');
                return;
            }
            out.push('[');
            for (i, e) in es.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                term(out, e);
            }
            if **tail != Term::Nil {
                out.push('|');
                term(out, tail);
            }
            out.push(']');
        }
        Term::Binary { bytes, bits } => {
            out.push_str("<<");
            let full = (*bits / 8) as usize;
            for (i, b) in bytes.iter().take(full).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{b}");
            }
            let rest = bits % 8;
            if rest > 0 {
                if full > 0 {
                    out.push(',');
                }
                let last = bytes.get(full).copied().unwrap_or(0) >> (8 - rest);
                let _ = write!(out, "{last}:{rest}");
            }
            out.push_str(">>");
        }
        Term::Map(pairs) => {
            out.push_str("#{");
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                term(out, k);
                out.push_str(" => ");
                term(out, v);
            }
            out.push('}');
        }
    }
}
