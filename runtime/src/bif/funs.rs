//! `erlang:fun_info/1,2` and `erlang:fun_to_list/1`.

use super::{BifResult, Exception};
use crate::atom::{self, Atom};
use crate::heap::ProcessMemory;
use crate::term::Term;

fn named(text: &str) -> Result<Term, Exception> {
    Atom::intern(text)
        .map(Term::atom)
        .map_err(|_| Exception::system_limit())
}

/// The value of `fun_info(Fun, Item)`; `None` for an unknown item.
fn item(p: &mut ProcessMemory, fun: Term, item: &str) -> Result<Option<Term>, Exception> {
    if let Some((m, f, a)) = fun.export_view(p) {
        return Ok(Some(match item {
            "module" => Term::atom(m),
            "name" => Term::atom(f),
            "arity" => p.int(a as i64),
            "type" => named("external")?,
            "env" => Term::NIL,
            "pid" | "index" | "new_index" | "uniq" | "new_uniq" => Term::atom(atom::UNDEFINED),
            _ => return Ok(None),
        }));
    }
    let v = fun.fun_view(p).ok_or_else(Exception::badarg)?;
    let (entry, env) = (v.entry, v.env.to_vec());
    Ok(Some(match item {
        "module" => Term::atom(entry.module),
        "name" => Term::atom(entry.function),
        "arity" => p.int(entry.arity as i64),
        "type" => named("local")?,
        "env" => p.list(&env, Term::NIL),
        "index" | "new_index" => p.int(entry.index as i64),
        "uniq" => p.int(entry.old_uniq as i64),
        "new_uniq" => p.binary(&entry.uniq),
        // Funs do not record the process that made them.
        "pid" => Term::atom(atom::UNDEFINED),
        _ => return Ok(None),
    }))
}

/// `erlang:fun_info(Fun, Item)`: `{Item, Value}`.
pub(super) fn fun_info_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let name = a[1]
        .atom_value()
        .and_then(Atom::text)
        .ok_or_else(Exception::badarg)?;
    let v = item(p, a[0], name)?.ok_or_else(Exception::badarg)?;
    p.tuple(&[a[1], v]).ok_or_else(Exception::system_limit)
}

/// `erlang:fun_info(Fun)`: the items BEAM lists.
pub(super) fn fun_info_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let items: &[&str] = if a[0].export_view(p).is_some() {
        &["module", "name", "arity", "env", "type"]
    } else {
        &[
            "pid",
            "module",
            "new_index",
            "new_uniq",
            "index",
            "uniq",
            "name",
            "arity",
            "env",
            "type",
        ]
    };
    let mut pairs = Vec::with_capacity(items.len());
    for it in items {
        let v = item(p, a[0], it)?.ok_or_else(Exception::badarg)?;
        let k = named(it)?;
        pairs.push(p.tuple(&[k, v]).ok_or_else(Exception::system_limit)?);
    }
    Ok(p.list(&pairs, Term::NIL))
}

/// `erlang:fun_to_list(Fun)`: the fun as `erlang:display/1` writes it.
pub(super) fn fun_to_list_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if a[0].fun_view(p).is_none() && a[0].export_view(p).is_none() {
        return Err(Exception::badarg());
    }
    let text = crate::display::display(a[0], &*p);
    let text = String::from_utf8_lossy(&text).into_owned();
    let chars: Vec<Term> = text
        .trim_end()
        .chars()
        .map(|c| Term::small(c as i64).unwrap_or(Term::NIL))
        .collect();
    Ok(p.list(&chars, Term::NIL))
}
