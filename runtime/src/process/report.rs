//! Error reports for processes that die of an uncaught exception, written to
//! standard error (standard output stays the program's own).
//!
//! The text follows BEAM's `Error in process <0.N.0> with exit value:` report.
//! Terms are printed by the runtime's term printer when one is installed
//! (`sched::set_term_printer`), else by the plain `~w`-like printer here,
//! which covers every term kind but does not wrap lines as `~p` does.

use crate::heap::ProcessMemory;
use crate::term::{HeapAccess, Term, TermKind};

/// A function that prints a term of a process heap.
pub type TermPrinter = fn(Term, &ProcessMemory) -> String;

/// Prints `t` in Erlang's `~w` syntax, without line breaks.
pub fn plain_print<H: HeapAccess + ?Sized>(t: Term, heap: &H) -> String {
    let mut out = String::new();
    print(t, heap, &mut out, 0);
    out
}

fn quote_atom(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@');
    if plain {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

fn print<H: HeapAccess + ?Sized>(t: Term, heap: &H, out: &mut String, depth: usize) {
    if depth > 200 {
        out.push_str("...");
        return;
    }
    match t.kind(heap) {
        TermKind::Atom => {
            let name = t.atom_value().and_then(|a| a.text()).unwrap_or("");
            out.push_str(&quote_atom(name));
        }
        TermKind::Small | TermKind::BigInt => match t.integer_value(heap) {
            Some(v) => out.push_str(&v.to_string()),
            None => out.push('?'),
        },
        TermKind::Float => {
            let f = t.float_value(heap).unwrap_or(0.0);
            out.push_str(&format!("{f:e}"));
        }
        TermKind::Nil => out.push_str("[]"),
        TermKind::LocalPid => match t.local_pid_number() {
            Some(n) => {
                let (num, ser) = super::table::pid_parts(n);
                out.push_str(&format!("<0.{num}.{ser}>"));
            }
            None => out.push_str("<pid>"),
        },
        TermKind::Tuple => {
            out.push('{');
            for (i, &e) in t.tuple_elements(heap).unwrap_or(&[]).iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                print(e, heap, out, depth + 1);
            }
            out.push('}');
        }
        TermKind::Cons => {
            out.push('[');
            let mut l = t;
            let mut first = true;
            while let Some((h, rest)) = l.cons_parts(heap) {
                if !first {
                    out.push(',');
                }
                first = false;
                print(h, heap, out, depth + 1);
                l = rest;
            }
            if !l.is_nil() {
                out.push('|');
                print(l, heap, out, depth + 1);
            }
            out.push(']');
        }
        TermKind::Binary => {
            let bytes = t.bits(heap).map(|b| b.to_bit_vec().0).unwrap_or_default();
            let s: Vec<String> = bytes.iter().map(|b| b.to_string()).collect();
            out.push_str(&format!("<<{}>>", s.join(",")));
        }
        TermKind::LocalRef | TermKind::ExternalRef => out.push_str("#Ref<>"),
        TermKind::Fun | TermKind::Export => out.push_str("#Fun<>"),
        TermKind::Map => out.push_str("#{...}"),
        TermKind::LocalPort | TermKind::ExternalPort => out.push_str("#Port<>"),
        TermKind::ExternalPid => out.push_str("<pid>"),
        TermKind::Other => out.push('?'),
    }
}

/// BEAM's report for a process that died of an uncaught `error` or `throw`.
pub fn crash_report(pid: Term, reason: String) -> String {
    let who = match pid.local_pid_number() {
        Some(n) => {
            let (num, ser) = super::table::pid_parts(n);
            format!("<0.{num}.{ser}>")
        }
        None => "<?>".to_string(),
    };
    format!("=ERROR REPORT====\nError in process {who} with exit value:\n{reason}\n\n")
}

/// BEAM's report for a process whose heap passed its `max_heap_size`
/// (the layout of OTP 25's, without the timestamp). `gc_info` lists the
/// collector figures Coral has, in words.
pub fn max_heap_report(
    pid: Term,
    max: &super::MaxHeapSize,
    total: usize,
    queue_len: usize,
    gc_info: &[(&str, usize)],
) -> String {
    let who = match pid.local_pid_number() {
        Some(n) => {
            let (num, ser) = super::table::pid_parts(n);
            format!("<0.{num}.{ser}>")
        }
        None => "<?>".to_string(),
    };
    let items: Vec<String> = gc_info
        .iter()
        .map(|(k, v)| format!("{{{k},{v}}}"))
        .collect();
    let info = items.join(&format!(",\n{}", " ".repeat(26)));
    format!(
        "=ERROR REPORT====\n     Process:            {who} \n     Context:            maximum heap size reached\n     Max Heap Size:      {}\n     Total Heap Size:    {total}\n     Kill:               {}\n     Error Logger:       {}\n     Message Queue Len:  {queue_len}\n     GC Info:            [{info}]\n\n",
        max.size, max.kill, max.error_logger
    )
}
