//! The loaded modules: what `module_info/0,1` and
//! `erlang:function_exported/3` answer from.
//!
//! A program's code is compiled ahead of time, so the table is filled once
//! at start-up (by the JIT or from a native executable's image) and only
//! read afterwards.

use crate::atom::{self, Atom};
use crate::bif::{BifResult, Exception};
use crate::heap::ProcessMemory;
use crate::term::Term;
use std::collections::HashMap;
use std::sync::RwLock;

/// What is known of a loaded module.
#[derive(Clone, Debug, Default)]
pub struct ModuleInfo {
    /// Exported functions, in the module's order.
    pub exports: Vec<(Atom, u32)>,
    /// Every function, in erl's order: the module's, then those made for
    /// funs and comprehensions.
    pub functions: Vec<(Atom, u32)>,
    /// The `attributes` list (`[{Key, Value}]`, without `file`) in the
    /// external term format.
    pub attributes: Vec<u8>,
}

static MODULES: RwLock<Option<HashMap<Atom, ModuleInfo>>> = RwLock::new(None);

/// Records `module` as loaded.
pub fn register(module: Atom, info: ModuleInfo) {
    MODULES
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(module, info);
}

fn info(module: Atom) -> Option<ModuleInfo> {
    MODULES
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()?
        .get(&module)
        .cloned()
}

/// `erlang:module_loaded(Module)`.
pub(crate) fn module_loaded_1(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let m = a[0].atom_value().ok_or_else(Exception::badarg)?;
    Ok(Term::boolean(info(m).is_some()))
}

/// `erlang:loaded()`: every loaded module.
pub(crate) fn loaded_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    let names: Vec<Term> = MODULES
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .map(|t| t.keys().map(|&a| Term::atom(a)).collect())
        .unwrap_or_default();
    Ok(m.list(&names, Term::NIL))
}

fn named(text: &str) -> Term {
    Term::atom(Atom::intern(text).unwrap_or(atom::UNDEFINED))
}

fn item(m: &mut ProcessMemory, module: Atom, info: &ModuleInfo, key: &str) -> Option<Term> {
    Some(match key {
        "module" => Term::atom(module),
        "exports" | "functions" => {
            let list = if key == "exports" {
                &info.exports
            } else {
                &info.functions
            };
            let mut pairs = Vec::with_capacity(list.len());
            for &(f, a) in list {
                let ar = m.int(a as i64);
                pairs.push(m.tuple(&[Term::atom(f), ar]).unwrap_or(Term::NIL));
            }
            m.list(&pairs, Term::NIL)
        }
        "attributes" => crate::etf::binary_to_term(m, &info.attributes).unwrap_or(Term::NIL),
        // Compiled ahead of time from Core Erlang: no compiler options or
        // beam checksum to report.
        "compile" => Term::NIL,
        _ => return None,
    })
}

/// `erlang:get_module_info(Module)`, behind `Module:module_info()`.
pub(crate) fn get_module_info_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let module = a[0].atom_value().ok_or_else(Exception::badarg)?;
    let info = info(module).ok_or_else(Exception::badarg)?;
    let mut pairs = Vec::new();
    for key in ["module", "exports", "attributes", "compile"] {
        let v = item(m, module, &info, key).unwrap_or(Term::NIL);
        pairs.push(m.tuple(&[named(key), v]).unwrap_or(Term::NIL));
    }
    Ok(m.list(&pairs, Term::NIL))
}

/// `erlang:get_module_info(Module, Key)`, behind `Module:module_info(Key)`.
pub(crate) fn get_module_info_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let module = a[0].atom_value().ok_or_else(Exception::badarg)?;
    let key = a[1]
        .atom_value()
        .and_then(Atom::text)
        .ok_or_else(Exception::badarg)?;
    let info = info(module).ok_or_else(Exception::badarg)?;
    item(m, module, &info, key).ok_or_else(Exception::badarg)
}

/// `erlang:function_exported(Module, Function, Arity)`: a loaded module's
/// export, or a BIF.
pub(crate) fn function_exported_3(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let (Some(md), Some(f), Some(ar)) = (a[0].atom_value(), a[1].atom_value(), a[2].small_value())
    else {
        return Err(Exception::badarg());
    };
    let Ok(ar) = u32::try_from(ar) else {
        return Err(Exception::badarg());
    };
    let exported = crate::jit_support::lookup_export(md, f, ar).is_some()
        || matches!((md.text(), f.text()), (Some(mt), Some(ft))
            if crate::bif::index_of(mt, ft, ar as usize).is_some());
    Ok(Term::boolean(exported))
}
